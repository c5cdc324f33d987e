import type { BlockListInfo } from './model/list-titles.js';
import type { BrokenSegment } from './model/broken-segments.js';
import type { LiveJourney } from './model/segment-words.js';
import type { DraftFlow, Layout, NodeReport, Problem } from './model/types.js';
import type { Fact, Operator } from './model/rule-builder.js';
import type { FunnelNode } from './model/counts.js';
import type { NextRun } from './model/next-run-words.js';
import type { ArmRate } from './model/experiment-chart.js';
import type { ArmMoney } from './model/experiment-money.js';
import type { SimulationResult } from './model/sim-summary.js';
import type { PublishFigures } from './model/publish-preview.js';
import type { PublishRequest } from './model/publish-request-words.js';
export type { PublishRequest } from './model/publish-request-words.js';
import type { Decision } from './model/decision-words.js';
import type { EnoughData, ReportWarning } from './model/report-warning-words.js';
import { ApiError, NoAnswer } from './api-error.js';
import type { MovedTo } from './model/moved-draft.js';
import type { GroupRate } from './model/group-response-words.js';
import type { ProductClicksReply } from './model/product-clicks-words.js';
import type { IntakeReply } from './model/intake-words.js';
import type { TaobaoImportReply } from './model/taobao-import-words.js';
import type { SimulationCopy } from './model/simulation-copy-words.js';

/** The server's API (server/src/api/…), typed for the designer. Errors carry the server's words (api-error.ts). */
export { ApiError, NoAnswer };

/**
 * The CSRF token from sign-in (or GET /api/auth/me): sent on every request that changes state,
 * because the session cookie alone must never be enough (ui/SignIn.tsx sets it).
 */
let csrfToken: string | null = null;
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}
/** The CSRF header for a request made outside call() (the keepalive draft save when the page closes). */
export function csrfHeaders(): Record<string, string> {
  return csrfToken ? { 'x-csrf-token': csrfToken } : {};
}
/** Fired when the server answers 401 (session expired or signed out elsewhere): the sign-in gate shows again. */
export const SIGNED_OUT_EVENT = 'rekindle:signed-out';

function jsonOrNull(text: string): any {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

async function call<T>(method: string, url: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = body === undefined ? {} : { 'content-type': 'application/json' };
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  let res: Response;
  let text: string;
  try {
    res = await fetch(url, { method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body) });
    text = await res.text();
  } catch (e) {
    throw new NoAnswer(e); // no connection: worth asking again, unlike a mistake in the designer's code
  }
  if (res.status === 401 && !url.startsWith('/api/auth/')) window.dispatchEvent(new Event(SIGNED_OUT_EVENT));
  // A proxy's 502/504 page is HTML, not JSON: its status is what counts, not a SyntaxError.
  const json = text ? (res.ok ? JSON.parse(text) : jsonOrNull(text)) : null;
  if (!res.ok) {
    const msg = json?.message;
    const inner = typeof msg === 'object' && msg ? msg : json;
    throw new ApiError(res.status, typeof inner?.message === 'string' ? inner.message : typeof msg === 'string' ? msg : res.statusText, inner?.problems ?? json?.problems ?? [], json);
  }
  return json as T;
}

/**
 * A file sent as it is (the bytes, never decoded here: a Taobao export is GBK), with the CSRF
 * header, answered and refused as call() does.
 */
/** How far a file's upload is: bytes sent of all; `sent === total` once the server has them all and is working on them. */
export type UploadProgress = (sent: number, total: number) => void;

/**
 * A file POSTed as it is (CSV bytes). By XMLHttpRequest, not fetch: only it tells how much of the
 * body has gone (`upload.onprogress`), which a marketer uploading a large export over a shop's
 * line wants to see instead of one unchanging 正在导入.
 */
function upload<T>(url: string, file: Blob, onProgress?: UploadProgress): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    xhr.withCredentials = true;
    xhr.setRequestHeader('content-type', 'text/csv');
    if (csrfToken) xhr.setRequestHeader('x-csrf-token', csrfToken);
    if (onProgress) {
      xhr.upload.onprogress = (e) => onProgress(e.loaded, e.lengthComputable ? e.total : file.size);
      xhr.upload.onload = () => onProgress(file.size, file.size);
    }
    xhr.onerror = () => reject(new NoAnswer(new Error('the upload got no answer')));
    xhr.onabort = () => reject(new NoAnswer(new Error('the upload was cut off')));
    xhr.onload = () => {
      if (xhr.status === 401) window.dispatchEvent(new Event(SIGNED_OUT_EVENT));
      const text = xhr.responseText;
      const json = text ? jsonOrNull(text) : null;
      if (xhr.status < 200 || xhr.status >= 300) return reject(new ApiError(xhr.status, typeof json?.message === 'string' ? json.message : xhr.statusText, [], json));
      resolve(json as T);
    };
    xhr.send(file);
  });
}

/** An event type a flow can name (GET /api/event-types): recorded by the system, declared in rules/shop.yaml (with what it means), or seen in the shop's log. */
export interface EventType {
  name: string;
  system: boolean;
  declared: boolean;
  seen: boolean;
  /** The shop's own words for a declared event (rules/shop.yaml events: description). */
  description: string | null;
  /** The payload fields a declared event carries, name: type. */
  fields: Record<string, string> | null;
}

/** A coupon template of rules/coupons.yaml (GET /api/coupons): what a send node can issue. */
export interface CouponTemplate {
  id: string;
  name: string;
  amount: number;
  minSpend: number;
  validDays: number;
}

/** A message as the send step renders it (POST /api/messages/preview). */
export interface MessagePreview {
  body: string;
  subject: string | null;
  customer: { externalId: string; name: string } | null;
  linkAbsolute?: boolean;
  /** The coupon issued now from the step's template, with a sample code (`sample`). */
  coupon?: { templateId: string | null; name: string | null; code: string; amount: number; minSpend: number; expires: string; validDays: number; sample: true } | null;
  /** The message names a coupon but none is chosen: customers would be held back. */
  couponMissing?: boolean;
  /** The message uses {{link}} but the step has no link target: customers get no link. */
  linkMissing?: boolean;
}

export interface FlowSummary {
  id: string;
  status: 'draft' | 'active' | 'paused' | 'stopped';
  currentVersion: number | null;
  versions: { version: number; hash: string; publishedAt: number; author: string }[];
  /** Its file is in rules/flows/ (absent from older servers: then ask). */
  hasFile?: boolean;
  /** Its file differs from the live version (a commit in git not published yet); null: no file or not published. */
  fileChanged?: boolean | null;
  /** On a server opened on a simulation's copy: its simulation is in this database (its figures are read by its id); absent from older servers. */
  simulated?: boolean;
}
export interface FlowFile {
  id: string;
  flow: DraftFlow;
  layout: Layout;
  problems: Problem[];
  /** The file's version (server core/flow/flow-file-version.ts): a publish of a drawing opened from it names it (absent from older servers). */
  fileVersion?: string;
}
export interface FlowReport {
  flowId: string;
  enrollments: { active: number; completed: number; exited: number };
  nodes: NodeReport[];
  sends: { channel: string; status: string; reason: string | null; count: number }[];
  funnel?: FunnelNode[] | null;
  /** A running journey entered on a schedule: when its audience is next drawn (absent from older servers). */
  nextRun?: NextRun | null;
  /** The figures are a simulation's (a server opened on a simulation's copy), up to this instant; null: live (absent from older servers). */
  simulatedAt?: number | null;
}
/** An arm as the report's JSON gives it: its rate (ArmRate), its money (ArmMoney) and its counts. */
export interface ExperimentArm extends ArmRate, ArmMoney {
  exposed: number;
  responders: number;
  /** Null while no arm has a response (the figure would only rank the arms by size). */
  probabilityBest: number | null;
  vsControl: { relative: number | null; relativeCi: { low: number; high: number } | null; pValue: number; significant: boolean } | null;
}
export interface ExperimentReport {
  experimentId: string;
  control: string;
  alpha: number;
  window: string;
  arms: ExperimentArm[];
  overall: { test: string; pValue: number; significant: boolean };
  /** The server's one definition of "enough customers per arm to compare" (core/experiment/enough-data.ts). */
  enoughData: EnoughData;
  /** Each with a code and figures (model/report-warning-words.ts says them) and the English message. */
  warnings: ReportWarning[];
  /** A test split's recorded decision: its code and figures (model/decision-words.ts says them) and the English reason. */
  decision: (Decision & { decidedAt: number }) | null;
  /** The instant the figures are counted up to (epoch ms): now, or a simulation's last step (absent from older servers). */
  asOf?: number;
}
export interface Template {
  id: string;
  name: string;
  description: string | null;
  nodes: number;
  types: string[];
}

export interface Draft {
  flowId: string;
  flow: DraftFlow;
  layout: Layout;
  baseVersion: number | null;
  updatedAt: number;
  /** What the next save names as the revision it is based on (a stale one is refused with 409). */
  revision: number;
  problems: Problem[];
  /** The version of the flow file the draft was drawn from (null: unknown; absent from older servers). */
  fileVersion?: string | null;
  /** The flow file changed (in git) since the draft was drawn from it: publishing is refused (409 file-changed). */
  fileChanged?: boolean;
}
/** Who saved the draft since the revision a refused save was based on (all null: the draft is gone). */
export interface DraftConflict {
  author: string | null;
  updatedAt: number | null;
  revision: number | null;
  /**
   * Who saved it, as the server tells them apart (api/designer/draft-saver.ts): this tab, another tab
   * of this login session, this account signed in elsewhere, the same account where not known, or
   * someone else. Absent from older servers (then the usernames are compared).
   */
  by?: 'this-tab' | 'this-session' | 'your-other-session' | 'you' | 'someone-else';
  /** The draft is gone because 确认发布 moved it to another id (model/moved-draft.ts). */
  movedTo?: MovedTo;
  /** The draft is gone (published or discarded), and who did it last, when (model/conflict-words.ts). */
  goneBy?: { author: string; at: number };
}
export interface PublishedVersion {
  flowId: string;
  version: number;
  hash: string;
  publishedAt: number;
  author: string;
  flow: DraftFlow;
  text: string;
}
export interface WindowStats {
  entered: number;
  sent: number;
  conversions: number;
  orders: number;
  revenue: number;
}
export interface HomeFlow {
  id: string;
  name: string;
  description: string | null;
  /** 所属活动 (the flow's campaign tag), null when it names none. */
  campaign: string | null;
  status: FlowSummary['status'];
  version: number | null;
  trigger: Record<string, unknown> | null;
  nextRun: number | null;
  draft: { updatedAt: number; baseVersion: number | null } | null;
  /** Its file differs from the live version (a commit in git not published yet). */
  fileChanged?: boolean | null;
  active: number;
  last7: WindowStats;
  last30: WindowStats;
  daily: number[];
  /** On a server opened on a simulation's copy: the instant the simulated flow's windows end at (its last step); null for a live flow, absent from older servers. */
  simulatedAt?: number | null;
  /** What its live version names that rules/ no longer has or cannot use (a segment renamed in git): step, field, why; absent from older servers. */
  liveProblems?: { nodeId: string | null; path: string; message: string }[];
}
export interface Home {
  now: number;
  timezone: string;
  currency: string;
  attributionDays: number;
  flows: HomeFlow[];
}

/** A 404 is an answer here (no file yet): null instead of an error. (No draft is a 204: null as well.) */
async function orNull<T>(p: Promise<T>): Promise<T | null> {
  try {
    return await p;
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) return null;
    throw e;
  }
}

export interface SessionUser {
  username: string;
  role: 'admin' | 'marketer' | 'analyst' | null;
  contactsVisible: boolean;
  scopes: string[];
  /** Signed in with a one-time (generated, printed) password: it may only be replaced (api/auth/one-time-password.ts). */
  mustChangePassword?: boolean;
}
export interface AuditEntry {
  id: number;
  at: number;
  actor: string;
  action: string;
  target: string;
  detail: Record<string, unknown>;
  /** A flow's name as recorded with the entry; for an entry written before names were recorded, its name now (targetNameRecorded false). */
  targetName?: string;
  targetNameRecorded?: boolean;
}

export const auth = {
  me: () => call<{ user: SessionUser | null; csrfToken?: string | null }>('GET', '/api/auth/me'),
  signIn: (username: string, password: string) => call<{ user: SessionUser; csrfToken: string }>('POST', '/api/auth/sign-in', { username, password }),
  signOut: () => call<unknown>('POST', '/api/auth/sign-out'),
  /** Ends every session of the account (this one too): sign in again with the new password. */
  changePassword: (current: string, password: string) => call<{ changed: true; signedOut: true }>('POST', '/api/auth/password', { current, password }),
  audit: (before?: number) => call<{ entries: AuditEntry[] }>('GET', `/api/audit?limit=100${before ? `&before=${before}` : ''}`),
};

/** An account as GET /api/users lists it (persistence/accounts.ts UserRow). */
export interface AccountRow {
  username: string;
  role: 'admin' | 'marketer' | 'analyst';
  /** What the account sees: by role, or (analysts) by grant. */
  contactsVisible: boolean;
  /** The stored grant: it matters for analysts only. */
  contactsGranted: boolean;
  createdAt: number;
  disabled: boolean;
  disabledAt: number | null;
  lastSignInAt: number | null;
}

/** Accounts for admins (server/src/api/auth/users.controller.ts). */
export const accounts = {
  list: () => call<{ users: AccountRow[] }>('GET', '/api/users'),
  /** Without a password: the server generates one, answered once (`password`), which signs in only to be replaced. */
  add: (username: string, role: AccountRow['role'], contactsGranted: boolean) => call<{ user: AccountRow; password?: string }>('POST', '/api/users', { username, role, ...(role === 'analyst' ? { contactsVisible: contactsGranted } : {}) }),
  change: (username: string, change: { role?: AccountRow['role']; disabled?: boolean; contactsGranted?: boolean }) =>
    call<{ user: AccountRow; revokedTokens: string[] }>('PATCH', `/api/users/${encodeURIComponent(username)}`, change),
  remove: (username: string) => call<{ removed: string; revokedTokens: string[] }>('DELETE', `/api/users/${encodeURIComponent(username)}`),
};

/**
 * This page's id, sent with every draft save: a 409 then tells a save of this very tab (its answer
 * lost) from another tab of the same login session (DraftConflict.by). Made per page load, not kept
 * in sessionStorage: a duplicated tab copies sessionStorage, and would pass for this one.
 */
export const TAB_ID = `tab-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`;

/** Publish approval's requests, and whether the shop asks for approval at all. */
export interface PublishRequestList {
  approvalRequired: boolean;
  requests: PublishRequest[];
}

/** A publish: the version now live, or (publish approval on) the request waiting for an admin. */
export type PublishReply = { version: number; fileVersion?: string; pendingApproval?: undefined } | { pendingApproval: true; request: PublishRequest };

export const api = {
  home: () => call<Home>('GET', '/api/home'),
  messagePreview: (m: { channel: string; template: string; subject?: string; customer?: string; coupon?: unknown; link?: string | null }) => call<MessagePreview>('POST', '/api/messages/preview', m),
  /** The event types a flow can name: the system's and those seen in the shop's event log. */
  eventTypes: () => call<{ events: EventType[] }>('GET', '/api/event-types'),
  testSend: (m: { channel: string; template: string; subject?: string; customer?: string; coupon?: unknown; link?: string | null; to: string }) => call<{ sent: boolean; to: string; provider: string }>('POST', '/api/messages/test-send', m),
  shop: () => call<{ timezone: string; currency: string; simulationCopy?: SimulationCopy | null }>('GET', '/api/shop'),
  coupons: () => call<{ templates: CouponTemplate[] }>('GET', '/api/coupons'),
  draft: (id: string) => orNull(call<Draft>('GET', `/api/flows/${id}/draft`)),
  /** `importedFrom`: the file the drawing was just imported from (audited as draft-imported). */
  /** `fileVersion`: the flow file's version the drawing was opened from, sent when the draft starts (the server keeps it with the draft). */
  saveDraft: (id: string, flow: DraftFlow, layout: Layout, baseVersion: number | null, revision: number | null, importedFrom?: string, fileVersion?: string) =>
    call<{ updatedAt: number; revision: number; problems: Problem[] }>('PUT', `/api/flows/${id}/draft`, { flow, layout, baseVersion, revision, tab: TAB_ID, ...(importedFrom ? { importedFrom } : {}), ...(fileVersion ? { fileVersion } : {}) }),
  /** A new journey's first save (新建旅程): refused with 409 `flow-exists` when the id is taken, whatever this page's list of journeys says. */
  createDraft: (id: string, flow: DraftFlow, layout: Layout) => call<{ updatedAt: number; revision: number; problems: Problem[] }>('PUT', `/api/flows/${id}/draft`, { flow, layout, baseVersion: null, revision: null, tab: TAB_ID, create: true }),
  /** `revision`: only that revision (the draft this tab just published): a draft saved since, elsewhere, is kept. */
  discardDraft: (id: string, revision?: number | null) => call<{ discarded: boolean }>('DELETE', `/api/flows/${id}/draft${revision ? `?revision=${revision}` : ''}`),
  /** `revision`: the draft revision this tab saved: a draft saved since from elsewhere is refused (409 draft-changed), not moved. Answers the moved draft's revision. */
  renameDraft: (id: string, to: string, revision?: number | null) => call<{ flowId: string; revision?: number }>('POST', `/api/flows/${id}/draft/rename`, { to, ...(revision ? { revision } : {}) }),
  version: (id: string, version: number) => call<PublishedVersion>('GET', `/api/flows/${id}/versions/${version}`),
  fileOrNull: (id: string) => orNull(call<FlowFile>('GET', `/api/flows/${id}/file`)),
  /** Where a journey with no draft, no file and no live version under this id went, when its id changed at the first publish (the file's 404 says: `movedTo`); null when it did not, or the server cannot say. */
  movedFrom: (id: string) =>
    call<FlowFile>('GET', `/api/flows/${id}/file`).then(
      () => null,
      (e: unknown) => (e instanceof ApiError && e.status === 404 ? ((e.body?.movedTo as MovedTo | undefined) ?? null) : null),
    ),
  flows: () => call<FlowSummary[]>('GET', '/api/flows'),
  schema: () => call<Record<string, unknown>>('GET', '/api/flows/schema'),
  file: (id: string) => call<FlowFile>('GET', `/api/flows/${id}/file`),
  save: (id: string, flow: DraftFlow, layout: Layout, create: boolean) => call<{ problems: Problem[] }>('PUT', `/api/flows/${id}/file`, { flow, layout, create }),
  validate: (flow: DraftFlow) => call<{ problems: Problem[]; text: string }>('POST', '/api/flows/validate', { flow }),
  /** Publishes what is drawn: the server writes the flow's files only once the publish is stored (a refusal leaves rules/ as it was). */
  /** `ifFileVersion`: the file version the drawing was opened from: a file changed since (in git) is refused with 409 file-changed, not overwritten. */
  /** With publish approval on (rules/shop.yaml) the answer is a request (`pendingApproval`): nothing went live yet. */
  /** `ifDraftRevision`: the draft revision the drawing was last saved as (null: none): a draft saved since from elsewhere is refused with 409 draft-changed (its `conflict` as a refused save's), not published over. */
  publish: (id: string, flow: DraftFlow, layout: Layout, create: boolean, ifFileVersion?: string | null, note?: string, ifDraftRevision?: number | null) =>
    call<PublishReply>('POST', `/api/flows/${id}/publish`, {
      flow,
      layout,
      create,
      ...(ifFileVersion ? { ifFileVersion } : {}),
      ...(note ? { note } : {}),
      ...(ifDraftRevision !== undefined ? { ifDraftRevision, tab: TAB_ID } : {}),
    }),
  /** Publish approval: whether it is on, and the requests (pending by default; `flow`: one journey's). */
  publishRequests: (q: { status?: string; flow?: string } = {}) =>
    call<PublishRequestList>('GET', `/api/publish-requests?${new URLSearchParams({ ...(q.status ? { status: q.status } : {}), ...(q.flow ? { flow: q.flow } : {}) }).toString()}`),
  /** One request with the journey as asked (`flow` null: the file on disk was asked for). */
  publishRequest: (id: number) => call<PublishRequest & { flow: unknown; layout: unknown }>('GET', `/api/publish-requests/${id}`),
  approveRequest: (id: number, note?: string) => call<{ version: number; request: PublishRequest }>('POST', `/api/publish-requests/${id}/approve`, note ? { note } : {}),
  rejectRequest: (id: number, reason: string) => call<{ request: PublishRequest }>('POST', `/api/publish-requests/${id}/reject`, { reason }),
  withdrawRequest: (id: number) => call<{ request: PublishRequest }>('POST', `/api/publish-requests/${id}/withdraw`, {}),
  /** The publish confirmation's figures for this drawing (nothing is written). */
  publishPreview: (id: string, flow: DraftFlow) => call<PublishFigures>('POST', `/api/flows/${id}/publish-preview`, { flow }),
  lifecycle: (id: string, action: 'pause' | 'resume' | 'stop') => call<unknown>('POST', `/api/flows/${id}/${action}`),
  counts: (id: string) => call<FlowReport>('GET', `/api/flows/${id}/counts`),
  intake: () => call<IntakeReply>('GET', '/api/events/intake'),
  /** A seller-center order export as downloaded (admins). */
  importTaobao: (file: Blob, onProgress?: UploadProgress) => upload<TaobaoImportReply>('/api/import/taobao', file, onProgress),
  /** `from` null: the last `days` days of the shop (the server's default); else the virtual start (ISO). */
  simulate: (id: string, days: number, flow?: DraftFlow, from?: string | null, entering?: number) => call<SimulationResult & { report: FlowReport; funnel: FunnelNode[] | null }>('POST', `/api/flows/${id}/simulate`, { days, flow, ...(from ? { from } : entering ? { entering } : {}) }),
  /** null (204): the experiment is only in a draft, not published yet. */
  /** A published send step's recipients by customer group, each by their facts when the message went out (7 days' order_paid). */
  responseByGroup: (flowId: string, nodeId: string, by: string) =>
    call<{ flowId: string; nodeId: string; by: string; events: string[]; window: string; groups: GroupRate[] }>('GET', `/api/flows/${encodeURIComponent(flowId)}/nodes/${encodeURIComponent(nodeId)}/response-by-group?by=${encodeURIComponent(by)}`),
  /** A published send step's clicks against sales per product (analysts and up). */
  productClicks: (flowId: string, nodeId: string) => call<ProductClicksReply>('GET', `/api/flows/${encodeURIComponent(flowId)}/nodes/${encodeURIComponent(nodeId)}/products`),
  experiment: (id: string) => call<ExperimentReport | null>('GET', `/api/experiments/${encodeURIComponent(id)}/report`),
  /** The shop's contact policy (rules/policy.yaml): its caps are named in words where they hold a send back. */
  policy: () => call<{ policy: { caps?: unknown[] } | null; blockLists?: BlockListInfo[] }>('GET', '/api/policy'),
  /** The whole policy file as the contact-rules page shows it: the policy read (defaults filled in), the file's text, the block lists (names; with their titles in `blockLists`). */
  policyFile: () => call<{ file: string; policy: Record<string, any>; yaml: string; version: string; lists: string[]; blockLists?: BlockListInfo[] }>('GET', '/api/policy'),
  /**
   * Replaces rules/policy.yaml (admin): the file's text, so its comments stay. A 400 names each bad
   * field in `problems`; a 409 (`code: policy-changed`) says the file changed since `ifVersion`.
   */
  savePolicy: (yaml: string, ifVersion: string) => call<{ file: string; policy: Record<string, any>; version: string }>('PUT', '/api/policy', { yaml, ifVersion }),
  /** Gives a block list its title (admin; rules/lists/<name>.txt's `# title:` line): a 400 names the field (`title: …`). */
  setListTitle: (name: string, title: string) => call<{ name: string; title: string; titleBefore: string | null }>('PUT', `/api/policy/lists/${encodeURIComponent(name)}`, { title }),
  templates: () => call<{ templates: Template[] }>('GET', '/api/templates'),
  facts: () => call<{ facts: Fact[]; operators: Operator[] }>('GET', '/api/facts'),
  preview: (conditions: unknown) => call<{ count: number }>('POST', '/api/segments/preview', { conditions }),
  saveSegment: (name: string, conditions: unknown, id?: string) => call<{ id: string; name: string; file: string; yaml: string }>('POST', '/api/segments', { name, conditions, ...(id ? { id } : {}) }),
  /** Changes a saved audience in place, over the `revision` read (409 `segment-changed` when the file changed since). */
  updateSegment: (id: string, edit: { name: string; conditions: unknown; revision: string }) =>
    call<{ id: string; name: string; file: string; yaml: string; revision: string; changed: boolean; liveJourneys: LiveJourney[] }>('PUT', `/api/segments/${encodeURIComponent(id)}`, edit),
  segments: () => call<{ rules: { name: string; title: string | null; description: string | null; conditions?: unknown; revision?: string | null; liveJourneys?: LiveJourney[]; editNeedsAdmin?: boolean }[]; broken?: BrokenSegment[] }>('GET', '/api/segments'),
  segmentCount: (name: string) => call<{ count: number }>('GET', `/api/segments/${encodeURIComponent(name)}/count?sample=0`),
  customers: (search: string) => call<unknown>('GET', `/api/customers?search=${encodeURIComponent(search)}&limit=20`),
  customer: (id: string) => call<Record<string, unknown>>('GET', `/api/customers/${encodeURIComponent(id)}`),
  journey: (id: string | number) => call<Record<string, unknown>>('GET', `/api/customers/${encodeURIComponent(String(id))}/journey`),
};
