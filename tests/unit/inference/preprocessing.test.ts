import { describe, expect, it } from 'vitest';
import { Detections, TRAFFIC_CLASSES } from '../../../core/detections.ts';
import { fillInputTensor, fillPackedRgb } from '../../../inference/preprocess.ts';
import { toFaintDetections, toTrafficDetections, trafficClassMap } from '../../../inference/trafficClasses.ts';
import { MODEL_MANIFEST, COCO_CLASS_NAMES } from '../../../models/manifest.ts';
import { ManifestEntrySchema } from '../../../models/modelFiles.ts';
import Value from 'typebox/value';

const input2x1 = {
  name: 'images',
  widthPx: 2,
  heightPx: 1,
  layout: 'NCHW' as const,
  batch: 1,
  padValue: 114,
};

describe('fillInputTensor', () => {
  it('writes planar BGR 0..255 for YOLOX', () => {
    const rgb = Uint8Array.from([10, 20, 30, 40, 50, 60]); // two pixels
    const target = new Float32Array(6);
    fillInputTensor(rgb, { ...input2x1, colourOrder: 'BGR', scale: 1, mean: [0, 0, 0], std: [1, 1, 1] }, target);
    expect(Array.from(target)).toEqual([30, 60, 20, 50, 10, 40]);
  });

  it('applies scale, mean and std in RGB order for normalised models', () => {
    const rgb = Uint8Array.from([255, 0, 51, 0, 255, 102]);
    const target = new Float32Array(6);
    fillInputTensor(
      rgb,
      { ...input2x1, colourOrder: 'RGB', scale: 1 / 255, mean: [0.5, 0, 0], std: [0.5, 1, 0.2] },
      target,
    );
    expect(Array.from(target).map((v) => Math.round(v * 1000) / 1000)).toEqual([1, -1, 0, 1, 1, 2]);
  });
});

describe('fillPackedRgb', () => {
  it('copies the picture top left and pads right of it and below it with the pad value', () => {
    const input = { widthPx: 3, heightPx: 3, padValue: 114 };
    const picture = Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]); // 2×2 pixels
    const target = new Uint8Array(27).fill(0);
    fillPackedRgb(picture, input, target, { widthPx: 2, heightPx: 2 });
    const P = [114, 114, 114];
    expect(Array.from(target)).toEqual([1, 2, 3, 4, 5, 6, ...P, 7, 8, 9, 10, 11, 12, ...P, ...P, ...P, ...P]);
  });

  it('copies a picture as wide as the input in one piece and refuses one that does not fit', () => {
    const target = new Uint8Array(12);
    fillPackedRgb(Uint8Array.from([1, 2, 3, 4, 5, 6]), { widthPx: 2, heightPx: 2, padValue: 0 }, target, {
      widthPx: 2,
      heightPx: 1,
    });
    expect(Array.from(target)).toEqual([1, 2, 3, 4, 5, 6, 0, 0, 0, 0, 0, 0]);
    expect(() =>
      fillPackedRgb(new Uint8Array(9), { widthPx: 2, heightPx: 2, padValue: 0 }, target, { widthPx: 3, heightPx: 1 }),
    ).toThrow(RangeError);
  });
});

describe('traffic classes', () => {
  it('maps COCO person, bicycle, car, motorcycle, bus, truck (0, 1, 2, 3, 5, 7) and nothing else', () => {
    const map = trafficClassMap(COCO_CLASS_NAMES);
    const mapped = [0, 1, 3, 2, 5, 7].map((id) => TRAFFIC_CLASSES[map[id]!]);
    expect(mapped).toEqual(['person', 'bicycle', 'motorbike', 'car', 'bus', 'truck']);
    expect(map[16]).toBe(-1); // dog
  });

  it('applies the per-class score thresholds', () => {
    const map = trafficClassMap(COCO_CLASS_NAMES);
    const raw = {
      boxes: Float32Array.from([0, 0, 10, 10, 5, 5, 20, 20, 1, 1, 2, 2, 3, 3, 4, 4]),
      scores: Float32Array.from([0.25, 0.25, 0.9, 0.5]),
      classIds: Uint16Array.from([3, 2, 16, 0]), // motorcycle, car, dog, person
    };
    const thresholds = { person: 0.35, bicycle: 0.3, motorbike: 0.2, car: 0.35, bus: 0.35, truck: 0.35 };
    const detections = toTrafficDetections(raw, map, thresholds);
    expect(detections).toBeInstanceOf(Detections);
    expect(Array.from(detections.classIds).map((id) => TRAFFIC_CLASSES[id])).toEqual(['motorbike', 'person']);
    expect(Array.from(detections.boxes)).toEqual([0, 0, 10, 10, 3, 3, 4, 4]);
  });

  it('publishes apart, as faint, the two-wheeler group under its thresholds down to faintMinScore', () => {
    const map = trafficClassMap(COCO_CLASS_NAMES);
    const raw = {
      boxes: Float32Array.from([0, 0, 10, 10, 5, 5, 20, 20, 1, 1, 2, 2, 3, 3, 4, 4, 6, 6, 8, 8]),
      scores: Float32Array.from([0.25, 0.15, 0.3, 0.05, 0.1]),
      classIds: Uint16Array.from([0, 1, 2, 0, 3]), // person, bicycle, car, person, motorcycle
    };
    const thresholds = { person: 0.35, bicycle: 0.3, motorbike: 0.2, car: 0.35, bus: 0.35, truck: 0.35 };
    const faint = toFaintDetections(raw, map, thresholds, 0.1);
    // The car under its threshold is not faint (four-wheelers never are), nor the person under faintMinScore.
    expect(Array.from(faint.classIds).map((id) => TRAFFIC_CLASSES[id])).toEqual(['person', 'bicycle', 'motorbike']);
    expect(Array.from(faint.scores)).toEqual([0.25, 0.15, 0.1].map(Math.fround));
    // Faint and published never share a detection.
    expect(toTrafficDetections(raw, map, thresholds).length).toBe(0);
  });
});

describe('model manifest', () => {
  it('has valid, unique entries with a decoder family and a licence', () => {
    const ids = new Set<string>();
    for (const entry of MODEL_MANIFEST) {
      expect([...Value.Errors(ManifestEntrySchema, entry)]).toEqual([]);
      expect(ids.has(entry.id)).toBe(false);
      ids.add(entry.id);
    }
    const yolox = MODEL_MANIFEST.find((m) => m.id === 'yolox_nano')!;
    expect(yolox.input).toMatchObject({
      widthPx: 416,
      heightPx: 416,
      colourOrder: 'BGR',
      scale: 1,
      padValue: 114,
      batch: 1,
    });
    expect(yolox.licence).toMatch(/Apache-2\.0/);
  });
});
