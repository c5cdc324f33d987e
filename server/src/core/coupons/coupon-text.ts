import { LineCounter, parseDocument } from 'yaml';
import { yamlValue } from '../yaml-value.js';
import { CouponFileSchema, type CouponTemplate } from './schema.js';

export class CouponFileError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('; '));
  }
}

/**
 * Parses rules/coupons.yaml. Errors name the file, line and field
 * (`rules/coupons.yaml:4 templates.d11-20.minSpend: …`).
 */
export function parseCouponText(text: string, where: string): Map<string, CouponTemplate> {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines });
  if (doc.errors.length > 0) throw new CouponFileError(doc.errors.map((e) => `${where}:${e.linePos?.[0].line ?? '?'} ${e.message.split('\n')[0]}`));
  const v = yamlValue(doc);
  if ('error' in v) throw new CouponFileError([`${where}:1 ${v.error}`]);
  const r = CouponFileSchema.safeParse(v.value ?? { templates: {} });
  if (!r.success) {
    throw new CouponFileError(
      r.error.issues.map((i) => {
        const node = doc.getIn(i.path, true) as { range?: [number, number] } | undefined;
        const line = node?.range ? lines.linePos(node.range[0]).line : null;
        return `${where}${line ? `:${line}` : ''}${i.path.length ? ` ${i.path.join('.')}` : ''}: ${i.message}`;
      }),
    );
  }
  return new Map(Object.entries(r.data.templates).map(([id, t]) => [id, { ...t, id }]));
}
