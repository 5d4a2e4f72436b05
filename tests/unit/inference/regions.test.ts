import { describe, expect, it } from 'vitest';
import { boxesToSource, computeLetterbox } from '../../../inference/geometry.ts';
import { parseAnalysisPlan } from '../../../core/analysisPlan.ts';
import { planRegions, tileRects } from '../../../inference/regions.ts';

describe('letterbox', () => {
  it('scales the longer side to the input and maps boxes back to source pixels', () => {
    const lb = computeLetterbox({ x: 0, y: 0, widthPx: 1920, heightPx: 1080 }, 416, 416);
    expect(lb.scale).toBeCloseTo(416 / 1920);
    expect([lb.resizedWidthPx, lb.resizedHeightPx]).toEqual([416, 234]);
    const boxes = Float32Array.from([104, 52, 208, 104]);
    boxesToSource(boxes, 1, lb);
    expect(Array.from(boxes).map(Math.round)).toEqual([480, 240, 960, 480]);
  });

  it('adds the crop offset and clamps to the crop', () => {
    const lb = computeLetterbox({ x: 1000, y: 500, widthPx: 832, heightPx: 416 }, 416, 416);
    const boxes = Float32Array.from([10, 10, 500, 300]);
    boxesToSource(boxes, 1, lb);
    expect(Array.from(boxes)).toEqual([1020, 520, 1832, 916]);
  });
});

describe('analysis regions', () => {
  it('tiles the frame with the requested overlap, edge to edge', () => {
    const tiles = tileRects({ cols: 3, rows: 2, overlapFrac: 0.2 }, 1920, 1080);
    expect(tiles).toHaveLength(6);
    const width = tiles[0]!.widthPx;
    expect(width).toBe(Math.ceil(1920 / (3 - 2 * 0.2)));
    expect(tiles[0]!.x).toBe(0);
    expect(tiles[2]!.x + tiles[2]!.widthPx).toBe(1920);
    expect(tiles[5]!.y + tiles[5]!.heightPx).toBe(1080);
    const overlapPx = tiles[0]!.x + width - tiles[1]!.x;
    expect(overlapPx / width).toBeCloseTo(0.2, 1);
  });

  it('puts the whole frame first, clamps crops to the frame and drops duplicates', () => {
    const rects = planRegions(
      {
        wholeFrame: true,
        crops: [
          { x: -50, y: 900, widthPx: 400, heightPx: 400 },
          { x: 0, y: 0, widthPx: 1920, heightPx: 1080 },
          { x: 5000, y: 0, widthPx: 10, heightPx: 10 },
        ],
        tiles: null,
      },
      1920,
      1080,
    );
    expect(rects).toEqual([
      { x: 0, y: 0, widthPx: 1920, heightPx: 1080 },
      { x: 0, y: 900, widthPx: 350, heightPx: 180 },
    ]);
  });

  it('says what is wrong with a plan read from outside', () => {
    expect(parseAnalysisPlan({ wholeFrame: false, crops: [], tiles: null })).toBe('plan analyses nothing');
    expect(parseAnalysisPlan({ wholeFrame: true, crops: [{ x: 1 }], tiles: null })).toMatch(/crops\[0\]/);
    expect(parseAnalysisPlan({ wholeFrame: true, crops: [], tiles: { cols: 20, rows: 20, overlapFrac: 0.2 } })).toMatch(
      /1\.\.64/,
    );
    expect(parseAnalysisPlan({ wholeFrame: true, crops: [], tiles: { cols: 2, rows: 2, overlapFrac: 0.2 } })).toEqual({
      wholeFrame: true,
      crops: [],
      tiles: { cols: 2, rows: 2, overlapFrac: 0.2 },
    });
    expect(parseAnalysisPlan({ wholeFrame: true, crops: [], tiles: null, inputSizePx: { widthPx: 960 } })).toMatch(
      /inputSizePx/,
    );
    expect(
      parseAnalysisPlan({ wholeFrame: true, crops: [], tiles: null, inputSizePx: { widthPx: 960, heightPx: 544.5 } }),
    ).toMatch(/inputSizePx/);
    const sized = { wholeFrame: true, crops: [], tiles: null, inputSizePx: { widthPx: 960, heightPx: 544 } };
    expect(parseAnalysisPlan(sized)).toEqual(sized);
  });
});
