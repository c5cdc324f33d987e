/**
 * Interface texts of editing a step (durations, the inspector's fields, send kinds that follow
 * the trigger), kept apart from i18n.ts, which holds the rest and spreads these in.
 */
export const EDITING_ZH = {
  'duration.placeholder': '例如 3天、2小时、1天12小时',
  'duration.unreadable': '看不懂这个时长：请写成 2小时、3天、三天、1周、1个月（按 30 天算）、30分钟 这样',
  'duration.notFileForm': '「{text}」（不是有效的时长）',
  'local.kindNoOrder': '这一步是「交易通知」，但这个旅程不是由订单触发的，这一步也不在「等待这笔订单付款」超时之后：没有哪一笔订单可以通知。交易通知不计入营销上限，退订营销的顾客也会收到；如果这是营销内容，请改成「营销」',
} as const;

export const EDITING_EN: Record<keyof typeof EDITING_ZH, string> = {
  'duration.placeholder': 'e.g. 3 days, 2 hours, 72h',
  'duration.unreadable': 'Cannot read this duration: write e.g. 2 hours, 3 days, 1 week, 1 month (30 days), 30 minutes',
  'duration.notFileForm': '"{text}" (not a valid duration)',
  'local.kindNoOrder': 'This step is transactional, but no order starts this journey and it does not follow a wait for an order\'s payment: there is no order to notify about. Transactional messages skip marketing caps and reach customers who unsubscribed from marketing; if this is marketing, mark it so',
};
