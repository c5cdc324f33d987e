import { describe, expect, it } from '@jest/globals';
import { journeyOrder, neverPublished, type ListedJourney } from '../../designer/src/model/journey-list.js';
import { translate } from '../../designer/src/model/i18n.js';
import { saveStateKey, type SaveStateInput } from '../../designer/src/model/save-state-words.js';

/**
 * The journeys list came in raw id order and said 草稿 for every journey never published (a
 * shipped one and an abandoned new one alike); the editor said 与已保存版本一致 on a journey that
 * never had a published version.
 */
const j = (id: string, name: string, status: ListedJourney['status'], version: number | null, draft: number | null = null): ListedJourney => ({ id, name, status, version, draft: draft === null ? null : { updatedAt: draft } });

describe('the journeys list', () => {
  it('puts running journeys first, then paused, then never published, then stopped; by name within each (Chinese by pinyin, before Latin names)', () => {
    const flows = [
      j('a-new', '新旅程', 'draft', null, 1),
      j('b-stopped', '旧活动', 'stopped', 2),
      j('c-paused', '生日祝福', 'paused', 1),
      j('d-active', '付款提醒', 'active', 3, 5),
      j('e-active', '复购召回', 'active', 1),
      j('f-shipped', '到店感谢', 'draft', null),
      j('g-active', 'Anniversary', 'active', 1),
    ];
    expect(journeyOrder(flows, 'zh').map((f) => f.id)).toEqual(['d-active', 'e-active', 'g-active', 'c-paused', 'f-shipped', 'a-new', 'b-stopped']);
  });

  it('orders names as the language sorts them (Chinese by pinyin, numbers by value), the id after a shared name', () => {
    const flows = [j('x-2', '促销 10', 'active', 1), j('x-1', '促销 9', 'active', 1), j('b', '欢迎', 'active', 1), j('a', '欢迎', 'active', 1)];
    expect(journeyOrder(flows, 'zh').map((f) => f.id)).toEqual(['x-1', 'x-2', 'a', 'b']);
  });

  it('calls a journey with no published version 未发布, not 草稿; one published keeps its status', () => {
    expect(neverPublished(j('a', 'A', 'draft', null))).toBe(true);
    expect(neverPublished(j('a', 'A', 'active', 2, 9))).toBe(false);
    expect(translate('zh', 'status.draft')).toBe('未发布');
    expect(translate('zh', 'draft.unpublished')).toBe('有未发布的修改');
  });
});

describe("the editor's autosave words", () => {
  const base: SaveStateInput = { canEdit: true, state: 'idle', savedAt: null, published: false, unpublished: true, hasDraft: false };
  it('says a journey never published was never published (it said 与已保存版本一致)', () => {
    expect(translate('zh', saveStateKey(base))).toBe('未发布过');
    expect(translate('zh', saveStateKey({ ...base, hasDraft: true }))).toBe('草稿已保存，未发布过');
    expect(translate('zh', saveStateKey({ ...base, hasDraft: true, savedAt: 1, state: 'saved' }))).toBe('草稿已自动保存 {t}，未发布过');
  });
  it('keeps the words of a published journey', () => {
    expect(translate('zh', saveStateKey({ ...base, published: true, unpublished: false }))).toBe('与已保存版本一致');
    expect(translate('zh', saveStateKey({ ...base, published: true, unpublished: false, savedAt: 1, state: 'saved' }))).toBe('已自动保存 {t}，与线上版本一致');
    expect(translate('zh', saveStateKey({ ...base, published: true, savedAt: 1, state: 'saved' }))).toBe('草稿已自动保存 {t}');
    expect(translate('zh', saveStateKey({ ...base, canEdit: false }))).toBe('只读（分析师）');
    expect(translate('zh', saveStateKey({ ...base, state: 'pending' }))).toBe('正在保存草稿…');
  });
});
