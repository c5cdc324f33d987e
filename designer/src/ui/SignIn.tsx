import { useLang } from './i18n.js';
import { retried } from '../model/retried.js';
import { loadFailureWords } from '../model/load-failure.js';
import { createContext, useCallback, useContext, useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { ApiError, auth, setCsrfToken, SIGNED_OUT_EVENT, type SessionUser } from '../api.js';
import { Accounts } from './Accounts.js';
import { AuditLog } from './AuditLog.js';
import { ChangePassword } from './ChangePassword.js';

/**
 * The sign-in gate around the designer: nothing of the shop shows until an account signs in.
 * It keeps the signed-in account (for role-aware buttons: useSession) and the CSRF token the API
 * client sends with every change, and offers sign-out.
 */
interface Session {
  user: SessionUser;
  signOut(): Promise<void>;
  /** The audit log and the 账号 page (admins) and the change-password form, opened from the session bar (SessionBar.tsx). */
  openAudit(): void;
  openAccounts(): void;
  openPassword(): void;
}
const SessionContext = createContext<Session | null>(null);

/** The signed-in account; null outside the gate. */
export const useSession = () => useContext(SessionContext);

/** Whether the signed-in account's role is at least `role` (admin > marketer > analyst). */
export function useCan(role: 'admin' | 'marketer' | 'analyst'): boolean {
  const s = useSession();
  const order = ['analyst', 'marketer', 'admin'];
  return !!s?.user.role && order.indexOf(s.user.role) >= order.indexOf(role);
}

export function SessionGate({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<SessionUser | null | undefined>(undefined);
  const [audit, setAudit] = useState(false);
  const [accountsOpen, setAccountsOpen] = useState(false);
  const [password, setPassword] = useState(false);
  /** Said on the sign-in form after the session ended on purpose (a changed password). */
  const [note, setNote] = useState<string | null>(null);

  const lang = useLang();
  useEffect(() => {
    // Asked again while the server cannot answer (a restart); if it still cannot, the sign-in form
    // says why it shows (it looked as if the session had ended).
    retried(auth.me)
      .then((r) => {
        setCsrfToken(r.csrfToken ?? null);
        setUser(r.user);
      })
      .catch((e: unknown) => {
        setNote(loadFailureWords(lang, 'session', e).text);
        setUser(null);
      });
    const expired = () => {
      setCsrfToken(null);
      setUser(null);
    };
    window.addEventListener(SIGNED_OUT_EVENT, expired);
    return () => window.removeEventListener(SIGNED_OUT_EVENT, expired);
  }, []);

  const signOut = useCallback(async () => {
    await auth.signOut().catch(() => undefined);
    setCsrfToken(null);
    setUser(null);
  }, []);

  if (user === undefined) return <div className="signin-wait" />;
  if (user === null)
    return (
      <SignInForm
        note={note}
        onSignedIn={(u, token) => {
          setCsrfToken(token);
          setNote(null);
          setUser(u);
        }}
      />
    );
  const passwordChanged = (said: string) => {
    // The server has ended every session of the account, this one included.
    setPassword(false);
    setNote(said);
    setCsrfToken(null);
    setUser(null);
  };
  // A one-time password signs in only to be replaced: nothing of the shop shows (its requests would be refused) until it is.
  if (user.mustChangePassword) return <ChangePassword oneTime onClose={() => void signOut()} onChanged={passwordChanged} />;
  return (
    <SessionContext.Provider value={{ user, signOut, openAudit: () => setAudit(true), openAccounts: () => setAccountsOpen(true), openPassword: () => setPassword(true) }}>
      {audit && <AuditLog onClose={() => setAudit(false)} />}
      {accountsOpen && user.role === 'admin' && <Accounts me={user.username} onClose={() => setAccountsOpen(false)} />}
      {password && (
        <ChangePassword onClose={() => setPassword(false)} onChanged={passwordChanged} />
      )}
      {children}
    </SessionContext.Provider>
  );
}

function SignInForm({ note, onSignedIn }: { note: string | null; onSignedIn: (u: SessionUser, csrfToken: string) => void }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const r = await auth.signIn(username.trim(), password);
      setPassword('');
      onSignedIn(r.user, r.csrfToken);
    } catch (err) {
      setError(err instanceof ApiError && err.status === 401 ? '用户名或密码错误 · Wrong username or password' : (err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="signin">
      <form onSubmit={submit} data-testid="sign-in">
        <h1>Rekindle</h1>
        {/* Each label names its input by id (for=), not only by wrapping it: tools that read labels (screen readers, form fillers, tests) find the field by its label. */}
        <label htmlFor="sign-in-username">用户名 Username</label>
        <input id="sign-in-username" name="username" autoFocus autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} data-testid="sign-in-username" />
        <label htmlFor="sign-in-password">密码 Password</label>
        <input id="sign-in-password" name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} aria-describedby={error ? 'sign-in-error' : undefined} data-testid="sign-in-password" />
        {note && !error && (
          <p className="signin-note" role="status" data-testid="sign-in-note">
            {note}
          </p>
        )}
        {error && (
          <p className="signin-error" id="sign-in-error" role="alert" data-testid="sign-in-error">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy || !username || !password} data-testid="sign-in-submit">
          登录 Sign in
        </button>
        <p className="signin-hint">首次启动时 npm start 会打印 admin 的一次性密码。 · On first start, npm start prints the one-time password of “admin”.</p>
      </form>
    </main>
  );
}
