import { enumLabel } from './fields.js';
import { translate, type Lang } from './i18n.js';

/**
 * The audit log in an admin's words: what was done (never the stored code such as
 * `flow-published`), on what, and what changed. Every action the server records
 * (server/src/core/access/audit-actions.ts) has words here; a test fails on one that has none.
 */
type Words = Record<Lang, string>;

export const AUDIT_ACTION_WORDS: Record<string, Words> = {
  'sign-in': { zh: '登录', en: 'Signed in' },
  'sign-in-failed': { zh: '登录失败（用户名或密码错误）', en: 'Sign-in failed (wrong username or password)' },
  'sign-in-disabled': { zh: '登录被拒（账号已停用）', en: 'Sign-in refused (account disabled)' },
  'sign-in-throttled': { zh: '登录失败次数过多，暂时锁定', en: 'Too many failed sign-ins: locked for a while' },
  'password-change-failed': { zh: '修改密码失败（当前密码错误）', en: 'Password change failed (wrong current password)' },
  'password-change-throttled': { zh: '修改密码时当前密码错误次数过多，暂时锁定', en: 'Too many wrong current passwords: locked for a while' },
  'password-changed': { zh: '修改了自己的密码', en: 'Changed their password' },
  'password-reset': { zh: '重置密码', en: 'Reset a password' },
  'user-added': { zh: '添加账号', en: 'Added an account' },
  'user-removed': { zh: '删除账号', en: 'Removed an account' },
  'user-role-changed': { zh: '修改账号角色', en: "Changed an account's role" },
  'user-disabled': { zh: '停用账号', en: 'Disabled an account' },
  'user-enabled': { zh: '启用账号', en: 'Enabled an account' },
  'user-contacts-changed': { zh: '修改分析师的联系方式权限', en: "Changed an analyst's contacts grant" },
  'token-created': { zh: '创建 API 令牌', en: 'Created an API token' },
  'token-revoked': { zh: '吊销 API 令牌', en: 'Revoked an API token' },
  'flow-created': { zh: '创建旅程', en: 'Created a journey' },
  'flow-saved': { zh: '保存旅程', en: 'Saved a journey' },
  'flow-published': { zh: '发布旅程', en: 'Published a journey' },
  'flow-paused': { zh: '暂停旅程', en: 'Paused a journey' },
  'flow-resumed': { zh: '继续运行旅程', en: 'Resumed a journey' },
  'flow-stopped': { zh: '停止旅程', en: 'Stopped a journey' },
  'flow-publish-requested': { zh: '提交发布审批', en: 'Asked for a journey to be published' },
  'flow-publish-approved': { zh: '批准发布', en: 'Approved a journey\'s publish' },
  'flow-publish-rejected': { zh: '驳回发布', en: 'Rejected a journey\'s publish' },
  'flow-publish-withdrawn': { zh: '撤回发布申请', en: 'Withdrew a publish request' },
  'draft-saved': { zh: '编辑草稿', en: 'Edited a draft' },
  'draft-imported': { zh: '从文件导入草稿', en: 'Imported a draft from a file' },
  'draft-discarded': { zh: '丢弃草稿', en: 'Discarded a draft' },
  'draft-renamed': { zh: '修改旅程 ID', en: 'Changed a journey\'s id' },
  'policy-changed': { zh: '修改联系频率规则', en: 'Changed the contact policy' },
  'block-list-changed': { zh: '修改屏蔽名单', en: 'Changed a block list' },
  'segment-created': { zh: '保存人群', en: 'Saved a segment' },
  'segment-changed': { zh: '修改人群', en: 'Changed a segment' },
  'customer-deleted': { zh: '删除顾客（移入回收站）', en: 'Deleted a customer (to the recycle bin)' },
  'customer-restored': { zh: '从回收站恢复顾客', en: 'Restored a customer from the recycle bin' },
  'customer-erased': { zh: '按顾客要求删除了其个人信息', en: "Erased a customer's personal data at their request" },
  imported: { zh: '导入数据', en: 'Imported data' },
  exported: { zh: '导出数据', en: 'Exported data' },
  'contacts-listed': { zh: '查看含完整联系方式的顾客列表', en: 'Listed customers with full contacts' },
  'contact-viewed': { zh: '查看一位顾客的完整联系方式', en: "Viewed a customer's full contacts" },
  'events-pruned': { zh: '按保留期限删除旧事件', en: 'Pruned old events (retention)' },
  'message-test-sent': { zh: '发送测试消息', en: 'Sent a test message' },
  'simulation-copy-unmarked': { zh: '取消模拟副本标记（此后这个数据库会真实发送、推进旅程）', en: "Removed the simulation's-copy mark (the database sends and moves journeys from now on)" },
};

/** An action in words; one the designer does not know yet says so with its code, rather than passing the code off as words. */
export function auditActionWords(lang: Lang, action: string): string {
  return AUDIT_ACTION_WORDS[action]?.[lang] ?? (lang === 'zh' ? `其他操作（${action}）` : `Other (${action})`);
}

const ROLE_WORDS: Record<string, Words> = {
  admin: { zh: '管理员', en: 'admin' },
  marketer: { zh: '营销', en: 'marketer' },
  analyst: { zh: '分析师', en: 'analyst' },
};

/** A token's scopes (server/src/core/access/roles.ts SCOPES) in words; a test keeps this complete. */
export const SCOPE_WORDS: Record<string, Words> = {
  'events:write': { zh: '写入事件和订单（订单推送）', en: 'post events and orders' },
  'import:write': { zh: '导入顾客、订单和事件', en: 'import customers, orders and events' },
  'contacts:read': { zh: '查看完整手机号和邮箱', en: 'see phone numbers and e-mail unmasked' },
  'metrics:read': { zh: '读取监控指标', en: 'scrape metrics' },
};

/** What an entry names (`flow:<id>`, `user:<name>`, a rules file…): the kind in words, then the name as it is. */
export function auditTargetWords(lang: Lang, target: string): { kind: string; name: string } {
  const colon = target.indexOf(':');
  const kinds: Record<string, Words> = {
    flow: { zh: '旅程', en: 'journey' },
    user: { zh: '账号', en: 'account' },
    token: { zh: 'API 令牌', en: 'API token' },
    customer: { zh: '顾客', en: 'customer' },
    list: { zh: '屏蔽名单', en: 'block list' },
    channel: { zh: '渠道', en: 'channel' },
    import: { zh: '导入', en: 'import' },
    export: { zh: '导出', en: 'export' },
    retention: { zh: '数据保留', en: 'retention' },
    customers: { zh: '顾客列表', en: 'customer list' },
  };
  if (colon > 0 && kinds[target.slice(0, colon)]) {
    const kind = target.slice(0, colon);
    const name = target.slice(colon + 1);
    const what: Record<string, Words> = { customers: { zh: '顾客', en: 'customers' }, sends: { zh: '发送记录', en: 'sends' }, orders: { zh: '订单', en: 'orders' }, events: { zh: '事件', en: 'events' }, search: { zh: '查询', en: 'search' }, 'recycle-bin': { zh: '回收站', en: 'recycle bin' } };
    if ((kind === 'import' || kind === 'export' || kind === 'retention' || kind === 'customers') && what[name]) return { kind: kinds[kind][lang], name: what[name][lang] };
    if (kind === 'channel') return { kind: kinds[kind][lang], name: enumLabel(lang, name) };
    return { kind: kinds[kind][lang], name };
  }
  return { kind: lang === 'zh' ? '文件' : 'file', name: target };
}

/**
 * The name of the journey an entry is about, beside its id: as recorded with the entry (what was
 * published, paused or asked for then, whatever it is called since), or for an entry written before
 * names were recorded its name now, said so. Null: no name, or the name is the id.
 */
export function auditFlowNameWords(lang: Lang, entry: { target: string; targetName?: string; targetNameRecorded?: boolean }): string | null {
  const name = entry.targetName;
  if (!name || !entry.target.startsWith('flow:') || name === entry.target.slice('flow:'.length)) return null;
  if (entry.targetNameRecorded === false) return lang === 'zh' ? `现名：${name}` : `named ${name} now`;
  return name;
}

/** An entry's detail as the detail column shows it: a journey's name is beside its id in the target column, not repeated here. */
export function auditDetailShown(entry: { target: string; detail: Record<string, unknown> }): Record<string, unknown> {
  if (!entry.target.startsWith('flow:') || !('name' in entry.detail)) return entry.detail;
  const { name: _name, ...rest } = entry.detail;
  return rest;
}

/** Who did it: an account or token as stored; nobody signed in, the system itself and the command line in words. */
export function auditActorWords(lang: Lang, actor: string): string {
  const zh = lang === 'zh';
  if (actor === 'anonymous') return zh ? '未登录' : 'not signed in';
  if (actor === 'rekindle') return zh ? '系统' : 'the system';
  if (actor === 'cli' || actor.startsWith('cli:')) return (zh ? '命令行' : 'command line') + (actor.length > 4 ? ` ${actor.slice(4)}` : '');
  return actor;
}

const yesNo = (lang: Lang, v: unknown) => (v ? (lang === 'zh' ? '是' : 'yes') : lang === 'zh' ? '否' : 'no');
const all = (lang: Lang) => (lang === 'zh' ? '全部' : 'all');
const list = (lang: Lang, xs: string[]) => xs.join(lang === 'zh' ? '、' : ', ');

/** Send-log columns by the Excel variant's headers (server/src/persistence/send-log.ts SEND_LOG_EXCEL); none: 无. */
const SEND_LOG_COLUMN_WORDS: Record<string, Words> = { subject: { zh: '标题', en: 'subject' }, body: { zh: '内容', en: 'body' }, last_error: { zh: '最近错误', en: 'last error' } };
function sendLogColumns(lang: Lang, v: unknown): string {
  const xs = (Array.isArray(v) ? v : [v]).map((c) => SEND_LOG_COLUMN_WORDS[String(c)]?.[lang] ?? String(c));
  return xs.length ? list(lang, xs) : lang === 'zh' ? '无' : 'none';
}

/** One detail key: its label and how its value reads. `when` writes an instant as the rest of the designer does (shop time). */
const DETAIL: Record<string, { label: Words; value?: (lang: Lang, v: unknown, when: (ms: number) => string) => string }> = {
  scopes: { label: { zh: '权限', en: 'scopes' }, value: (lang, v) => list(lang, (Array.isArray(v) ? v : [v]).map((s) => ROLE_WORDS[String(s)]?.[lang] ?? SCOPE_WORDS[String(s)]?.[lang] ?? String(s))) },
  expiresAt: { label: { zh: '有效期至', en: 'expires' }, value: (lang, v, when) => (typeof v === 'number' ? when(v) : lang === 'zh' ? '永不过期' : 'never') },
  role: { label: { zh: '角色', en: 'role' }, value: (lang, v) => ROLE_WORDS[String(v)]?.[lang] ?? String(v) },
  contactsVisible: { label: { zh: '可见完整联系方式', en: 'contacts visible' }, value: yesNo },
  contactsGranted: { label: { zh: '授权查看完整联系方式', en: 'contacts granted' }, value: yesNo },
  previousRole: { label: { zh: '原角色', en: 'was' }, value: (lang, v) => ROLE_WORDS[String(v)]?.[lang] ?? String(v) },
  revokedTokens: { label: { zh: '同时吊销的 API 令牌', en: 'API tokens revoked with it' }, value: (lang, v) => (Array.isArray(v) && v.length ? list(lang, v.map(String)) : lang === 'zh' ? '无' : 'none') },
  firstStart: { label: { zh: '首次启动时创建', en: 'made on first start' }, value: yesNo },
  version: { label: { zh: '版本', en: 'version' }, value: (_l, v) => `v${String(v)}` },
  hash: { label: { zh: '内容指纹', en: 'content hash' }, value: (_l, v) => String(v).slice(0, 12) },
  restarted: { label: { zh: '已停止的旅程重新运行', en: 'a stopped journey runs again' }, value: yesNo },
  author: { label: { zh: '作者', en: 'author' } },
  exited: { label: { zh: '结束的旅程数', en: 'journeys ended' } },
  file: { label: { zh: '文件', en: 'file' } },
  problems: { label: { zh: '问题数', en: 'problems' } },
  from: { label: { zh: '原 ID', en: 'was' } },
  ip: { label: { zh: 'IP 地址', en: 'IP address' } },
  by: { label: { zh: '按', en: 'by' }, value: (lang, v) => (v === 'account' ? (lang === 'zh' ? '账号' : 'account') : v === 'address' ? (lang === 'zh' ? 'IP 地址' : 'address') : String(v)) },
  limit: { label: { zh: '失败次数上限', en: 'limit' } },
  retryAfterSeconds: { label: { zh: '需等待', en: 'retry after' }, value: (lang, v) => (lang === 'zh' ? `${String(v)} 秒` : `${String(v)} s`) },
  format: { label: { zh: '格式', en: 'format' } },
  rows: { label: { zh: '行数', en: 'rows' } },
  // A page of customers with contacts (server/src/api/customers/customers.controller.ts auditContacts).
  search: { label: { zh: '搜索词', en: 'search' }, value: (lang, v) => (v === null || v === '' ? (lang === 'zh' ? '无（全部顾客）' : 'none (every customer)') : String(v)) },
  offset: { label: { zh: '从第几条起', en: 'from row' }, value: (_l, v) => (typeof v === 'number' ? String(v + 1) : String(v)) },
  pageSize: { label: { zh: '每页条数', en: 'page size' } },
  created: { label: { zh: '新建', en: 'created' } },
  updated: { label: { zh: '更新', en: 'updated' } },
  failed: { label: { zh: '失败', en: 'failed' } },
  customers: { label: { zh: '顾客行数', en: 'customer rows' } },
  orders: { label: { zh: '订单行数', en: 'order rows' } },
  flowId: { label: { zh: '旅程', en: 'journey' }, value: (lang, v) => (v === null ? all(lang) : String(v)) },
  customerId: { label: { zh: '顾客', en: 'customer' }, value: (lang, v) => (v === null ? all(lang) : String(v)) },
  status: { label: { zh: '发送状态', en: 'status' }, value: (lang, v) => (v === null ? all(lang) : translate(lang, `send.${String(v)}`).replace(/^send\./, '')) },
  day: { label: { zh: '计划发送日期', en: 'day' }, value: (lang, v) => (v === null ? all(lang) : String(v)) },
  // An analyst's send-log download (server/src/core/access/send-log-view.ts): the columns it left out or masked, as the Excel file heads them.
  withheld: { label: { zh: '未提供的列', en: 'columns withheld' }, value: (lang, v) => sendLogColumns(lang, v) },
  masked: { label: { zh: '联系方式打码的列', en: 'contacts masked in' }, value: (lang, v) => sendLogColumns(lang, v) },
  at: { label: { zh: '数据时点', en: 'as of' }, value: (_l, v, when) => (typeof v === 'string' && Number.isFinite(Date.parse(v)) ? when(Date.parse(v)) : String(v)) },
  out: { label: { zh: '输出到', en: 'written to' }, value: (lang, v) => (v === 'stdout' ? (lang === 'zh' ? '标准输出' : 'standard output') : String(v)) },
  source: { label: { zh: '来源文件', en: 'from file' } },
  // A block list's title (PUT /api/policy/lists/:name, rekindle lists title / import --title).
  titleBefore: { label: { zh: '原名单名称', en: 'title before' }, value: (lang, v) => (typeof v === 'string' && v ? v : lang === 'zh' ? '无' : 'none') },
  title: { label: { zh: '名单名称', en: 'title' } },
  to: { label: { zh: '收件人', en: 'to' } },
  provider: { label: { zh: '发送服务', en: 'provider' } },
  name: { label: { zh: '名称', en: 'name' } },
  // A segment changed in place: the journeys running on it, which select by the new rule from their next run.
  liveJourneys: { label: { zh: '受影响的上线旅程', en: 'live journeys affected' }, value: (lang, v) => (Array.isArray(v) ? v.map(String).join(lang === 'zh' ? '、' : ', ') : String(v)) },
  truncated: { label: { zh: '内容过长，已截断', en: 'truncated' }, value: yesNo },
  // Draft saves (server/src/api/designer/draft-save-audit.ts): one entry per editing session.
  started: { label: { zh: '新草稿', en: 'new draft' }, value: yesNo },
  takenOverFrom: { label: { zh: '接手自', en: 'taken over from' } },
  resumedAfterMinutes: { label: { zh: '间隔后继续编辑', en: 'resumed after' }, value: (lang, v) => (lang === 'zh' ? `${String(v)} 分钟` : `${String(v)} min`) },
  revision: { label: { zh: '草稿修订号', en: 'draft revision' } },
  // A retention prune (server/src/runtime/event-retention-run.ts retentionAuditDetail).
  eventDays: { label: { zh: '事件保留天数', en: 'days events are kept' }, value: (lang, v) => (v === null ? (lang === 'zh' ? '永久' : 'forever') : String(v)) },
  eventsBefore: { label: { zh: '删除此前的事件', en: 'events before' }, value: (lang, v, when) => (typeof v === 'number' ? when(v) : lang === 'zh' ? '不删除' : 'none') },
  consumedBefore: { label: { zh: '删除此前的处理记录', en: 'records before' }, value: (lang, v, when) => (typeof v === 'number' ? when(v) : lang === 'zh' ? '随事件删除' : 'with their events') },
  events: { label: { zh: '删除的事件数', en: 'events deleted' } },
  // Publish approval (server/src/api/journeys/publish-requests.controller.ts).
  request: { label: { zh: '审批单', en: 'request' }, value: (_l, v) => `#${String(v)}` },
  requestedBy: { label: { zh: '提交人', en: 'asked by' } },
  // The request(s) a new one replaced, and whose (one journey waits on one request at a time).
  replaced: {
    label: { zh: '取代了', en: 'replaced' },
    value: (lang, v) => (Array.isArray(v) ? v.map((x: { request?: unknown; requestedBy?: unknown }) => (lang === 'zh' ? `#${String(x.request)}（${String(x.requestedBy)} 提交）` : `#${String(x.request)} (asked by ${String(x.requestedBy)})`)).join(lang === 'zh' ? '、' : ', ') : String(v)),
  },
  note: { label: { zh: '说明', en: 'note' } },
  reason: { label: { zh: '驳回理由', en: 'reason' } },
  withoutApproval: { label: { zh: '未经审批（命令行发布）', en: 'without approval (command line)' }, value: yesNo },
  consumedEvents: { label: { zh: '删除的处理记录数', en: 'records deleted' } },
};

/** Keys shown in full below the line (a file before and after, a segment's text), not in it. */
export const AUDIT_LONG_KEYS = ['before', 'after', 'text', 'preview'];

export interface AuditDetailPart {
  label: string;
  value: string;
}

/** An entry's detail as "label：value" parts, in the order written; long texts are left to the caller (AUDIT_LONG_KEYS). */
export function auditDetailWords(lang: Lang, detail: Record<string, unknown>, when: (ms: number) => string): AuditDetailPart[] {
  return Object.entries(effectiveContacts(detail))
    .filter(([k]) => !AUDIT_LONG_KEYS.includes(k))
    .map(([k, v]) => {
      const d = DETAIL[k];
      const value = d?.value ? d.value(lang, v, when) : v === null || v === undefined ? '—' : typeof v === 'object' ? JSON.stringify(v) : String(v);
      return { label: d?.label[lang] ?? k, value };
    });
}

/**
 * `user-added` entries written before contactsVisible meant what the account sees recorded the
 * analyst-only grant (false for every admin and marketer, who do see contacts): read them by role,
 * as the server now writes them (core/access/roles.ts contactsVisibleFor).
 */
function effectiveContacts(detail: Record<string, unknown>): Record<string, unknown> {
  if (detail.contactsVisible !== false || (detail.role !== 'admin' && detail.role !== 'marketer')) return detail;
  return { ...detail, contactsVisible: true };
}

/** The labels the audit log knows for detail keys (tests check the server's keys against them). */
export const AUDIT_DETAIL_KEYS = [...Object.keys(DETAIL), ...AUDIT_LONG_KEYS];
