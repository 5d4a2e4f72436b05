import { describe, expect, it } from 'vitest';
import { motionCrops } from '../../../inference/motionCrops.ts';
import type { RectPx } from '../../../core/geometry.ts';

const FRAME = { widthPx: 1920, heightPx: 1080 };
// 960x544 for a 1920x1080 frame: scale 0.5, so a 320-px crop is 640 source px.
const OPTIONS = { cropModelPx: 320, wholeModelPx: { widthPx: 960, heightPx: 544 }, marginFrac: 0.1, maxCostShare: 0.7 };
const box = (x: number, y: number, w: number, h: number): RectPx => ({ x, y, widthPx: w, heightPx: h });
const contains = (outer: RectPx, inner: RectPx) =>
  inner.x >= outer.x &&
  inner.y >= outer.y &&
  inner.x + inner.widthPx <= outer.x + outer.widthPx &&
  inner.y + inner.heightPx <= outer.y + outer.heightPx;

describe('motionCrops', () => {
  it('runs nothing when nothing moved', () => {
    expect(motionCrops([], FRAME, OPTIONS)).toEqual({ kind: 'none' });
  });

  it('puts one moving motorbike in one crop seen at the whole frame’s scale, its margin inside, the crop inside the frame', () => {
    const bike = box(1850, 40, 50, 90);
    const gate = motionCrops([bike], FRAME, OPTIONS);
    if (gate.kind !== 'crops') throw new Error(`expected crops, got ${gate.kind}`);
    expect(gate.crops).toEqual([box(1280, 0, 640, 640)]);
    expect(contains(gate.crops[0]!, bike)).toBe(true);
  });

  it('shares a crop between boxes whose union fits one, and gives far boxes their own', () => {
    const gate = motionCrops([box(100, 100, 60, 60), box(300, 200, 60, 60), box(1500, 800, 60, 60)], FRAME, OPTIONS);
    if (gate.kind !== 'crops') throw new Error(`expected crops, got ${gate.kind}`);
    expect(gate.crops).toHaveLength(2);
    expect(gate.crops.some((c) => contains(c, box(100, 100, 60, 60)) && contains(c, box(300, 200, 60, 60)))).toBe(true);
    expect(gate.crops.some((c) => contains(c, box(1500, 800, 60, 60)))).toBe(true);
  });

  it('runs the whole frame for a moving box larger than a crop (it would be cut), and when crops cost too much', () => {
    expect(motionCrops([box(100, 100, 700, 200)], FRAME, OPTIONS)).toEqual({ kind: 'whole' });
    // Four far corners: 4 crops × 320² is 78 % of 960×544, over 0.7.
    const corners = [box(0, 0, 40, 40), box(1880, 0, 40, 40), box(0, 1040, 40, 40), box(1880, 1040, 40, 40)];
    expect(motionCrops(corners, FRAME, OPTIONS)).toEqual({ kind: 'whole' });
    expect(motionCrops(corners.slice(0, 3), FRAME, OPTIONS).kind).toBe('crops');
  });

  it('runs the whole frame when a crop would be as tall as the frame', () => {
    expect(motionCrops([box(10, 10, 20, 20)], { widthPx: 960, heightPx: 300 }, OPTIONS)).toEqual({ kind: 'whole' });
  });
});
