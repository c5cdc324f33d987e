/**
 * Interface texts of a published journey's live numbers (the canvas's 实时数据), kept apart from
 * i18n.ts, which holds the rest and spreads these in.
 */
export const LIVE_ZH = {
  'live.nextRun': '下次运行：{when}（店铺时间，{zone}）：{what}，符合条件的顾客进入旅程',
  'live.what.daily': '圈选人群「{segment}」（每天 {at} 一次）',
  'live.what.hourly': '圈选人群「{segment}」（每小时第 {minute} 分一次）',
  'live.what.once': '圈选一次性人群「{segment}」（只运行这一次）',
  'live.nextRunNobodyYet': '还没有顾客进入，这里暂时都是 0。下次运行：{when}（店铺时间，{zone}）：{what}，符合条件的顾客进入旅程',
  'live.paused': '已暂停：{what}暂停期间不会运行，没有顾客进入，旅程中的顾客停在原处。继续运行时如果已经错过了圈选时间，会在继续运行的那一刻立即补圈一次（只补一次），之后按时运行',
  'live.pausedOnce': '已暂停：{what}暂停期间不会进入，旅程中的顾客停在原处。如果开始时间在暂停期间到了，会在继续运行的那一刻立即进入',
  'counts.simulatedCopyNote': '画布上是模拟数据，截至 {time}（店铺时间）：这个数据库里跑过这个旅程的模拟，数字是模拟的，不是线上顾客的',
} as const;

export const LIVE_EN: Record<keyof typeof LIVE_ZH, string> = {
  'live.nextRun': 'Next run: {when} (shop time, {zone}): {what}; customers who match enter the journey',
  'live.what.daily': 'draws the segment "{segment}" (daily at {at})',
  'live.what.hourly': 'draws the segment "{segment}" (hourly at minute {minute})',
  'live.what.once': 'draws the one-off audience "{segment}" (this once only)',
  'live.nextRunNobodyYet': 'No one has entered yet, so the numbers are 0. Next run: {when} (shop time, {zone}): {what}; customers who match enter the journey',
  'live.paused': 'Paused: the run that {what} does not happen while paused, nobody enters, and customers in the journey stay where they are. If a run was missed, resuming runs it at once (one catch-up run), then on time again',
  'live.pausedOnce': 'Paused: the run that {what} does not happen while paused, and customers in the journey stay where they are. If its start passes while paused, customers enter the moment it is resumed',
  'counts.simulatedCopyNote': 'Simulated numbers on the canvas, up to {time} (shop time): this journey was simulated in this database, so these are the simulation\'s numbers, not live customers\'',
};
