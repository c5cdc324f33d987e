/**
 * Message templates: `{{customer.name}}`, `{{facts.aov}}`, `{{key}}`, `{{link}}`, `{{coupon}}`.
 * Paths are resolved by plain property lookup over a fixed set of roots — marketers write these,
 * so there is no expression evaluation of any kind. Unknown paths render as empty text.
 */
/** One `{{path}}` of a template (also read by the send log's held-back text, core/coupons/held-back-text.ts). */
export const PLACEHOLDER = /\{\{\s*([a-zA-Z_][\w]*(?:\.[a-zA-Z_][\w]*)*)\s*\}\}/g;

/** A template cut at its placeholders: `texts[0] path[0] texts[1] … path[n-1] texts[n]`. */
interface Compiled {
  texts: string[];
  paths: string[][];
}

/**
 * Templates already cut, by their text. A send node renders the same one or two templates for every
 * customer of a batch (bench/double11: ~300,000 messages at 200,000 customers), and matching the
 * placeholder pattern and splitting each path again for each message was most of the rendering.
 * Bounded by count AND by characters: the designer's preview renders whatever text it is sent (a
 * subject may be as long as a request body), and a thousand long texts must not stay pinned.
 */
const compiled = new Map<string, Compiled>();
const COMPILED_MAX = 1000;
const COMPILED_CHARS_MAX = 1_000_000;
let compiledChars = 0;

function compile(template: string): Compiled {
  let c = compiled.get(template);
  if (c) return c;
  c = { texts: [], paths: [] };
  let last = 0;
  for (const m of template.matchAll(PLACEHOLDER)) {
    c.texts.push(template.slice(last, m.index));
    c.paths.push(m[1].split('.'));
    last = m.index! + m[0].length;
  }
  c.texts.push(template.slice(last));
  if (compiled.size >= COMPILED_MAX || compiledChars + template.length > COMPILED_CHARS_MAX) {
    compiled.clear();
    compiledChars = 0;
  }
  // A text that alone would take the whole budget is cut again each time rather than kept.
  if (template.length <= COMPILED_CHARS_MAX / 10) {
    compiled.set(template, c);
    compiledChars += template.length;
  }
  return c;
}

function valueText(vars: Record<string, unknown>, path: string[]): string {
  let v: unknown = vars;
  for (const part of path) {
    if (v === null || typeof v !== 'object' || !Object.prototype.hasOwnProperty.call(v, part)) return '';
    v = (v as Record<string, unknown>)[part];
  }
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : v.toFixed(2);
  return Array.isArray(v) ? v.join(', ') : String(v);
}

export function renderTemplate(template: string, vars: Record<string, unknown>): string {
  const { texts, paths } = compile(template);
  let out = texts[0];
  for (let i = 0; i < paths.length; i++) out += valueText(vars, paths[i]) + texts[i + 1];
  return out;
}

/** How many templates and characters are kept cut (for tests of the bound). */
export function compiledTemplateCache(): { texts: number; chars: number } {
  return { texts: compiled.size, chars: compiledChars };
}

/** The placeholders a template uses (for validation and the designer). */
export function templatePaths(template: string): string[] {
  return compile(template).paths.map((p) => p.join('.'));
}
