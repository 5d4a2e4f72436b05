import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../core/errors.ts';
import { fromUltralytics, fromYolov8 } from '../../../inference/decoders/ultralytics.ts';
import { fromYolox, fromYoloxBestClass, yoloxCellCount } from '../../../inference/decoders/yolox.ts';
import { computeLetterbox } from '../../../inference/geometry.ts';

const CLASSES = 80;

function yoloxTensor(): Float32Array {
  return new Float32Array(yoloxCellCount(416, 416) * (5 + CLASSES));
}

/** Writes one YOLOX cell: raw offsets, log sizes, objectness, one class probability. */
function setYoloxCell(
  data: Float32Array,
  cell: number,
  raw: [number, number, number, number],
  objectness: number,
  classId: number,
  prob: number,
) {
  const o = cell * (5 + CLASSES);
  data.set(raw, o);
  data[o + 4] = objectness;
  data[o + 5 + classId] = prob;
}

describe('fromYolox', () => {
  it('decodes grid offsets and log sizes per stride, scores objectness × class probability, maps to source pixels', () => {
    expect(yoloxCellCount(416, 416)).toBe(3549);
    const data = yoloxTensor();
    // Stride 8 grid is 52×52: cell (gx=10, gy=5) is index 5*52+10.
    setYoloxCell(data, 5 * 52 + 10, [0.5, 0.5, Math.log(4), Math.log(2)], 0.9, 16, 0.8);
    // Stride 32 grid (13×13) starts after 52² + 26² cells: cell (gx=3, gy=2).
    setYoloxCell(data, 52 * 52 + 26 * 26 + 2 * 13 + 3, [0, 0, 0, 0], 0.5, 2, 0.9);
    // Below minScore: objectness 0.9 × 0.05.
    setYoloxCell(data, 100, [0, 0, 0, 0], 0.9, 1, 0.05);
    // An 832×832 source at offset (100, 50) in the frame: scale 0.5.
    const letterbox = computeLetterbox({ x: 100, y: 50, widthPx: 832, heightPx: 832 }, 416, 416);
    const list = fromYolox({ data, dims: [1, 3549, 85] }, { letterbox, classCount: CLASSES, minScore: 0.1 });
    expect(list.count).toBe(2);
    // cx=(0.5+10)*8=84, cy=(0.5+5)*8=44, w=4*8=32, h=2*8=16 → input xyxy (68,36,100,52) → ×2 + offset.
    expect(Array.from(list.boxes.subarray(0, 4))).toEqual([236, 122, 300, 154]);
    expect(list.scores[0]).toBeCloseTo(0.72, 5);
    expect(list.classIds[0]).toBe(16);
    // cx=3*32=96, cy=2*32=64, w=h=32 → (80,48,112,80) → ×2 + offset.
    expect(Array.from(list.boxes.subarray(4, 8))).toEqual([260, 146, 324, 210]);
    expect(list.classIds[1]).toBe(2);
  });

  it('clamps boxes to the analysed region', () => {
    const data = yoloxTensor();
    setYoloxCell(data, 0, [0, 0, Math.log(10), Math.log(10)], 1, 0, 1); // 80 px box centred on (0,0)
    const letterbox = computeLetterbox({ x: 0, y: 0, widthPx: 416, heightPx: 416 }, 416, 416);
    const list = fromYolox({ data, dims: [1, 3549, 85] }, { letterbox, classCount: CLASSES, minScore: 0.1 });
    expect(Array.from(list.boxes.subarray(0, 4))).toEqual([0, 0, 40, 40]);
  });

  it('rejects an output of another shape', () => {
    const letterbox = computeLetterbox({ x: 0, y: 0, widthPx: 416, heightPx: 416 }, 416, 416);
    expect(() =>
      fromYolox(
        { data: new Float32Array(10 * 85), dims: [1, 10, 85] },
        { letterbox, classCount: CLASSES, minScore: 0.1 },
      ),
    ).toThrow(ValidationError);
  });
});

describe("fromYoloxBestClass (the graph tail's [1, N, 7] rows)", () => {
  it('decodes box, objectness, best probability and class id as fromYolox does from the full row', () => {
    const cells = yoloxCellCount(416, 416);
    const data = new Float32Array(cells * 7);
    // Stride 8 cell (gx=10, gy=5): the same cell as fromYolox's first case.
    data.set([0.5, 0.5, Math.log(4), Math.log(2), 0.9, 0.8, 16], (5 * 52 + 10) * 7);
    data.set([0, 0, 0, 0, 0.9, 0.05, 1], 100 * 7); // below minScore
    const letterbox = computeLetterbox({ x: 100, y: 50, widthPx: 832, heightPx: 832 }, 416, 416);
    const list = fromYoloxBestClass({ data, dims: [1, cells, 7] }, { letterbox, classCount: CLASSES, minScore: 0.1 });
    expect(list.count).toBe(1);
    expect(Array.from(list.boxes.subarray(0, 4))).toEqual([236, 122, 300, 154]);
    expect(list.scores[0]).toBeCloseTo(0.72, 5);
    expect(list.classIds[0]).toBe(16);
    expect(() =>
      fromYoloxBestClass({ data, dims: [1, cells, 85] }, { letterbox, classCount: CLASSES, minScore: 0.1 }),
    ).toThrow(ValidationError);
  });
});

describe('fromUltralytics (YOLOv8/YOLO11 [1, 4+C, N])', () => {
  const anchors = 8;
  const channels = 4 + CLASSES;

  it('decodes channels-first output: centre/size boxes and the best class score', () => {
    const data = new Float32Array(channels * anchors);
    const set = (channel: number, anchor: number, value: number) => (data[channel * anchors + anchor] = value);
    // Anchor 3: box centred (200, 100), 40×20, class 3 (motorcycle) 0.7, class 2 0.2.
    [200, 100, 40, 20].forEach((v, c) => set(c, 3, v));
    set(4 + 3, 3, 0.7);
    set(4 + 2, 3, 0.2);
    // Anchor 5: below threshold.
    [50, 50, 10, 10].forEach((v, c) => set(c, 5, v));
    set(4 + 0, 5, 0.05);
    // 1280×720 frame letterboxed to 640×640: scale 0.5.
    const letterbox = computeLetterbox({ x: 0, y: 0, widthPx: 1280, heightPx: 720 }, 640, 640);
    const list = fromUltralytics(
      { data, dims: [1, channels, anchors] },
      { letterbox, classCount: CLASSES, minScore: 0.25 },
    );
    expect(list.count).toBe(1);
    expect(Array.from(list.boxes.subarray(0, 4))).toEqual([360, 180, 440, 220]);
    expect(list.scores[0]).toBeCloseTo(0.7, 5);
    expect(list.classIds[0]).toBe(3);
  });

  it('accepts the transposed [1, N, 4+C] layout with the same result', () => {
    const data = new Float32Array(channels * anchors);
    data.set([200, 100, 40, 20], 3 * channels);
    data[3 * channels + 4 + 3] = 0.7;
    const letterbox = computeLetterbox({ x: 0, y: 0, widthPx: 1280, heightPx: 720 }, 640, 640);
    const list = fromYolov8({ data, dims: [1, anchors, channels] }, { letterbox, classCount: CLASSES, minScore: 0.25 });
    expect(list.count).toBe(1);
    expect(Array.from(list.boxes.subarray(0, 4))).toEqual([360, 180, 440, 220]);
  });

  it('rejects an output without a 4+C axis', () => {
    const letterbox = computeLetterbox({ x: 0, y: 0, widthPx: 640, heightPx: 640 }, 640, 640);
    expect(() =>
      fromUltralytics(
        { data: new Float32Array(85 * 3), dims: [1, 85, 3] },
        { letterbox, classCount: CLASSES, minScore: 0.25 },
      ),
    ).toThrow(/no axis of 4\+80/);
  });
});
