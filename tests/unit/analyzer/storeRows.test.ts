import { describe, expect, it } from 'vitest';
import { PendingRows } from '../../../analyzer/storeRows.ts';
import { configHash, stableJson } from '../../../analyzer/configHash.ts';
import { fairShare } from '../../../analyzer/leases.ts';
import { TEST_ANALYSIS } from './syntheticTraffic.ts';

const M0 = Date.UTC(2026, 10, 25, 3, 0);
const count = (minuteStartMs: number, n: number) => ({
  minuteStartMs,
  lineId: 'l',
  direction: 'in',
  classId: 2,
  className: 'motorbike' as const,
  count: n,
  speedSumKmh: 30 * n,
  speedSamples: n,
});

describe('PendingRows', () => {
  it('holds one row per key, the newest total, in store form', () => {
    const pending = new PendingRows('cam', 0);
    pending.add({ counts: [count(M0, 1)], zones: [] });
    pending.add({ counts: [count(M0, 3), count(M0 + 60_000, 1)], zones: [] });
    expect(pending.size).toBe(2);
    expect(pending.rows().counts[0]).toEqual({
      minute: new Date(M0),
      cameraId: 'cam',
      lineId: 'l',
      direction: 'in',
      className: 'motorbike',
      count: 3,
      speedSumKmh: 90,
      speedSamples: 3,
    });
    pending.clear();
    expect(pending.size).toBe(0);
  });

  it('leaves out minutes before writeFromMs (written under an earlier configuration)', () => {
    const pending = new PendingRows('cam', M0 + 60_000);
    pending.add({ counts: [count(M0, 1), count(M0 + 60_000, 2)], zones: [] });
    expect(pending.rows().counts.map((r) => r.count)).toEqual([2]);
  });
});

describe('configHash', () => {
  it('ignores key order and changes with the geometry', () => {
    expect(stableJson({ b: 1, a: [{ d: 2, c: 3 }] })).toBe('{"a":[{"c":3,"d":2}],"b":1}');
    const reordered = JSON.parse(
      JSON.stringify({
        zones: TEST_ANALYSIS.zones,
        lines: TEST_ANALYSIS.lines,
        calibration: TEST_ANALYSIS.calibration,
        heightPx: 1080,
        widthPx: 1920,
      }),
    );
    expect(configHash(reordered, {})).toBe(configHash(TEST_ANALYSIS, {}));
    const moved = {
      ...TEST_ANALYSIS,
      lines: [
        {
          ...TEST_ANALYSIS.lines[0]!,
          points: [
            { x: 0, y: 541 },
            { x: 1920, y: 540 },
          ],
        },
      ],
    };
    expect(configHash(moved, {})).not.toBe(configHash(TEST_ANALYSIS, {}));
    expect(configHash(TEST_ANALYSIS, { tracker: { minHits: 3 } })).not.toBe(configHash(TEST_ANALYSIS, {}));
  });
});

describe('fairShare', () => {
  it('is ceil(cameras / live analyzers)', () => {
    expect(fairShare(5, 2)).toBe(3);
    expect(fairShare(4, 2)).toBe(2);
    expect(fairShare(1, 3)).toBe(1);
    expect(fairShare(7, 0)).toBe(7);
  });
});

describe('compareStreamIds', () => {
  it('orders Redis stream ids by time, then sequence', async () => {
    const { compareStreamIds } = await import('../../../analyzer/streamTrim.ts');
    expect(compareStreamIds('1700000000000-2', '1700000000000-10')).toBeLessThan(0);
    expect(compareStreamIds('1700000000001-0', '1700000000000-10')).toBeGreaterThan(0);
    expect(compareStreamIds('0-0', '0')).toBe(0);
  });
});
