import { describe, expect, it } from '@jest/globals';
import { parseFlowFile } from '../../server/src/core/flow/flow-file.js';

describe('a .flow.yaml written as JSON with a syntax slip', () => {
  it('is told it is JSON and what to check, on the line YAML names', () => {
    // A comma missing after "id": "x" (line 2): YAML finds it on line 3.
    const text = '{\n  "id": "x"\n  "name": "X",\n  "nodes": []\n}\n';
    const [p] = parseFlowFile(text, 'x.flow.yaml').problems;
    expect(p).toMatchObject({ line: 3, severity: 'error' });
    expect(p.message).toBe('not valid YAML: Missing , between flow map items (the file is written as JSON, which YAML reads as it is: check the commas, quotes and brackets on this line and the one before)');
  });

  it('says nothing of JSON for a YAML file', () => {
    const [p] = parseFlowFile('id: x\nnodes: [a, b\n', 'x.flow.yaml').problems;
    expect(p.message).toMatch(/^not valid YAML: /);
    expect(p.message).not.toContain('JSON');
  });
});
