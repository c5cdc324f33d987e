/**
 * Message templates: `{{customer.name}}`, `{{facts.aov}}`, `{{key}}`, `{{link}}`, `{{coupon}}`.
 * Paths are resolved by plain property lookup over a fixed set of roots — marketers write these,
 * so there is no expression evaluation of any kind. Unknown paths render as empty text.
 */
const PLACEHOLDER = /\{\{\s*([a-zA-Z_][\w]*(?:\.[a-zA-Z_][\w]*)*)\s*\}\}/g;

export function renderTemplate(template: string, vars: Record<string, unknown>): string {
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

/** The placeholders a template uses (for validation and the designer). */
export function templatePaths(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((m) => m[1]);
}
