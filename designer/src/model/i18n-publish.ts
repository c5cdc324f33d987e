/**
 * The publish confirmation's interface texts (ui/editor/PublishDialog.tsx, model/publish-preview.ts)
 * and the change list's (model/change-words.ts, ui/editor/DiffDialog.tsx),
 * kept apart from i18n.ts, which holds the rest and spreads these in.
 */
export const PUBLISH_ZH = {
  'publish.confirm': '确认发布',
  'publish.idHelp': '保存为 {file}，发布后不能再改。用说明用途的英文小写，git 里一看就懂',
  'publish.idSuggest': '改用「{id}」',
  'publish.loading': '正在统计人数和频次上限…',
  'publish.retry': '重试',
  'publish.version': '版本',
  'publish.changes': '与线上版本相比',
  'publish.entry': '谁会进入',
  'publish.sends': '发送什么',
  'publish.experiments': '实验',
  'publish.caps': '频次上限与免打扰',
  'publish.policyLink': '查看触达规则',
  'publish.refused': '没有发布：{e}',
  'publish.armConsent': 'A/B 分流「{split}」的「{arm}」组：第一步「{step}」发{channel}，按现在的顾客，会到达这一步的 {reached} 位中有 {lost} 位（{share}）没有{channel}营销许可、收不到消息。这一组的实验结果主要反映「没收到消息」，看不出这条消息的效果。可在分流前加「条件判断」只让允许{channel}营销的顾客进入实验，或给这一组换一个多数顾客允许的渠道',
  'change.notSet': '未设置',
  'change.yes': '是',
  'change.no': '否',
  'change.edited': '{field}已修改',
  'change.more': '等另外 {n} 处改动',
} as const;

export const PUBLISH_EN: Record<keyof typeof PUBLISH_ZH, string> = {
  'publish.confirm': 'Publish',
  'publish.idHelp': 'Saved as {file}; it cannot change once published. Lower-case English words that say what the journey does read well in git',
  'publish.idSuggest': 'Use "{id}"',
  'publish.loading': 'Counting the audience and looking up the caps…',
  'publish.retry': 'Try again',
  'publish.version': 'Version',
  'publish.changes': 'Against the live version',
  'publish.entry': 'Who enters',
  'publish.sends': 'What it sends',
  'publish.experiments': 'Experiments',
  'publish.caps': 'Frequency caps and quiet hours',
  'publish.policyLink': 'See the contact rules',
  'publish.refused': 'Not published: {e}',
  'publish.armConsent': 'A/B split "{split}", arm "{arm}": its first step "{step}" sends by {channel}, and of the {reached} customers who would reach it now, {lost} ({share}) have no {channel} marketing consent and would not get it. The arm\'s result would mostly measure not sending. Put a condition before the split so only customers who allow {channel} enter the test, or give this arm a channel most customers allow',
  'change.notSet': 'not set',
  'change.yes': 'yes',
  'change.no': 'no',
  'change.edited': '{field} edited',
  'change.more': 'and {n} more changes',
};
