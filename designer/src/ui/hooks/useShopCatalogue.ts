import { useEffect, useMemo, useState } from 'react';
import { api } from '../../api.js';
import type { CouponTemplate, EventType } from '../../api.js';
import type { Catalogue } from '../RuleBuilder.js';
import type { SegmentInfo } from '../../model/segment-words.js';
import { brokenSegmentsByName, NO_BROKEN_SEGMENTS, type BrokenSegments } from '../../model/broken-segments.js';

/** What the inspector's forms offer: the fact catalogue, the rule files (with their titles), the flow JSON Schema, the shop's time zone, its coupon templates and event types. */
export function useShopCatalogue() {
  const [catalogue, setCatalogue] = useState<Catalogue>({ facts: [], operators: [] });
  const [segments, setSegments] = useState<SegmentInfo[]>([]);
  // Segments whose file has a mistake: listed apart by the server, shown as unusable (not just missing).
  const [brokenSegments, setBroken] = useState<BrokenSegments>(NO_BROKEN_SEGMENTS);
  const [schema, setSchema] = useState<Record<string, any> | null>(null);
  const [timezone, setTimezone] = useState<string | undefined>(undefined);
  const [coupons, setCoupons] = useState<CouponTemplate[]>([]);
  const [events, setEvents] = useState<EventType[]>([]);
  useEffect(() => {
    api.facts().then((c) => setCatalogue({ facts: c.facts, operators: c.operators })).catch(() => {});
    api.segments().then((s) => (setSegments(s.rules), setBroken(brokenSegmentsByName(s.broken)))).catch(() => {});
    api.schema().then(setSchema).catch(() => {});
    api.shop().then((s) => setTimezone(s.timezone)).catch(() => {});
    api.coupons().then((c) => setCoupons(c.templates)).catch(() => {});
    api.eventTypes().then((e) => setEvents(e.events)).catch(() => {});
  }, []);
  const reloadRules = () => api.segments().then((s) => (setSegments(s.rules), setBroken(brokenSegmentsByName(s.broken)))).catch(() => {});
  const ruleNames = useMemo(() => segments.map((s) => s.name), [segments]);
  return { catalogue, ruleNames, segments, brokenSegments, schema, timezone, coupons, events, reloadRules };
}
