import { describe, expect, it } from '@jest/globals';
import { categoryOf } from '../../server/src/core/data/import/taobao.js';
import { TITLE_CATEGORIES } from '../../server/src/core/data/import/title-categories.js';
import { PRODUCT_CATEGORY_WORDS } from '../../server/src/core/text/excel-words.js';
import { CATEGORY_WORDS } from '../../designer/src/model/words.js';

/**
 * The Taobao import reads what kind of product an item is from its title. It knew clothing only: a
 * tea shop's export (walkthrough) had every order in `other`. Titles as shops write them.
 */
const TITLES: [string, string][] = [
  ['2026新茶 明前特级龙井茶叶 250g 礼盒装 包邮', 'tea'],
  ['云南普洱熟茶 357g 茶饼', 'tea'],
  ['景德镇手绘 盖碗 茶具套装', 'tea'],
  ['三只松鼠 每日坚果 30包 零食大礼包', 'food'],
  ['挂耳咖啡 10片装', 'food'],
  ['补水保湿面膜 20片', 'beauty'],
  ['小棕瓶精华液 50ml', 'beauty'],
  ['婴儿纸尿裤 L码 100片', 'baby'],
  ['儿童连衣裙 夏季 女童', 'baby'],
  ['无线蓝牙耳机 降噪', 'digital'],
  ['纯棉四件套 1.8m床', 'home'],
  ['304不锈钢保温杯 500ml', 'home'],
  ['小白鞋 女 百搭 帆布鞋', 'shoes'],
  ['法式茶歇连衣裙 碎花', 'dress'],
  ['高腰阔腿牛仔裤 女', 'pants'],
  ['羊毛衫 开衫 女 秋冬', 'knitwear'],
  ['真皮托特包 通勤', 'accessories'],
  ['店铺新品 限时包邮', 'other'],
];

describe('the kind of product a Taobao title says', () => {
  it('reads tea, food, beauty, baby, digital, home and shoes as well as clothing; what says none stays other', () => {
    expect(TITLES.map(([title]) => [title, categoryOf('', title)])).toEqual(TITLES);
  });

  it('takes the 宝贝种类 text when it names a kind, and never a count there', () => {
    expect(categoryOf('茶叶', '')).toBe('tea');
    expect(categoryOf('1', '补水保湿面膜')).toBe('beauty');
    expect(categoryOf('文具', '笔记本')).toBe('文具'); // a shop's own word is kept
  });

  it('has every kind in words in the Excel files and the designer alike', () => {
    for (const c of TITLE_CATEGORIES) expect([c.name, PRODUCT_CATEGORY_WORDS[c.name], CATEGORY_WORDS[c.name]]).toEqual([c.name, c.label, c.label]);
  });
});
