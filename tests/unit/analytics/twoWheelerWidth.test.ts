import { describe, expect, it } from 'vitest';
import { TwoWheelerWidth } from '../../../analytics/twoWheelerWidth.ts';
import type { BoxXyxy } from '../../../analytics/geometry.ts';

/** A box of `widthPx` × `heightPx` whose bottom is at row `bottomPx`. */
const box = (bottomPx: number, widthPx: number, heightPx: number): BoxXyxy => [
  100,
  bottomPx - heightPx,
  100 + widthPx,
  bottomPx,
];

/** Riders seen from behind, as wide as 0.1 × their row (a flat road's perspective). */
function learned(): TwoWheelerWidth {
  const widths = new TwoWheelerWidth();
  for (let k = 0; k < 12; k++) {
    const bottom = 200 + 20 * k;
    widths.learn(box(bottom, 0.1 * bottom, 0.25 * bottom));
  }
  return widths;
}

describe('TwoWheelerWidth', () => {
  it('says nothing before it has learned enough riders over enough rows', () => {
    const widths = new TwoWheelerWidth();
    for (let k = 0; k < 9; k++) widths.learn(box(200 + 20 * k, 20, 50));
    expect(widths.widthAt(300)).toBeNull();
    expect(widths.fitsTwoWheeler(box(300, 30, 40))).toBe(false);
    const oneRow = new TwoWheelerWidth();
    for (let k = 0; k < 20; k++) oneRow.learn(box(300, 30, 75));
    expect(oneRow.widthAt(300)).toBeNull();
  });

  it('fits the line of widths by row, and speaks for rows between and beyond its samples', () => {
    const widths = learned();
    expect(widths.widthAt(250)).toBeCloseTo(25, 5);
    expect(widths.widthAt(460)).toBeCloseTo(46, 5);
  });

  it('reads a box up to two riders wide at its row as a two-wheeler, a car (2.5 or more) not', () => {
    const widths = learned();
    // A cargo motorbike at row 400: 1.6 riders wide; a car there: 2.6.
    expect(widths.fitsTwoWheeler(box(400, 64, 60))).toBe(true);
    expect(widths.fitsTwoWheeler(box(400, 104, 80))).toBe(false);
  });

  it('does not learn from side views (boxes wider than 0.8 of their height)', () => {
    const widths = learned();
    for (let k = 0; k < 50; k++) widths.learn(box(400, 120, 80));
    expect(widths.widthAt(400)).toBeCloseTo(40, 5);
  });
});
