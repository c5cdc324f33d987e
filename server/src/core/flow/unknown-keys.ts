import { def, isPlainObject, unionOption, unwrap, type AnySchema } from './schema-walk.js';
import type { PathProblem, ValuePath } from './problems.js';
import { closestName } from '../text/closest-name.js';

/**
 * zod strips keys it does not know, so a typo (`nxt: send-1`, `withn: 2d`) would silently
 * vanish from the flow and the canonical writer would delete it on the next save. This walk
 * reports such keys instead. It works on the raw value, so it also runs when the schema fails.
 */
export function unknownKeys(schema: AnySchema, value: unknown, path: ValuePath = []): PathProblem[] {
  const s = unwrap(schema);
  const d = def(s);
  const out: PathProblem[] = [];
  if (d.type === 'object' && isPlainObject(value)) {
    const shape = d.shape as Record<string, AnySchema>;
    for (const [k, v] of Object.entries(value)) {
      if (!(k in shape)) {
        const near = closestName(k, Object.keys(shape));
        const hint = near ? `: did you mean "${near}"?` : '';
        out.push({ path: [...path, k], nodeId: null, severity: 'error', message: `unknown key "${k}"${hint} (known here: ${Object.keys(shape).join(', ')})` });
      } else out.push(...unknownKeys(shape[k], v, [...path, k]));
    }
  } else if (d.type === 'array' && Array.isArray(value)) {
    value.forEach((v, i) => out.push(...unknownKeys(d.element as AnySchema, v, [...path, i])));
  } else if (d.type === 'record' && isPlainObject(value)) {
    for (const [k, v] of Object.entries(value)) out.push(...unknownKeys(d.valueType as AnySchema, v, [...path, k]));
  } else if (d.type === 'union') {
    const option = unionOption(d, value);
    if (option) out.push(...unknownKeys(option, value, path));
  }
  return out;
}
