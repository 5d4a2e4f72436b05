import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TRAFFIC_CLASSES } from '../../../core/detections.ts';
import { createDetector, type Detector } from '../../../inference/detector.ts';
import { bestOfClass as best, boxIou as iou, readAsset, testConfig } from './helpers.ts';

const config = testConfig({ inference: { modelId: 'picodet_s', sessions: 2 } });
let detector: Detector;

beforeAll(async () => {
  detector = await createDetector(config);
});
afterAll(async () => {
  await detector?.close();
});

// The reference boxes of the yolox_nano test, in 768×576 pixels.
const REFERENCE: Record<string, number[]> = {
  dog: [133, 207, 325, 542],
  bicycle: [46, 132, 572, 431],
  car: [467, 78, 692, 172],
};

describe('picodet_s detector', () => {
  it('finds the dog, the bicycle and the car of dog.jpg where yolox_nano does, the same boxes on every run', async () => {
    expect(detector.model.family).toBe('picodet');
    const jpeg = await readAsset(config, 'images/dog.jpg');
    const runs = await Promise.all([detector.detectRaw(jpeg), detector.detectRaw(jpeg)]);
    runs.push(await detector.detectRaw(jpeg));
    const found: Record<string, number> = {};
    for (const [name, box] of Object.entries(REFERENCE)) {
      const first = best(runs[0]!.raw, name)!;
      expect(first, name).toBeDefined();
      found[name] = Math.round(first.score * 100) / 100;
      expect(first.score, name).toBeGreaterThan(0.5);
      // PicoDet ends the bicycle at its front wheel's hub (x ≈ 114), YOLOX at the tyre (x ≈ 46): boxes overlap, not equal.
      expect(iou(first.box, box), name).toBeGreaterThan(0.75);
      for (const run of runs.slice(1)) {
        best(run.raw, name)!.box.forEach((v, k) => expect(Math.abs(v - first.box[k]!)).toBeLessThan(1e-3));
      }
    }
    console.info('picodet_s on dog.jpg at 416x416:', JSON.stringify(found));
    const traffic = await detector.detect(jpeg);
    const names = Array.from(traffic.traffic.classIds, (id) => TRAFFIC_CLASSES[id]);
    expect(names).toEqual(expect.arrayContaining(['bicycle', 'car']));
  });

  it('finds them at 960x544 too, the graph rewritten at load (where it labels the dog a cat)', async () => {
    const wide = await createDetector(config, { inputSizePx: { widthPx: 960, heightPx: 544 } });
    try {
      expect(wide.inputSizePx).toEqual({ widthPx: 960, heightPx: 544 });
      const { raw } = await wide.detectRaw(await readAsset(config, 'images/dog.jpg'));
      for (const name of ['bicycle', 'car']) {
        const found = best(raw, name);
        expect(found?.score ?? 0, name).toBeGreaterThan(0.5);
        expect(iou(found!.box, REFERENCE[name]!), name).toBeGreaterThan(0.75);
      }
      const animal = best(raw, 'cat') ?? best(raw, 'dog');
      expect(animal?.score ?? 0).toBeGreaterThan(0.5);
      expect(iou(animal!.box, REFERENCE.dog!)).toBeGreaterThan(0.75);
    } finally {
      await wide.close();
    }
  });
});
