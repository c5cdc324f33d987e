import { formatMoney } from './format.js';
import type { Lang } from './i18n.js';

/**
 * Facts and operators of the rule builder in a marketer's words (the catalogue's names stay the
 * keys a rule file uses). `unit` is how a value is shown: ¥ for money, 天 for days.
 */
type Words = Record<Lang, string>;

export const FACT_WORDS: Record<string, Words & { unit?: 'money' | 'days' | 'hours' | 'share' }> = {
  recencyDays: { zh: '距上次购买天数', en: 'Days since last order', unit: 'days' },
  orderCount: { zh: '订单数', en: 'Number of orders' },
  totalSpent: { zh: '累计消费', en: 'Total spent', unit: 'money' },
  aov: { zh: '客单价', en: 'Average order value', unit: 'money' },
  firstOrderAt: { zh: '首次购买时间', en: 'First order date' },
  lastOrderAt: { zh: '最近购买时间', en: 'Last order date' },
  unpaidOrderCount: { zh: '未付款订单数', en: 'Unpaid orders' },
  lastUnpaidAt: { zh: '最近未付款下单时间', en: 'Last unpaid order date' },
  hoursSinceLastUnpaid: { zh: '距最近未付款订单小时数', en: 'Hours since last unpaid order', unit: 'hours' },
  categories: { zh: '买过的品类', en: 'Categories bought' },
  categoriesLastSeason: { zh: '上一季买过的品类', en: 'Categories bought last season' },
  categoriesSameSeasonLastYear: { zh: '去年同季买过的品类', en: 'Categories bought same season last year' },
  categoriesLastSpring: { zh: '上一个春季买过的品类', en: 'Categories bought last spring' },
  categoriesLastSummer: { zh: '上一个夏季买过的品类', en: 'Categories bought last summer' },
  categoriesLastAutumn: { zh: '上一个秋季买过的品类', en: 'Categories bought last autumn' },
  categoriesLastWinter: { zh: '上一个冬季买过的品类', en: 'Categories bought last winter' },
  daysUntilSleeping: { zh: '距进入沉睡还有几天', en: 'Days until asleep', unit: 'days' },
  double11Years: { zh: '参加过双十一的年份', en: 'Double 11 years joined' },
  double11Count: { zh: '参加双十一次数', en: 'Double 11 count' },
  double11LastYear: { zh: '上一届双十一买过', en: 'Bought at the last Double 11' },
  double11Missed: { zh: '错过的双十一次数', en: 'Double 11s missed since first order' },
  nonDouble11OrderCount: { zh: '非双十一订单数', en: 'Orders outside Double 11' },
  province: { zh: '省份', en: 'Province' },
  city: { zh: '城市', en: 'City' },
  device: { zh: '设备', en: 'Device' },
  tags: { zh: '标签', en: 'Tags' },
  consentSms: { zh: '允许短信', en: 'SMS consent' },
  consentEmail: { zh: '允许邮件', en: 'Email consent' },
  consentWechat: { zh: '允许微信', en: 'WeChat consent' },
  consentWangwang: { zh: '允许旺旺', en: 'Wangwang consent' },
  consentPush: { zh: '允许推送', en: 'Push consent' },
  lifecycleStage: { zh: '生命周期阶段', en: 'Lifecycle stage' },
  pAlive: { zh: '仍活跃的概率', en: 'Probability still active', unit: 'share' },
  expectedPurchases: { zh: '预计未来购买次数', en: 'Expected future purchases' },
};

export const OPERATOR_WORDS: Record<string, Words & { symbol?: string }> = {
  equal: { zh: '等于', en: 'is', symbol: '=' },
  notEqual: { zh: '不等于', en: 'is not', symbol: '≠' },
  in: { zh: '是其中之一', en: 'is one of' },
  notIn: { zh: '不是其中任何一个', en: 'is none of' },
  inList: { zh: '在名单中', en: 'is on the list' },
  lessThan: { zh: '小于', en: 'less than', symbol: '<' },
  lessThanInclusive: { zh: '不超过', en: 'at most', symbol: '≤' },
  greaterThan: { zh: '大于', en: 'more than', symbol: '>' },
  greaterThanInclusive: { zh: '至少', en: 'at least', symbol: '≥' },
  between: { zh: '介于', en: 'between' },
  withinLastDays: { zh: '在最近几天内', en: 'within the last days' },
  anniversaryWithinDays: { zh: '周年日在几天内', en: 'anniversary within days' },
  contains: { zh: '包含', en: 'contains' },
  doesNotContain: { zh: '不包含', en: 'does not contain' },
  containsAny: { zh: '包含任一', en: 'contains any of' },
};

const VALUE_WORDS: Record<string, Words> = {
  true: { zh: '是', en: 'yes' },
  false: { zh: '否', en: 'no' },
  mobile: { zh: '手机', en: 'mobile' },
  pc: { zh: '电脑', en: 'computer' },
  active: { zh: '活跃', en: 'active' },
  silent: { zh: '沉默', en: 'silent' },
  sleeping: { zh: '沉睡', en: 'sleeping' },
  lost: { zh: '流失', en: 'lost' },
  prospect: { zh: '潜在客户（未购买）', en: 'prospect (no orders yet)' },
};

/**
 * Category codes of the demo shop (server/src/core/seed/products.ts) and what the Taobao import
 * maps titles to (server/src/core/data/import/title-categories.ts) as the shop names them. A shop's own codes are not known here: they show as
 * stored.
 */
export const CATEGORY_WORDS: Record<string, string> = {
  dress: '连衣裙',
  tops: 'T恤',
  shirt: '衬衫',
  pants: '裤子',
  coat: '外套',
  knitwear: '毛衣',
  skirt: '半身裙',
  accessories: '配饰',
  baby: '母婴',
  beauty: '美妆护肤',
  tea: '茶叶茶具',
  food: '食品',
  digital: '数码',
  home: '家居日用',
  shoes: '鞋靴',
  other: '其他',
};

export const factLabel = (lang: Lang, name: string) => FACT_WORDS[name]?.[lang] ?? name;
export const operatorLabel = (lang: Lang, name: string) => OPERATOR_WORDS[name]?.[lang] ?? name;

export function valueWords(lang: Lang, fact: string, value: unknown): string {
  if (Array.isArray(value)) return value.map((v) => valueWords(lang, fact, v)).join(lang === 'zh' ? '、' : ', ');
  const unit = FACT_WORDS[fact]?.unit;
  // Through the one money formatter: a computed figure (aov = spent / orders) is ¥56.14, never ¥56.142857142857146.
  if (typeof value === 'number' && unit === 'money') return formatMoney(lang, value);
  if (typeof value === 'number' && unit === 'days') return lang === 'zh' ? `${value} 天` : `${value} days`;
  if (typeof value === 'number' && unit === 'hours') return lang === 'zh' ? `${value} 小时` : `${value} hours`;
  if (typeof value === 'number' && unit === 'share') return `${Math.round(value * 1000) / 10}%`;
  if (typeof value === 'number' && !Number.isInteger(value)) return String(Math.round(value * 100) / 100);
  const s = String(value);
  // categories, categoriesLastSeason, …: the demo shop's codes in Chinese.
  if (lang === 'zh' && fact.startsWith('categories') && CATEGORY_WORDS[s]) return CATEGORY_WORDS[s];
  return VALUE_WORDS[s]?.[lang] ?? s;
}

/**
 * One customer's fact value on the customer page. Unlike a condition's threshold (valueWords),
 * this is where the customer stands: daysUntilSleeping is silentDays + 1 − recencyDays, so 0 is
 * the first day asleep and −520 means asleep for 520 days, not "−520 days to go".
 */
export function customerValueWords(lang: Lang, fact: string, value: unknown): string {
  if (fact === 'daysUntilSleeping' && typeof value === 'number' && value <= 0) {
    if (value === 0) return lang === 'zh' ? '今天进入沉睡' : 'falls asleep today';
    return lang === 'zh' ? `已沉睡 ${-value} 天` : `asleep for ${-value} days`;
  }
  // An empty list (上一季买过的品类: nothing) says so; a blank cell read as a fact not loaded.
  if (Array.isArray(value) && value.length === 0) return lang === 'zh' ? '无' : 'none';
  return valueWords(lang, fact, value);
}

/** One condition row in words: "客单价 > ¥200", "允许短信 = 是". */
export function conditionWords(lang: Lang, c: { fact?: unknown; operator?: unknown; value?: unknown }): string {
  const fact = String(c.fact ?? '');
  const op = String(c.operator ?? '');
  const symbol = OPERATOR_WORDS[op]?.symbol;
  if (op === 'withinLastDays') return lang === 'zh' ? `${factLabel(lang, fact)}在最近 ${String(c.value)} 天内` : `${factLabel(lang, fact)} within the last ${String(c.value)} days`;
  if (op === 'between' && Array.isArray(c.value)) return `${factLabel(lang, fact)} ${valueWords(lang, fact, c.value[0])}–${valueWords(lang, fact, c.value[1])}`;
  return `${factLabel(lang, fact)} ${symbol ?? operatorLabel(lang, op)} ${valueWords(lang, fact, c.value)}`;
}

/** A whole condition tree in one line (first rows; "…" when longer). */
export function conditionsWords(lang: Lang, cond: unknown, max = 2): string {
  const rows: string[] = [];
  let joiner = lang === 'zh' ? '且' : 'and';
  const walk = (c: unknown) => {
    if (!c || typeof c !== 'object') return;
    const o = c as Record<string, unknown>;
    if (Array.isArray(o.all)) o.all.forEach(walk);
    else if (Array.isArray(o.any)) {
      joiner = lang === 'zh' ? '或' : 'or';
      o.any.forEach(walk);
    } else if (o.not) rows.push((lang === 'zh' ? '非 ' : 'not ') + conditionsWords(lang, o.not, 1));
    else if (typeof o.condition === 'string') rows.push(o.condition);
    else if (o.fact) rows.push(conditionWords(lang, o));
  };
  walk(cond);
  if (!rows.length) return lang === 'zh' ? '（没有条件）' : '(no conditions)';
  return rows.slice(0, max).join(` ${joiner} `) + (rows.length > max ? ' …' : '');
}
