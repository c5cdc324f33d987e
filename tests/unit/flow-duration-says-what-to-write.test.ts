/**
 * A duration written in words in a flow file (`duration: 2 hours`, `within: 1天12小时`) was refused
 * with "a duration such as 30m, 2h, 3d or 1d12h": the value was not echoed and what to write was
 * left to guess. The check now says the value and, when the words can be read, the file's form;
 * the designer says it in Chinese.
 */
import { describe, expect, it } from '@jest/globals';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateFiles } from '../../server/src/cli/commands/validate.js';
import { notADuration } from '../../server/src/core/flow/typed-duration.js';
import { serverProblemWords } from '../../designer/src/model/server-problem-words.js';
import { tempDir } from '../support/temp-dirs.js';

describe('a duration that is not in the file form', () => {
  it('is echoed, with the file form when its words can be read', () => {
    expect(notADuration('2 hours')).toBe('"2 hours" is not a duration: write 2h (a duration such as 30m, 2h, 3d or 1d12h)');
    expect(notADuration('1天12小时')).toBe('"1天12小时" is not a duration: write 1d12h (a duration such as 30m, 2h, 3d or 1d12h)');
    expect(notADuration('1.5h')).toContain('write 1h30m');
    expect(notADuration('2 weeks')).toContain('write 14d');
    expect(notADuration('soon')).toBe('"soon" is not a duration (a duration such as 30m, 2h, 3d or 1d12h)');
    expect(notADuration('0 hours')).toBe('"0 hours" is not a duration (a duration such as 30m, 2h, 3d or 1d12h)');
  });

  it('rekindle validate names the file, line, step and field, the value and what to write', () => {
    const rules = tempDir('rekindle-duration-');
    mkdirSync(join(rules, 'flows'), { recursive: true });
    const file = join(rules, 'flows', 'nudge.flow.yaml');
    writeFileSync(
      file,
      ['id: nudge', 'name: nudge', 'nodes:', '  - id: start', '    type: entry', '    trigger:', '      type: event', '      event: order_created', '    next: wait-1', '  - id: wait-1', '    type: wait', '    duration: 2 hours', '    next: done', '  - id: done', '    type: exit', ''].join('\n'),
    );
    const problems = [...validateFiles([file], rules).values()].flat().filter((p) => p.severity === 'error');
    expect(problems).toEqual([expect.objectContaining({ line: 12, nodeId: 'wait-1', message: expect.stringContaining('"2 hours" is not a duration: write 2h') })]);
    expect(serverProblemWords({ line: 12, nodeId: 'wait-1', path: 'nodes.1.duration', severity: 'error', message: problems[0].message })).toBe('「等待时长」不是有效的时长：请写成 2h（例如 30m、2h、3d、1d12h）');
  });
});
