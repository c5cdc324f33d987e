import { describe, expect, it } from '@jest/globals';
import { listChoice, listLabel, listTitles } from '../../designer/src/model/list-titles.js';
import { suppressionWords } from '../../designer/src/model/policy-words.js';

describe('block lists named by their titles on the contact-rules page', () => {
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
});
