import { useEffect, useState, type FormEvent } from 'react';
import { accounts, api, ApiError, type AccountRow } from '../api.js';
import { accountProblemWords, accountWords, contactsWords, USERNAME, type AccountWord } from '../model/account-words.js';
import { DEFAULT_TIMEZONE, formatDateTime } from '../model/format.js';
import { useLang, useT } from './i18n.js';
import { useRetriedLoad } from './hooks/useRetriedLoad.js';

const ROLES = ['admin', 'marketer', 'analyst'] as const;

/**
 * The 账号 page for admins (opened from the session bar, as the audit log is): every account with
 * its role, whether it is disabled, an analyst's contacts grant and its last sign-in; add one (the
 * generated one-time password is shown once), change a role, disable/enable, remove. What each
 * does on the server (sessions ended, tokens revoked, the last enabled admin kept) is in
 * server/src/persistence/accounts.ts; the words and the server's refusals in model/account-words.ts.
 */
export function Accounts({ me, onClose }: { me: string; onClose: () => void }) {
  const lang = useLang();
  const t = useT();
  const w = (key: AccountWord, vars?: Record<string, string>) => accountWords(lang, key, vars);
  const [rows, setRows] = useState<AccountRow[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<{ username: string; action: 'disable' | 'remove' } | null>(null);
  const [created, setCreated] = useState<{ username: string; password: string } | null>(null);
  const shop = useRetriedLoad(() => api.shop(), []);
  const when = (ms: number) => formatDateTime(lang, ms, shop.data?.timezone ?? DEFAULT_TIMEZONE);

  const problem = (e: unknown) => setError(e instanceof ApiError ? accountProblemWords(lang, e.status, e.message) : (e as Error).message);
  const load = async () => {
    try {
      setRows((await accounts.list()).users);
    } catch (e) {
      problem(e);
    }
  };
  useEffect(() => {
    void load();
  }, []);

  /** Runs one change, then lists again (another admin may have changed something too). */
  const act = async (fn: () => Promise<{ revokedTokens?: string[] }>, self = false) => {
    setError(null);
    setNote(null);
    setConfirming(null);
    try {
      const r = await fn();
      if (r.revokedTokens?.length) setNote(w('revoked', { names: r.revokedTokens.join(lang === 'zh' ? '、' : ', ') }));
      // My own role or account changed: what the designer may show changed with it.
      if (self) return window.location.reload();
      await load();
    } catch (e) {
      problem(e);
    }
  };

  return (
    <div className="audit-overlay" role="dialog" aria-label={w('title')} data-testid="accounts">
      <div className="audit-panel accounts-panel">
        <header>
          <h2>{w('title')}</h2>
          <button type="button" onClick={onClose} data-testid="accounts-close" aria-label={w('close')}>
            ×
          </button>
        </header>
        {error && (
          <p className="signin-error" role="alert" data-testid="accounts-error">
            {error}
          </p>
        )}
        {note && (
          <p className="signin-note" role="status" data-testid="accounts-note">
            {note}
          </p>
        )}
        {created && <OneTimePassword username={created.username} password={created.password} onDone={() => setCreated(null)} />}
        <table>
          <thead>
            <tr>
              <th>{w('username')}</th>
              <th>{w('role')}</th>
              <th>{w('status')}</th>
              <th>{w('contacts')}</th>
              <th>{w('lastSignIn')}</th>
              <th>{w('actions')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((u) => {
              const self = u.username === me;
              return (
                <tr key={u.username} data-testid="account-row" data-username={u.username} data-disabled={u.disabled ? 'true' : 'false'} className={u.disabled ? 'account-disabled' : undefined}>
                  <td>
                    <span data-content>{u.username}</span>
                    {self ? w('you') : ''}
                  </td>
                  <td>
                    <select value={u.role} aria-label={`${w('role')} ${u.username}`} data-testid="account-role" onChange={(e) => void act(() => accounts.change(u.username, { role: e.target.value as AccountRow['role'] }), self)}>
                      {ROLES.map((r) => (
                        <option key={r} value={r}>
                          {t(`role.${r}`)}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td data-testid="account-status">{w(u.disabled ? 'disabled' : 'enabled')}</td>
                  <td>
                    {u.role === 'analyst' ? (
                      <label>
                        <input type="checkbox" checked={u.contactsGranted} data-testid="account-contacts" onChange={(e) => void act(() => accounts.change(u.username, { contactsGranted: e.target.checked }))} />{' '}
                        {contactsWords(lang, u)}
                      </label>
                    ) : (
                      contactsWords(lang, u)
                    )}
                  </td>
                  <td>{u.lastSignInAt === null ? w('never') : when(u.lastSignInAt)}</td>
                  <td>
                    {confirming?.username === u.username ? (
                      <span className="account-confirm" data-testid="account-confirm">
                        {w(confirming.action === 'disable' ? 'confirmDisable' : 'confirmRemove', { u: u.username })}{' '}
                        <button
                          type="button"
                          data-testid="account-confirm-yes"
                          onClick={() => void act(() => (confirming.action === 'disable' ? accounts.change(u.username, { disabled: true }) : accounts.remove(u.username)), self)}
                        >
                          {w(confirming.action === 'disable' ? 'confirmDisableButton' : 'confirmRemoveButton')}
                        </button>{' '}
                        <button type="button" onClick={() => setConfirming(null)}>
                          {w('cancel')}
                        </button>
                      </span>
                    ) : (
                      <>
                        {u.disabled ? (
                          <button type="button" data-testid="account-enable" onClick={() => void act(() => accounts.change(u.username, { disabled: false }))}>
                            {w('enable')}
                          </button>
                        ) : (
                          <button type="button" data-testid="account-disable" onClick={() => setConfirming({ username: u.username, action: 'disable' })}>
                            {w('disable')}
                          </button>
                        )}{' '}
                        <button type="button" data-testid="account-remove" onClick={() => setConfirming({ username: u.username, action: 'remove' })}>
                          {w('remove')}
                        </button>
                      </>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        <AddAccount
          onAdded={(username, password) => {
            setError(null);
            setNote(null);
            if (password) setCreated({ username, password });
            void load();
          }}
          onProblem={problem}
        />
      </div>
    </div>
  );
}

function AddAccount({ onAdded, onProblem }: { onAdded: (username: string, password: string | undefined) => void; onProblem: (e: unknown) => void }) {
  const lang = useLang();
  const t = useT();
  const w = (key: AccountWord) => accountWords(lang, key);
  const [username, setUsername] = useState('');
  const [role, setRole] = useState<AccountRow['role']>('marketer');
  const [granted, setGranted] = useState(false);
  const [busy, setBusy] = useState(false);
  const [local, setLocal] = useState<string | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const name = username.trim();
    if (!USERNAME.test(name)) return setLocal(w('badUsername'));
    setLocal(null);
    setBusy(true);
    try {
      const r = await accounts.add(name, role, granted);
      setUsername('');
      setGranted(false);
      onAdded(r.user.username, r.password);
    } catch (err) {
      onProblem(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="account-add" onSubmit={submit} data-testid="account-add">
      <h3>{w('add')}</h3>
      <label>
        {w('username')} <input value={username} onChange={(e) => setUsername(e.target.value)} data-testid="account-add-username" autoComplete="off" />
      </label>{' '}
      <label>
        {w('role')}{' '}
        <select value={role} onChange={(e) => setRole(e.target.value as AccountRow['role'])} data-testid="account-add-role">
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {t(`role.${r}`)}
            </option>
          ))}
        </select>
      </label>{' '}
      {role === 'analyst' && (
        <label>
          <input type="checkbox" checked={granted} onChange={(e) => setGranted(e.target.checked)} data-testid="account-add-contacts" /> {w('grantContacts')}
        </label>
      )}{' '}
      <button type="submit" disabled={busy || !username.trim()} data-testid="account-add-submit">
        {w('addSubmit')}
      </button>
      {local && (
        <p className="signin-error" role="alert">
          {local}
        </p>
      )}
    </form>
  );
}

/** The generated password, shown once: the server keeps only its hash and never answers it again. */
function OneTimePassword({ username, password, onDone }: { username: string; password: string; onDone: () => void }) {
  const lang = useLang();
  const [copied, setCopied] = useState(false);
  const copy = () =>
    navigator.clipboard
      ?.writeText(password)
      .then(() => setCopied(true))
      .catch(() => undefined);
  return (
    <div className="account-password" role="status" data-testid="account-password">
      <p>
        {accountWords(lang, 'passwordOnce', { u: username })} <code data-content data-testid="account-password-value">{password}</code>{' '}
        <button type="button" onClick={() => void copy()}>
          {accountWords(lang, copied ? 'copied' : 'copy')}
        </button>
      </p>
      <p className="signin-hint">{accountWords(lang, 'passwordHint')}</p>
      <button type="button" onClick={onDone} data-testid="account-password-done">
        {accountWords(lang, 'done')}
      </button>
    </div>
  );
}
