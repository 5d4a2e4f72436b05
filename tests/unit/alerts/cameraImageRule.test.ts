import { describe, expect, it } from 'vitest';
import type { AlertRule, ImageStats } from '../../../core/alerts.ts';
import { encodeThumb } from '../../../alerts/thumb.ts';
import { feed, newEngine, runPipeline, START_MS, timeline } from './alertScene.ts';

/** Deterministic per-frame sensor noise in -4..4 grey levels. */
function noise(frame: number, pixel: number): number {
  const h = Math.sin(frame * 12.9898 + pixel * 78.233) * 43758.5453;
  return Math.round((h - Math.floor(h)) * 8) - 4;
}

/** A street seen left to right (grey rising with x), live (noisy) or a repeated still. */
const horizontal = (i: number) => 20 + (i % 16) * 12;
/** Another view: grey rising with y (the camera turned). */
const vertical = (i: number) => 20 + Math.floor(i / 16) * 12;

function stats(
  tS: number,
  layout: (i: number) => number,
  options: { live?: boolean; brighter?: number; meanLuma?: number; stdLuma?: number } = {},
): ImageStats {
  const frame = Math.round(tS * 10);
  const pixels = Array.from({ length: 256 }, (_, i) =>
    Math.min(255, Math.max(0, layout(i) + (options.brighter ?? 0) + (options.live === false ? 0 : noise(frame, i)))),
  );
  return { meanLuma: options.meanLuma ?? 110, stdLuma: options.stdLuma ?? 55, thumb: encodeThumb(pixels) };
}

const FROZEN: AlertRule = { id: 'camera-frozen', type: 'cameraFrozen' };
const BLACK: AlertRule = { id: 'camera-black', type: 'cameraBlack' };
const VIEW: AlertRule = { id: 'camera-view-changed', type: 'cameraViewChanged' };

describe('camera image rules', () => {
  it('raises frozen after 20 s of identical thumbnails, ignoring frames without stats, and ends at the first live one', () => {
    const image = (tS: number) => {
      if (tS >= 10 && tS <= 40) return tS % 5 === 3 ? undefined : stats(0, horizontal, { live: false });
      return stats(tS, horizontal);
    };
    const signals = feed(newEngine([FROZEN, BLACK, VIEW]), runPipeline([], { durationS: 60, fps: 1, image }));
    // The first frame equal to its predecessor is at 11 s.
    expect(timeline(signals)).toEqual([
      ['raise', 'camera', 31],
      ['end', 'camera', 41],
    ]);
    expect(signals[0]).toMatchObject({
      ruleId: 'camera-frozen',
      type: 'cameraFrozen',
      severity: 'warning',
      summary: 'Camera image frozen',
      startedAtMs: START_MS + 11_000,
      details: { frameDiff: 0 },
    });
    expect(signals[0]!.evidence).toMatchObject({ seq: 31, boxes: [], zoneId: null, lineId: null });
  });

  it('raises black for a dark or uniform image held minDurationS, and only then', () => {
    const image = (tS: number) => {
      if (tS >= 10 && tS < 40) return stats(tS, horizontal, { meanLuma: 6, stdLuma: 2 }); // lens covered
      if (tS >= 60 && tS < 75) return stats(tS, horizontal, { meanLuma: 120, stdLuma: 3 }); // fog, but not long enough
      return stats(tS, horizontal);
    };
    const signals = feed(newEngine([FROZEN, BLACK, VIEW]), runPipeline([], { durationS: 90, fps: 1, image }));
    expect(timeline(signals)).toEqual([
      ['raise', 'camera', 30],
      ['end', 'camera', 40],
    ]);
    expect(signals[0]).toMatchObject({
      ruleId: 'camera-black',
      summary: 'Camera image black or covered',
      details: { meanLuma: 6, stdLuma: 2 },
    });
  });

  it('raises view changed when the scene differs from its learnt reference for minDurationS, not for a brightness change', () => {
    const image = (tS: number) => {
      if (tS >= 50 && tS < 100) return stats(tS, horizontal, { brighter: 40 }); // the sun comes out
      if (tS >= 100 && tS < 250) return stats(tS, vertical); // knocked
      return stats(tS, horizontal);
    };
    const signals = feed(newEngine([FROZEN, BLACK, VIEW]), runPipeline([], { durationS: 300, fps: 1, image }));
    // Back near the reference at 250 s, ended 10 s later.
    expect(timeline(signals)).toEqual([
      ['raise', 'camera', 160],
      ['end', 'camera', 260],
    ]);
    expect(signals[0]).toMatchObject({
      ruleId: 'camera-view-changed',
      severity: 'info',
      startedAtMs: START_MS + 100_000,
    });
    expect(signals[0]!.details.viewDiff).toBeGreaterThan(40);
  });

  it('adopts a view that stays changed for 10 minutes past minDurationS as the new reference', () => {
    const image = (tS: number) => (tS >= 100 ? stats(tS, vertical) : stats(tS, horizontal));
    const signals = feed(newEngine([VIEW]), runPipeline([], { durationS: 1000, fps: 0.5, image }));
    expect(timeline(signals)).toEqual([
      ['raise', 'camera', 160],
      ['end', 'camera', 760],
    ]);
  });

  it('ignores frames without image stats entirely', () => {
    const signals = feed(newEngine([FROZEN, BLACK, VIEW]), runPipeline([], { durationS: 120, fps: 1 }));
    expect(signals).toEqual([]);
  });
});
