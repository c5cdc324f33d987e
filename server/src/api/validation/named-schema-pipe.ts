import { StandardSchemaValidationPipe, type ArgumentMetadata } from '@nestjs/common';

/**
 * The global validation pipe (Nest's StandardSchemaValidationPipe, which checks `@Body({ schema })`,
 * `@Query({ schema })` and `@Param(name, { schema })` against their zod schemas), with one change: a
 * problem of a single named path or query parameter names it. A body's and a whole query's problems
 * carry their field's path (`revision: …`), but `@Param('version', { schema })` validates a bare
 * string, whose problems have no path: `GET /api/flows/x/versions/abc` answered "Invalid input:
 * expected number, received NaN", saying neither which parameter nor what it takes.
 */
export class NamedSchemaValidationPipe extends StandardSchemaValidationPipe {
  override async transform<T = unknown>(value: T, metadata: ArgumentMetadata): Promise<T> {
    const name = (metadata.type === 'param' || metadata.type === 'query') && typeof metadata.data === 'string' ? metadata.data : null;
    if (!name || !metadata.schema) return super.transform(value, metadata);
    return super.transform(value, { ...metadata, schema: named(metadata.schema, name) });
  }
}

type Schema = NonNullable<ArgumentMetadata['schema']>;

/** The schema with `name` first in the path of each of its problems. */
function named(schema: Schema, name: string): Schema {
  const inner = schema['~standard'];
  return {
    '~standard': {
      ...inner,
      validate: async (value, options) => {
        const r = await inner.validate(value, options);
        return r.issues ? { issues: r.issues.map((i) => ({ ...i, path: [name, ...(i.path ?? [])] })) } : r;
      },
    },
  };
}
