import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { withLifecycleThresholds } from '../../server/src/core/analysis/shop-yaml.js';

/**
 * Walked on 4 Dec 2026: `rekindle analyse --write-thresholds` on the shop.yaml the project ships
 * kept each threshold's comment as it was, so the file read `activeDays: 59 # recencyDays <= 27:
 * active` — the comment a shop owner reads contradicting the value the engine uses. The old
 * number in a threshold's own comment now becomes the new one; other comments stay.
 */
describe('rekindle analyse --write-thresholds', () => {
  it("rewrites the old number in each threshold's own comment, and nothing else", () => {
    const shipped = readFileSync('rules/shop.yaml', 'utf8');
    const out = withLifecycleThresholds(shipped, { activeDays: 59, silentDays: 87, sleepingDays: 154 });
    expect(out).toMatch(/activeDays: 59 +# recencyDays <= 59: active\n/);
    expect(out).toMatch(/silentDays: 87 +# <= 87: silent\n/);
    expect(out).toMatch(/sleepingDays: 154 +# <= 154: sleeping; beyond: lost\n/);
    expect(out).not.toMatch(/<= (27|138|426)\b/);
    // The file's opening comment quotes the article's example figures: not the shop's thresholds, kept.
    expect(out).toContain('30% within 28–138, 30% within 139–426');
  });

  it('leaves a comment without the old number, and a longer number containing it, as they are', () => {
    const out = withLifecycleThresholds('lifecycle:\n  activeDays: 3 # about a month, 30 or 13 days\n  silentDays: 60\n  sleepingDays: 300 # 300 days\n', { activeDays: 20, silentDays: 90, sleepingDays: 360 });
    expect(out).toBe('lifecycle:\n  activeDays: 20 # about a month, 30 or 13 days\n  silentDays: 90\n  sleepingDays: 360 # 360 days\n');
  });
});
