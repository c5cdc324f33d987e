import type { Document } from 'yaml';

/**
 * The plain value of a parsed YAML document, or the reason it cannot be had. The yaml library
 * refuses documents whose aliases would expand without bound ("billion laughs") with a
 * ReferenceError, and a document nested thousands deep overflows the stack: both are the file's
 * fault, so callers report them as a problem of that file instead of failing as a 500.
 */
export const YAML_ALIAS_LIMIT = 100;

export function yamlValue(doc: Document): { value: unknown } | { error: string } {
  try {
    return { value: doc.toJS({ maxAliasCount: YAML_ALIAS_LIMIT }) };
  } catch (e) {
    if (e instanceof ReferenceError && /alias/i.test(e.message)) return { error: `refused: its aliases (&anchor / *alias) expand too far (more than ${YAML_ALIAS_LIMIT} uses), a resource-exhaustion risk` };
    if (e instanceof RangeError) return { error: 'refused: nested too deeply' };
    throw e;
  }
}
