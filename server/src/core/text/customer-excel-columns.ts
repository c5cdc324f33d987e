import { CHANNELS } from '../data/model.js';
import type { ExcelColumn } from './excel-sheet.js';
import { customerValueWords, productCategoriesWords } from './excel-words.js';

const CHANNEL_WORDS: Record<string, string> = { sms: '短信', email: '邮件', wechat: '微信', wangwang: '旺旺', push: 'App推送' };

/**
 * The customers export's Excel variant (`export customers --excel`, `?excel=1`): Chinese headers,
 * order times as date-times, phone numbers and ids as text, a lifecycle stage and device in words.
 * Keyed by the plain export's column names (the import's), so an import reads the Excel file's
 * headers back as those names (core/data/import/excel-view.ts).
 */
export const CUSTOMER_EXCEL: Readonly<Record<string, ExcelColumn>> = {
  externalId: { label: '顾客编号', kind: 'id' },
  name: { label: '姓名', kind: 'text' },
  phone: { label: '手机号', kind: 'id' },
  email: { label: '邮箱', kind: 'text' },
  wechatId: { label: '微信号', kind: 'id' },
  province: { label: '省份', kind: 'text' },
  city: { label: '城市', kind: 'text' },
  device: { label: '设备', kind: 'text', words: customerValueWords },
  tags: { label: '标签', kind: 'text' },
  ...Object.fromEntries(CHANNELS.map((c) => [`consent_${c}`, { label: `同意${CHANNEL_WORDS[c] ?? c}营销`, kind: 'flag' } as ExcelColumn])),
  orderCount: { label: '订单数', kind: 'number' },
  totalSpent: { label: '累计消费(元)', kind: 'money' },
  aov: { label: '客单价(元)', kind: 'money' },
  firstOrderAt: { label: '首次下单时间', kind: 'time' },
  lastOrderAt: { label: '最近下单时间', kind: 'time' },
  recencyDays: { label: '距最近下单(天)', kind: 'number' },
  lifecycleStage: { label: '生命周期阶段', kind: 'text', words: customerValueWords },
  unpaidOrderCount: { label: '未付款订单数', kind: 'number' },
  lastUnpaidAt: { label: '最近未付款时间', kind: 'time' },
  hoursSinceLastUnpaid: { label: '距最近未付款(小时)', kind: 'number' },
  categories: { label: '购买品类', kind: 'text', words: productCategoriesWords },
  categoriesLastSeason: { label: '上一季购买品类', kind: 'text', words: productCategoriesWords },
  categoriesSameSeasonLastYear: { label: '去年同季购买品类', kind: 'text', words: productCategoriesWords },
  double11Years: { label: '双11下单年份', kind: 'id' },
  double11Count: { label: '双11下单次数', kind: 'number' },
};
