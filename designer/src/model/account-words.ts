import type { Lang } from './i18n.js';

/**
 * The 账号 page's words (ui/Accounts.tsx) and the server's refusals of an account change
 * (server/src/persistence/accounts.ts, api/auth/users.controller.ts) said in them.
 */
type Role = 'admin' | 'marketer' | 'analyst';
export interface AccountView {
  username: string;
  role: Role;
  contactsGranted: boolean;
  disabled: boolean;
  lastSignInAt: number | null;
}

export const ACCOUNT_WORDS = {
  zh: {
    title: '账号',
    username: '用户名',
    role: '角色',
    status: '状态',
    contacts: '完整联系方式',
    lastSignIn: '最近登录',
    actions: '操作',
    enabled: '正常',
    disabled: '已停用',
    never: '从未登录',
    byRole: '按角色可见',
    granted: '已授权',
    notGranted: '未授权（打码显示）',
    disable: '停用',
    enable: '启用',
    remove: '删除',
    cancel: '取消',
    close: '关闭',
    you: '（你）',
    add: '添加账号',
    addSubmit: '添加',
    grantContacts: '允许查看完整手机号和邮箱（仅分析师需要授权）',
    confirmDisable: '停用 {u}？它的登录会话立即结束，它创建的 API 令牌会被吊销（重新启用后也不会恢复）。',
    confirmRemove: '删除 {u}？此操作不能撤销；它的登录会话结束，它创建的 API 令牌会被吊销。',
    confirmDisableButton: '确认停用',
    confirmRemoveButton: '确认删除',
    passwordOnce: '{u} 的一次性密码（只显示这一次）：',
    passwordHint: '请现在复制并当面或通过安全渠道交给对方。对方用它登录后必须立即设置自己的密码。',
    copy: '复制',
    copied: '已复制',
    done: '好的，我已记下',
    revoked: '同时吊销了它创建的 API 令牌：{names}',
    badUsername: '用户名只能用 1–64 个小写字母、数字、“.”、“_” 或 “-”，并以字母或数字开头',
  },
  en: {
    title: 'Accounts',
    username: 'Username',
    role: 'Role',
    status: 'Status',
    contacts: 'Full contacts',
    lastSignIn: 'Last sign-in',
    actions: 'Actions',
    enabled: 'enabled',
    disabled: 'disabled',
    never: 'never',
    byRole: 'by role',
    granted: 'granted',
    notGranted: 'not granted (masked)',
    disable: 'Disable',
    enable: 'Enable',
    remove: 'Remove',
    cancel: 'Cancel',
    close: 'Close',
    you: ' (you)',
    add: 'Add an account',
    addSubmit: 'Add',
    grantContacts: 'may see full phone numbers and e-mail (analysts only need this)',
    confirmDisable: 'Disable {u}? Its sessions end at once and the API tokens it created are revoked (enabling it again does not bring them back).',
    confirmRemove: 'Remove {u}? This cannot be undone; its sessions end and the API tokens it created are revoked.',
    confirmDisableButton: 'Disable',
    confirmRemoveButton: 'Remove',
    passwordOnce: "{u}'s one-time password (shown this once):",
    passwordHint: 'Copy it now and hand it over in person or over a safe channel. It signs in only to set their own password.',
    copy: 'Copy',
    copied: 'Copied',
    done: 'Done, I have it',
    revoked: 'Also revoked the API tokens it created: {names}',
    badUsername: 'Use 1 to 64 lower-case letters, digits, ".", "_" or "-", starting with a letter or digit',
  },
} as const satisfies Record<Lang, Record<string, string>>;

export type AccountWord = keyof (typeof ACCOUNT_WORDS)['zh'];

export function accountWords(lang: Lang, key: AccountWord, vars: Record<string, string> = {}): string {
  return ACCOUNT_WORDS[lang][key].replace(/\{(\w+)\}/g, (_m, k: string) => vars[k] ?? '');
}

/** The server's username rule (persistence/accounts.ts USERNAME), checked here first so the words are the page's. */
export const USERNAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;

/** What the 完整联系方式 column says: admins and marketers see contacts by role; an analyst when granted. */
export function contactsWords(lang: Lang, a: AccountView): string {
  if (a.role !== 'analyst') return accountWords(lang, 'byRole');
  return accountWords(lang, a.contactsGranted ? 'granted' : 'notGranted');
}

/**
 * A refusal of the server in the page's words: the last enabled admin (409), a name taken (409),
 * an account gone meanwhile (404), a bad username or password (400). Anything else as the server
 * said it.
 */
export function accountProblemWords(lang: Lang, status: number, message: string): string {
  const zh = lang === 'zh';
  let m = /^user "(.+)" is the last enabled admin: (removing|disabling|demoting) it/.exec(message);
  if (m) {
    const doing = { removing: zh ? '删除' : 'removing', disabling: zh ? '停用' : 'disabling', demoting: zh ? '降低它的角色' : 'demoting' }[m[2] as 'removing'];
    return zh ? `${m[1]} 是最后一个启用的管理员：${doing}后将没有能登录的管理员。请先添加或启用另一个管理员。` : `${m[1]} is the last enabled admin: ${doing} it would leave no admin who can sign in. Add or enable another admin first.`;
  }
  if ((m = /^user "(.+)" already exists/.exec(message))) return zh ? `账号 ${m[1]} 已存在` : `An account ${m[1]} already exists`;
  if (status === 404 && (m = /^no user "(.+)"/.exec(message))) return zh ? `账号 ${m[1]} 已不存在（可能刚被别人删除），请刷新` : `The account ${m[1]} is gone (removed meanwhile?)`;
  if (/^username:/.test(message)) return accountWords(lang, 'badUsername');
  return message;
}
