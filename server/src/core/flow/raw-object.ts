/** A flow file's value before it is parsed by the schema: the checks that read raw nodes take it as it is. */
export type Raw = Record<string, unknown>;

/** `v` as an object with keys, or null for anything else (an array, a string, null): raw YAML may hold any of them. */
export const asObject = (v: unknown): Raw | null => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Raw) : null);
