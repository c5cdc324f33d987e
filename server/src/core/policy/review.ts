import type { Channel } from '../data/model.js';
import { parseDuration } from '../flow/duration.js';
import type { Cap, ContactPolicy } from './schema.js';
import { periodBounds, quietUntil } from './periods.js';

export type Category = 'marketing' | 'care' | 'transactional';

/** A message already on its way (queued/sending/sent), from every flow: the customer's one budget. */
export interface Touch {
  customerId: number;
  channel: Channel;
  category: Category;
  campaign: string | null;
  at: number;
  /** When the channel confirmed delivery (status `sent`); null while queued/sending. Only delivered touches count towards giving up. */
  deliveredAt: number | null;
}

/** One channel the send may use, in order of preference (the node's channel, then its fallback). */
export interface ChannelOption {
  channel: Channel;
  /** Why this channel cannot be used regardless of caps (no-consent:sms, no-address:email), or null. */
  unavailable: string | null;
}

export interface PolicyRequest {
  key: string;
  customerId: number;
  category: Category;
  priority: number;
  campaign: string | null;
  options: ChannelOption[];
  /** The flow's own caps (on top of the shop's). */
  flowCaps: Cap[];
  /** Multi-touch share limit of the campaign (0.3 = at most 30% of the base get more than one touch). */
  multiTouchShare: number | null;
  onCapped: 'skip' | 'defer' | 'branch';
  /** After this instant the send is no longer useful (expiresAfter): skipped rather than deferred. */
  expiresAt: number | null;
  /** The node is marked `urgent: true`: it may go inside quiet hours (every other send waits for the morning). */
  urgent?: boolean;
}

/** What the customer's history says beyond touches. */
export interface CustomerStanding {
  /** Channels opted out of ('*' = all), from unsubscribe events. */
  unsubscribed: ReadonlySet<string>;
  /** Block list or block rule that holds the customer, if any ("list:bad-reviews", "rule:left-bad-review"). */
  blockedBy: string | null;
  /** Last purchase or other answer (click…): touches before it were answered. */
  lastAnswerAt: number | null;
}

export type Verdict =
  | { status: 'queued'; channel: Channel; reason: string | null }
  | { status: 'blocked' | 'skipped'; channel: Channel; reason: string }
  | { status: 'deferred'; channel: Channel; reason: string; until: number }
  | { status: 'capped'; channel: Channel; reason: string };

/** Shared counters the review reads and moves (the campaign's multi-touch customers and base). */
export interface CampaignShare {
  multiTouch: number;
  base: number;
}

/**
 * Decides a batch of send requests against the contact policy, in priority order (higher first;
 * ties by customer id then key, so the result does not depend on batch order). Every accepted
 * send is added to the history before the next request is decided: two sends in one batch to the
 * same customer compete for the same budget, and the more important one gets the last slot.
 *
 * Pure: the caller loads the history under a lock and persists the verdicts (policy-store.ts).
 */
export function reviewSends(
  requests: PolicyRequest[],
  history: Map<number, Touch[]>,
  standing: Map<number, CustomerStanding>,
  policy: ContactPolicy,
  shares: Map<string, CampaignShare>,
  now: number,
  timezone: string,
): Map<string, Verdict> {
  const order = [...requests].sort((a, b) => b.priority - a.priority || a.customerId - b.customerId || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const out = new Map<string, Verdict>();
  for (const r of order) {
    const touches = history.get(r.customerId) ?? [];
    const v = decideOne(r, touches, standing.get(r.customerId), policy, shares, now, timezone);
    out.set(r.key, v);
    if (v.status === 'queued') {
      if (r.campaign && r.multiTouchShare !== null && campaignTouches(touches, r.campaign) === 1) {
        const s = shares.get(r.campaign);
        if (s) s.multiTouch++;
      }
      touches.push({ customerId: r.customerId, channel: v.channel, category: r.category, campaign: r.campaign, at: now, deliveredAt: null });
      history.set(r.customerId, touches);
    }
  }
  return out;
}

function decideOne(r: PolicyRequest, touches: Touch[], st: CustomerStanding | undefined, policy: ContactPolicy, shares: Map<string, CampaignShare>, now: number, tz: string): Verdict {
  const primary = r.options[0].channel;
  const guarded = r.category !== 'transactional';
  if (guarded && st?.unsubscribed.has('*')) return { status: 'blocked', channel: primary, reason: 'unsubscribed' };
  if (r.category === 'marketing') {
    if (st?.blockedBy) return { status: 'blocked', channel: primary, reason: `blocked:${st.blockedBy}` };
    const gaveUp = givenUpUntil(touches, st, policy, now);
    if (gaveUp !== null) return { status: 'blocked', channel: primary, reason: `given-up:until-${new Date(gaveUp).toISOString()}` };
    if (r.campaign && r.multiTouchShare !== null) {
      const mine = campaignTouches(touches, r.campaign);
      const s = shares.get(r.campaign);
      if (mine === 1 && s && s.multiTouch + 1 > Math.floor(r.multiTouchShare * s.base)) return { status: 'blocked', channel: primary, reason: `share-limit:${r.campaign}` };
    }
  }

  let firstBlock: Verdict | null = null;
  let deferUntil: number | null = null;
  for (const opt of r.options) {
    let reason = opt.unavailable;
    if (!reason && guarded && st?.unsubscribed.has(opt.channel)) reason = `unsubscribed:${opt.channel}`;
    if (reason) {
      firstBlock ??= { status: 'blocked', channel: opt.channel, reason };
      continue;
    }
    const quiet = policy.quietHours[opt.channel];
    // Quiet hours hold every category (a payment reminder at 02:00 wakes the customer just the same); only an urgent node goes through.
    const quietEnd = quiet && !r.urgent && quiet.categories.includes(r.category) ? quietUntil(now, quiet, tz) : null;
    if (quietEnd !== null) {
      // Quiet hours defer rather than fall back: the SMS goes in the morning, not as an email at night.
      if (r.expiresAt !== null && quietEnd > r.expiresAt) return { status: 'skipped', channel: opt.channel, reason: `quiet-hours:${opt.channel}:expired` };
      return { status: 'deferred', channel: opt.channel, reason: `quiet-hours:${opt.channel}`, until: quietEnd };
    }
    // The shop's caps, then the flow's: in that order, without a joined list per request and channel.
    const hit = firstCapHit(policy.caps, opt.channel, r, touches, now, tz) ?? firstCapHit(r.flowCaps, opt.channel, r, touches, now, tz);
    if (!hit) return { status: 'queued', channel: opt.channel, reason: opt === r.options[0] ? null : `fallback:${firstBlock?.reason ?? primary}` };
    firstBlock ??= { status: 'capped', channel: opt.channel, reason: `capped:${hit.cap.id}` };
    if (hit.freeAt !== null) deferUntil = deferUntil === null ? hit.freeAt : Math.min(deferUntil, hit.freeAt);
  }
  const block = firstBlock!;
  if (block.status !== 'capped') return block;
  if (r.onCapped === 'branch') return block;
  if (r.onCapped === 'defer' && deferUntil !== null) {
    if (r.expiresAt !== null && deferUntil > r.expiresAt) return { status: 'skipped', channel: block.channel, reason: `${block.reason}:expired` };
    return { status: 'deferred', channel: block.channel, reason: block.reason, until: deferUntil };
  }
  return { status: 'skipped', channel: block.channel, reason: block.reason };
}

/**
 * The first cap this send would break, and when it frees a slot (null: never, e.g. a campaign cap).
 * Touches are counted in place: this runs for every send of every batch against each cap, and
 * the filtered lists it used to build (touches of the cap, then those in its scope) were a fifth
 * of the policy review's allocations in bench/engine. Only a window cap that is full still lists
 * its touches (sorted: the slot frees when the max-th newest leaves the window).
 */
export function firstCapHit(caps: Cap[], channel: Channel, r: Pick<PolicyRequest, 'category' | 'campaign'>, touches: Touch[], now: number, tz: string): { cap: Cap; freeAt: number | null } | null {
  for (const cap of caps) {
    if (cap.channels && !cap.channels.includes(channel)) continue;
    if (!cap.categories.includes(r.category)) continue;
    if (cap.campaign && !r.campaign) continue;
    const counts = (t: Touch) => (!cap.channels || cap.channels.includes(t.channel)) && cap.categories.includes(t.category);
    let n = 0;
    let freeAt: number | null = null;
    if (cap.window) {
      const w = parseDuration(cap.window);
      for (const t of touches) if (t.at > now - w && t.at <= now && counts(t)) n++;
      if (n >= cap.max && cap.max > 0) {
        const inScope = touches.filter((t) => t.at > now - w && t.at <= now && counts(t)).sort((a, b) => a.at - b.at);
        freeAt = inScope[inScope.length - cap.max].at + w;
      }
    } else if (cap.period) {
      const { start, end } = periodBounds(now, cap.period, tz);
      for (const t of touches) if (t.at >= start && t.at < end && counts(t)) n++;
      freeAt = end;
    } else {
      for (const t of touches) if (t.campaign === r.campaign && counts(t)) n++;
    }
    if (n >= cap.max) return { cap, freeAt };
  }
  return null;
}

/**
 * "Learn to give up" (seed 000): K DELIVERED marketing touches since the customer last answered
 * (bought, clicked…), within the window, and the customer hears nothing more until the pause ends.
 * A message that was blocked, held back or never left the outbox is not an attempt: the customer
 * never heard it, so it cannot have gone unanswered.
 */
export function givenUpUntil(touches: Touch[], st: CustomerStanding | undefined, policy: ContactPolicy, now: number): number | null {
  const g = policy.giveUp;
  if (!g) return null;
  const since = Math.max(now - parseDuration(g.within), st?.lastAnswerAt ?? -Infinity);
  const isUnanswered = (t: Touch) => t.category === 'marketing' && t.deliveredAt !== null && t.deliveredAt > since && t.deliveredAt <= now;
  // Counted first: nearly every customer is below `after`, and then no list is needed.
  let n = 0;
  for (const t of touches) if (isUnanswered(t)) n++;
  if (n < g.after) return null;
  const unanswered = touches.filter(isUnanswered);
  const last = Math.max(...unanswered.map((t) => t.deliveredAt!));
  const until = Math.max(last + parseDuration(g.pauseFor), g.until ? Date.parse(g.until) : -Infinity);
  return until > now ? until : null;
}

/** How many of the touches belong to the campaign (counted, not listed: every send of a batch asks). */
function campaignTouches(touches: Touch[], campaign: string): number {
  let n = 0;
  for (const t of touches) if (t.campaign === campaign) n++;
  return n;
}
