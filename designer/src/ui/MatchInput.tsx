import { useState } from 'react';
import { knownProperties, matchKeyWords } from '../model/journey-key-words.js';
import { useLang, useT } from './i18n.js';
import { useJourneyKey } from './journey-key.js';

/**
 * An event's match, optional: rows of "property 等于 本旅程的关键值 / a fixed value". Without rows it
 * is one button, so a marketer who does not need it never sees `orderId=$key` to type.
 */
export function MatchInput({ value, onChange }: { value: Record<string, unknown> | undefined; onChange: (v: Record<string, unknown> | undefined) => void }) {
  const t = useT();
  const lang = useLang();
  const journeyKey = useJourneyKey();
  const [rows, setRows] = useState<{ key: string; journeyKey: boolean; fixed: string }[]>(() => Object.entries(value ?? {}).map(([k, v]) => ({ key: k, journeyKey: v === '$key', fixed: v === '$key' ? '' : String(v) })));
  const commit = (next: typeof rows) => {
    setRows(next);
    const out: Record<string, unknown> = {};
    for (const r of next) {
      if (!r.key.trim()) continue;
      const raw = r.fixed.trim();
      out[r.key.trim()] = r.journeyKey ? '$key' : raw === 'true' ? true : raw === 'false' ? false : raw !== '' && !Number.isNaN(Number(raw)) ? Number(raw) : raw;
    }
    onChange(Object.keys(out).length ? out : undefined);
  };
  const set = (i: number, patch: Partial<(typeof rows)[number]>) => commit(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  return (
    <div className="array match-input" data-testid="match-input">
      {rows.map((r, i) => (
        <div key={i} className="array-item match-row">
          <PropertyInput value={r.key} onChange={(key) => set(i, { key })} />
          <span>{t('match.equals')}</span>
          <select value={r.journeyKey ? 'key' : 'fixed'} onChange={(e) => set(i, { journeyKey: e.target.value === 'key' })} data-testid="match-kind">
            <option value="key">{matchKeyWords(lang, journeyKey)}</option>
            <option value="fixed">{t('match.fixed')}</option>
          </select>
          {!r.journeyKey && <input value={r.fixed} onChange={(e) => set(i, { fixed: e.target.value })} data-testid="match-value" data-content />}
          <button type="button" className="small" onClick={() => commit(rows.filter((_, j) => j !== i))}>
            {t('inspector.remove')}
          </button>
        </div>
      ))}
      <button type="button" className="small" onClick={() => commit([...rows, { key: 'orderId', journeyKey: true, fixed: '' }])} data-testid="match-add">
        + {t(rows.length ? 'match.addMore' : 'match.add')}
      </button>
    </div>
  );
}

/**
 * An event property by its name in words (订单号), its raw name (orderId) only as a hint after it;
 * 其他属性… types one the designer has no words for.
 */
export function PropertyInput({ value, onChange, choices, none, testId = 'match' }: { value: string; onChange: (v: string) => void; choices?: [string, string][]; none?: string; testId?: string }) {
  const t = useT();
  const lang = useLang();
  const known = choices ?? knownProperties(lang);
  // `none` (an optional field): an empty choice that leaves the property out.
  const [typing, setTyping] = useState(() => !known.some(([k]) => k === value) && !(none !== undefined && value === ''));
  return (
    <>
      <select value={typing ? OTHER_PROPERTY : value} onChange={(e) => (e.target.value === OTHER_PROPERTY ? (setTyping(true), onChange('')) : (setTyping(false), onChange(e.target.value)))} data-testid={`${testId}-property`}>
        {none !== undefined && <option value="">{none}</option>}
        {known.map(([k, words]) => (
          <option key={k} value={k}>
            {words}
          </option>
        ))}
        <option value={OTHER_PROPERTY}>{t('match.otherProperty')}</option>
      </select>
      {typing ? <input value={value} placeholder={t('match.property')} onChange={(e) => onChange(e.target.value)} data-testid={`${testId}-key`} data-content /> : value && <code className="muted hint">{value}</code>}
    </>
  );
}
const OTHER_PROPERTY = '\u0000other';
