import { useEffect, useMemo, useState } from 'react';
import { api } from '../../api.js';
import type { CouponTemplate, EventType } from '../../api.js';
import type { Catalogue } from '../RuleBuilder.js';
import type { SegmentInfo } from '../../model/segment-words.js';
import { brokenSegmentsByName, NO_BROKEN_SEGMENTS, type BrokenSegments } from '../../model/broken-segments.js';
import { retried } from '../../model/retried.js';

/** What the inspector's forms offer: the fact catalogue, the rule files (with their titles), the flow JSON Schema, the shop's time zone, its coupon templates and event types. */
export function useShopCatalogue() {
  const [catalogue, setCatalogue] = useState<Catalogue>({ facts: [], operators: [] });
  const [segments, setSegments] = useState<SegmentInfo[]>([]);
  // Segments whose file has a mistake: listed apart by the server, shown as unusable (not just missing).
  const [brokenSegments, setBroken] = useState<BrokenSegments>(NO_BROKEN_SEGMENTS);
  const [schema, setSchema] = useState<Record<string, any> | null>(null);
  // The schema did not come even after asking again: the inspector says so instead of a step's form.
  const [schemaFailed, setSchemaFailed] = useState(false);
  const [timezone, setTimezone] = useState<string | undefined>(undefined);
  const [coupons, setCoupons] = useState<CouponTemplate[]>([]);
  const [events, setEvents] = useState<EventType[]>([]);
  useEffect(() => {
    // Each asked again while the server cannot answer (model/retried.ts); the page may be gone by then.
    let live = true;
    const keep = <T,>(set: (v: T) => void) => (v: T) => void (live && set(v));
    retried(api.facts).then(keep((c) => setCatalogue({ facts: c.facts, operators: c.operators }))).catch(() => {});
    retried(api.segments).then(keep((s) => (setSegments(s.rules), setBroken(brokenSegmentsByName(s.broken))))).catch(() => {});
    retried(api.schema).then(keep(setSchema)).catch(keep(() => setSchemaFailed(true)));
    retried(api.shop).then(keep((s) => setTimezone(s.timezone))).catch(() => {});
    retried(api.coupons).then(keep((c) => setCoupons(c.templates))).catch(() => {});
    retried(api.eventTypes).then(keep((e) => setEvents(e.events))).catch(() => {});
    return () => {
      live = false;
    };
  }, []);
  const reloadRules = () => api.segments().then((s) => (setSegments(s.rules), setBroken(brokenSegmentsByName(s.broken)))).catch(() => {});
  const ruleNames = useMemo(() => segments.map((s) => s.name), [segments]);
  return { catalogue, ruleNames, segments, brokenSegments, schema, schemaFailed, timezone, coupons, events, reloadRules };
}
