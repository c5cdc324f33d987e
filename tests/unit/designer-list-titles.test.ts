import { describe, expect, it } from '@jest/globals';
import { capNames } from '../../designer/src/model/cap-words.js';
import { listChoice, listLabel, listTitleEntries, listTitles } from '../../designer/src/model/list-titles.js';
import { reasonWords } from '../../designer/src/model/reason-words.js';
import { suppressionWords } from '../../designer/src/model/policy-words.js';

describe('block lists named by their titles in the designer', () => {
  const titles = listTitles([
    { name: 'bad-reviews', title: '差评顾客' },
    { name: 'do-not-contact', title: null },
  ]);

  it('says a list by its title in the suppression line, an untitled one with its name beside it; the file stays the tooltip', () => {
    const lines = suppressionWords('zh', { lists: ['bad-reviews', 'do-not-contact'] }, undefined, titles);
    expect(lines[1].names).toEqual([
      { text: '差评顾客', hint: 'rules/lists/bad-reviews.txt' },
      { text: '未命名名单（do-not-contact）', hint: 'rules/lists/do-not-contact.txt' },
    ]);
    expect(suppressionWords('en', { lists: ['do-not-contact'] }, undefined, titles)[1].names[0].text).toBe('Untitled list (do-not-contact)');
  });

  it('offers each list as a choice by its title, its name as the smaller second line', () => {
    expect(listChoice('zh', 'bad-reviews', titles)).toEqual({ label: '差评顾客', detail: 'bad-reviews' });
    expect(listChoice('zh', 'do-not-contact', titles)).toEqual({ label: '未命名名单', detail: 'do-not-contact' });
    // A list the server did not describe (an older server: names only) is untitled too.
    expect(listLabel('zh', 'phone-reminded', listTitles(undefined))).toBe('未命名名单（phone-reminded）');
  });

  it('reads only well-formed entries, and a blank title as none', () => {
    expect(listTitles([{ name: 'a', title: '  ' }, null, { title: 'x' }, { name: 'b', title: 7 }])).toEqual({ a: null, b: null });
  });

  it('says a send held back by a titled list by its title, as a cap by its words; an untitled list by its name as before', () => {
    const names = capNames('zh', [{ id: 'marketing-per-day', max: 1, window: '24h' }], listTitleEntries([{ name: 'bad-reviews', title: '差评顾客' }, { name: 'phone-reminded', title: null }]));
    expect(reasonWords('zh', 'blocked:list:bad-reviews', names)).toBe('在屏蔽名单「差评顾客」中');
    expect(reasonWords('en', 'blocked:list:bad-reviews', names)).toBe('on block list "差评顾客"');
    expect(reasonWords('zh', 'blocked:list:phone-reminded', names)).toBe('在屏蔽名单「phone-reminded」中');
    expect(reasonWords('zh', 'capped:marketing-per-day', names)).toMatch(/^触达上限已满：/);
  });
});
