import type { z } from 'zod';

/**
 * Walking a zod schema alongside a value (canonical key order, unknown-key detection). zod 4
 * exposes its definitions under `_zod.def`; this is the only file that reads them, so a zod
 * upgrade that moves them breaks here and nowhere else.
 */

export type AnySchema = z.core.$ZodType;
export type Def = { type: string; [k: string]: unknown };

export const def = (s: AnySchema): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

/** Strip wrappers that do not change the shape of the value (optional, default, describe…). */
export function unwrap(schema: AnySchema): AnySchema {
  let s = schema;
  for (;;) {
    const d = def(s);
    if (['optional', 'default', 'prefault', 'nullable', 'readonly', 'catch', 'nonoptional'].includes(d.type)) s = d.innerType as AnySchema;
    else if (d.type === 'pipe') s = d.in as AnySchema;
    else if (d.type === 'lazy') s = (d.getter as () => AnySchema)();
    else return s;
  }
}

export function unionOption(schema: Def, value: unknown): AnySchema | undefined {
  const options = schema.options as AnySchema[];
  const disc = schema.discriminator as string | undefined;
  if (disc && isPlainObject(value)) {
    for (const o of options) {
      const shape = def(unwrap(o)).shape as Record<string, AnySchema> | undefined;
      const lit = shape?.[disc] ? def(unwrap(shape[disc])) : undefined;
      if (lit?.type === 'literal' && (lit.values as unknown[]).includes(value[disc])) return o;
    }
    // An unknown type: no option fits. Guessing one (the first) would report every key of the
    // intended type as unknown, on top of the one real mistake.
    return undefined;
  }
  // Plain unions (scalars in flow files): the first option whose top-level kind fits.
  return options.find((o) => {
    const t = def(unwrap(o)).type;
    return (t === 'object' && isPlainObject(value)) || (t === 'array' && Array.isArray(value));
  });
}


export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
