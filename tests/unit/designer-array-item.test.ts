import { describe, expect, it } from '@jest/globals';
import { newArrayItem } from '../../designer/src/model/array-item.js';

/** Walk20: a journey's new 触达上限 needed an invented id (上限名称) before it could be saved. */
describe("what 「+ 添加」 puts in an inspector's list", () => {
  it('gives a new journey cap a free id, cap-1 then cap-2, skipping ids taken', () => {
    expect(newArrayItem('caps', [])).toEqual({ id: 'cap-1' });
    expect(newArrayItem('caps', [{ id: 'cap-1', max: 3 }])).toEqual({ id: 'cap-2' });
    expect(newArrayItem('caps', [{ id: 'cap-2' }])).toEqual({ id: 'cap-3' });
    expect(newArrayItem('caps', [{ id: 'd11-touches' }, {}])).toEqual({ id: 'cap-3' });
  });

  it('leaves the items of other lists empty', () => {
    expect(newArrayItem('exitOn', [])).toEqual({});
    expect(newArrayItem('arms', [{ id: 'a' }])).toEqual({});
  });
});
