import { describe, expect, it } from 'vitest';
import {
  dueAtMs,
  latestDuePeriod,
  periodContaining,
  previousPeriod,
  VIETNAM_OFFSET_MS,
} from '../../../core/reportPeriod.ts';

const local = (iso: string) => Date.parse(`${iso}+07:00`);

describe('report periods in Vietnam time', () => {
  it("uses Asia/Ho_Chi_Minh's offset as Intl knows it", () => {
    for (const iso of ['2026-01-15T12:00:00Z', '2026-07-15T12:00:00Z']) {
      const parts = new Intl.DateTimeFormat('en-GB', {
        timeZone: 'Asia/Ho_Chi_Minh',
        hour: '2-digit',
        hourCycle: 'h23',
      }).format(new Date(iso));
      expect(Number(parts)).toBe((12 + VIETNAM_OFFSET_MS / 3_600_000) % 24);
    }
  });

  it('starts a day at local midnight, a week on Monday, a month on the 1st', () => {
    const wednesday = local('2026-11-25T01:30:00'); // 18:30 UTC the day before
    expect(periodContaining('daily', wednesday)).toEqual({
      kind: 'daily',
      fromMs: local('2026-11-25T00:00:00'),
      toMs: local('2026-11-26T00:00:00'),
    });
    expect(periodContaining('weekly', wednesday)).toEqual({
      kind: 'weekly',
      fromMs: local('2026-11-23T00:00:00'),
      toMs: local('2026-11-30T00:00:00'),
    });
    expect(periodContaining('weekly', local('2026-11-29T23:59:59'))).toEqual(periodContaining('weekly', wednesday));
    expect(periodContaining('monthly', wednesday)).toEqual({
      kind: 'monthly',
      fromMs: local('2026-11-01T00:00:00'),
      toMs: local('2026-12-01T00:00:00'),
    });
    expect(previousPeriod(periodContaining('monthly', local('2026-01-10T00:00:00'))).fromMs).toBe(
      local('2025-12-01T00:00:00'),
    );
  });

  it('makes a period due at 07:00 local on the day after it', () => {
    const day = periodContaining('daily', local('2026-11-25T12:00:00'));
    expect(dueAtMs(day, 7)).toBe(local('2026-11-26T07:00:00'));
    expect(latestDuePeriod('daily', local('2026-11-26T06:59:59'), 7).fromMs).toBe(local('2026-11-24T00:00:00'));
    expect(latestDuePeriod('daily', local('2026-11-26T07:00:00'), 7).fromMs).toBe(local('2026-11-25T00:00:00'));
    expect(latestDuePeriod('weekly', local('2026-11-30T07:00:00'), 7).fromMs).toBe(local('2026-11-23T00:00:00'));
    expect(latestDuePeriod('monthly', local('2026-12-01T06:00:00'), 7).fromMs).toBe(local('2026-10-01T00:00:00'));
  });
});
