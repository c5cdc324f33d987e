import { useState, type FormEvent } from 'react';
import { ApiError, auth } from '../api.js';
import { useT } from './i18n.js';

/** The server's minimum (persistence/accounts.ts MIN_PASSWORD), checked here first so the words are the interface's. */
const MIN_PASSWORD = 10;

/**
 * A signed-in person changes their own password (POST /api/auth/password). The first password
 * is one printed once by `npm start` or `rekindle users add`, so this is where it gets replaced.
 * The server ends every session of the account on success, this one included: `onChanged`
 * returns the designer to the sign-in form with a note saying so.
 */
export function ChangePassword({ onClose, onChanged, oneTime = false }: { onClose: () => void; onChanged: (note: string) => void; oneTime?: boolean }) {
  const t = useT();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  /** The server's refusals (auth.controller.ts, accounts.ts SAME_PASSWORD, the sign-in throttle) in the interface's words. */
  const serverWords = (err: unknown): string => {
    if (!(err instanceof ApiError)) return (err as Error).message;
    if (err.status === 429) return t('password.throttled').replace('{n}', String(err.body?.retryAfterSeconds ?? 60));
    if (/^current:/.test(err.message)) return t('password.wrongCurrent');
    if (/^password: the new password must differ/.test(err.message)) return t('password.same');
    return err.message;
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (next.length < MIN_PASSWORD) return setError(t('password.tooShort'));
    if (next !== repeat) return setError(t('password.mismatch'));
    if (next === current) return setError(t('password.same'));
    setBusy(true);
    setError(null);
    try {
      await auth.changePassword(current, next);
      onChanged(t('password.done'));
    } catch (err) {
      setError(serverWords(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="audit-overlay" role="dialog" aria-label={t('password.title')} data-testid="password-dialog">
      <form className="password-panel" onSubmit={submit}>
        <h2>{t('password.title')}</h2>
        {/* Signed in with a generated password: the server refuses everything else until it is replaced, so the only other way out is to sign out. */}
        {oneTime && (
          <p className="signin-note" role="status" data-testid="password-one-time">
            {t('password.oneTime')}
          </p>
        )}
        <label htmlFor="password-current">
          {t('password.current')}
          <input id="password-current" type="password" autoComplete="current-password" autoFocus value={current} onChange={(e) => setCurrent(e.target.value)} data-testid="password-current" />
        </label>
        <label htmlFor="password-new">
          {t('password.new')}
          <input id="password-new" type="password" autoComplete="new-password" value={next} onChange={(e) => setNext(e.target.value)} data-testid="password-new" />
        </label>
        <label htmlFor="password-repeat">
          {t('password.repeat')}
          <input id="password-repeat" type="password" autoComplete="new-password" value={repeat} onChange={(e) => setRepeat(e.target.value)} data-testid="password-repeat" />
        </label>
        {error && (
          <p className="signin-error" role="alert" data-testid="password-error">
            {error}
          </p>
        )}
        <div className="password-buttons">
          <button type="button" onClick={onClose} data-testid="password-cancel">
            {t(oneTime ? 'password.signOut' : 'password.cancel')}
          </button>
          <button type="submit" disabled={busy || !current || !next || !repeat} data-testid="password-submit">
            {t('password.submit')}
          </button>
        </div>
      </form>
    </div>
  );
}
