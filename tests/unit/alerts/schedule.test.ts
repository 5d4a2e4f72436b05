import { describe, expect, it } from 'vitest';
import { isActiveAt } from '../../../alerts/schedule.ts';
import { ValidationError } from '../../../core/errors.ts';

const TZ = 'Asia/Ho_Chi_Minh'; // UTC+7, no daylight saving
/** Epoch ms of a local time in Ho Chi Minh City (November 2026: the 27th is a Friday). */
const local = (day: number, hours: number, minutes: number) => Date.UTC(2026, 10, day, hours - 7, minutes);

describe('isActiveAt', () => {
  it('is always active without windows', () => {
    expect(isActiveAt(undefined, local(27, 3, 0), TZ)).toBe(true);
    expect(isActiveAt([], local(27, 3, 0), TZ)).toBe(true);
  });

  it('reads a daytime window in the local zone, start inclusive and end exclusive', () => {
    const rush = [{ from: '07:00', to: '09:00' }];
    expect(isActiveAt(rush, local(27, 6, 59), TZ)).toBe(false);
    expect(isActiveAt(rush, local(27, 7, 0), TZ)).toBe(true);
    expect(isActiveAt(rush, local(27, 8, 59), TZ)).toBe(true);
    expect(isActiveAt(rush, local(27, 9, 0), TZ)).toBe(false);
    // 07:30 UTC is 14:30 in Ho Chi Minh: not the rush hour whatever the host's zone.
    expect(isActiveAt(rush, Date.UTC(2026, 10, 27, 7, 30), TZ)).toBe(false);
  });

  it('runs a window past midnight into the next day', () => {
    const night = [{ from: '22:00', to: '05:00' }];
    expect(isActiveAt(night, local(27, 21, 59), TZ)).toBe(false);
    expect(isActiveAt(night, local(27, 22, 0), TZ)).toBe(true);
    expect(isActiveAt(night, local(27, 23, 59), TZ)).toBe(true);
    expect(isActiveAt(night, local(28, 0, 0), TZ)).toBe(true);
    expect(isActiveAt(night, local(28, 4, 59), TZ)).toBe(true);
    expect(isActiveAt(night, local(28, 5, 0), TZ)).toBe(false);
    expect(isActiveAt(night, local(28, 12, 0), TZ)).toBe(false);
  });

  it('names a past-midnight window by the day it starts on', () => {
    const fridayNight = [{ from: '22:00', to: '05:00', days: [5] }];
    expect(isActiveAt(fridayNight, local(27, 23, 0), TZ)).toBe(true); // Friday 23:00
    expect(isActiveAt(fridayNight, local(28, 3, 0), TZ)).toBe(true); // Saturday 03:00, Friday's night
    expect(isActiveAt(fridayNight, local(27, 3, 0), TZ)).toBe(false); // Friday 03:00 belongs to Thursday
    expect(isActiveAt(fridayNight, local(28, 23, 0), TZ)).toBe(false); // Saturday 23:00
    // Friday 20:00 UTC is Saturday 03:00 local: the local weekday decides.
    expect(isActiveAt([{ from: '02:00', to: '04:00', days: [6] }], Date.UTC(2026, 10, 27, 20, 0), TZ)).toBe(true);
  });

  it('is active when any window holds', () => {
    const twice = [
      { from: '07:00', to: '09:00', days: [1, 2, 3, 4, 5] },
      { from: '16:30', to: '18:30', days: [1, 2, 3, 4, 5] },
    ];
    expect(isActiveAt(twice, local(27, 17, 0), TZ)).toBe(true);
    expect(isActiveAt(twice, local(27, 12, 0), TZ)).toBe(false);
    expect(isActiveAt(twice, local(29, 17, 0), TZ)).toBe(false); // Sunday
  });

  it('refuses an unknown time zone with a ValidationError', () => {
    expect(() => isActiveAt([{ from: '07:00', to: '09:00' }], 0, 'Mars/Olympus')).toThrow(ValidationError);
  });
});
