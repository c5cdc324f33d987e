import { describe, expect, it } from '@jest/globals';
import { parseTimeOfDay } from '../../designer/src/model/time-of-day.js';

describe('the designer\'s 24-hour time field: what a typed time of day is read as', () => {
  it('reads 24-hour times however the colon is typed, and puts them in the files\' HH:MM', () => {
    expect(parseTimeOfDay('23:00')).toBe('23:00');
    expect(parseTimeOfDay('2300')).toBe('23:00');
    expect(parseTimeOfDay('23：00')).toBe('23:00'); // a Chinese input method's colon
    expect(parseTimeOfDay(' 9:30 ')).toBe('09:30');
    expect(parseTimeOfDay('930')).toBe('09:30');
    expect(parseTimeOfDay('9')).toBe('09:00');
    expect(parseTimeOfDay('00:00')).toBe('00:00');
  });

  it('reads nothing that is no time of day on the 24-hour clock (the field says so, the checks refuse it)', () => {
    for (const bad of ['24:00', '25:00', '9:75', '11pm', '11:00 PM', '晚上', '', '9:5', '12345']) expect(parseTimeOfDay(bad)).toBeNull();
  });
});
