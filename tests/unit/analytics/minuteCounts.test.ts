import { describe, expect, it } from 'vitest';
import { MINUTE_MS, MinuteCounts } from '../../../analytics/minuteCounts.ts';
import { TRAFFIC_CLASSES } from '../../../core/detections.ts';

const M0 = Date.UTC(2026, 0, 5, 7, 30, 0);
const MOTORBIKE = TRAFFIC_CLASSES.indexOf('motorbike');
const CAR = TRAFFIC_CLASSES.indexOf('car');
const crossing = (t: number, classId = MOTORBIKE, speedKmh: number | null = 30, direction = 'in', lineId = 'l1') => ({
  lineId,
  direction,
  classId,
  timestampMs: t,
  speedKmh,
});

describe('MinuteCounts', () => {
  it('keys counts by UTC minute, line, direction and class, with the mean speed', () => {
    const counts = new MinuteCounts({ allowedLatenessMs: 0 });
    counts.add(crossing(M0 + 1000, MOTORBIKE, 20));
    counts.add(crossing(M0 + 59_999, MOTORBIKE, 40));
    counts.add(crossing(M0 + 2000, MOTORBIKE, null));
    counts.add(crossing(M0 + 3000, CAR, 50, 'out'));
    counts.add(crossing(M0 + MINUTE_MS, MOTORBIKE, 10));
    expect(counts.flushClosed(M0 + MINUTE_MS)).toEqual([
      {
        minuteStartMs: M0,
        lineId: 'l1',
        direction: 'in',
        classId: MOTORBIKE,
        className: 'motorbike',
        count: 3,
        speedSumKmh: 60,
        speedSamples: 2,
      },
      {
        minuteStartMs: M0,
        lineId: 'l1',
        direction: 'out',
        classId: CAR,
        className: 'car',
        count: 1,
        speedSumKmh: 50,
        speedSamples: 1,
      },
    ]);
  });

  it('emits a minute only once it is closed (plus the allowed lateness), and only once', () => {
    const counts = new MinuteCounts({ allowedLatenessMs: 2000 });
    counts.add(crossing(M0 + 5000));
    expect(counts.flushClosed(M0 + MINUTE_MS + 1999)).toEqual([]);
    expect(counts.flushClosed(M0 + MINUTE_MS + 2000)).toHaveLength(1);
    expect(counts.flushClosed(M0 + MINUTE_MS + 9000)).toEqual([]);
  });

  it('re-emits the full total of a flushed minute when a late crossing arrives, so upserts stay idempotent', () => {
    const counts = new MinuteCounts({ allowedLatenessMs: 0 });
    counts.add(crossing(M0 + 5000));
    counts.add(crossing(M0 + 6000));
    expect(counts.flushClosed(M0 + MINUTE_MS)[0]!.count).toBe(2);
    counts.add(crossing(M0 + 7000));
    expect(counts.flushClosed(M0 + MINUTE_MS + 500)).toEqual([
      expect.objectContaining({ minuteStartMs: M0, count: 3 }),
    ]);
  });

  it('drops and counts crossings older than the retention instead of emitting a partial total', () => {
    const counts = new MinuteCounts({ allowedLatenessMs: 0, retainFlushedMs: 5 * MINUTE_MS });
    counts.add(crossing(M0 + 5000));
    counts.flushClosed(M0 + 10 * MINUTE_MS);
    counts.add(crossing(M0 + 8000));
    expect(counts.lateDropped).toBe(1);
    expect(counts.flushClosed(M0 + 11 * MINUTE_MS)).toEqual([]);
  });

  it('flushes open minutes too on shutdown', () => {
    const counts = new MinuteCounts();
    counts.add(crossing(M0 + 5000));
    expect(counts.flushAll(M0 + 6000)).toHaveLength(1);
  });
});
