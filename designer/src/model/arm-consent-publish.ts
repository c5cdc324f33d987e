import { ARM_CONSENT_LOSS_SHARE } from './arm-consent-loss.js';
import { translate, type Lang } from './i18n.js';
import { stepNameIn } from './step-name.js';
import { channelLabel } from './summary.js';
import type { DraftFlow } from './types.js';

/** An A/B arm's first marketing message as the publish preview counts it (POST /api/flows/:id/publish-preview `arms`). */
export interface ArmConsent {
  splitId: string;
  armId: string;
  sendId: string;
  channel: string;
  /** Customers who would reach the message now; null when they cannot be counted. */
  reached: number | null;
  /** Of them, those who allow marketing on its channel. */
  allowing: number | null;
  /** The send's 备用渠道, if any (a server before it did not say: undefined). */
  fallback?: string | null;
  /** Of those who do not allow `channel`, those who allow the fallback and get the message on it. */
  fallbackAllowing?: number | null;
}

/**
 * The publish confirmation's warning for an A/B arm most of whose customers cannot get its first
 * message for want of consent: the simulation (arm-consent-loss.ts) and the experiment report
 * (low-exposure) said it, and publishing said 没有警告. Counted from the shop's customers now,
 * through the entry's segment and the conditions before the split (core/flow/arm-audiences.ts),
 * so a condition on the channel's consent before the split, as the warning advises, ends it.
 */
/**
 * The share of a split's customers an arm gets, from the arms' weights (45 of 45 / 45 / 10 → 0.45);
 * null when the weights do not say (missing, or none above 0).
 */
export function armShare(split: DraftFlow['nodes'][number] | undefined, armId: string): number | null {
  const arms = Array.isArray(split?.arms) ? (split!.arms as { id?: unknown; weight?: unknown }[]) : [];
  const weight = (a: { weight?: unknown }) => (typeof a.weight === 'number' && Number.isFinite(a.weight) && a.weight > 0 ? a.weight : 0);
  const total = arms.reduce((sum, a) => sum + weight(a), 0);
  const arm = arms.find((a) => String(a.id) === armId);
  return arm && total > 0 ? weight(arm) / total : null;
}

export function armConsentWarnings(lang: Lang, flow: DraftFlow, arms: readonly ArmConsent[] | undefined): string[] {
  const out: string[] = [];
  for (const a of arms ?? []) {
    if (a.reached === null || a.allowing === null || a.reached <= 0) continue;
    const lost = a.reached - a.allowing;
    if (lost < a.reached * ARM_CONSENT_LOSS_SHARE) continue;
    const split = flow.nodes.find((n) => n.id === a.splitId);
    const arm = (Array.isArray(split?.arms) ? (split!.arms as { id?: unknown; label?: unknown }[]) : []).find((x) => String(x.id) === a.armId);
    const armName = typeof arm?.label === 'string' && arm.label.trim() ? arm.label : a.armId;
    const number = (n: number) => n.toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-US');
    // The preview counts who reaches the split, every arm together: the arm gets its weight's share
    // of them (it said 会到达这一步的 4,468 位 for an arm of 45%, where the simulation said 2,012).
    const share = armShare(split, a.armId);
    const ofArm = (n: number) => (share === null ? n : Math.round(n * share));
    // A 备用渠道 sends what the channel loses on another one: those customers are not 收不到消息,
    // and the arm tests mostly the fallback's message (walk-mkt: 88% said lost of an email arm with SMS as fallback).
    const viaFallback = a.fallback && typeof a.fallbackAllowing === 'number' ? Math.min(a.fallbackAllowing, lost) : null;
    const fill: Record<string, string> = {
      split: stepNameIn(lang, flow.nodes, a.splitId),
      arm: armName,
      step: stepNameIn(lang, flow.nodes, a.sendId),
      channel: channelLabel(lang, a.channel),
      reached: number(ofArm(a.reached)),
      lost: number(ofArm(lost)),
      share: `${Math.round((lost / a.reached) * 100)}%`,
      weight: share === null ? '' : `${Math.round(share * 1000) / 10}%`,
      all: number(a.reached),
    };
    let key: 'publish.armConsent' | 'publish.armConsentAll' | 'publish.armConsentFallback' | 'publish.armConsentFallbackAll' = share === null ? 'publish.armConsentAll' : 'publish.armConsent';
    if (viaFallback !== null && a.fallback) {
      key = share === null ? 'publish.armConsentFallbackAll' : 'publish.armConsentFallback';
      // Rounded apart, the arm's two parts are said so that they add up to its lost customers.
      fill.viaFallback = number(ofArm(viaFallback));
      fill.none = number(ofArm(lost) - ofArm(viaFallback));
      fill.fallback = channelLabel(lang, a.fallback);
    }
    out.push(translate(lang, key).replace(/\{(\w+)\}/g, (m, k: string) => fill[k] ?? m));
  }
  return out;
}
