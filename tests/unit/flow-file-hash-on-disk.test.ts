import { writeFileSync, rmSync, utimesSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { flowFileHashOnDisk } from '../../server/src/runtime/flow-file-hash-on-disk.js';
import { tempDir } from '../support/temp-dirs.js';

/** fileChanged on every flows list reads each flow file once per change, not once per call. */
describe('a flow file hashed as it is on disk', () => {
  const dir = tempDir('rekindle-flow-hash-');
  const file = join(dir, 'demo.flow.yaml');
  const flow = readFileSync(join(process.cwd(), 'rules', 'flows', 'payment-reminder.flow.yaml'), 'utf8');

  it('follows the file: a new content, even of the same size and within the same second, is hashed again', () => {
    writeFileSync(file, flow);
    const first = flowFileHashOnDisk(file);
    expect(typeof first).toBe('string');
    expect(flowFileHashOnDisk(file)).toBe(first);
    const renamed = flow.replace('name: 催付提醒', 'name: 催付提示');
    expect(Buffer.byteLength(renamed)).toBe(Buffer.byteLength(flow));
    writeFileSync(file, renamed);
    const second = flowFileHashOnDisk(file);
    expect(second).not.toBe(first);
    // Comments do not count (the hash is of the parsed flow), as before.
    writeFileSync(file, `# a developer's note\n${renamed}`);
    expect(flowFileHashOnDisk(file)).toBe(second);
  });

  it('is null for a file that does not read as a flow, undefined without a file', () => {
    writeFileSync(file, 'nodes: [');
    expect(flowFileHashOnDisk(file)).toBeNull();
    rmSync(file);
    expect(flowFileHashOnDisk(file)).toBeUndefined();
  });

  it('does not read the file again while its size and time stay', () => {
    writeFileSync(file, flow);
    const hash = flowFileHashOnDisk(file);
    // Same size, time set back to what was hashed: the answer is the one remembered (the stat is all that is read).
    const t = new Date('2026-01-01T00:00:00Z');
    utimesSync(file, t, t);
    expect(flowFileHashOnDisk(file)).toBe(hash);
    writeFileSync(file, flow.replace('name: 催付提醒', 'name: 催付通知'));
    utimesSync(file, t, t);
    expect(flowFileHashOnDisk(file)).toBe(hash);
  });
});
