import { armConsentWarnings, type ArmConsent } from './arm-consent-publish.js';
import { NO_SEGMENT_TITLES, segmentLabel, type SegmentTitles } from './segment-words.js';
import { kindName, SEND_KINDS } from './send-kind.js';
import { hasChanges, type NodeChanges } from './diff.js';
import { capSentence } from './cap-words.js';
import { durationWords } from './duration.js';
import { formatDateTime } from './format.js';
import type { Lang } from './i18n.js';
import { problemWords } from './problem-words.js';
import { reentryWords } from './reentry-words.js';
import { changeLines as changeList } from './change-words.js';
import { stepName, stepNameIn } from './step-name.js';
import { channelLabel, eventLabel } from './summary.js';
import type { DraftFlow, Problem } from './types.js';

/**
 * What the publish confirmation says before a journey goes live (ui/editor/PublishDialog.tsx
 * renders it): which version, what changed, how customers enter and how many, what it sends,
 * the warnings the Problems panel has, the experiment, and the caps that hold its messages back.
 * Pure, so the words are pinned by tests/unit/designer-publish-preview.test.ts.
 */

/** A cap as the server says it binds the flow (POST /api/flows/:id/publish-preview; core/policy/caps-for-flow.ts). */
export interface PreviewCap {
  id: string;
  max: number;
  channels?: string[];
  categories: string[];
  window?: string;
  period?: 'day' | 'week' | 'month';
  campaign?: boolean;
  /** What the cap limits, in the shop's words (the file's `description`). */
  description?: string;
  source: 'policy' | 'flow';
}

/** The server's figures for the confirmation. */
export interface PublishFigures {
  at: number;
  audience: { segment: string; count: number | null } | null;
  inFlight: number;
  caps: PreviewCap[];
  quietHours: Record<string, { from: string; to: string }>;
  /** Each A/B arm's first marketing message: who would reach it and who allows its channel (absent from an older server). */
  arms?: ArmConsent[];
}

export interface PublishPreviewInput {
  flow: DraftFlow;
  /** The segments' titles (GET /api/segments): the dialog names the audience as the cards do. */
  segmentTitles?: SegmentTitles;
  /** The live version (null: never published). */
  liveVersion: number | null;
  /** The newest published version, when a version after the live one exists (the next is one more). */
  latestVersion?: number | null;
  /** The journey's status now: a paused journey stays paused, a stopped one runs again. */
  status?: 'draft' | 'active' | 'paused' | 'stopped';
  /** The draft against the live version (null: first publish, or not loaded). */
  changes: NodeChanges | null;
  /** The live version's flow: the change list then says what changed in each step (model/change-words.ts). */
  liveFlow?: DraftFlow | null;
  /** The Problems panel's list: its warnings are shown (errors block publishing before this). */
  problems: Problem[];
  figures: PublishFigures;
  /** The shop's own words for its declared events (GET /api/event-types). */
  eventDescriptions?: Record<string, string | null>;
  /** The declared events' fields (GET /api/event-types): whether the trigger event carries the journey key. */
  eventFields?: readonly { name: string; fields: Record<string, string> | null }[];
  timeZone?: string;
}

export interface PublishPreview {
  title: string;
  version: string;
  /** The change summary against the live version (empty for a first publish). */
  changes: string[];
  entry: string[];
  sends: string;
  warningsTitle: string;
  warnings: string[];
  experiments: string[];
  caps: string[];
  /**
   * Whether the caps section names a rule of the whole shop (a cap of rules/policy.yaml, quiet
   * hours): the dialog then links to the 触达规则 page, where the shop's rules are read and edited.
   */
  shopRules: boolean;
}

/**
 * "每位顾客整个活动期间最多 3 条营销消息（本旅程的上限）"; a cap with a description says it first,
 * its numbers after: "双十一每人最多 3 次触达：每位顾客整个活动期间最多 3 条营销消息（本旅程的上限）".
 */
export function capWords(lang: Lang, c: PreviewCap): string {
  const zh = lang === 'zh';
  const source = c.source === 'flow' ? (zh ? '（本旅程的上限）' : ' (this journey\'s cap)') : zh ? '（店铺规则）' : ' (shop rule)';
  const desc = typeof c.description === 'string' && c.description.trim() ? `${c.description.trim()}${zh ? '：' : ': '}` : '';
  return `${desc}${capSentence(lang, c)}${source}`;
}

const quotedText = (lang: Lang, s: string) => (lang === 'zh' ? `「${s}」` : `"${s}"`);

/** How customers enter, in sentences: the event, or the segment with its size now and when it enters. */
export function entryWords(lang: Lang, flow: DraftFlow, figures: PublishFigures, eventDescriptions: Record<string, string | null> = {}, timeZone?: string, titles: SegmentTitles = NO_SEGMENT_TITLES, eventFields: readonly { name: string; fields: Record<string, string> | null }[] = []): string[] {
  // A segment by its title (as the cards say it), its id when it has none.
  const quoted = (l: Lang, segment: string) => quotedText(l, segmentLabel(segment, titles));
  const zh = lang === 'zh';
  const entry = flow.nodes.find((n) => n.type === 'entry');
  const tr = (entry?.trigger ?? {}) as Record<string, unknown>;
  const out: string[] = [];
  const size = (segment: string) => {
    const count = figures.audience?.segment === segment ? figures.audience.count : null;
    if (count === null) return zh ? `人群${quoted(lang, segment)}现在无法统计人数` : `the size of ${quoted(lang, segment)} cannot be counted now`;
    return zh ? `人群${quoted(lang, segment)}现在有 ${count.toLocaleString('zh-CN')} 位顾客` : `${quoted(lang, segment)} has ${count.toLocaleString('en-US')} customer${count === 1 ? '' : 's'} now`;
  };
  if (tr.type === 'event') {
    const event = String(tr.event ?? '');
    const known = eventLabel(lang, event);
    const described = eventDescriptions[event];
    if (known !== event) out.push(zh ? `从现在起，每个${known}的顾客进入旅程` : `From now on, every customer who triggers "${known}" enters`);
    else if (described) out.push(zh ? `从现在起，每当${quotedText(lang, described)}，这位顾客进入旅程` : `From now on, each time ${quotedText(lang, described)}, that customer enters`);
    else out.push(zh ? `从现在起，每当发生事件 ${event}，这位顾客进入旅程` : `From now on, each ${event} event lets its customer in`);
    if (typeof tr.segment === 'string' && tr.segment) out.push(zh ? `只限符合人群${quoted(lang, tr.segment)}的顾客` : `Only customers in ${quoted(lang, tr.segment)}`);
    if (typeof tr.maxAge === 'string' && tr.maxAge) out.push(zh ? `发生在 ${durationWords(lang, tr.maxAge)}之前的旧事件不会让顾客进入` : `Events older than ${durationWords(lang, tr.maxAge)} let nobody in`);
  } else if (tr.type === 'audience') {
    const segment = String(tr.segment ?? '');
    const start = typeof tr.startAt === 'string' ? Date.parse(tr.startAt) : NaN;
    const when = formatDateTime(lang, start, timeZone);
    out.push(zh ? `一次性人群：${size(segment)}` : `One-off audience: ${size(segment)}`);
    if (!Number.isFinite(start)) out.push(zh ? '开始时间还没有设置' : 'No start time set yet');
    else if (start <= figures.at) out.push(zh ? `开始时间 ${when}（店铺时间）已经过了：发布后立即全部进入` : `The start ${when} (shop time) has passed: everyone enters immediately on publishing`);
    else out.push(zh ? `${when}（店铺时间）进入，人数以那时为准` : `They enter at ${when} (shop time); the number is counted again then`);
  } else if (tr.type === 'schedule') {
    const segment = String(tr.segment ?? '');
    const at = String(tr.at ?? '09:00');
    out.push(tr.every === 'hour' ? (zh ? `每小时第 ${at.slice(3)} 分圈选一次：符合人群${quoted(lang, segment)}的顾客进入` : `Every hour at minute ${at.slice(3)}: customers in ${quoted(lang, segment)} enter`) : zh ? `每天 ${at}（店铺时间）圈选一次：符合人群${quoted(lang, segment)}的顾客进入` : `Every day at ${at} (shop time): customers in ${quoted(lang, segment)} enter`);
    out.push(zh ? `${size(segment)}` : size(segment));
  } else {
    out.push(zh ? '旅程还没有入口' : 'The journey has no entry yet');
  }
  // How often a customer (or an order) goes through, as the engine judges the re-entry setting.
  const again = tr.type === 'event' || tr.type === 'schedule' ? reentryWords(lang, tr, entry?.reentry, eventFields) : null;
  if (again) out.splice(tr.type === 'event' ? 1 : out.length, 0, again);
  const limit = entry?.limit as { max?: unknown; mode?: unknown } | undefined;
  if (limit && typeof limit.max === 'number') {
    const mode = limit.mode === 'first' ? (zh ? '只留前' : 'keeping the first') : limit.mode === 'spread' ? (zh ? '每天最多进入' : 'at most, per day,') : zh ? '超出的拆成多组，每组最多' : 'split into groups of at most';
    out.push(zh ? `人数上限：${mode} ${limit.max.toLocaleString('zh-CN')} 位` : `Group limit: ${mode} ${limit.max}`);
  }
  return out;
}

/**
 * "发送 3 个消息步骤：短信 2 个、邮件 1 个（其中 1 个附带优惠券）；营销 1 个、交易通知 2 个": the kinds
 * say which caps the messages count against (a 催付 marked 营销 took the day's marketing slot).
 */
export function sendWords(lang: Lang, flow: DraftFlow): string {
  const zh = lang === 'zh';
  const sends = flow.nodes.filter((n) => n.type === 'send');
  if (!sends.length) return zh ? '这个旅程不发送任何消息' : 'This journey sends no messages';
  const by = new Map<string, number>();
  for (const s of sends) by.set(String(s.channel ?? ''), (by.get(String(s.channel ?? '')) ?? 0) + 1);
  const parts = [...by].map(([ch, n]) => (zh ? `${channelLabel(lang, ch)} ${n} 个` : `${channelLabel(lang, ch)} ${n}`)).join(zh ? '、' : ', ');
  const coupons = sends.filter((s) => s.coupon !== undefined && s.coupon !== null && s.coupon !== '').length;
  const withCoupons = coupons ? (zh ? `（其中 ${coupons} 个附带优惠券）` : ` (${coupons} with a coupon)`) : '';
  const kinds = new Map<string, number>();
  for (const s of sends) kinds.set(kindName(lang, s.category), (kinds.get(kindName(lang, s.category)) ?? 0) + 1);
  const order = SEND_KINDS.map((k) => kindName(lang, k));
  const kindParts = [...kinds].sort((a, b) => order.indexOf(a[0]) - order.indexOf(b[0])).map(([k, n]) => (zh ? `${k} ${n} 个` : `${k} ${n}`)).join(zh ? '、' : ', ');
  return zh ? `发送 ${sends.length} 个消息步骤：${parts}${withCoupons}；${kindParts}` : `${sends.length} message step${sends.length === 1 ? '' : 's'}: ${parts}${withCoupons}; ${kindParts}`;
}

/** Each split: its arms and shares, and whether it is an experiment with a holdout. */
export function experimentWords(lang: Lang, flow: DraftFlow): string[] {
  const zh = lang === 'zh';
  return flow.nodes
    .filter((n) => n.type === 'split')
    .map((n) => {
      const arms = (Array.isArray(n.arms) ? n.arms : []) as Record<string, unknown>[];
      // A holdout already named 对照组 is not called 对照组 twice (it read 对照组（对照组，不发消息）).
      const holdoutWords = (name: string) => (zh ? (/对照/.test(name) ? '（不发消息）' : '（对照组，不发消息）') : ' (holdout, no message)');
      const shares = arms.map((a) => `${String(a.label ?? a.id)}${a.holdout ? holdoutWords(String(a.label ?? a.id)) : ''} ${String(a.weight ?? '?')}%`).join(' / ');
      const kind = n.experiment ? (zh ? '实验' : 'Experiment') : zh ? '随机分组' : 'Random split';
      // Without a card name, the experiment's id (what its report is found by), else the step's
      // name as its card shows it (A/B 分流), never its id (it said 随机分组：split-1; walk20).
      const experimentId = (n.experiment as { id?: unknown } | undefined)?.id;
      const name = n.label || (typeof experimentId === 'string' && experimentId ? experimentId : stepName(lang, n, n.id));
      return `${kind}${zh ? '：' : ': '}${name}${zh ? '，' : ', '}${shares}`;
    });
}

/**
 * Which version goes live, as the server will number it (persistence/flow-repository.ts publish):
 * the newest version + 1, or the same version when nothing changed (a stopped journey then just
 * runs again); a paused journey stays paused.
 */
export function versionWords(lang: Lang, live: number | null, latest: number | null, status: PublishPreviewInput['status'], changes: NodeChanges | null, inFlight: number): string {
  const zh = lang === 'zh';
  if (live === null) return zh ? '第一次发布：v1' : 'First publish: v1';
  if (changes && !hasChanges(changes)) {
    if (status === 'stopped') return zh ? `v${live} 已停止，没有改动：重新启动 v${live}，从现在起又有顾客进入` : `v${live} is stopped and unchanged: v${live} runs again, customers enter from now on`;
    return zh ? `与线上 v${live} 没有差别：发布后仍是 v${live}` : `No differences from live v${live}: it stays v${live}`;
  }
  const next = Math.max(live, latest ?? live) + 1;
  if (status === 'stopped') return zh ? `已停止的 v${live} → v${next}：发布后重新运行，新进入的顾客走 v${next}` : `Stopped v${live} → v${next}: it runs again, new customers take v${next}`;
  const base = zh
    ? `线上 v${live} → v${next}；新进入的顾客走 v${next}，已在旅程中的 ${inFlight} 位顾客按 v${live} 走完`
    : `Live v${live} → v${next}; new customers take v${next}, the ${inFlight} in the journey now finish on v${live}`;
  if (status === 'paused') return zh ? `${base}；旅程目前暂停中，发布后仍暂停，继续运行后才有顾客进入和前进` : `${base}; the journey is paused and stays paused until resumed`;
  return base;
}

/** The whole confirmation, in the order a marketer checks it. */
export function publishPreview(lang: Lang, input: PublishPreviewInput): PublishPreview {
  const zh = lang === 'zh';
  const { flow, liveVersion, changes, figures } = input;
  const name = flow.name || flow.id;
  const version = versionWords(lang, liveVersion, input.latestVersion ?? liveVersion, input.status, changes, figures.inFlight);
  const label = (id: string) => stepNameIn(lang, flow.nodes, id);
  // What changed, field by field when the live version is known: 修改步骤：等待 1 天（等待时长 2 小时 → 1 天）.
  const changeLines = !changes ? [] : changeList(lang, input.liveFlow ?? null, flow, changes).map((l) => l.text);
  if (changes && !changeLines.length) changeLines.push(zh ? '与线上版本没有差别' : 'No differences from the live version');
  const labelOf = (p: Problem) => (p.nodeId ? `${label(p.nodeId)}${zh ? '：' : ': '}` : '');
  const warnings = [...input.problems.filter((p) => p.severity === 'warning').map((p) => `${labelOf(p)}${problemWords(lang, p, flow)}`), ...armConsentWarnings(lang, flow, figures.arms)];
  const caps = figures.caps.map((c) => capWords(lang, c));
  for (const [ch, q] of Object.entries(figures.quietHours)) caps.push(zh ? `${channelLabel(lang, ch)} ${q.from}–${q.to} 不发送，顺延到之后（店铺规则）` : `${channelLabel(lang, ch)}: nothing is sent ${q.from}–${q.to}; held until after (shop rule)`);
  if (!caps.length) caps.push(zh ? '没有适用的频次上限' : 'No frequency caps apply');
  return {
    title: zh ? `确认发布${quotedText(lang, name)}` : `Publish ${quotedText(lang, name)}?`,
    version,
    changes: changeLines,
    entry: entryWords(lang, flow, figures, input.eventDescriptions, input.timeZone, input.segmentTitles, input.eventFields),
    sends: sendWords(lang, flow),
    warningsTitle: warnings.length ? (zh ? `${warnings.length} 个警告（不阻止发布，请确认）` : `${warnings.length} warning${warnings.length === 1 ? '' : 's'} (they do not block publishing; check them)`) : zh ? '没有警告' : 'No warnings',
    warnings,
    experiments: experimentWords(lang, flow),
    caps,
    shopRules: figures.caps.some((c) => c.source === 'policy') || Object.keys(figures.quietHours).length > 0,
  };
}
