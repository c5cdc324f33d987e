import { useEffect, useMemo, useState } from 'react';
import { api } from '../../api.js';
import type { CouponTemplate, EventType } from '../../api.js';
import type { Catalogue } from '../RuleBuilder.js';
import type { SegmentInfo } from '../../model/segment-words.js';
import { brokenSegmentsByName, NO_BROKEN_SEGMENTS, type BrokenSegments } from '../../model/broken-segments.js';
import { retried } from '../../model/retried.js';
import type { CataloguePart } from '../../model/load-failure.js';

/** The catalogue's parts, each its own request (a failed one is asked for again alone). */
type Part = CataloguePart;
const PARTS: readonly Part[] = ['facts', 'segments', 'schema', 'shop', 'coupons', 'events'];

/**
 * What the inspector's forms offer: the fact catalogue, the rule files (with their titles), the
 * flow JSON Schema, the shop's time zone, its coupon templates and event types. Each is asked again
 * while the server cannot answer (model/retried.ts); one that still fails is named in `failed`
 * (with its error) and `retry` asks for those again — the forms used to offer empty lists then, as
 * if the shop had no events or coupons, with nothing said.
 */
export function useShopCatalogue() {
  const [catalogue, setCatalogue] = useState<Catalogue>({ facts: [], operators: [] });
  const [segments, setSegments] = useState<SegmentInfo[]>([]);
  // Segments whose file has a mistake: listed apart by the server, shown as unusable (not just missing).
  const [brokenSegments, setBroken] = useState<BrokenSegments>(NO_BROKEN_SEGMENTS);
  const [schema, setSchema] = useState<Record<string, any> | null>(null);
  const [timezone, setTimezone] = useState<string | undefined>(undefined);
  const [coupons, setCoupons] = useState<CouponTemplate[]>([]);
  const [events, setEvents] = useState<EventType[]>([]);
  /** The parts that did not come even after asking again, with the last failure. */
  const [failures, setFailures] = useState<ReadonlyMap<Part, unknown>>(new Map());
  /** Which parts to ask for (again): all at first, the failed ones on 重试. */
  const [asking, setAsking] = useState<{ parts: readonly Part[]; round: number }>({ parts: PARTS, round: 0 });
  const fail = (part: Part, e: unknown) => setFailures((f) => new Map(f).set(part, e));
  const got = (part: Part) => setFailures((f) => (f.has(part) ? new Map([...f].filter(([p]) => p !== part)) : f));
  const keepSegments = (s: Awaited<ReturnType<typeof api.segments>>) => (setSegments(s.rules), setBroken(brokenSegmentsByName(s.broken)));
  useEffect(() => {
    // The page may be gone by the time an answer comes.
    let live = true;
    const ask = <T,>(part: Part, load: () => Promise<T>, set: (v: T) => void) => {
      if (!asking.parts.includes(part)) return;
      retried(load).then(
        (v) => live && (set(v), got(part)),
        (e: unknown) => live && fail(part, e),
      );
    };
    ask('facts', api.facts, (c) => setCatalogue({ facts: c.facts, operators: c.operators }));
    ask('segments', api.segments, keepSegments);
    ask('schema', api.schema, setSchema);
    ask('shop', api.shop, (s) => setTimezone(s.timezone));
    ask('coupons', api.coupons, (c) => setCoupons(c.templates));
    ask('events', api.eventTypes, (e) => setEvents(e.events));
    return () => {
      live = false;
    };
  }, [asking]);
  const retry = () => {
    setAsking((a) => ({ parts: [...failures.keys()], round: a.round + 1 }));
    setFailures(new Map());
  };
  // After a rule is saved from a form: its audience list again (asked again too; a failure is said like the first).
  const reloadRules = () =>
    retried(api.segments).then(
      (s) => (keepSegments(s), got('segments')),
      (e: unknown) => fail('segments', e),
    );
  const ruleNames = useMemo(() => segments.map((s) => s.name), [segments]);
  const schemaFailure = failures.get('schema');
  // The other parts (the schema has its own place: the inspector says it instead of a step's form).
  const otherFailures = [...failures].filter(([p]) => p !== 'schema');
  const failed = otherFailures.length ? { parts: otherFailures.map(([p]) => p), error: otherFailures[0]![1] } : null;
  return { catalogue, ruleNames, segments, brokenSegments, schema, schemaFailed: failures.has('schema') ? { error: schemaFailure } : null, failed, retry, timezone, coupons, events, reloadRules };
}
