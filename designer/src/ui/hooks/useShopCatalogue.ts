import { useEffect, useState } from 'react';
import { api } from '../../api.js';
import type { Catalogue } from '../RuleBuilder.js';

/** What the inspector's forms offer: the fact catalogue, the rule files and the flow JSON Schema. */
export function useShopCatalogue() {
  const [catalogue, setCatalogue] = useState<Catalogue>({ facts: [], operators: [] });
  const [ruleNames, setRuleNames] = useState<string[]>([]);
  const [schema, setSchema] = useState<Record<string, any> | null>(null);
  useEffect(() => {
    api.facts().then((c) => setCatalogue({ facts: c.facts, operators: c.operators })).catch(() => {});
    api.segments().then((s) => setRuleNames(s.rules.map((r) => r.name))).catch(() => {});
    api.schema().then(setSchema).catch(() => {});
  }, []);
  return { catalogue, ruleNames, schema };
}
