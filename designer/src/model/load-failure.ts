import { errorText } from './error-words.js';
import type { Lang } from './i18n.js';

/**
 * What the designer says where something it loads could not be loaded even after asking again
 * (model/retried.ts): what did not load, and why in a few words — no connection, the server's own
 * failure, or a mistake in the designer itself — instead of the browser's raw English ("Failed to
 * fetch", "Service Unavailable") or, worse, nothing: an empty list, a count of 0, a name said free.
 * A refusal (4xx) keeps the server's words (error-words.ts).
 */
export type LoadWhat =
  | 'home'
  /** The journeys home's 待审批的发布 (GET /api/publish-requests). */
  | 'publishRequests'
  | 'flow'
  /** The live numbers on the canvas (GET /api/flows/:id/counts). */
  | 'counts'
  /** A poll of the live numbers failed: the canvas still shows the last ones read. */
  | 'countsStale'
  /** The live view's event-intake line (GET /api/events/intake), never read yet. */
  | 'intake'
  /** A poll of the intake line failed: it still shows the figures last read. */
  | 'intakeStale'
  /** The journeys a customer went through, read for their steps' names (the customers page). */
  | 'stepNames'
  /** How many customers are in the journey, asked before pausing or stopping it. */
  | 'inFlight'
  /** The server's check of the drawing (POST /api/flows/validate): the Problems panel. */
  | 'check'
  /** The other journeys' campaigns offered in 所属活动. */
  | 'campaigns'
  /** The journeys' ids, to say whether the id typed in 确认发布 is taken. */
  | 'takenIds'
  /** What the step forms offer: events, audiences, coupons, the facts of the rule builder, the time zone. */
  | 'catalogue'
  /** The step forms' schema. */
  | 'schema'
  /** The shop's events and audiences offered by the policy page's fields. */
  | 'policyLists'
  /** The shop's time zone (times then show in the browser's). */
  | 'timezone'
  /** The same where times then show in the default zone (the audit log). */
  | 'timezoneDefault'
  /** How many customers an audience holds now. */
  | 'segmentCount'
  /** An experiment's report (it said 尚未发布 instead). */
  | 'experiment'
  /** The live version beside the draft (比较). */
  | 'diff'
  /** Whether the browser is still signed in (GET /api/auth/me): the sign-in form shows meanwhile. */
  | 'session';

const WHAT = {
  zh: {
    home: '旅程列表暂时加载不了',
    flow: '这个旅程暂时打不开',
    counts: '实时数字暂时加载不了',
    countsStale: '实时数字没能更新，画布上仍是上次读取的数字',
    intake: '事件接入情况暂时加载不了',
    intakeStale: '事件接入的数字没能更新，这里仍是上次读取的数字',
    stepNames: '旅程的步骤名称暂时加载不了，下面有些步骤只显示它的 ID',
    inFlight: '旅程中的顾客人数暂时查不到',
    check: '服务器的检查没能完成，下面只列出设计器自己发现的问题',
    campaigns: '其他旅程的活动暂时加载不了（仍可直接输入）',
    takenIds: '已有旅程的 ID 暂时加载不了，无法确认这个 ID 没有被占用（发布时服务器仍会检查）',
    catalogue: '表单的选项暂时加载不了',
    schema: '步骤的表单暂时加载不了',
    policyLists: '店铺的事件和人群暂时加载不了，下面的选项可能不全',
    timezone: '店铺的时区暂时加载不了，时间按浏览器的时区显示',
    timezoneDefault: '店铺的时区暂时加载不了，时间按北京时间（Asia/Shanghai）显示',
    segmentCount: '人数暂时统计不了',
    experiment: '实验数据暂时加载不了',
    diff: '线上版本暂时加载不了，无法比较',
    session: '登录状态暂时查不到，可以稍后刷新页面，或重新登录',
    publishRequests: '待审批的发布暂时加载不了',
  },
  en: {
    home: 'The journeys could not be loaded',
    flow: 'This journey could not be opened',
    counts: 'The live numbers could not be loaded',
    countsStale: 'The live numbers could not be updated; the canvas still shows the last ones read',
    intake: 'The event intake could not be loaded',
    intakeStale: 'The event intake could not be updated; these are the figures last read',
    stepNames: "The journeys' step names could not be loaded; some steps below show only their id",
    inFlight: 'How many customers are in the journey could not be read',
    check: 'The server\'s check could not be done; only what the designer itself sees is listed',
    campaigns: 'The other journeys\' campaigns could not be loaded (you can still type one)',
    takenIds: 'The journeys\' ids could not be loaded, so whether this id is taken is not known (the server still checks on publish)',
    catalogue: 'The forms\' choices could not be loaded',
    schema: 'The step forms could not be loaded',
    policyLists: 'The shop\'s events and audiences could not be loaded; the choices below may be incomplete',
    timezone: 'The shop\'s time zone could not be loaded; times show in the browser\'s',
    timezoneDefault: 'The shop\'s time zone could not be loaded; times show in Asia/Shanghai time',
    segmentCount: 'The audience could not be counted',
    experiment: 'The experiment\'s report could not be loaded',
    diff: 'The live version could not be loaded to compare',
    session: 'Whether you are signed in could not be checked; reload the page later, or sign in again',
    publishRequests: 'The publishes waiting for approval could not be loaded',
  },
} as const satisfies Record<Lang, Record<LoadWhat, string>>;

/** Why a load failed: no answer at all, the server's failure, a refusal, or the designer's own mistake. */
export function whyNotLoaded(lang: Lang, e: unknown): string {
  const zh = lang === 'zh';
  if ((e as { noAnswer?: unknown } | null)?.noAnswer === true) return zh ? '服务器没有响应' : 'the server did not answer';
  const status = (e as { status?: unknown } | null)?.status;
  if (typeof status === 'number') return status >= 500 ? (zh ? `服务器出错（${status}）` : `the server failed (${status})`) : errorText(lang, e);
  // Not the server's: a mistake in the designer (a TypeError while converting a flow). Its message, first line only.
  const message = (e instanceof Error ? e.message : String(e)).split('\n')[0]!.slice(0, 160);
  return zh ? `设计器出错（${message}）` : `the designer failed (${message})`;
}

export function loadFailureWords(lang: Lang, what: LoadWhat, e: unknown): { text: string; retry: string } {
  const zh = lang === 'zh';
  return { text: `${WHAT[zh ? 'zh' : 'en'][what]}${zh ? '：' : ': '}${whyNotLoaded(lang, e)}`, retry: zh ? '重试' : 'Try again' };
}

/** The parts of what the step forms offer (ui/hooks/useShopCatalogue.ts), each its own request. */
export type CataloguePart = 'facts' | 'segments' | 'schema' | 'shop' | 'coupons' | 'events';

const PART = {
  zh: { facts: '客户属性', segments: '人群', schema: '步骤表单', shop: '店铺时区', coupons: '优惠券', events: '事件' },
  en: { facts: 'customer facts', segments: 'audiences', schema: 'step forms', shop: 'shop time zone', coupons: 'coupons', events: 'events' },
} as const satisfies Record<Lang, Record<CataloguePart, string>>;

/** The forms' choices that did not come, named (表单的选项暂时加载不了（事件、优惠券）：…), with the first failure's reason. */
export function catalogueFailureWords(lang: Lang, parts: readonly CataloguePart[], e: unknown): { text: string; retry: string } {
  const zh = lang === 'zh';
  const w = loadFailureWords(lang, 'catalogue', e);
  const names = parts.map((p) => PART[zh ? 'zh' : 'en'][p]).join(zh ? '、' : ', ');
  const head = WHAT[zh ? 'zh' : 'en'].catalogue;
  return { ...w, text: names ? w.text.replace(head, zh ? `${head}（${names}）` : `${head} (${names})`) : w.text };
}
