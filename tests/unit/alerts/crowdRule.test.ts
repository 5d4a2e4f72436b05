import { describe, expect, it } from 'vitest';
import type { CrowdRule } from '../../../core/alerts.ts';
import { feed, newEngine, person, route, runPipeline, sceneS, START_MS, timeline, type Actor } from './alertScene.ts';

const RULE: CrowdRule = { id: 'dam-dong', type: 'crowd', zoneId: 'giao-lo', minPeople: 10, minDurationS: 10 };

/** count people standing in a grid inside the square from fromS to toS. */
function group(count: number, fromS: number, toS: number, firstIndex = 0): Actor[] {
  return Array.from({ length: count }, (_, i) => {
    const n = firstIndex + i;
    const x = 40 + (n % 6) * 45;
    const y = 80 + Math.floor(n / 6) * 60;
    return person(route([fromS, x, y], [toS, x, y]));
  });
}

describe('crowd rule', () => {
  it('raises once after the crowd has held for minDurationS and ends after it leaves, with evidence of the people', () => {
    const signals = feed(newEngine([RULE]), runPipeline(group(12, 2, 30), { durationS: 45, fps: 5 }));
    // Confirmed at their second sighting (2.2 s), 10 s later it raises; gone at 30 s, their tracks die
    // 2 s after their last sighting, and the 3 s hysteresis later the alert ends.
    expect(timeline(signals)).toEqual([
      ['raise', 'zone:giao-lo', 12.2],
      ['end', 'zone:giao-lo', 35.2],
    ]);
    const [raise, end] = signals;
    expect(raise).toMatchObject({
      key: `cam:dam-dong:zone:giao-lo:${START_MS + 2200}`,
      cameraId: 'cam',
      ruleId: 'dam-dong',
      type: 'crowd',
      severity: 'warning',
      startedAtMs: START_MS + 2200,
      summary: 'Crowd of 12 people in zone giao-lo',
      details: { zoneId: 'giao-lo', people: 12, peakPeople: 12, densityPerM2: 0.3, minPeople: 10 },
    });
    expect(raise!.evidence).toMatchObject({
      seq: 61,
      capturedAtMs: START_MS + 12_200,
      frameWidthPx: 640,
      frameHeightPx: 480,
      zoneId: 'giao-lo',
      lineId: null,
    });
    expect(raise!.evidence!.boxes).toHaveLength(12);
    expect(raise!.evidence!.boxes[0]!.label).toMatch(/^person #\d+$/);
    // The end carries the figures at the end, under the headline of the alert.
    expect(end).toMatchObject({
      key: raise!.key,
      summary: 'Crowd of 12 people in zone giao-lo',
      details: { people: 0, peakPeople: 12, durationS: 33, endReason: 'cleared' },
    });
  });

  it('keeps one alert while the group briefly thins, and updates it (throttled) when it grows', () => {
    const actors = [
      ...group(7, 2, 40),
      ...group(5, 2, 15, 7), // leave at 15 s …
      ...group(5, 19, 40, 7), // … and are back at 19 s: below 10 for ~2 s, less than the hysteresis
      ...group(1, 24, 40, 12), // a 13th person joins
    ];
    const signals = feed(newEngine([RULE]), runPipeline(actors, { durationS: 50, fps: 5 }));
    expect(signals.map((s) => s.kind)).toEqual(['raise', 'update', 'end']);
    expect(signals[1]).toMatchObject({ key: signals[0]!.key, details: { peakPeople: 13 } });
    expect(sceneS(signals[1]!.atMs)).toBe(24.2);
    expect(new Set(signals.map((s) => s.key)).size).toBe(1);
  });

  it('re-opens the same alert when the crowd returns within the cooldown, and raises a new one after it', () => {
    const actors = [...group(12, 2, 30), ...group(12, 50, 70), ...group(12, 150, 170)];
    const signals = feed(newEngine([RULE]), runPipeline(actors, { durationS: 180, fps: 2 }));
    expect(signals.map((s) => [s.kind, s.details.reopened ?? false])).toEqual([
      ['raise', false],
      ['end', false],
      ['update', true],
      ['end', false],
      ['raise', false],
      ['end', false],
    ]);
    const keys = signals.map((s) => s.key);
    expect(new Set(keys.slice(0, 4)).size).toBe(1);
    expect(keys[4]).not.toBe(keys[0]);
    expect(signals[2]!.evidence?.boxes).toHaveLength(12);
  });

  it('raises on density when the zone has an area, and stays quiet below both thresholds', () => {
    const byDensity = feed(
      newEngine([{ id: 'mat-do', type: 'crowd', zoneId: 'giao-lo', minDensityPerM2: 0.2, minDurationS: 5 }]),
      runPipeline(group(9, 1, 20), { durationS: 30, fps: 5 }),
    );
    expect(byDensity.map((s) => s.kind)).toEqual(['raise', 'end']);
    expect(byDensity[0]!.details.densityPerM2).toBe(0.23);
    const quiet = feed(newEngine([RULE]), runPipeline(group(9, 1, 20), { durationS: 25, fps: 5 }));
    expect(quiet).toEqual([]);
  });
});
