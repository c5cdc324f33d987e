import { useState } from 'react';
import { RuleBuilder, JsonEdit, type Catalogue } from './RuleBuilder.js';
import { useT } from './i18n.js';

/**
 * A form generated from the flow's JSON Schema (GET /api/flows/schema, the same generator as
 * rules/schema/flow.schema.json): enums become selects, descriptions become help text,
 * discriminated unions (trigger type, action kind) a select of their variants. Inline
 * `conditions` get the rule builder. Edge fields are left to the canvas.
 */
type S = Record<string, any>;

export interface FormContext {
  catalogue: Catalogue;
  ruleNames: string[];
  /** Keys not shown (edges: drawn on the canvas). */
  skip: ReadonlySet<string>;
}

const EDGE_KEYS = new Set(['next', 'yes', 'no', 'else', 'responded', 'timedOut', 'capped']);
export const NODE_SKIP: ReadonlySet<string> = new Set(['id', 'type', ...EDGE_KEYS]);

function variants(s: S): { key: string; options: S[] } | null {
  const list: S[] | undefined = s.oneOf ?? s.anyOf;
  if (!list || !list.every((v) => v.type === 'object' && v.properties)) return null;
  const key = Object.keys(list[0].properties).find((k) => list.every((v) => v.properties[k]?.const !== undefined));
  return key ? { key, options: list } : null;
}

const typeOf = (s: S): string | undefined => (Array.isArray(s.type) ? 'mixed' : s.type);

export function ObjectFields({ schema, value, onChange, ctx, skip }: { schema: S; value: Record<string, unknown>; onChange: (v: Record<string, unknown>) => void; ctx: FormContext; skip?: ReadonlySet<string> }) {
  const set = (key: string, v: unknown) => {
    const copy = { ...value };
    if (v === undefined || v === '') delete copy[key];
    else copy[key] = v;
    onChange(copy);
  };
  const required: string[] = schema.required ?? [];
  return (
    <div className="fields">
      {Object.entries(schema.properties ?? {}).map(([key, prop]) =>
        skip?.has(key) ? null : <Field key={key} name={key} schema={prop as S} value={value[key]} required={required.includes(key)} onChange={(v) => set(key, v)} ctx={ctx} whole={value} setWhole={onChange} />,
      )}
    </div>
  );
}

function Field({ name, schema, value, onChange, required, ctx, whole, setWhole }: { name: string; schema: S; value: unknown; onChange: (v: unknown) => void; required: boolean; ctx: FormContext; whole: Record<string, unknown>; setWhole: (v: Record<string, unknown>) => void }) {
  const t = useT();
  const help = schema.description as string | undefined;
  const label = (
    <label className="field-label" title={help}>
      {name}
      {required && <span className="req">*</span>}
    </label>
  );
  const wrap = (input: React.ReactNode) => (
    <div className={`field field-${name}`} data-field={name}>
      {label}
      {input}
      {help && <small className="help">{help}</small>}
    </div>
  );

  if (name === 'conditions') {
    if (value === undefined) {
      return wrap(
        <button type="button" className="small" onClick={() => setWhole({ ...without(whole, 'rule'), conditions: { all: [] } })}>
          {t('inspector.useBuilder')}
        </button>,
      );
    }
    return wrap(
      <>
        <RuleBuilder value={value} onChange={onChange} catalogue={ctx.catalogue} />
        <button type="button" className="small" onClick={() => setWhole({ ...without(whole, 'conditions'), rule: ctx.ruleNames[0] ?? '' })}>
          {t('inspector.useRule')}
        </button>
      </>,
    );
  }
  if ((name === 'rule' || name === 'segment') && schema.type === 'string') {
    if (name === 'rule' && value === undefined && whole.conditions !== undefined) return null;
    return wrap(
      <select value={String(value ?? '')} onChange={(e) => onChange(e.target.value || undefined)}>
        <option value="" />
        {!ctx.ruleNames.includes(String(value ?? '')) && value !== undefined && <option>{String(value)}</option>}
        {ctx.ruleNames.map((r) => (
          <option key={r}>{r}</option>
        ))}
      </select>,
    );
  }
  const union = variants(schema);
  if (union) {
    const obj = (value && typeof value === 'object' ? value : {}) as Record<string, unknown>;
    const current = union.options.find((o) => o.properties[union.key].const === obj[union.key]);
    return wrap(
      <div className="sub">
        <select value={String(obj[union.key] ?? '')} onChange={(e) => onChange({ [union.key]: e.target.value })} aria-label={`${name}.${union.key}`}>
          {!current && <option value="" />}
          {union.options.map((o) => (
            <option key={o.properties[union.key].const} value={o.properties[union.key].const} title={o.properties[union.key].description}>
              {o.properties[union.key].const}
            </option>
          ))}
        </select>
        {current && <ObjectFields schema={current} value={obj} onChange={onChange} ctx={ctx} skip={new Set([union.key])} />}
      </div>,
    );
  }
  if (schema.enum) {
    return wrap(
      <select value={value === undefined ? '' : String(value)} onChange={(e) => onChange(e.target.value === '' ? undefined : e.target.value)}>
        {(!required || value === undefined) && <option value="">{schema.default !== undefined ? `(${schema.default})` : ''}</option>}
        {schema.enum.map((v: string) => (
          <option key={v}>{v}</option>
        ))}
      </select>,
    );
  }
  switch (typeOf(schema)) {
    case 'boolean':
      return wrap(<input type="checkbox" checked={value === undefined ? !!schema.default : !!value} onChange={(e) => onChange(e.target.checked)} />);
    case 'number':
    case 'integer':
      return wrap(<input type="number" value={typeof value === 'number' ? value : ''} placeholder={schema.default !== undefined ? String(schema.default) : ''} onChange={(e) => onChange(e.target.value === '' ? undefined : Number(e.target.value))} />);
    case 'string':
      return wrap(
        name === 'template' || name === 'description' ? (
          <textarea rows={3} value={String(value ?? '')} onChange={(e) => onChange(e.target.value)} />
        ) : (
          <input value={String(value ?? '')} placeholder={schema.default !== undefined ? String(schema.default) : ''} onChange={(e) => onChange(e.target.value)} />
        ),
      );
    case 'array':
      if (schema.items?.type === 'string') {
        return wrap(<ListInput value={Array.isArray(value) ? (value as string[]) : []} onChange={(v) => onChange(v.length ? v : undefined)} />);
      }
      return wrap(<ArrayOfObjects schema={schema.items ?? {}} value={Array.isArray(value) ? value : []} onChange={(v) => onChange(v)} ctx={ctx} />);
    case 'object':
      if (schema.properties) {
        const obj = (value && typeof value === 'object' ? value : {}) as Record<string, unknown>;
        return wrap(
          <div className="sub">
            {value === undefined && !required ? (
              <button type="button" className="small" onClick={() => onChange({})}>
                + {name}
              </button>
            ) : (
              <>
                <ObjectFields schema={schema} value={obj} onChange={onChange} ctx={ctx} skip={EDGE_KEYS} />
                {!required && (
                  <button type="button" className="small" onClick={() => onChange(undefined)}>
                    {t('inspector.remove')}
                  </button>
                )}
              </>
            )}
          </div>,
        );
      }
      return wrap(<PairsInput value={(value ?? {}) as Record<string, unknown>} onChange={(v) => onChange(Object.keys(v).length ? v : undefined)} />);
    default:
      return wrap(<JsonEdit value={value} onChange={onChange} />);
  }
}

const without = (o: Record<string, unknown>, key: string) => {
  const c = { ...o };
  delete c[key];
  return c;
};

/** Lists of words typed as "a, b". */
function ListInput({ value, onChange }: { value: string[]; onChange: (v: string[]) => void }) {
  const [text, setText] = useState(value.join(', '));
  return <input value={text} onChange={(e) => setText(e.target.value)} onBlur={() => onChange(text.split(/[,，]/).map((s) => s.trim()).filter(Boolean))} />;
}

/** Event `match`: one `key=value` a line ($key stands for the journey key). */
function PairsInput({ value, onChange }: { value: Record<string, unknown>; onChange: (v: Record<string, unknown>) => void }) {
  const [text, setText] = useState(
    Object.entries(value)
      .map(([k, v]) => `${k}=${v}`)
      .join('\n'),
  );
  const parse = () => {
    const out: Record<string, unknown> = {};
    for (const line of text.split('\n')) {
      const i = line.indexOf('=');
      if (i <= 0) continue;
      const raw = line.slice(i + 1).trim();
      out[line.slice(0, i).trim()] = raw === 'true' ? true : raw === 'false' ? false : raw !== '' && !Number.isNaN(Number(raw)) ? Number(raw) : raw;
    }
    onChange(out);
  };
  return <textarea rows={2} placeholder="orderId=$key" value={text} onChange={(e) => setText(e.target.value)} onBlur={parse} />;
}

function ArrayOfObjects({ schema, value, onChange, ctx }: { schema: S; value: unknown[]; onChange: (v: unknown[]) => void; ctx: FormContext }) {
  const t = useT();
  return (
    <div className="array">
      {value.map((item, i) => (
        <div key={i} className="array-item">
          <ObjectFields schema={schema} value={(item ?? {}) as Record<string, unknown>} onChange={(v) => onChange(value.map((x, j) => (j === i ? v : x)))} ctx={ctx} skip={EDGE_KEYS} />
          <button type="button" className="small" onClick={() => onChange(value.filter((_, j) => j !== i))}>
            {t('inspector.remove')}
          </button>
        </div>
      ))}
      <button type="button" className="small" onClick={() => onChange([...value, {}])}>
        + {t('inspector.add')}
      </button>
    </div>
  );
}
