/**
 * The rule builder's model: inline json-rules-engine conditions ⇄ groups of rows, and which
 * input a row's value gets from its fact's type and operator (the fact catalogue, GET /api/facts).
 */
export interface Fact {
  name: string;
  type: 'number' | 'date' | 'string' | 'enum' | 'list' | 'boolean';
  description: string;
  values: string[] | null;
  unit: string | null;
}
export interface Operator {
  name: string;
  description: string;
  factTypes: string[];
}

export interface Row {
  fact: string;
  operator: string;
  value: unknown;
}
export interface Group {
  kind: 'all' | 'any';
  items: Item[];
}
export type Item = Row | Group;

export const isGroup = (i: Item): i is Group => (i as Group).kind !== undefined;

/** Conditions the builder can show as groups and rows; null for others (edited as JSON instead). */
export function fromConditions(c: unknown): Group | null {
  if (!c || typeof c !== 'object' || Array.isArray(c)) return null;
  const o = c as Record<string, unknown>;
  const kind = Array.isArray(o.all) ? 'all' : Array.isArray(o.any) ? 'any' : null;
  if (!kind || Object.keys(o).length !== 1) return null;
  const items: Item[] = [];
  for (const x of o[kind] as unknown[]) {
    const g = fromConditions(x);
    if (g) {
      items.push(g);
      continue;
    }
    const r = x as Record<string, unknown>;
    if (!r || typeof r !== 'object' || typeof r.fact !== 'string' || typeof r.operator !== 'string' || !('value' in r) || Object.keys(r).some((k) => !['fact', 'operator', 'value'].includes(k))) return null;
    items.push({ fact: r.fact, operator: r.operator, value: r.value });
  }
  return { kind, items };
}

export function toConditions(g: Group): Record<string, unknown> {
  return { [g.kind]: g.items.map((i) => (isGroup(i) ? toConditions(i) : { fact: i.fact, operator: i.operator, value: i.value })) };
}

export function operatorsFor(fact: Fact | undefined, operators: readonly Operator[]): Operator[] {
  return fact ? operators.filter((o) => o.factTypes.includes(fact.type)) : [];
}

export type ValueKind = 'number' | 'days' | 'date' | 'boolean' | 'choice' | 'choices' | 'text' | 'texts' | 'range' | 'dateRange' | 'province' | 'provinces';

const LIST_OPS = new Set(['in', 'notIn', 'containsAny']);

/** The input for a row's value: from the operator first (lists, ranges, days), then the fact's type. */
export function valueKind(fact: Fact | undefined, operator: string): ValueKind {
  if (operator === 'withinLastDays' || operator === 'anniversaryWithinDays') return 'days';
  if (operator === 'inList') return 'text';
  const isRegion = fact?.name === 'province';
  if (operator === 'between') return fact?.type === 'date' ? 'dateRange' : 'range';
  if (LIST_OPS.has(operator)) return isRegion ? 'provinces' : fact?.values ? 'choices' : fact?.type === 'number' ? 'texts' : 'texts';
  switch (fact?.type) {
    case 'number':
      return 'number';
    case 'date':
      return 'date';
    case 'boolean':
      return 'boolean';
    case 'enum':
      return 'choice';
    case 'list':
      return fact.values ? 'choice' : 'text';
    default:
      return isRegion ? 'province' : 'text';
  }
}

/** A sensible value when the fact or operator of a row changes (the old one may not fit). */
export function defaultValue(kind: ValueKind, fact: Fact | undefined): unknown {
  switch (kind) {
    case 'number':
    case 'days':
      return kind === 'days' ? 30 : 1;
    case 'boolean':
      return true;
    case 'choice':
      return fact?.values?.[0] ?? '';
    case 'choices':
    case 'texts':
    case 'provinces':
      return [];
    case 'range':
      return [0, 100];
    case 'dateRange':
      return ['2026-01-01T00:00:00+08:00', '2026-12-31T23:59:59+08:00'];
    case 'date':
      return '2026-01-01T00:00:00+08:00';
    case 'province':
      return PROVINCES[0];
    default:
      return '';
  }
}

/** `texts` inputs are typed as "a, b, c"; numbers stay numbers when the fact is a number. */
export function parseList(text: string, numeric: boolean): (string | number)[] {
  return text
    .split(/[,，、]/)
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => (numeric && s !== '' && !Number.isNaN(Number(s)) ? Number(s) : s));
}

/** A date input's value (YYYY-MM-DD) as an instant at the start of that day in shop time (+08:00). */
export const dateInputToInstant = (d: string) => (d ? `${d}T00:00:00+08:00` : '');
export const instantToDateInput = (v: unknown) => (typeof v === 'string' ? v.slice(0, 10) : '');

export function newRow(facts: readonly Fact[], operators: readonly Operator[]): Row {
  const fact = facts.find((f) => f.name === 'orderCount') ?? facts[0];
  const op = operatorsFor(fact, operators)[0]?.name ?? 'equal';
  return { fact: fact?.name ?? '', operator: op, value: defaultValue(valueKind(fact, op), fact) };
}

/** Mainland provinces, regions and municipalities as the shop's data names them (e.g. 浙江). */
export const PROVINCES = ['北京', '天津', '河北', '山西', '内蒙古', '辽宁', '吉林', '黑龙江', '上海', '江苏', '浙江', '安徽', '福建', '江西', '山东', '河南', '湖北', '湖南', '广东', '广西', '海南', '重庆', '四川', '贵州', '云南', '西藏', '陕西', '甘肃', '青海', '宁夏', '新疆', '香港', '澳门', '台湾'];
