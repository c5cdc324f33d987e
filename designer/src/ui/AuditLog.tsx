import { LoadFailed } from './LoadFailed.js';
import { loadFailureWords } from '../model/load-failure.js';
import { useRetriedLoad } from './hooks/useRetriedLoad.js';
import { useEffect, useState } from 'react';
import { api, auth, type AuditEntry } from '../api.js';
import { AUDIT_LONG_KEYS, auditActionWords, auditActorWords, auditDetailShown, auditDetailWords, auditFlowNameWords, auditTargetWords } from '../model/audit-words.js';
import { DEFAULT_TIMEZONE, formatDateTime } from '../model/format.js';
import type { Lang } from '../model/i18n.js';
import { useLang } from './i18n.js';

const WORDS: Record<Lang, Record<'title' | 'time' | 'who' | 'action' | 'target' | 'detail' | 'older' | 'close' | 'beforeAfter', string>> = {
  zh: { title: '审计日志', time: '时间', who: '操作人', action: '操作', target: '对象', detail: '变更内容', older: '更早的记录', close: '关闭', beforeAfter: '修改前 / 修改后' },
  en: { title: 'Audit log', time: 'Time', who: 'Who', action: 'Action', target: 'Target', detail: 'What changed', older: 'Older', close: 'Close', beforeAfter: 'before / after' },
};

/**
 * The audit log for admins: who saved, published, paused, stopped, changed the policy or a block
 * list, imported or exported customer data, managed accounts — newest first, with what changed,
 * in words (model/audit-words.ts) and at the shop's time, as every other view dates things.
 */
export function AuditLog({ onClose }: { onClose: () => void }) {
  const lang = useLang();
  const w = WORDS[lang];
  const [entries, setEntries] = useState<AuditEntry[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [more, setMore] = useState(true);
  // Asked again while the server cannot answer; if it still does not come the log says which zone its times are in.
  const shop = useRetriedLoad(() => api.shop(), []);
  const timezone = shop.data?.timezone ?? DEFAULT_TIMEZONE;
  const when = (ms: number) => formatDateTime(lang, ms, timezone);

  const load = async (before?: number) => {
    try {
      const r = await auth.audit(before);
      setEntries((old) => (before ? [...old, ...r.entries] : r.entries));
      setMore(r.entries.length === 100);
    } catch (e) {
      setError((e as Error).message);
    }
  };
  useEffect(() => {
    void load();
  }, []);

  return (
    <div className="audit-overlay" role="dialog" aria-label={w.title} data-testid="audit">
      <div className="audit-panel">
        <header>
          <h2>{w.title}</h2>
          <button type="button" onClick={onClose} data-testid="audit-close" aria-label={w.close}>
            ×
          </button>
        </header>
        {error && <p className="signin-error">{error}</p>}
        {shop.failed && <LoadFailed words={loadFailureWords(lang, 'timezoneDefault', shop.failed.error)} retry={shop.retry} testId="audit-timezone-failed" />}
        <table>
          <thead>
            <tr>
              <th>{w.time}</th>
              <th>{w.who}</th>
              <th>{w.action}</th>
              <th>{w.target}</th>
              <th>{w.detail}</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => {
              const target = auditTargetWords(lang, e.target);
              const flowName = auditFlowNameWords(lang, e);
              return (
                <tr key={e.id} data-testid="audit-row" data-action={e.action} data-target={e.target}>
                  <td data-testid="audit-time">{when(e.at)}</td>
                  <td data-content title={e.actor}>{auditActorWords(lang, e.actor)}</td>
                  <td title={e.action}>{auditActionWords(lang, e.action)}</td>
                  <td>
                    {target.kind} <span data-content>{target.name}</span>
                    {flowName && (
                      <span data-testid="audit-flow-name">
                        {lang === 'zh' ? '（' : ' ('}
                        <span data-content>{flowName}</span>
                        {lang === 'zh' ? '）' : ')'}
                      </span>
                    )}
                  </td>
                  <td>
                    <Detail lang={lang} detail={auditDetailShown(e)} when={when} beforeAfter={w.beforeAfter} />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        {more && entries.length > 0 && (
          <button type="button" onClick={() => load(entries[entries.length - 1].id)}>
            {w.older}
          </button>
        )}
      </div>
    </div>
  );
}

function Detail({ lang, detail, when, beforeAfter }: { lang: Lang; detail: Record<string, unknown>; when: (ms: number) => string; beforeAfter: string }) {
  const parts = auditDetailWords(lang, detail, when);
  const long = AUDIT_LONG_KEYS.filter((k) => typeof detail[k] === 'string');
  return (
    <>
      {parts.map((p, i) => (
        <span key={p.label} className="audit-detail">
          {i > 0 ? (lang === 'zh' ? '，' : ', ') : ''}
          {p.label}
          {lang === 'zh' ? '：' : ': '}
          <span data-content>{p.value}</span>
        </span>
      ))}
      {long.length > 0 && (
        <details>
          <summary>{long.includes('before') || long.includes('after') ? beforeAfter : lang === 'zh' ? '全文' : 'full text'}</summary>
          {long.map((k) => (
            <pre key={k} data-content>
              {String(detail[k])}
            </pre>
          ))}
        </details>
      )}
    </>
  );
}
