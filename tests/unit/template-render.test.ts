import { describe, expect, it } from '@jest/globals';
import { couponVars } from '../../server/src/core/coupons/template-vars.js';
import { compiledTemplateCache, renderTemplate, templatePaths } from '../../server/src/core/engine/template.js';

/** The renderer as it was before templates were cut once per text: the pattern matched again for every message. */
const PLACEHOLDER = /\{\{\s*([a-zA-Z_][\w]*(?:\.[a-zA-Z_][\w]*)*)\s*\}\}/g;
function renderedAsBefore(template: string, vars: Record<string, unknown>): string {
  return template.replace(PLACEHOLDER, (_, path: string) => {
    let v: unknown = vars;
    for (const part of path.split('.')) {
      if (v === null || typeof v !== 'object' || !Object.prototype.hasOwnProperty.call(v, part)) return '';
      v = (v as Record<string, unknown>)[part];
    }
    if (v === null || v === undefined) return '';
    if (typeof v === 'number') return Number.isInteger(v) ? String(v) : v.toFixed(2);
    return Array.isArray(v) ? v.join(', ') : String(v);
  });
}
const pathsAsBefore = (template: string) => [...template.matchAll(PLACEHOLDER)].map((m) => m[1]);

const coupon = { code: 'K7QX3M9PWR2D', templateId: 'w', amount: 20, minSpend: 199, issuedAt: 0, expiresAt: Date.parse('2026-11-15T16:00:00Z') };
const vars = [
  { customer: { name: '王芳', tags: ['vip', 'new'] }, facts: { aov: 199.5, orderCount: 3 }, key: 'o1', link: '/r/abc', coupon: couponVars(coupon, 'Asia/Shanghai') },
  { customer: { name: '' }, facts: {}, key: '', link: '', coupon: couponVars(null, 'Asia/Shanghai') },
  { customer: null, facts: { aov: null }, key: 0, link: '$&$1$$' },
];
const templates = [
  '',
  'no placeholders at all',
  '{{customer.name}}',
  '{{customer.name}}{{link}}',
  '{{ customer.name }}，满{{facts.aov}}减20 {{link}} 回T退订',
  '【示例旗舰店】您的{{coupon.amount}}元券（券码{{coupon.code}}，{{coupon.expires}}到期）满{{coupon.minSpend}}：{{link}}',
  'bare {{coupon}} and {{customer.tags}} and {{facts.orderCount}} and {{key}}',
  '[{{customer.constructor}}][{{customer.__proto__}}][{{ process.exit }}][{{customer.name.length}}][{{nothing.here}}]',
  '{{ customer.name + 1 }} {{}} {{ 9x }} {customer.name} {{{customer.name}}} {{customer.name}',
  '$& $1 $$ {{link}} $` $\'',
];

describe('message templates', () => {
  it('render every template and every customer exactly as matching the pattern per message did', () => {
    for (const t of templates) {
      expect(templatePaths(t)).toEqual(pathsAsBefore(t));
      for (const v of vars) expect(renderTemplate(t, v)).toBe(renderedAsBefore(t, v));
    }
  });

  it('render a template again alike, and many distinct templates (the designer preview) alike', () => {
    for (let i = 0; i < 2_500; i++) {
      const t = `#${i} {{customer.name}} {{facts.aov}}`;
      expect(renderTemplate(t, vars[0])).toBe(`#${i} 王芳 199.50`);
    }
    expect(renderTemplate(templates[5], vars[0])).toBe(renderedAsBefore(templates[5], vars[0]));
  });

  it('keep at most a million characters of cut templates, however long the texts a preview sends', () => {
    const long = (i: number) => `${'长'.repeat(50_000)} #${i} {{customer.name}}`;
    for (let i = 0; i < 200; i++) expect(renderTemplate(long(i), vars[0])).toBe(`${'长'.repeat(50_000)} #${i} 王芳`);
    expect(compiledTemplateCache().chars).toBeLessThanOrEqual(1_000_000);
    const huge = `${'x'.repeat(400_000)}{{link}}`;
    expect(renderTemplate(huge, vars[0])).toBe(`${'x'.repeat(400_000)}/r/abc`);
    expect(compiledTemplateCache().chars).toBeLessThanOrEqual(1_000_000);
  });
});
