import { z } from 'zod';
import { FlowSchema, LayoutSchema } from './schema.js';
import { PolicySchema } from '../policy/schema.js';

/**
 * JSON Schemas for editors (yaml-language-server, VS Code), generated from the same zod source
 * as the server's validation, into rules/schema/ by `rekindle schema`. `io: 'input'` describes
 * what a person may WRITE: fields with defaults are optional. Refinements (exactly one of
 * duration/untilTime/untilDate, arm weights add up to 100…) cannot be expressed there; `rekindle
 * validate` checks them.
 */

/**
 * zod objects strip unknown keys, so the generated schema allows any extra key; but validate
 * reports unknown keys as errors (a typo would otherwise vanish), so the editor should flag them
 * too: every object with declared properties gets `additionalProperties: false`.
 */
function closeObjects(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(closeObjects);
  if (typeof node !== 'object' || node === null) return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) out[k] = closeObjects(v);
  if (out.type === 'object' && out.properties && out.additionalProperties === undefined) out.additionalProperties = false;
  return out;
}

function generate(schema: z.ZodType, title: string): Record<string, unknown> {
  const { $schema, ...rest } = closeObjects(z.toJSONSchema(schema, { io: 'input' })) as Record<string, unknown>;
  return { $schema, title, ...rest };
}

export const SCHEMA_FILES = {
  'flow.schema.json': () => generate(FlowSchema, 'Rekindle flow (rules/flows/<id>.flow.yaml)'),
  'layout.schema.json': () => generate(LayoutSchema, 'Rekindle flow layout (rules/flows/<id>.layout.yaml)'),
  'policy.schema.json': () => generate(PolicySchema, 'Rekindle contact policy (rules/policy.yaml)'),
} as const;

export type SchemaFileName = keyof typeof SCHEMA_FILES;

/** The exact text of a schema file (stable: key order is the schema's, two-space indent, final newline). */
export function schemaFileText(name: SchemaFileName): string {
  return JSON.stringify(SCHEMA_FILES[name](), null, 2) + '\n';
}
