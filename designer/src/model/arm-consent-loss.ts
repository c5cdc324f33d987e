import type { FunnelNode } from './counts.js';
import type { Lang } from './i18n.js';
import { formatCount } from './format.js';
import { stepName } from './step-name.js';
import { channelLabel } from './summary.js';
import type { DraftFlow } from './types.js';

/** A funnel block-list key for "no marketing consent on <channel>" ("skipped:no-consent:email"). */
const NO_CONSENT = /(?:^|:)no-consent:([a-z]+)$/;
/** From this share of an arm's first send lost to consent, the simulation says the arm would not test its message. */
export const ARM_CONSENT_LOSS_SHARE = 0.5;

/**
 * An A/B arm whose first step is a send most of whose customers have no marketing consent for its
 * channel, said under the simulation's losses. consent-hint.ts leaves these steps out on purpose
 * (a 备用渠道 would send one arm on the other's channel), so the simulation said nothing of them:
 * walkthrough nine's win-back test simulated 1,727 of 1,967 of its email arm blocked without a word,
 * and the experiment report later read the arm's silence as a treatment that lost. What to do
 * instead: let only customers who allow the channel into the test, or give the arm another channel.
 */
export function armConsentLossLines(lang: Lang, funnel: readonly FunnelNode[] | null | undefined, flow: DraftFlow | undefined): string[] {
  if (!funnel || !flow) return [];
  const zh = lang === 'zh';
  const out: string[] = [];
  for (const split of flow.nodes.filter((n) => n.type === 'split' && Array.isArray(n.arms))) {
    for (const arm of split.arms as { id?: unknown; label?: unknown; holdout?: unknown; next?: unknown }[]) {
      if (arm.holdout === true || typeof arm.next !== 'string') continue;
      const send = flow.nodes.find((n) => n.id === arm.next);
      const row = funnel.find((f) => f.nodeId === arm.next);
      if (!send || send.type !== 'send' || !row || row.entered <= 0) continue;
      const lost = new Map<string, number>();
      for (const [key, n] of Object.entries(row.blocked)) {
        const channel = NO_CONSENT.exec(key)?.[1];
        if (channel && n > 0) lost.set(channel, (lost.get(channel) ?? 0) + n);
      }
      for (const [channel, n] of lost) {
        if (n < row.entered * ARM_CONSENT_LOSS_SHARE) continue;
        const armName = typeof arm.label === 'string' && arm.label.trim() ? arm.label : String(arm.id);
        const ch = channelLabel(lang, channel);
        const share = `${Math.round((n / row.entered) * 100)}%`;
        out.push(
          zh
            ? `注意：A/B 分流「${armName}」组的第一步「${stepName(lang, send, send.id)}」，到达的 ${formatCount(lang, row.entered)} 位顾客中有 ${formatCount(lang, n)} 位（${share}）没有${ch}营销许可、收不到消息：这一组的实验结果主要反映「没收到消息」，看不出这条消息的效果。可在分流前加「条件判断」只让允许${ch}营销的顾客进入实验，或给这一组换一个多数顾客允许的渠道`
            : `Note: A/B arm "${armName}" starts with "${stepName(lang, send, send.id)}", and ${formatCount(lang, n)} of the ${formatCount(lang, row.entered)} customers who reached it (${share}) have no ${ch} marketing consent: the arm's result would mostly measure not sending. Put a condition before the split so only customers who allow ${ch} enter the test, or give this arm a channel most customers allow`,
        );
      }
    }
  }
  return out;
}
