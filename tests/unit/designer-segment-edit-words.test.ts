import { describe, expect, it } from '@jest/globals';
import { ApiError } from '../../designer/src/api-error.js';
import { translate } from '../../designer/src/model/i18n.js';
import { canEditInPlace, editNeedsAdminWords, editStart, liveJourneyWords, segmentEditErrorWords } from '../../designer/src/model/segment-edit.js';
import type { SegmentInfo } from '../../designer/src/model/segment-words.js';

const saved: SegmentInfo = { name: 'west', title: '西部顾客', description: null, conditions: { all: [{ fact: 'province', operator: 'equal', value: '新疆' }] }, revision: '0123456789abcdef' };

describe('editing a saved 人群 in place (designer words)', () => {
  it('offers 编辑 only for a rule the builder shows as rows, with the revision the save sends back', () => {
    expect(canEditInPlace(saved)).toBe(true);
    expect(canEditInPlace({ ...saved, revision: undefined })).toBe(false);
    expect(canEditInPlace({ ...saved, revision: null })).toBe(false);
    expect(canEditInPlace({ ...saved, conditions: { all: [{ condition: 'sleeping-high-value' }] } })).toBe(false);
    expect(canEditInPlace(undefined)).toBe(false);
    expect(editStart(saved)).toEqual({ id: 'west', title: '西部顾客', conditions: saved.conditions, revision: '0123456789abcdef' });
    expect(editStart({ ...saved, title: null }).title).toBe('west');
  });

  it('names the live journeys an edit changes and how, from their next run; nothing to confirm without any', () => {
    expect(liveJourneyWords('zh', [])).toBeNull();
    expect(liveJourneyWords('zh', undefined)).toBeNull();
    expect(
      liveJourneyWords('zh', [
        { flowId: 'west-hello', name: '西部问候', status: 'active', uses: ['entry', 'branch'] },
        { flowId: 'd11', name: '双十一', status: 'paused', uses: ['branch'] },
      ]),
    ).toBe('正在运行的旅程「西部问候」（谁能进入、顾客走哪条分支）、已暂停的旅程「双十一」（顾客走哪条分支）在用这个人群。保存后，从它们的下一次运行起就按新条件决定，不用重新发布。');
    expect(liveJourneyWords('en', [{ flowId: 'w', name: 'West hello', status: 'active', uses: ['entry'] }])).toBe('This audience is used by the live journey "West hello" (who enters). Once saved, they decide by the new conditions from their next run, without a publish.');
  });

  it('says a conflicting save in words with a way to reload, and the approval refusal by the journeys it names', () => {
    const conflict = new ApiError(409, 'rules/segments/west.yaml changed since you opened it', [], { statusCode: 409, code: 'segment-changed', id: 'west', revision: 'ffff' });
    expect(segmentEditErrorWords('zh', conflict)).toEqual({ conflict: true, text: expect.stringMatching(/^没有保存：你打开这个人群之后，别人已经保存过它.*重新载入/) });
    const admin = new ApiError(403, 'publish approval is on', [], { statusCode: 403, code: 'segment-edit-needs-admin', liveJourneys: [{ flowId: 'west-hello', name: '西部问候' }] });
    const words = segmentEditErrorWords('zh', admin);
    expect(words.conflict).toBe(false);
    expect(words.text).toContain('本店开启了发布审批，而正在运行的旅程「西部问候」在用这个人群');
    expect(words.text).toContain('只有管理员可以修改');
  });

  it('says a refused rule by its condition and field, as for a new audience', () => {
    const bad = new ApiError(422, 'conditions.all[0].value: expected a number', [{ path: 'conditions.all[0].value', message: 'expected a number, got "many"' } as never], { statusCode: 422 });
    const { text, conflict } = segmentEditErrorWords('zh', bad);
    expect(conflict).toBe(false);
    expect(text).toMatch(/^第 1 条条件的「值」/);
  });

  it('has every word of the edit in Chinese, without English words, and tells how to change a saved one', () => {
    for (const k of ['audience.edit', 'audience.editTitle', 'audience.saveEdit', 'audience.confirmSave', 'audience.notYet', 'audience.reload', 'audience.changed', 'audience.editGone']) {
      expect(translate('zh', k)).not.toBe(k);
      expect(translate('zh', k).replace('{name}', '')).not.toMatch(/[A-Za-z]/);
      expect(translate('en', k)).not.toBe(k);
    }
    expect(translate('zh', 'segment.howToChange')).toContain('「编辑」');
    expect(translate('zh', 'err.simulationCopyFiles')).toContain('人群');
  });

  it('tells a non-admin up front that only an admin may edit an audience live journeys use under publish approval', () => {
    const live: SegmentInfo = { ...saved, editNeedsAdmin: true, liveJourneys: [{ flowId: 'west-hello', name: '西部问候', status: 'active', uses: ['entry'] }, { flowId: 'w2', name: '西部回访', status: 'paused', uses: ['branch'] }] };
    expect(editNeedsAdminWords('zh', live, 'marketer')).toBe('只有管理员可以修改这个人群：本店开启了发布审批，而正在运行的旅程「西部问候」、已暂停的旅程「西部回访」在用它，改它就等于不经审批改变这些旅程。请找管理员修改。');
    expect(editNeedsAdminWords('en', live, 'marketer')).toMatch(/^Only an admin may change this audience: publish approval is on and the live journey "西部问候", the paused journey "西部回访" use it/);
    // Unknown role: refused, as the server refuses anyone but an admin.
    expect(editNeedsAdminWords('zh', live, null)).toMatch(/^只有管理员可以修改/);
    expect(editNeedsAdminWords('zh', live, 'admin')).toBeNull();
    expect(editNeedsAdminWords('zh', { ...live, editNeedsAdmin: false }, 'marketer')).toBeNull();
    expect(editNeedsAdminWords('zh', saved, 'marketer')).toBeNull();
    expect(editNeedsAdminWords('zh', undefined, 'marketer')).toBeNull();
  });
});
