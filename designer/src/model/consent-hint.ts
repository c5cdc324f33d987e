import type { FunnelNode } from './counts.js';
import { formatCount } from './format.js';
import type { Lang } from './i18n.js';
import { channelLabel } from './summary.js';
import type { DraftFlow } from './types.js';

/** A funnel block-list key for "no marketing consent on <channel>" ("skipped:no-consent:email"). */
const NO_CONSENT = /(?:^|:)no-consent:([a-z]+)$/;

/**
 * What to do about messages lost to missing consent, said where the loss is counted (the
 * simulation summary): "4910 条未发出：没有邮件营销许可" alone leaves the marketer guessing, while
 * a send step can name a fallback channel (备用渠道) that the engine uses for exactly these
 * customers. One line per channel, naming the send steps that lost messages to it and set no
 * fallback; steps that already have one are left out (their loss is what even the fallback could
 * not reach), and so are the first steps of an A/B test's arms: a fallback there would send one
 * arm's customers on the other arm's channel and blur the comparison the test is for.
 */
export function consentLossHints(lang: Lang, funnel: readonly FunnelNode[] | null | undefined, flow: DraftFlow | undefined): string[] {
  if (!funnel || !flow) return [];
  const zh = lang === 'zh';
  const armSteps = new Set(flow.nodes.filter((n) => n.type === 'split').flatMap((n) => (Array.isArray(n.arms) ? (n.arms as { next?: unknown }[]).map((a) => String(a.next)) : [])));
  const byChannel = new Map<string, { lost: number; steps: string[] }>();
  for (const f of funnel) {
    const node = flow.nodes.find((n) => n.id === f.nodeId);
    if (!node || node.type !== 'send' || armSteps.has(node.id) || (typeof node.fallback === 'string' && node.fallback)) continue;
    for (const [key, n] of Object.entries(f.blocked)) {
      const channel = NO_CONSENT.exec(key)?.[1];
      if (!channel || n <= 0) continue;
      const entry = byChannel.get(channel) ?? { lost: 0, steps: [] };
      entry.lost += n;
      const name = node.label || node.id;
      if (!entry.steps.includes(name)) entry.steps.push(name);
      byChannel.set(channel, entry);
    }
  }
  return [...byChannel.entries()]
    .sort((a, b) => b[1].lost - a[1].lost)
    .map(([channel, { lost, steps }]) => {
      const ch = channelLabel(lang, channel);
      return zh
        ? `建议：${steps.map((s) => `「${s}」`).join('')}因没有${ch}营销许可少发 ${formatCount(lang, lost)} 条，可在${steps.length > 1 ? '这些步骤' : '这一步'}的「备用渠道」选一个顾客允许的其他渠道，这些顾客就改用它收到消息`
        : `Tip: ${steps.map((s) => `"${s}"`).join(', ')} lost ${formatCount(lang, lost)} messages to missing ${ch} consent; set a fallback channel on these steps so those customers get the message another way`;
    });
}
