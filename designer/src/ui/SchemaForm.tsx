import { useRetriedLoad } from './hooks/useRetriedLoad.js';
import { loadFailureWords } from '../model/load-failure.js';
import { LoadFailed } from './LoadFailed.js';
import { useEffect, useState } from 'react';
import { couponFromSelect, couponOptions, couponSelectValue, type CouponChoice } from '../model/coupon-options.js';
import { enumLabel, fieldHelp, fieldLabel } from '../model/fields.js';
import { eventKeyChoices } from '../model/journey-key-words.js';
import { triggerWithEvent } from '../model/trigger-key.js';
import { fallbackChoices, limitModeWords } from '../model/node-fields.js';
import { entryWithTrigger, reentryApplies, reentryNote } from '../model/reentry-applies.js';
import { kindMeaning } from '../model/send-kind.js';
import { fromLocalInput, toLocalInput } from '../model/format.js';
import { problemsAt, withoutBrokenAudienceRepeat, type FieldProblems } from '../model/field-problems.js';
import { RuleBuilder, JsonEdit, type Catalogue } from './RuleBuilder.js';
import { InlineAudience } from './InlineAudience.js';
import { MatchInput, PropertyInput } from './MatchInput.js';
import { TimeInput } from './TimeInput.js';
import { DurationInput } from './DurationInput.js';
import { PercentInput } from './PercentInput.js';
import { PERCENT_FIELDS } from '../model/share-percent.js';
import { unsetPlaceholder } from '../model/unset-placeholder.js';
import { ARM_FIELDS, armChoices } from '../model/arm-choices.js';
import { newArrayItem } from '../model/array-item.js';
import { useFieldLabel } from './field-label.js';
import { useLang, useT } from './i18n.js';
import { useSession } from './SignIn.js';
import { editNeedsAdminWords } from '../model/segment-edit.js';
import { api, type EventType } from '../api.js';
import { eventChoices } from '../model/event-options.js';
import { searchSegments, segmentOptionHint, segmentOptionText, segmentTitles, type SegmentInfo } from '../model/segment-words.js';
import { canStartFrom, segmentRuleWords } from '../model/segment-rule-words.js';
import { fieldsInOrder } from '../model/field-order.js';
import { NO_BROKEN_SEGMENTS, type BrokenSegments } from '../model/broken-segments.js';
import { BrokenAudienceNote } from './BrokenAudienceNote.js';

/**
 * A form generated from the flow's JSON Schema (GET /api/flows/schema, the same generator as
 * rules/schema/flow.schema.json): enums become selects, descriptions become help text,
 * discriminated unions (trigger type, action kind) a select of their variants. Inline
 * `conditions` get the rule builder. Edge fields are left to the canvas. Labels and Chinese help
 * come from the message catalogue keyed by schema path (model/fields.ts); durations are typed in
 * words ("3天", "3 days", "72h"); date-times are picked in the shop's time zone.
 */
type S = Record<string, any>;

export interface FormContext {
  catalogue: Catalogue;
  ruleNames: string[];
  /** The segments with their titles and descriptions (GET /api/segments): the pickers show these words. */
  segments?: readonly SegmentInfo[];
  /** Segments whose file has a mistake (GET /api/segments `broken`): offered greyed out with the cause, never picked. */
  brokenSegments?: BrokenSegments;
  /** Keys not shown (edges: drawn on the canvas). */
  skip: ReadonlySet<string>;
  /** The shop's time zone (date-time pickers). */
  timezone?: string;
  /** The flow's entry audience (a segment), which every condition inside the flow is counted within. */
  audience?: { name: string; title?: string; conditions: unknown };
  /** The coupon templates of rules/coupons.yaml (a send node's coupon select). */
  coupons?: readonly CouponChoice[];
  /** The event types the shop knows (GET /api/event-types): offered in the event fields. */
  events?: readonly EventType[];
  /** A segment was saved from the inspector (the rule list reloads). */
  onRuleSaved?: (id: string) => void;
  /** Problems by the value's place with indices ("caps.1.id", a step's "trigger.event"), in words: each shown under its field. */
  fieldProblems?: Readonly<FieldProblems>;
  /** The campaigns the shop's other journeys belong to: 所属活动 offers them (a new one can still be typed). */
  campaigns?: readonly string[];
  /** A send step: why its kind is the default it is where it stands (model/send-kind.ts), said under 消息类别. */
  sendKindReason?: string | null;
  /** An A/B split's arms: its 对照组, 默认组 and 满额后去向 are chosen among them (model/arm-choices.ts). */
  arms?: unknown;
}

const DURATION_PATTERN = '^(\\d+[wdhms])+$';
const isDuration = (s: S) => s.type === 'string' && s.pattern === DURATION_PATTERN;
const isDateTime = (s: S) => s.type === 'string' && typeof s.pattern === 'string' && s.pattern.startsWith('^\\d{4}-\\d{2}-\\d{2}T');
// A schedule's time of day ("09:00"): our own 24-hour field (ui/TimeInput.tsx).
const isTimeOfDay = (s: S) => s.type === 'string' && s.pattern === '^([01]\\d|2[0-3]):[0-5]\\d$';
const join = (path: string, key: string) => (path ? `${path}.${key}` : key);

const EDGE_KEYS = new Set(['next', 'yes', 'no', 'else', 'responded', 'timedOut', 'capped']);
export const NODE_SKIP: ReadonlySet<string> = new Set(['id', 'type', ...EDGE_KEYS]);

function variants(s: S): { key: string; options: S[] } | null {
  const list: S[] | undefined = s.oneOf ?? s.anyOf;
  if (!list || !list.every((v) => v.type === 'object' && v.properties)) return null;
  const key = Object.keys(list[0].properties).find((k) => list.every((v) => v.properties[k]?.const !== undefined));
  return key ? { key, options: list } : null;
}

const typeOf = (s: S): string | undefined => (Array.isArray(s.type) ? 'mixed' : s.type);

/** `path`: the schema's place (labels, help: "caps.id"); `at`: the value's place with its indices ("caps.1.id": problems). */
export function ObjectFields({ schema, value, onChange, ctx, skip, path = '', at = path }: { schema: S; value: Record<string, unknown>; onChange: (v: Record<string, unknown>) => void; ctx: FormContext; skip?: ReadonlySet<string>; path?: string; at?: string }) {
  const set = (key: string, v: unknown) => {
    const copy = { ...value };
    if (v === undefined || v === '') delete copy[key];
    else copy[key] = v;
    onChange(copy);
  };
  const required: string[] = schema.required ?? [];
  return (
    <div className="fields">
      {fieldsInOrder(path, Object.entries(schema.properties ?? {})).map(([key, prop]) =>
        skip?.has(key) ? null : <Field key={key} name={key} path={join(path, key)} at={join(at, key)} schema={prop as S} value={value[key]} required={required.includes(key)} onChange={(v) => set(key, v)} ctx={ctx} whole={value} setWhole={onChange} />,
      )}
    </div>
  );
}

function Field({ name, path, at, schema, value, onChange, required, ctx, whole, setWhole }: { name: string; path: string; at: string; schema: S; value: unknown; onChange: (v: unknown) => void; required: boolean; ctx: FormContext; whole: Record<string, unknown>; setWhole: (v: Record<string, unknown>) => void }) {
  const t = useT();
  const lang = useLang();
  const help = fieldHelp(lang, path, schema.description as string | undefined);
  const tie = useFieldLabel<HTMLDivElement>(); // the label names its input (ui/field-label.ts)
  const label = (
    <label className="field-label" title={help} ref={tie.label} id={tie.labelId}>
      {fieldLabel(lang, path)}
      {required && <span className="req">*</span>}
    </label>
  );
  // `deep`: the field is one widget, so the problems of values inside it are said here too (sub-fields say their own).
  // `quiet`: the field says in its own words why it is as it is (重复进入 on a one-off audience): no generic help under it.
  const wrap = (input: React.ReactNode, deep = true, quiet = false) => (
    <div className={`field field-${name}`} data-field={path} ref={tie.field}>
      {label}
      {input}
      {withoutBrokenAudienceRepeat(problemsAt(ctx.fieldProblems as FieldProblems | undefined, at, deep), (name === 'rule' || name === 'segment') && schema.type === 'string' ? value : undefined, ctx.brokenSegments ?? NO_BROKEN_SEGMENTS).map((p, i) =>
        p.severity === 'error' ? (
          <small key={i} className="error" role="alert" data-testid="field-error" data-field={at}>
            {p.words}
          </small>
        ) : (
          <small key={i} className="warning" data-testid="field-warning" data-field={at}>
            {p.words}
          </small>
        ),
      )}
      {help && !quiet && <small className="help">{help}</small>}
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
        <RuleBuilder value={value} onChange={onChange} catalogue={ctx.catalogue} audience={ctx.audience} />
        <button type="button" className="small" onClick={() => setWhole({ ...without(whole, 'conditions'), rule: ctx.ruleNames[0] ?? '' })}>
          {t('inspector.useRule')}
        </button>
      </>,
    );
  }
  if ((name === 'rule' || name === 'segment') && schema.type === 'string') {
    if (name === 'rule' && value === undefined && whole.conditions !== undefined) return null;
    const segments = ctx.segments ?? ctx.ruleNames.map((n) => ({ name: n, title: null, description: null }));
    const picker = <SegmentPicker value={typeof value === 'string' ? value : undefined} segments={segments} broken={ctx.brokenSegments ?? NO_BROKEN_SEGMENTS} onChange={onChange} count={name === 'segment'} />;
    // The same 编辑 as the entry's (InlineAudience): a branching step's saved audience alone, without 新建/复制.
    return wrap(
      <>
        {picker}
        <InlineAudience catalogue={ctx.catalogue} from={segments.find((s) => s.name === value)} editOnly={name === 'rule'} onSaved={(id) => { ctx.onRuleSaved?.(id); onChange(id); }} />
      </>,
    );
  }
  if (name === 'coupon' && path === 'coupon') {
    // A send node's coupon: a template of rules/coupons.yaml by id, as the flow file stores it.
    return wrap(
      <select value={couponSelectValue(value)} onChange={(e) => onChange(couponFromSelect(e.target.value, value))} data-testid="coupon-select" data-content>
        {couponOptions(lang, ctx.coupons ?? [], value).map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>,
    );
  }
  // 重复进入 on a one-off audience means nothing (model/reentry-applies.ts): why, in place of the choice.
  if (name === 'reentry' && path === 'reentry' && whole.type === 'entry' && !reentryApplies(whole.trigger)) {
    const policy = (value as { policy?: unknown } | undefined)?.policy;
    return wrap(
      <div className="sub" data-testid="reentry-not-applicable">
        <small className="help">{reentryNote(lang)}</small>
        {policy !== undefined && policy !== 'never' && (
          <button type="button" className="small" data-testid="reentry-reset" onClick={() => onChange({ policy: 'never' })}>
            {lang === 'zh' ? '改回「不允许」' : 'Set back to never'}
          </button>
        )}
      </div>,
      true,
      true,
    );
  }
  const union = variants(schema);
  if (union) {
    const obj = (value && typeof value === 'object' ? value : {}) as Record<string, unknown>;
    const current = union.options.find((o) => o.properties[union.key].const === obj[union.key]);
    // The entry's trigger kind: a one-off audience takes 重复进入 back to 不允许 (model/reentry-applies.ts).
    const pickVariant = (v: string) => (path === 'trigger' && whole.type === 'entry' ? setWhole(entryWithTrigger(whole as never, { [union.key]: v }) as Record<string, unknown>) : onChange({ [union.key]: v }));
    return wrap(
      <div className="sub">
        <select value={String(obj[union.key] ?? '')} onChange={(e) => pickVariant(e.target.value)} data-variant={`${name}.${union.key}`}>
          {!current && <option value="" />}
          {union.options.map((o) => (
            <option key={o.properties[union.key].const} value={o.properties[union.key].const}>
              {enumLabel(lang, o.properties[union.key].const)}
            </option>
          ))}
        </select>
        {current && <ObjectFields schema={current} value={obj} onChange={onChange} ctx={ctx} skip={new Set([union.key])} path={path} at={at} />}
      </div>,
      !current,
    );
  }
  // An arm of this split (对照组, 默认组, 满额后去向): chosen among its arms by their names, never typed.
  if (ARM_FIELDS.has(path) && ctx.arms !== undefined && typeOf(schema) === 'string') {
    return wrap(
      <select value={typeof value === 'string' ? value : ''} onChange={(e) => onChange(e.target.value === '' ? undefined : e.target.value)} data-testid={`arm-${path}`} data-content>
        {armChoices(lang, path, ctx.arms, value).map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>,
    );
  }
  // Event names are free text to the schema, but a misspelt one never matches: a select of the known ones, in words.
  if (name === 'event' && typeOf(schema) === 'string') {
    // The trigger's event: the journey key follows it (model/trigger-key.ts), never left naming a property the new event lacks.
    const pick = (v: string) => (path === 'trigger.event' ? setWhole(triggerWithEvent(whole, v || undefined, ctx.events ?? [])) : onChange(v || undefined));
    return wrap(<EventSelect value={typeof value === 'string' ? value : ''} onChange={pick} events={ctx.events ?? []} />);
  }
  if (name === 'events' && schema.type === 'array' && schema.items?.type === 'string') {
    return wrap(<EventListInput value={Array.isArray(value) ? (value as string[]) : []} onChange={(v) => onChange(v.length ? v : undefined)} events={ctx.events ?? []} />);
  }
  // The journey key: a property of the trigger event, picked in words (订单号), as the match's property is.
  if (name === 'key' && path === 'trigger.key' && typeOf(schema) === 'string') {
    return wrap(<PropertyInput key={String(whole.event ?? '')} value={typeof value === 'string' ? value : ''} onChange={(v) => onChange(v || undefined)} choices={eventKeyChoices(lang, whole.event, ctx.events ?? [])} none={t('key.none')} testId="journey-key" />);
  }
  // An event's match (exitOn, waitForEvent, trigger): optional, so shown as an "add" button until used.
  if (name === 'match' && typeOf(schema) === 'object' && !schema.properties) {
    return wrap(<MatchInput value={(value ?? undefined) as Record<string, unknown> | undefined} onChange={onChange} />);
  }
  if (schema.enum) {
    // A send step's fallback is another channel than its own (the flow checks refuse the same one).
    const options: string[] = name === 'fallback' && path === 'fallback' && whole.type === 'send' ? fallbackChoices(whole, schema.enum) : schema.enum;
    return wrap(
      <>
        <select value={value === undefined ? '' : String(value)} onChange={(e) => onChange(e.target.value === '' ? undefined : e.target.value)} data-testid={`enum-${path}`}>
          {(!required || value === undefined) && <option value="">{schema.default !== undefined ? `(${enumLabel(lang, schema.default)})` : ''}</option>}
          {value !== undefined && !options.includes(String(value)) && <option value={String(value)}>{enumLabel(lang, value)}</option>}
          {options.map((v: string) => (
            <option key={v} value={v}>
              {enumLabel(lang, v)}
            </option>
          ))}
        </select>
        {name === 'category' && path === 'category' && whole.type === 'send' && (
          <small className="help kind-help" data-testid="send-kind-words">
            {kindMeaning(lang, value)}
            {ctx.sendKindReason ? <span data-testid="send-kind-reason">{lang === 'zh' ? '。' : '. '}{ctx.sendKindReason}</span> : null}
          </small>
        )}
        {name === 'mode' && path === 'mode' && whole.type === 'limit' && (
          <small className="help" data-testid="limit-mode-words">
            {limitModeWords(lang, whole)}
          </small>
        )}
      </>,
      true,
      // A send's 消息类别 says what the chosen kind counts against: the generic help would repeat it.
      name === 'category' && path === 'category' && whole.type === 'send',
    );
  }
  switch (typeOf(schema)) {
    case 'boolean':
      return wrap(<input type="checkbox" checked={value === undefined ? !!schema.default : !!value} onChange={(e) => onChange(e.target.checked)} />);
    case 'number':
    case 'integer':
      // A share the file keeps as 0.3, typed as 30 % (its help says 例如 30%).
      if (PERCENT_FIELDS.has(path)) return wrap(<PercentInput value={value} onChange={onChange} testId={`percent-${path}`} placeholder={unsetPlaceholder(lang, path, schema.default)} />);
      // Empty, the grey text says what applies (默认 50), not a bare 50 that reads as set (model/unset-placeholder.ts).
      return wrap(<input type="number" value={typeof value === 'number' ? value : ''} placeholder={unsetPlaceholder(lang, path, schema.default)} onChange={(e) => onChange(e.target.value === '' ? undefined : Number(e.target.value))} />);
    case 'string':
      // Once the checks name the unreadable duration beside the field, the input's own hint would say it twice.
      if (isDuration(schema)) return wrap(<DurationInput value={typeof value === 'string' ? value : ''} onChange={onChange} sayUnreadable={!problemsAt(ctx.fieldProblems as FieldProblems | undefined, at, true).some((p) => p.severity === 'error')} />);
      if (isDateTime(schema)) return wrap(<DateTimeInput value={typeof value === 'string' ? value : ''} onChange={onChange} timezone={ctx.timezone} />);
      if (isTimeOfDay(schema)) return wrap(<TimeInput value={typeof value === 'string' ? value : ''} onChange={onChange} label={fieldLabel(lang, path)} fallback={typeof schema.default === 'string' ? schema.default : undefined} />);
      if (name === 'campaign' && path === 'campaign') {
        return wrap(
          <>
            <input value={String(value ?? '')} list="campaign-choices" onChange={(e) => onChange(e.target.value)} data-testid="campaign-input" />
            <datalist id="campaign-choices" data-testid="campaign-choices">
              {(ctx.campaigns ?? []).map((c) => (
                <option key={c} value={c} />
              ))}
            </datalist>
          </>,
        );
      }
      return wrap(
        name === 'template' || name === 'description' ? (
          <textarea rows={3} value={String(value ?? '')} onChange={(e) => onChange(e.target.value)} />
        ) : (
          <input value={String(value ?? '')} placeholder={schema.default !== undefined ? String(schema.default) : ''} onChange={(e) => onChange(e.target.value)} />
        ),
      );
    case 'array':
      // A list of known values (a cap's message categories, its channels): ticks in words, never
      // a text box holding "marketing".
      if (schema.items?.type === 'string' && Array.isArray(schema.items.enum)) {
        return wrap(<EnumListInput options={schema.items.enum as string[]} value={Array.isArray(value) ? (value as string[]) : Array.isArray(schema.default) ? (schema.default as string[]) : []} onChange={(v) => onChange(v.length ? v : undefined)} testId={path} />);
      }
      if (schema.items?.type === 'string') {
        return wrap(<ListInput value={Array.isArray(value) ? (value as string[]) : []} onChange={(v) => onChange(v.length ? v : undefined)} />);
      }
      return wrap(<ArrayOfObjects schema={schema.items ?? {}} value={Array.isArray(value) ? value : []} onChange={(v) => onChange(v)} ctx={ctx} path={path} at={at} />, false);
    case 'object':
      if (schema.properties) {
        const obj = (value && typeof value === 'object' ? value : {}) as Record<string, unknown>;
        return wrap(
          <div className="sub">
            {value === undefined && !required ? (
              <button type="button" className="small" onClick={() => onChange({})}>
                + {fieldLabel(lang, path)}
              </button>
            ) : (
              <>
                <ObjectFields schema={schema} value={obj} onChange={onChange} ctx={ctx} skip={EDGE_KEYS} path={path} at={at} />
                {!required && (
                  <button type="button" className="small" onClick={() => onChange(undefined)}>
                    {t('inspector.remove')}
                  </button>
                )}
              </>
            )}
          </div>,
          value === undefined && !required,
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

/**
 * The segment picker: a search over the segments' titles, ids and descriptions, a select whose
 * options say the title with the id after it, and under it the chosen segment's description and,
 * for an entry's audience, how many customers it holds now (GET /api/segments/:name/count, one
 * request for the one chosen segment, not one per option).
 */
function SegmentPicker({ value, segments, broken, onChange, count }: { value: string | undefined; segments: readonly SegmentInfo[]; broken: BrokenSegments; onChange: (v: string | undefined) => void; count: boolean }) {
  const t = useT();
  const lang = useLang();
  const [query, setQuery] = useState('');
  const shown = searchSegments(segments, query, value);
  const chosen = segments.find((s) => s.name === value);
  // Only an admin may edit it (publish approval, live journeys): the hint then points at the copy alone.
  const role = useSession()?.user.role ?? null;
  const adminOnly = editNeedsAdminWords(lang, chosen, role) !== null;
  // Asked again while the server cannot answer; a failure says why, with 重试 (it said 无法统计人数 with no way to ask again).
  const asked = count && !!value && !!chosen;
  // Asked again after the audience is edited in place (its revision changes): the size by the new conditions.
  const size = useRetriedLoad(async () => (asked ? { count: (await api.segmentCount(value!)).count as number | null } : null), [asked, value, chosen?.revision]);
  const known = size.data;
  return (
    <div className="segment-picker" data-testid="segment-picker">
      <input type="search" value={query} placeholder={t('segment.search')} onChange={(e) => setQuery(e.target.value)} data-testid="segment-search" />
      <select value={value ?? ''} onChange={(e) => onChange(e.target.value || undefined)} data-content data-testid="segment-select">
        <option value="" />
        {value !== undefined && !chosen && !broken.has(value) && <option value={value}>{value}</option>}
        {/* Titles alone (the id only where two titles are the same); the description and the id in the tooltip. */}
        {shown.map((s) => (
          <option key={s.name} value={s.name} title={segmentOptionHint(s)}>
            {segmentOptionText(s, segments)}
          </option>
        ))}
        {/* A broken audience file: listed so the marketer sees it exists, but disabled (the chosen one stays as the value). */}
        {[...broken.values()].map((b) => (
          <option key={`broken:${b.name}`} value={b.name} disabled data-broken data-testid={`segment-broken-option-${b.name}`}>
            {t('segment.brokenOption').replace('{name}', b.name)}
          </option>
        ))}
      </select>
      {value !== undefined && broken.has(value) && <BrokenAudienceNote broken={broken.get(value)!} testId="segment-broken" className="error" />}
      {query && shown.filter((s) => s.name !== value).length === 0 && <small className="help">{t('segment.noMatch')}</small>}
      {chosen && (chosen.description || known || (asked && size.failed)) && (
        <small className="help segment-about" data-testid="segment-about">
          {chosen.description && <span data-content>{chosen.description}</span>}
          {asked && size.failed && <LoadFailed inline words={loadFailureWords(lang, 'segmentCount', size.failed.error)} retry={size.retry} testId="segment-count-failed" />}
          {known && <span data-testid="segment-count">{known.count === null ? t('segment.countUnknown') : t('segment.count').replace('{n}', known.count.toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-US'))}</span>}
        </small>
      )}
      {/* What the chosen audience selects, in words (it showed by its name alone); at the entry, how to change it. */}
      {chosen && chosen.conditions !== undefined && (
        <div className="segment-rule">
          <span data-content data-testid="segment-rule">{t('segment.rule').replace('{rule}', segmentRuleWords(lang, chosen.conditions, segmentTitles(segments)))}</span>
          {count && (
            <small className="help" title={`rules/segments/${chosen.name}`} data-testid="segment-how-to-change">
              {t(!canStartFrom(chosen) ? 'segment.howToChangeBuild' : adminOnly ? 'segment.howToChangeCopy' : 'segment.howToChange')}
            </small>
          )}
        </div>
      )}
    </div>
  );
}

const OTHER_EVENT = '\u0000other';

/**
 * One event: a select of the known events in words (the raw code only for events the shop never
 * described). 其他事件 opens a text field for an event the shop has not sent or declared yet (a
 * flow drawn before the shop's system sends it), or one a file names; the Problems panel says
 * when such a name is one slip from a known event.
 */
function EventSelect({ value, onChange, events }: { value: string; onChange: (v: string) => void; events: readonly EventType[] }) {
  const lang = useLang();
  const t = useT();
  const choices = eventChoices(lang, events);
  const known = choices.some((c) => c.value === value);
  const [other, setOther] = useState(false);
  // Until the event types load, a named event counts as known (no text field flashes open).
  const typing = other || (value !== '' && !known && events.length > 0);
  return (
    <div className="event-select">
      <select value={typing ? OTHER_EVENT : known || value === '' ? value : ''} onChange={(e) => (e.target.value === OTHER_EVENT ? setOther(true) : (setOther(false), onChange(e.target.value)))} data-testid="event-select">
        <option value="">{t('events.choose')}</option>
        {choices.map((c) => (
          // An event only seen in the log is the shop's own code: content, not interface.
          <option key={c.value} value={c.value} title={c.value} data-declared={c.kind === 'declared' || undefined} data-content={c.kind === 'seen' ? '' : undefined}>
            {c.label}
          </option>
        ))}
        <option value={OTHER_EVENT}>{t('events.other')}</option>
      </select>
      {typing && <input value={value} placeholder={t('events.code')} onChange={(e) => onChange(e.target.value)} data-testid="event-input" data-content />}
    </div>
  );
}

/** A list of events (waitForEvent): one select each. */
function EventListInput({ value, onChange, events }: { value: string[]; onChange: (v: string[]) => void; events: readonly EventType[] }) {
  const t = useT();
  return (
    <div className="array">
      {value.map((name, i) => (
        <div key={i} className="array-item">
          <EventSelect value={name} onChange={(v) => onChange(value.map((x, j) => (j === i ? v : x)))} events={events} />
          <button type="button" className="small" onClick={() => onChange(value.filter((_, j) => j !== i))}>
            {t('inspector.remove')}
          </button>
        </div>
      ))}
      <button type="button" className="small" onClick={() => onChange([...value, ''])}>
        + {t('inspector.add')}
      </button>
    </div>
  );
}

/** A list of values from a fixed set, one tick each in the schema's order (none ticked: the field is left out, its default applies). */
export function EnumListInput({ options, value, onChange, testId }: { options: string[]; value: string[]; onChange: (v: string[]) => void; testId: string }) {
  const lang = useLang();
  return (
    <div className="enum-list" data-testid={`enum-list-${testId}`}>
      {options.map((o) => (
        <label key={o} className="inline" title={o}>
          <input type="checkbox" value={o} checked={value.includes(o)} onChange={(e) => onChange(options.filter((x) => (x === o ? e.target.checked : value.includes(x))))} /> {enumLabel(lang, o)}
        </label>
      ))}
    </div>
  );
}


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

function ArrayOfObjects({ schema, value, onChange, ctx, path, at }: { schema: S; value: unknown[]; onChange: (v: unknown[]) => void; ctx: FormContext; path: string; at: string }) {
  const t = useT();
  return (
    <div className="array">
      {value.map((item, i) => (
        <div key={i} className="array-item">
          <ObjectFields schema={schema} value={(item ?? {}) as Record<string, unknown>} onChange={(v) => onChange(value.map((x, j) => (j === i ? v : x)))} ctx={ctx} skip={EDGE_KEYS} path={path} at={`${at}.${i}`} />
          <button type="button" className="small" onClick={() => onChange(value.filter((_, j) => j !== i))}>
            {t('inspector.remove')}
          </button>
        </div>
      ))}
      <button type="button" className="small" onClick={() => onChange([...value, newArrayItem(path, value)])}>
        + {t('inspector.add')}
      </button>
    </div>
  );
}

/**
 * A date-time picked in the shop's time zone; kept as ISO with the shop's offset. A date picker
 * and our own 24-hour time field, not <input type="datetime-local">, which drew the time in the
 * browser's locale ("11:00 PM" in an English browser).
 */
function DateTimeInput({ value, onChange, timezone }: { value: string; onChange: (v: string | undefined) => void; timezone?: string }) {
  const t = useT();
  const local = toLocalInput(value, timezone);
  const [date, time] = local ? local.split('T') : ['', ''];
  return (
    <>
      <span className="date-time" data-kind="date-time">
        <input type="date" value={date} aria-label={t('datetime.date')} onChange={(e) => onChange(e.target.value ? fromLocalInput(`${e.target.value}T${time || '00:00'}`, timezone) : undefined)} />
        <TimeInput value={time} label={t('datetime.time')} onChange={(v) => date && v && /^\d{2}:\d{2}$/.test(v) && onChange(fromLocalInput(`${date}T${v}`, timezone))} />
      </span>
      <small className="help">{t('datetime.shopZone').replace('{tz}', zoneName(timezone ?? 'Asia/Shanghai', t))}</small>
    </>
  );
}

/** "Asia/Shanghai" → 北京时间 / China time; other zones by their IANA name. */
function zoneName(tz: string, t: (k: string) => string): string {
  return tz === 'Asia/Shanghai' ? t('datetime.china') : tz;
}
