import { def, isPlainObject, unionOption, unwrap, type AnySchema } from './schema-walk.js';

/**
 * Canonical key order for flow and layout files, taken from the zod schema itself so that a new
 * field lands in a predictable place without a second list to maintain:
 *
 * - object keys follow the schema's shape order, except that `type` comes right after `id`
 *   (the base fields id/label/description are spread first in schema.ts, but a reader wants to
 *   know what a node IS before reading its label). Edges are declared last in every node schema,
 *   so they come last in the file;
 * - records with user-chosen keys (event `match`, layout `positions`) are sorted by key, so two
 *   designers writing the same map produce the same bytes;
 * - json-rules-engine conditions (opaque to the schema) get their usual reading order:
 *   fact, path, operator, value, params, then the rest alphabetically.
 *
 * Keys that the schema does not know are dropped by zod before we get here.
 */

const CONDITION_ORDER = ['name', 'priority', 'fact', 'path', 'operator', 'value', 'params', 'all', 'any', 'not', 'condition'];

/** Order opaque values (inline conditions): known condition keys first, then alphabetical. */
function orderOpaque(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(orderOpaque);
  if (!isPlainObject(value)) return value;
  const rank = (k: string) => {
    const i = CONDITION_ORDER.indexOf(k);
    return i < 0 ? CONDITION_ORDER.length : i;
  };
  const keys = Object.keys(value).sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(keys.map((k) => [k, orderOpaque(value[k])]));
}

export function canonicalOrder(schema: AnySchema, value: unknown): unknown {
  const s = unwrap(schema);
  const d = def(s);
  switch (d.type) {
    case 'object': {
      if (!isPlainObject(value)) return value;
      const shape = d.shape as Record<string, AnySchema>;
      let keys = Object.keys(shape);
      if (keys.includes('id') && keys.includes('type')) keys = ['id', 'type', ...keys.filter((k) => k !== 'id' && k !== 'type')];
      const out: Record<string, unknown> = {};
      for (const k of keys) if (value[k] !== undefined) out[k] = canonicalOrder(shape[k], value[k]);
      return out;
    }
    case 'array':
      return Array.isArray(value) ? value.map((v) => canonicalOrder(d.element as AnySchema, v)) : value;
    case 'record': {
      if (!isPlainObject(value)) return value;
      const keys = Object.keys(value).sort();
      return Object.fromEntries(keys.map((k) => [k, canonicalOrder(d.valueType as AnySchema, value[k])]));
    }
    case 'union': {
      const option = unionOption(d, value);
      return option ? canonicalOrder(option, value) : orderOpaque(value);
    }
    case 'unknown':
    case 'any':
      return orderOpaque(value);
    default:
      return value;
  }
}
