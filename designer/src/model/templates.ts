import type { Lang } from './i18n.js';

/**
 * The template gallery: proven journeys described in a marketer's words, keyed by the id of the
 * worked flow in rules/flows/ that holds their steps (issue 13 owns those files' content). Only
 * these appear as templates; the shop's own flows are on the journeys home, not here.
 */
export interface TemplateEntry {
  id: string;
  category: 'recover' | 'retain' | 'reactivate' | 'promote';
  name: Record<Lang, string>;
  pitch: Record<Lang, string>;
  /** What the journey does, step by step. */
  steps: Record<Lang, string[]>;
}

export const TEMPLATES: TemplateEntry[] = [
  {
    id: 'payment-reminder',
    category: 'recover',
    name: { zh: '催付：挽回未付款订单', en: 'Payment reminder: recover unpaid orders' },
    pitch: { zh: '下单后没付款的顾客，2 小时后温柔提醒，24 小时后再提醒一次；付款即停止。', en: 'Customers who ordered but did not pay get a gentle reminder after 2 hours and another after 24; paying stops it.' },
    steps: { zh: ['下单未付款时进入', '2 小时后旺旺或短信提醒', '仍未付款，24 小时再提醒', '付款即算转化：任何一步付款，旅程立即结束，记入「达成目标」'], en: ['Enters on an unpaid order', 'Wangwang or SMS reminder after 2 hours', 'Still unpaid: another reminder at 24 hours', 'Paying counts as a conversion: a payment at any step ends the journey, counted as goal reached'] },
  },
  {
    id: 'post-purchase-care',
    category: 'retain',
    name: { zh: '售后关怀：收货后的问候', en: 'Post-purchase care: after delivery' },
    pitch: { zh: '顾客收到货后送上使用建议和关怀，提升好评与复购。', en: 'After delivery, send care tips and a thank-you to win reviews and repeat orders.' },
    steps: { zh: ['付款后进入', '等待收货', '发送使用建议与关怀', '邀请评价'], en: ['Enters after payment', 'Waits for delivery', 'Sends care tips', 'Asks for a review'] },
  },
  {
    id: 'sleeping-reactivation',
    category: 'reactivate',
    name: { zh: '沉睡唤醒：把老顾客请回来', en: 'Win-back: bring sleeping customers back' },
    pitch: { zh: '很久没回购的顾客按价值分层，每层用不同的方式唤醒：高价值送券，低客单发情感消息，多单老客满赠，其余邮件提醒；没回应再提醒一次，两次没回应就不再打扰。', en: 'Customers who have not come back are layered by value, each layer woken its own way: a coupon for high-value customers, an emotional message, spend-X-get-Y, or a plain email reminder; one more touch if they do not answer, then no more pestering.' },
    steps: { zh: ['每天找出新沉睡的顾客', '按价值分层，每层不同的触达', '没回应再提醒一次，两次没回应就停止', '回购即算转化'], en: ['Finds newly sleeping customers daily', 'Layers them by value, each with its own message', 'One more touch if unanswered; stops after two', 'A repeat order counts as a conversion'] },
  },
  {
    id: 'new-product-launch',
    category: 'promote',
    name: { zh: '新品上市：通知最可能购买的人', en: 'New product launch: tell the likeliest buyers' },
    pitch: { zh: '新品上线时，只通知买过相关品类、对促销敏感的顾客，避免打扰其他人。', en: 'When a product launches, tell only customers who bought related items or respond to promotions, and leave the rest in peace.' },
    steps: { zh: ['在上市时间进入', '挑选相关顾客', '邮件先行，短信跟进', '购买即算转化'], en: ['Enters at launch time', 'Picks related customers', 'Email first, SMS follow-up', 'A purchase counts as a conversion'] },
  },
  {
    id: 'double11-campaign',
    category: 'promote',
    name: { zh: '双十一大促：预热、提醒、催付', en: 'Double 11: warm-up, reminders, payment' },
    pitch: { zh: '大促期间按人群分组触达，控制每人最多 3 次、短信最多 2 次，先邮件后短信。', en: 'Reach each audience group during the sale with at most 3 touches and 2 SMS per person, email before SMS.' },
    steps: { zh: ['大促前进入', '按人群分组', '邮件预热，短信提醒', '付款即算转化'], en: ['Enters before the sale', 'Splits into audience groups', 'Email warm-up, SMS reminder', 'Payment counts as a conversion'] },
  },
];

export const templateOf = (id: string) => TEMPLATES.find((t) => t.id === id);
