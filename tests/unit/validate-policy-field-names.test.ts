import { describe, expect, it } from '@jest/globals';
import { checkYamlFile, namingFields } from '../../server/src/core/flow/yaml-checks.js';
import { PolicySchema } from '../../server/src/core/policy/schema.js';

describe('validate rules/policy.yaml', () => {
  it('names the field of each problem, not only its line', () => {
    const text = 'caps:\n  - id: daily\n    max: one\n    window: 24h\nquietHours:\n  sms:\n    from: 9pm\n    to: "09:00"\n';
    const messages = namingFields(checkYamlFile(text, PolicySchema).problems).map((p) => `${p.line}: ${p.message}`);
    expect(messages).toEqual([expect.stringMatching(/^3: caps\.0\.max: .*expected number/), expect.stringMatching(/^7: quietHours\.sms\.from: .*HH:MM/)]);
  });
});
