import { CATEGORIES } from '../../seed/products.js';

/**
 * What kind of product an order's item is, read from its Taobao title (宝贝标题) when the export's
 * 宝贝种类 does not say. The list fitted a clothing shop only: a tea shop's titles
 * (「2026 明前龙井 250g 礼盒装」) all became `other`, and so did a shop selling snacks, skin care or
 * baby goods, so no segment on categories could tell its customers apart (walkthrough).
 *
 * Most specific first: a kind whose words hide inside a garment's (纸尿裤 is no pair of trousers,
 * 茶歇裙 no tea) comes before the garment; bare 裙, 裤 and 包 come last, and 包邮 (free shipping, in
 * every kind of title) is no bag. A title that says none of these stays `other`.
 */
export interface TitleCategory {
  /** The code stored on line items and read by rules (`categories contains tea`). */
  name: string;
  /** How the shop names it (the designer's and the Excel files' word). */
  label: string;
  pattern: RegExp;
}

/** The demo shop's clothing categories (core/seed/products.ts) with the words their titles use. */
const CLOTHING_WORDS: Record<string, RegExp> = {
  dress: /连衣裙|茶歇裙/,
  skirt: /半身裙|裙/,
  tops: /T恤|短袖|上衣|卫衣/,
  shirt: /衬衫/,
  pants: /裤/,
  coat: /外套|风衣|夹克|大衣|羽绒/,
  knitwear: /毛衣|针织|羊毛衫|开衫/,
  accessories: /配饰|腰带|围巾|帽|包(?!邮)/,
};

/** Kinds a Taobao/Tmall shop other than a clothing shop sells, checked before the garments. */
const OTHER_KINDS: TitleCategory[] = [
  { name: 'baby', label: '母婴', pattern: /纸尿裤|尿不湿|拉拉裤|奶粉|奶瓶|奶嘴|婴儿|婴幼儿|宝宝|孕妇|哺乳|童装|儿童/ },
  { name: 'beauty', label: '美妆护肤', pattern: /面膜|精华|乳液|面霜|眼霜|爽肤水|化妆水|洗面奶|洁面|卸妆|防晒|口红|唇釉|粉底|气垫|眼影|睫毛膏|香水|护肤|彩妆|化妆品/ },
  { name: 'tea', label: '茶叶茶具', pattern: /茶叶|龙井|碧螺春|普洱|铁观音|大红袍|岩茶|乌龙|红茶|绿茶|白茶|黑茶|花茶|毛尖|金骏眉|茶饼|茶砖|茶具|茶杯|茶壶|盖碗/ },
  { name: 'food', label: '食品', pattern: /零食|坚果|饼干|糕点|月饼|粽子|巧克力|糖果|咖啡|牛奶|酸奶|麦片|大米|食用油|蜂蜜|燕窝|肉干|果干|海鲜|水果|食品/ },
  { name: 'digital', label: '数码', pattern: /手机|耳机|充电|数据线|蓝牙|音箱|平板|笔记本电脑|键盘|鼠标|相机|智能手表|手环|移动电源/ },
  { name: 'home', label: '家居日用', pattern: /四件套|床单|被套|被子|枕头|毛巾|浴巾|收纳|拖把|垃圾袋|纸巾|抽纸|餐具|锅|保温杯|水杯|窗帘|地毯|家居/ },
  { name: 'shoes', label: '鞋靴', pattern: /鞋|靴/ },
];

export const TITLE_CATEGORIES: readonly TitleCategory[] = [
  ...OTHER_KINDS,
  ...CATEGORIES.map((c) => ({ name: c.name, label: c.label, pattern: CLOTHING_WORDS[c.name] ?? new RegExp(c.label) })),
];

/** The kind a title (or a 宝贝种类 text) says, or null. */
export function categoryOfTitle(text: string): string | null {
  return TITLE_CATEGORIES.find((c) => c.pattern.test(text))?.name ?? null;
}
