/**
 * Interface texts of editing a step (durations, the inspector's fields, send kinds that follow
 * the trigger), kept apart from i18n.ts, which holds the rest and spreads these in.
 */
export const EDITING_ZH = {
  'duration.placeholder': '例如 3天、2小时、1天12小时',
  'duration.unreadable': '看不懂这个时长：请写成 2小时、3天、三天、1周、1个月（按 30 天算）、30分钟 这样',
  'duration.notFileForm': '「{text}」（不是有效的时长）',
  'local.kindNoOrder': '这一步是「交易通知」，但这个旅程不是由订单触发的，这一步也不在「等待这笔订单付款」超时之后：没有哪一笔订单可以通知。交易通知不计入营销上限，退订营销的顾客也会收到；如果这是营销内容，请改成「营销」',
  'local.couponNotSent': '这条消息用的是「{step}」发的券，可券只随那条{channel}一起发出：没收到那条{channel}的顾客（例如没有{channel}营销许可），到这一步手里没有券，这条{here}会被拦下（没有券），尽管他们能收到{here}。请在这一步的「优惠券」里也选同一张券：收到过的顾客仍用原来的券码，不会拿到第二张；没收到的随这条消息领券',
  'local.smsBeforeEmail': '这条营销短信比同一条路径上后面的邮件「{step}」先发出，顾客先收到短信：经验做法是邮件比对应的短信早 2–3 天发，错开渠道（先发邮件，再用短信提醒）。请先发「{step}」，2–3 天后再发这条短信',
  'local.smsSoonAfterEmail': '这条营销短信离同一条路径上前面的邮件「{step}」不到 2 天：经验做法是邮件比对应的短信早 2–3 天发，错开渠道（先发邮件，再用短信提醒）。请在「{step}」和这条短信之间等 2–3 天',
  'problems.fix.sameCoupon': '这一步也发同一张券',
  'connect.throughCard': '这条线穿过了别的步骤卡片，旁边没有空位把卡片挪开：请把卡片拖开，或点「自动布局」',
} as const;

export const EDITING_EN: Record<keyof typeof EDITING_ZH, string> = {
  'duration.placeholder': 'e.g. 3 days, 2 hours, 72h',
  'duration.unreadable': 'Cannot read this duration: write e.g. 2 hours, 3 days, 1 week, 1 month (30 days), 30 minutes',
  'duration.notFileForm': '"{text}" (not a valid duration)',
  'local.couponNotSent': 'This message prints the coupon "{step}" issued, and that coupon goes out only with that {channel} message: customers it does not reach (e.g. no {channel} consent) arrive here without a coupon, and this {here} message is held back (no coupon) although they could get it. Choose the same coupon on this step too: customers who got it keep their code (no second coupon), the others get it with this message',
  'local.smsBeforeEmail': 'This marketing SMS goes out before the email "{step}" that follows it on the same path, so customers get the SMS first. Email goes 2–3 days before the matching SMS wave, to stagger channels (the email first, the SMS to remind): send "{step}" first and this SMS 2–3 days after it',
  'local.smsSoonAfterEmail': 'This marketing SMS goes out less than 2 days after the email "{step}" before it on the same path. Email goes 2–3 days before the matching SMS wave, to stagger channels (the email first, the SMS to remind): wait 2–3 days between "{step}" and this SMS',
  'problems.fix.sameCoupon': 'Issue the same coupon here too',
  'connect.throughCard': 'This line passes through another step\'s card and there is no room beside it to move the card: drag the card aside, or use Auto layout',
  'local.kindNoOrder': 'This step is transactional, but no order starts this journey and it does not follow a wait for an order\'s payment: there is no order to notify about. Transactional messages skip marketing caps and reach customers who unsubscribed from marketing; if this is marketing, mark it so',
};
