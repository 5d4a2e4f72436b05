import { describe, expect, it } from 'vitest';
import { MotionDetector } from '../../../ingest/motionDetector.ts';

const W = 160;
const H = 90;

/** A flat grey grid with bright squares [x, y, side] on it. */
function grid(
  squares: Array<[number, number, number]> = [],
  level = 100,
): { grey: Uint8Array; widthPx: number; heightPx: number } {
  const grey = new Uint8Array(W * H).fill(level);
  for (const [x0, y0, side] of squares)
    for (let y = y0; y < y0 + side; y++) for (let x = x0; x < x0 + side; x++) grey[y * W + x] = 220;
  return { grey, widthPx: W, heightPx: H };
}

describe('MotionDetector', () => {
  it('knows nothing on its first frame, and finds nothing when the picture stands still', () => {
    const detector = new MotionDetector();
    expect(detector.update(grid())).toBe('all');
    expect(detector.update(grid())).toEqual([]);
    expect(detector.update(grid())).toEqual([]);
  });

  it('boxes a square that appears, grown by the dilation, and sees it settle into the background', () => {
    const detector = new MotionDetector({ dilateCells: 2, backgroundAlpha: 0.5 });
    detector.update(grid());
    expect(detector.update(grid([[40, 30, 6]]))).toEqual([{ x: 38, y: 28, widthPx: 10, heightPx: 10 }]);
    // Standing still, the square fades into the background: after a few frames nothing moves there.
    let verdict = detector.update(grid([[40, 30, 6]]));
    for (let k = 0; k < 6; k++) verdict = detector.update(grid([[40, 30, 6]]));
    expect(verdict).toEqual([]);
  });

  it('gives two boxes for two squares apart, and none for a blob under minCells', () => {
    const detector = new MotionDetector({ minCells: 4 });
    detector.update(grid());
    const boxes = detector.update(
      grid([
        [10, 10, 4],
        [100, 60, 5],
        [70, 5, 1],
      ]),
    );
    expect(boxes).toHaveLength(2);
    expect(boxes).toContainEqual({ x: 8, y: 8, widthPx: 8, heightPx: 8 });
    expect(boxes).toContainEqual({ x: 98, y: 58, widthPx: 9, heightPx: 9 });
  });

  it('calls a change of the whole picture (light, a cut) all, and starts its background again', () => {
    const detector = new MotionDetector();
    detector.update(grid());
    expect(detector.update(grid([], 200))).toBe('all');
    expect(detector.update(grid([], 200))).toEqual([]);
  });

  it('starts over on a grid of another size, and refuses a grid whose bytes do not fit its size', () => {
    const detector = new MotionDetector();
    detector.update(grid());
    expect(detector.update({ grey: new Uint8Array(80 * 45), widthPx: 80, heightPx: 45 })).toBe('all');
    expect(() => detector.update({ grey: new Uint8Array(10), widthPx: 80, heightPx: 45 })).toThrow(RangeError);
  });
});
