import { describe, expect, it } from '@jest/globals';
import { defaultValue, fromConditions, operatorsFor, parseList, toConditions, valueKind, type Fact, type Operator } from '../../designer/src/model/rule-builder.js';
import { translate, MESSAGES } from '../../designer/src/model/i18n.js';

const fact = (name: string, type: Fact['type'], values: string[] | null = null): Fact => ({ name, type, description: '', values, unit: null });
const ops: Operator[] = [
  { name: 'equal', description: '', factTypes: ['number', 'string', 'boolean', 'enum', 'date'] },
  { name: 'greaterThan', description: '', factTypes: ['number', 'date'] },
  { name: 'in', description: '', factTypes: ['string', 'enum', 'number'] },
  { name: 'contains', description: '', factTypes: ['list'] },
  { name: 'withinLastDays', description: '', factTypes: ['date'] },
];

describe('designer rule builder', () => {
  it('reads nested all/any groups into rows and writes them back unchanged', () => {
    const c = { all: [{ fact: 'orderCount', operator: 'greaterThan', value: 1 }, { any: [{ fact: 'province', operator: 'in', value: ['广东'] }, { fact: 'consentSms', operator: 'equal', value: true }] }] };
    const g = fromConditions(c);
    expect(g?.kind).toBe('all');
    expect(g?.items).toHaveLength(2);
    expect(toConditions(g!)).toEqual(c);
  });

  it('leaves conditions it cannot show (not, rule references, params) to the JSON editor', () => {
    expect(fromConditions({ not: { fact: 'x', operator: 'equal', value: 1 } })).toBeNull();
    expect(fromConditions({ all: [{ condition: 'vip' }] })).toBeNull();
    expect(fromConditions({ all: [{ fact: 'x', operator: 'equal', value: 1, path: '$.a' }] })).toBeNull();
  });

  it('offers only the operators that apply to the fact type', () => {
    expect(operatorsFor(fact('categories', 'list'), ops).map((o) => o.name)).toEqual(['contains']);
    expect(operatorsFor(fact('lastOrderAt', 'date'), ops).map((o) => o.name)).toEqual(['equal', 'greaterThan', 'withinLastDays']);
  });

  it('chooses the input by the fact type: date picker, province list, choices, numbers', () => {
    expect(valueKind(fact('lastOrderAt', 'date'), 'greaterThan')).toBe('date');
    expect(valueKind(fact('lastOrderAt', 'date'), 'withinLastDays')).toBe('days');
    expect(valueKind(fact('province', 'string'), 'in')).toBe('provinces');
    expect(valueKind(fact('province', 'string'), 'equal')).toBe('province');
    expect(valueKind(fact('device', 'enum', ['mobile', 'pc']), 'equal')).toBe('choice');
    expect(valueKind(fact('device', 'enum', ['mobile', 'pc']), 'in')).toBe('choices');
    expect(valueKind(fact('aov', 'number'), 'greaterThan')).toBe('number');
    expect(valueKind(fact('consentSms', 'boolean'), 'equal')).toBe('boolean');
    expect(defaultValue('choice', fact('device', 'enum', ['mobile', 'pc']))).toBe('mobile');
  });

  it('parses typed lists with Chinese or Latin commas', () => {
    expect(parseList('广东，广西, 海南', false)).toEqual(['广东', '广西', '海南']);
    expect(parseList('1, 2,x', true)).toEqual([1, 2, 'x']);
  });
});

describe('designer interface texts', () => {
  it('has every Chinese text in English too, and falls back to the key', () => {
    expect(Object.keys(MESSAGES.en).sort()).toEqual(Object.keys(MESSAGES.zh).sort());
    expect(translate('zh', 'tb.save')).toBe('保存');
    expect(translate('en', 'tb.save')).toBe('Save');
    expect(translate('en', 'no.such')).toBe('no.such');
  });
});
