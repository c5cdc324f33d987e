import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SCHEMA_FILES, schemaFileText, type SchemaFileName } from '../../server/src/core/flow/json-schema.js';

const DIR = join(process.cwd(), 'rules/schema');

describe('JSON Schemas in rules/schema/', () => {
  it.each(Object.keys(SCHEMA_FILES) as SchemaFileName[])('%s equals the one generated from the zod source (run `rekindle schema` after changing schema.ts)', (name) => {
    expect(readFileSync(join(DIR, name), 'utf8')).toBe(schemaFileText(name));
  });

  it('describes every node type for editors and flags unknown keys', () => {
    const flow = JSON.parse(schemaFileText('flow.schema.json'));
    const nodeTypes = flow.properties.nodes.items.oneOf.map((o: { properties: { type: { const: string; description?: string } }; additionalProperties: unknown }) => {
      expect(o.additionalProperties).toBe(false);
      expect(o.properties.type.description).toEqual(expect.any(String));
      return o.properties.type.const;
    });
    expect(nodeTypes).toEqual(['entry', 'condition', 'switch', 'split', 'wait', 'waitForEvent', 'send', 'action', 'limit', 'exit']);
    expect(flow.required).toEqual(['id', 'name', 'nodes']); // io: 'input': exitOn has a default, so it may be left out
  });
});
