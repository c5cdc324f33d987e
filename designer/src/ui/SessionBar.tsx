import { useT } from './i18n.js';
import { mayLeave } from './leave-guard.js';
import { useSession } from './SignIn.js';

/**
 * Who is signed in, with the audit log and the 账号 page (admins), change password and sign out. It sits in the top
 * bar, in the page's flow: floating over the page it covered the foot of the inspector (the
 * problems a marketer must read before publishing).
 */
export function SessionBar() {
  const t = useT();
  const session = useSession();
  if (!session) return null;
  const { user } = session;
  return (
    <div className="session-bar" data-testid="session">
      <span data-testid="session-user">
        <span data-content>{user.username}</span> · {t(`role.${user.role}`)}
      </span>
      {user.role === 'admin' && (
        <button type="button" onClick={session.openAudit} data-testid="open-audit">
          {t('session.audit')}
        </button>
      )}
      {user.role === 'admin' && (
        <button type="button" onClick={session.openAccounts} data-testid="open-accounts">
          {t('session.accounts')}
        </button>
      )}
      {user.role && (
        <button type="button" onClick={session.openPassword} data-testid="open-password">
          {t('session.password')}
        </button>
      )}
      {/* Signing out leaves the open editor like any other way out: its pending draft is saved first
          (or the marketer is asked, when it cannot be), since the sign-in form then replaces the app. */}
      <button type="button" onClick={() => void mayLeave().then((ok) => (ok ? session.signOut() : undefined))} data-testid="sign-out">
        {t('session.signOut')}
      </button>
    </div>
  );
}
