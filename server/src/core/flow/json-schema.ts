import { z } from 'zod';
import { FlowSchema, LayoutSchema } from './schema.js';

/**
 * JSON Schemas for editors (yaml-language-server, VS Code), generated from the same zod source
 * as the server's validation, into rules/schema/ by `rekindle schema`. `io: 'input'` describes
 * what a person may WRITE: fields with defaults are optional. Refinements (exactly one of
 * duration/untilTime/untilDate, arm weights add up to 100…) cannot be expressed there; `rekindle
 * validate` checks them.
 */
export const SCHEMA_FILES = {
  'flow.schema.json': () => ({ title: 'Rekindle flow (rules/flows/<id>.flow.yaml)', ...z.toJSONSchema(FlowSchema, { io: 'input' }) }),
  'layout.schema.json': () => ({ title: 'Rekindle flow layout (rules/flows/<id>.layout.yaml)', ...z.toJSONSchema(LayoutSchema, { io: 'input' }) }),
} as const;

export type SchemaFileName = keyof typeof SCHEMA_FILES;

/** The exact text of a schema file (stable: key order is the schema's, two-space indent, final newline). */
export function schemaFileText(name: SchemaFileName): string {
  return JSON.stringify(SCHEMA_FILES[name](), null, 2) + '\n';
}
