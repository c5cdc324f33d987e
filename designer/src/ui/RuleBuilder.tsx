import { retried } from '../model/retried.js';
import { whyNotLoaded } from '../model/load-failure.js';
import { useEffect, useState } from 'react';
import { api } from '../api.js';
import {
  dateInputToInstant, defaultValue, fromConditions, instantToDateInput, isGroup, newRow, operatorsFor, parseList, PROVINCES, toConditions, valueKind,
  type Fact, type Group, type Item, type Operator, type Row,
} from '../model/rule-builder.js';
import { FACT_WORDS, factLabel, operatorLabel, valueWords } from '../model/words.js';
import { useLang, useT } from './i18n.js';

export interface Catalogue {
  facts: Fact[];
  operators: Operator[];
}

/**
 * all/any groups of fact–operator–value rows over the fact catalogue (facts, operators and
 * values in words), with the live count of matching customers (POST /api/segments/preview) as the
 * marketer edits: "N of M customers", where M is the flow's entry audience when it has one (a
 * condition inside a flow only ever sees the customers its entry lets in). Conditions the builder
 * cannot show (not, references to rules) are edited as JSON instead.
 */
export function RuleBuilder({ value, onChange, catalogue, audience }: { value: unknown; onChange: (v: unknown) => void; catalogue: Catalogue; audience?: { name: string; title?: string; conditions: unknown } }) {
  const t = useT();
  const lang = useLang();
  const group = fromConditions(value);
  const [count, setCount] = useState<{ n?: number; of?: number; error?: string; busy: boolean }>({ busy: false });
  const key = JSON.stringify([value, audience]);
  useEffect(() => {
    let live = true;
    setCount((c) => ({ ...c, busy: true }));
    const timer = setTimeout(() => {
      const within = audience ? { all: [audience.conditions, value] } : value;
      // The "of M" is left out when the audience cannot be counted; the count itself says why it is missing.
      Promise.all([retried(() => api.preview(within)), api.preview(audience?.conditions ?? { all: [] }).catch(() => null)])
        .then(([r, all]) => live && setCount({ n: r.count, of: all?.count, busy: false }))
        .catch((e: unknown) => live && setCount({ error: whyNotLoaded(lang, e), busy: false })); // 服务器出错（503）, not "Service Unavailable"
    }, 350);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [key]);
  const scope = audience ? t('rule.inAudience').replace('{name}', audience.title ?? audience.name) : '';
  return (
    <div className="rule-builder" data-testid="rule-builder">
      {group ? <GroupView group={group} catalogue={catalogue} onChange={(g) => onChange(toConditions(g))} root /> : <JsonEdit value={value} onChange={onChange} note={t('rule.unsupported')} />}
      <div className="rule-count" data-testid="rule-count">
        {count.busy ? (
          t('rule.counting')
        ) : count.error ? (
          <span className="error">{count.error}</span>
        ) : (
          <>
            {t('rule.countOf')
              .replace('{n}', String(count.n ?? '—'))
              .replace('{m}', String(count.of ?? '—'))}
            {scope}
          </>
        )}
      </div>
    </div>
  );
}

function GroupView({ group, onChange, catalogue, root, onRemove }: { group: Group; onChange: (g: Group) => void; catalogue: Catalogue; root?: boolean; onRemove?: () => void }) {
  const t = useT();
  const setItem = (i: number, item: Item | null) => onChange({ ...group, items: item ? group.items.map((x, j) => (j === i ? item : x)) : group.items.filter((_, j) => j !== i) });
  return (
    <div className={`rule-group${root ? ' root' : ''}`}>
      <div className="rule-group-head">
        <select value={group.kind} onChange={(e) => onChange({ ...group, kind: e.target.value as Group['kind'] })} aria-label="group">
          <option value="all">{t('rule.all')}</option>
          <option value="any">{t('rule.any')}</option>
        </select>
        {onRemove && (
          <button type="button" className="small" onClick={onRemove}>
            ✕
          </button>
        )}
      </div>
      {group.items.map((item, i) =>
        isGroup(item) ? (
          <GroupView key={i} group={item} catalogue={catalogue} onChange={(g) => setItem(i, g)} onRemove={() => setItem(i, null)} />
        ) : (
          <RowView key={i} row={item} catalogue={catalogue} onChange={(r) => setItem(i, r)} onRemove={() => setItem(i, null)} />
        ),
      )}
      <div className="rule-group-add">
        <button type="button" className="small" data-testid="rule-add-row" onClick={() => onChange({ ...group, items: [...group.items, newRow(catalogue.facts, catalogue.operators)] })}>
          {t('rule.addRow')}
        </button>
        <button type="button" className="small" onClick={() => onChange({ ...group, items: [...group.items, { kind: group.kind === 'all' ? 'any' : 'all', items: [newRow(catalogue.facts, catalogue.operators)] }] })}>
          {t('rule.addGroup')}
        </button>
      </div>
    </div>
  );
}

function RowView({ row, onChange, onRemove, catalogue }: { row: Row; onChange: (r: Row) => void; onRemove: () => void; catalogue: Catalogue }) {
  const t = useT();
  const lang = useLang();
  const fact = catalogue.facts.find((f) => f.name === row.fact);
  const ops = operatorsFor(fact, catalogue.operators);
  const kind = valueKind(fact, row.operator);
  const setFact = (name: string) => {
    const f = catalogue.facts.find((x) => x.name === name);
    const op = operatorsFor(f, catalogue.operators).some((o) => o.name === row.operator) ? row.operator : (operatorsFor(f, catalogue.operators)[0]?.name ?? 'equal');
    onChange({ fact: name, operator: op, value: defaultValue(valueKind(f, op), f) });
  };
  const setOp = (op: string) => {
    const same = valueKind(fact, op) === kind;
    onChange({ ...row, operator: op, value: same ? row.value : defaultValue(valueKind(fact, op), fact) });
  };
  return (
    <div className="rule-row" data-testid="rule-row">
      <select value={row.fact} onChange={(e) => setFact(e.target.value)} title={lang === 'en' ? fact?.description : undefined} aria-label={t('rule.fact')} data-testid="rule-fact">
        {!fact && <option value={row.fact}>{row.fact}</option>}
        {catalogue.facts.map((f) => (
          <option key={f.name} value={f.name}>
            {factLabel(lang, f.name)}
          </option>
        ))}
      </select>
      <select value={row.operator} onChange={(e) => setOp(e.target.value)} aria-label={t('rule.operator')} data-testid="rule-operator">
        {!ops.some((o) => o.name === row.operator) && <option value={row.operator}>{operatorLabel(lang, row.operator)}</option>}
        {ops.map((o) => (
          <option key={o.name} value={o.name}>
            {operatorLabel(lang, o.name)}
          </option>
        ))}
      </select>
      <ValueInput kind={kind} fact={fact} value={row.value} onChange={(v) => onChange({ ...row, value: v })} />
      {FACT_WORDS[row.fact]?.unit === 'money' && <span className="unit">{t('unit.yuan')}</span>}
      {FACT_WORDS[row.fact]?.unit === 'days' && <span className="unit">{t('unit.days')}</span>}
      {FACT_WORDS[row.fact]?.unit === 'hours' && <span className="unit">{t('unit.hours')}</span>}
      <button type="button" className="small" onClick={onRemove} aria-label={t('inspector.remove')} data-testid="rule-remove">
        ✕
      </button>
    </div>
  );
}

function ValueInput({ kind, fact, value, onChange }: { kind: ReturnType<typeof valueKind>; fact?: Fact; value: unknown; onChange: (v: unknown) => void }) {
  const t = useT();
  const lang = useLang();
  const tid = { 'data-testid': 'rule-value', 'aria-label': t('rule.value') };
  const word = (v: string) => valueWords(lang, fact?.name ?? '', v);
  switch (kind) {
    case 'number':
    case 'days':
      return <input type="number" {...tid} value={typeof value === 'number' ? value : ''} onChange={(e) => onChange(e.target.value === '' ? null : Number(e.target.value))} />;
    case 'boolean':
      return (
        <select {...tid} value={String(value)} onChange={(e) => onChange(e.target.value === 'true')}>
          <option value="true">{word('true')}</option>
          <option value="false">{word('false')}</option>
        </select>
      );
    case 'date':
      return <input type="date" {...tid} value={instantToDateInput(value)} onChange={(e) => onChange(dateInputToInstant(e.target.value))} />;
    case 'dateRange':
    case 'range': {
      const pair = Array.isArray(value) ? value : [null, null];
      const one = (i: number) =>
        kind === 'range' ? (
          <input type="number" value={typeof pair[i] === 'number' ? pair[i] : ''} onChange={(e) => onChange(pair.map((v, j) => (j === i ? Number(e.target.value) : v)))} />
        ) : (
          <input type="date" value={instantToDateInput(pair[i])} onChange={(e) => onChange(pair.map((v, j) => (j === i ? dateInputToInstant(e.target.value) : v)))} />
        );
      return (
        <span className="pair" {...tid}>
          {one(0)}–{one(1)}
        </span>
      );
    }
    case 'choice':
    case 'province': {
      const opts = kind === 'province' ? PROVINCES : (fact?.values ?? []);
      return (
        <select {...tid} value={String(value ?? '')} onChange={(e) => onChange(e.target.value)}>
          {!opts.includes(String(value)) && <option value={String(value ?? '')}>{String(value ?? '')}</option>}
          {opts.map((v) => (
            <option key={v} value={v}>
              {word(v)}
            </option>
          ))}
        </select>
      );
    }
    case 'choices':
    case 'provinces': {
      const opts = kind === 'provinces' ? PROVINCES : (fact?.values ?? []);
      const chosen = Array.isArray(value) ? value.map(String) : [];
      return (
        <select multiple {...tid} className="multi" value={chosen} onChange={(e) => onChange([...e.target.selectedOptions].map((o) => o.value))}>
          {opts.map((v) => (
            <option key={v} value={v}>
              {word(v)}
            </option>
          ))}
        </select>
      );
    }
    case 'texts':
      return <input {...tid} defaultValue={Array.isArray(value) ? value.join(', ') : ''} onBlur={(e) => onChange(parseList(e.target.value, fact?.type === 'number'))} />;
    default:
      return <input {...tid} value={String(value ?? '')} onChange={(e) => onChange(e.target.value)} />;
  }
}

export function JsonEdit({ value, onChange, note }: { value: unknown; onChange: (v: unknown) => void; note?: string }) {
  const [text, setText] = useState(() => JSON.stringify(value ?? {}, null, 2));
  const [error, setError] = useState<string | null>(null);
  return (
    <div className="json-edit">
      {note && <div className="note">{note}</div>}
      <textarea
        rows={6}
        value={text}
        onChange={(e) => setText(e.target.value)}
        onBlur={() => {
          try {
            onChange(JSON.parse(text));
            setError(null);
          } catch (e) {
            setError((e as Error).message);
          }
        }}
      />
      {error && <div className="error">{error}</div>}
    </div>
  );
}
