import { describe, expect, it } from 'vitest';
// @ts-expect-error: browser code in plain JS, no declarations
import { placeLabels } from '../../../player/labelPlacement.js';

type Box = [number, number, number, number];
const size = { lineHeight: 16, canvasWidth: 390 };
const item = (box: Box, textWidth = 60) => ({ box, textWidth });

describe('overlay label placement', () => {
  it('labels every box whose labels do not meet, above its box', () => {
    const labels = placeLabels([item([10, 100, 50, 150]), item([200, 100, 260, 170])], size);
    expect(labels).toEqual([
      { index: 0, x: 10, y: 84, width: 64, height: 16 },
      { index: 1, x: 200, y: 84, width: 64, height: 16 },
    ]);
  });

  it('leaves out the label of the smaller box where two labels would cover each other', () => {
    // Two riders side by side: the nearer (larger) one keeps its label.
    const labels = placeLabels([item([100, 100, 120, 130]), item([110, 102, 150, 160])], size);
    expect(labels.map((label: { index: number }) => label.index)).toEqual([1]);
  });

  it('keeps a label inside the picture at its top and right edges', () => {
    const labels = placeLabels([item([360, 5, 389, 60])], size);
    expect(labels).toEqual([{ index: 0, x: 390 - 64, y: 5, width: 64, height: 16 }]);
  });

  it('labels a crowded scene without any two labels overlapping', () => {
    const items = Array.from({ length: 40 }, (_, i) =>
      item([(i % 8) * 45, 60 + Math.floor(i / 8) * 20, (i % 8) * 45 + 30 + (i % 3) * 5, 100 + Math.floor(i / 8) * 20]),
    );
    const labels: { x: number; y: number; width: number; height: number }[] = placeLabels(items, size);
    expect(labels.length).toBeGreaterThan(0);
    expect(labels.length).toBeLessThan(items.length);
    for (const a of labels)
      for (const b of labels)
        if (a !== b) {
          const apart = a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y;
          expect(apart).toBe(true);
        }
  });
});
