import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../core/errors.ts';
import { fromPicodet, PICODET_BINS, PICODET_STRIDES, picodetGrid } from '../../../inference/decoders/picodet.ts';
import type { ModelOutput } from '../../../inference/decoders/types.ts';
import { computeLetterbox } from '../../../inference/geometry.ts';

const CLASSES = 80;
const SIDE = 4 * PICODET_BINS;

/** Empty class and box maps for an input size, in the model's output order (classes per stride, then boxes). */
function picodetOutputs(widthPx: number, heightPx: number): ModelOutput[] {
  const cells = PICODET_STRIDES.map((s) => {
    const { cols, rows } = picodetGrid(widthPx, heightPx, s);
    return cols * rows;
  });
  return [
    ...cells.map((n) => ({ data: new Float32Array(n * CLASSES), dims: [1, n, CLASSES] })),
    ...cells.map((n) => ({ data: new Float32Array(n * SIDE), dims: [1, n, SIDE] })),
  ];
}

/** Logits for one side that put (almost) all the weight on bin `distance` (in cells). */
function peaked(distance: number): number[] {
  return Array.from({ length: PICODET_BINS }, (_, b) => (b === distance ? 30 : 0));
}

function setCell(
  outputs: ModelOutput[],
  level: number,
  cell: number,
  classId: number,
  prob: number,
  sides: number[][],
) {
  outputs[level]!.data[cell * CLASSES + classId] = prob;
  outputs[PICODET_STRIDES.length + level]!.data.set(sides.flat(), cell * SIDE);
}

describe('fromPicodet', () => {
  it('decodes per-side bin distributions around the cell centre at each stride and maps to source pixels', () => {
    const outputs = picodetOutputs(416, 416);
    // Stride 8 (52x52): cell (gx=10, gy=5), centre (84, 44); l=2, t=1, r=3, b=4 cells.
    setCell(outputs, 0, 5 * 52 + 10, 3, 0.9, [peaked(2), peaked(1), peaked(3), peaked(4)]);
    // Stride 64 (7x7): cell (gx=1, gy=2), centre (96, 160); 1 cell each way.
    setCell(outputs, 3, 2 * 7 + 1, 2, 0.6, [peaked(1), peaked(1), peaked(1), peaked(1)]);
    // Below minScore.
    setCell(outputs, 1, 0, 0, 0.05, [peaked(1), peaked(1), peaked(1), peaked(1)]);
    // An 832x832 region at (100, 50) of the frame: scale 0.5.
    const letterbox = computeLetterbox({ x: 100, y: 50, widthPx: 832, heightPx: 832 }, 416, 416);
    const list = fromPicodet(outputs, { letterbox, classCount: CLASSES, minScore: 0.1 });
    expect(list.count).toBe(2);
    // (84-16, 44-8, 84+24, 44+32) = (68, 36, 108, 76) → ×2 + offset.
    Array.from(list.boxes.subarray(0, 4)).forEach((v, k) => expect(v).toBeCloseTo([236, 122, 316, 202][k]!, 3));
    expect(list.scores[0]).toBeCloseTo(0.9, 6);
    expect(list.classIds[0]).toBe(3);
    // (96-64, 160-64, 96+64, 160+64) = (32, 96, 160, 224) → ×2 + offset.
    Array.from(list.boxes.subarray(4, 8)).forEach((v, k) => expect(v).toBeCloseTo([164, 242, 420, 498][k]!, 3));
    expect(list.classIds[1]).toBe(2);
  });

  it('takes the expectation of the softmax over the bins, not the best bin', () => {
    const outputs = picodetOutputs(416, 416);
    // Equal logits on bins 2 and 3 → 2.5 cells; uniform over all 8 bins → 3.5 cells.
    const split = Array.from({ length: PICODET_BINS }, (_, b) => (b === 2 || b === 3 ? 30 : 0));
    const uniform = new Array<number>(PICODET_BINS).fill(0);
    setCell(outputs, 2, 6 * 13 + 6, 0, 0.8, [split, uniform, split, uniform]); // stride 32, centre (208, 208)
    const letterbox = computeLetterbox({ x: 0, y: 0, widthPx: 416, heightPx: 416 }, 416, 416);
    const list = fromPicodet(outputs, { letterbox, classCount: CLASSES, minScore: 0.1 });
    Array.from(list.boxes.subarray(0, 4)).forEach((v, k) =>
      expect(v).toBeCloseTo([208 - 80, 208 - 112, 208 + 80, 208 + 112][k]!, 3),
    );
  });

  it('uses ceil-sized grids at a non-square size (960x544: 9 rows at stride 64)', () => {
    expect(picodetGrid(960, 544, 64)).toEqual({ cols: 15, rows: 9 });
    const outputs = picodetOutputs(960, 544);
    expect(outputs[3]!.dims).toEqual([1, 135, CLASSES]);
    // Last cell of stride 64: (gx=14, gy=8), centre (928, 544).
    setCell(outputs, 3, 134, 5, 0.7, [peaked(0), peaked(0), peaked(0), peaked(0)]);
    const letterbox = computeLetterbox({ x: 0, y: 0, widthPx: 1920, heightPx: 1088 }, 960, 544);
    const list = fromPicodet(outputs, { letterbox, classCount: CLASSES, minScore: 0.1 });
    expect(list.count).toBe(1);
    // A point box at (928, 544) in the input → (1856, 1088) in the frame.
    Array.from(list.boxes.subarray(0, 4)).forEach((v, k) => expect(v).toBeCloseTo([1856, 1088, 1856, 1088][k]!, 3));
  });

  it('rejects outputs of another size or count', () => {
    const letterbox = computeLetterbox({ x: 0, y: 0, widthPx: 416, heightPx: 416 }, 416, 416);
    const meta = { letterbox, classCount: CLASSES, minScore: 0.1 };
    expect(() => fromPicodet(picodetOutputs(640, 384), meta)).toThrow(ValidationError);
    expect(() => fromPicodet(picodetOutputs(416, 416).slice(0, 4), meta)).toThrow(ValidationError);
  });
});
