/**
 * Interface texts of editing a step (durations, the inspector's fields, send kinds that follow
 * the trigger), kept apart from i18n.ts, which holds the rest and spreads these in.
 */
export const EDITING_ZH = {
  'duration.placeholder': '例如 3天、2小时、1天12小时',
  'duration.unreadable': '看不懂这个时长：请写成 2小时、3天、三天、1周、1个月（按 30 天算）、30分钟 这样',
  'duration.notFileForm': '「{text}」（不是有效的时长）',
} as const;

export const EDITING_EN: Record<keyof typeof EDITING_ZH, string> = {
  'duration.placeholder': 'e.g. 3 days, 2 hours, 72h',
  'duration.unreadable': 'Cannot read this duration: write e.g. 2 hours, 3 days, 1 week, 1 month (30 days), 30 minutes',
  'duration.notFileForm': '"{text}" (not a valid duration)',
};
