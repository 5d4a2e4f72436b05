import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TRAFFIC_CLASSES } from '../../../core/detections.ts';
import { createDetector, type Detector } from '../../../inference/detector.ts';
import { DetectorsBySize } from '../../../inference/detectorsBySize.ts';
import { HAND_COUNTED_FRAMES, motorbikeRecall } from '../../../harness/handCounts.ts';
import { assetPath, extractFrame } from '../../../harness/assetFrame.ts';
import { capturingLogger, testConfig } from './helpers.ts';

// The deployment here runs the export's 416x416; cameras ask for 960x544.
const config = testConfig({ inference: { maxInputSizes: 2, inputWidthPx: 416, inputHeightPx: 416 } });
const WIDE = { widthPx: 960, heightPx: 544 };
const MOTORBIKE = TRAFFIC_CLASSES.indexOf('motorbike');
let detectors: DetectorsBySize;
let loads = 0;
const { logger, records } = capturingLogger();

beforeAll(async () => {
  const configured = await createDetector(config);
  detectors = new DetectorsBySize(
    configured,
    (inputSizePx) => {
      loads += 1;
      return createDetector(config, { model: configured.model, inputSizePx });
    },
    config.inference.maxInputSizes,
    logger,
  );
});
afterAll(async () => {
  await detectors?.close();
});

async function motorbikesFound(detector: Detector): Promise<number> {
  let found = 0;
  for (const frame of HAND_COUNTED_FRAMES) {
    const jpeg = await extractFrame(assetPath(config, frame.clip), frame.atSeconds);
    const { traffic } = await detector.detect(jpeg);
    const boxes: Array<[number, number, number, number]> = [];
    for (let i = 0; i < traffic.length; i++) {
      if (traffic.classIds[i] === MOTORBIKE)
        boxes.push(Array.from(traffic.boxes.subarray(i * 4, i * 4 + 4)) as [number, number, number, number]);
    }
    found += Math.round(motorbikeRecall(frame.motorbikePoints, boxes) * frame.motorbikePoints.length);
  }
  return found;
}

describe('detectors by camera input size', () => {
  it('gives a camera without a size, or with the configured one, the configured detector', async () => {
    expect(await detectors.forSize(undefined)).toBe(detectors.configured);
    expect(await detectors.forSize({ widthPx: 416, heightPx: 416 })).toBe(detectors.configured);
    expect(loads).toBe(0);
  });

  it('loads a camera size once, on first ask, even when frames ask at once', async () => {
    const [a, b] = await Promise.all([detectors.forSize(WIDE), detectors.forSize(WIDE)]);
    expect(a).toBe(b);
    expect(a).not.toBe(detectors.configured);
    expect(a.inputSizePx).toEqual(WIDE);
    expect(await detectors.forSize({ ...WIDE })).toBe(a);
    expect(loads).toBe(1);
  });

  it('analyses a size the model refuses, or one past inference.maxInputSizes, at the configured size, saying so once', async () => {
    expect(await detectors.forSize({ widthPx: 950, heightPx: 544 })).toBe(detectors.configured);
    expect(await detectors.forSize({ widthPx: 950, heightPx: 544 })).toBe(detectors.configured);
    expect(await detectors.forSize({ widthPx: 640, heightPx: 384 })).toBe(detectors.configured); // bound of 2 reached
    expect(loads).toBe(1);
    const warnings = records.filter((r) => r.msg === 'camera input size not used; analysed at the configured size');
    expect(warnings.map((w) => w.inputSize)).toEqual(['950x544', '640x384']);
    expect(String(warnings[0]!.reason)).toMatch(/multiples of 32/);
  });

  it('finds more of the hand-counted motorbikes at 960x544 than at 416x416 (issue 17)', async () => {
    const at416 = await motorbikesFound(detectors.configured);
    const at960 = await motorbikesFound(await detectors.forSize(WIDE));
    console.info(`hand-counted motorbikes found by yolox_nano, whole frame: 416x416 ${at416}, 960x544 ${at960}`);
    expect(at960).toBeGreaterThan(at416 * 1.5);
  });
});
