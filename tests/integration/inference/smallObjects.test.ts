import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TRAFFIC_CLASSES } from '../../../core/detections.ts';
import { createDetector, type Detector } from '../../../inference/detector.ts';
import type { AnalysisPlan } from '../../../core/analysisPlan.ts';
import { HAND_COUNTED_FRAMES, motorbikeRecall } from '../../../harness/handCounts.ts';
import { assetPath, extractFrame } from '../../../harness/assetFrame.ts';
import { testConfig } from './helpers.ts';

const config = testConfig();
const MOTORBIKE = TRAFFIC_CLASSES.indexOf('motorbike');
let detector: Detector;

beforeAll(async () => {
  detector = await createDetector(config);
});
afterAll(async () => {
  await detector?.close();
});

async function motorbikeBoxes(jpeg: Buffer, plan?: AnalysisPlan): Promise<Array<[number, number, number, number]>> {
  const { traffic } = await detector.detect(jpeg, plan ? { plan } : {});
  const boxes: Array<[number, number, number, number]> = [];
  for (let i = 0; i < traffic.length; i++) {
    if (traffic.classIds[i] === MOTORBIKE)
      boxes.push(Array.from(traffic.boxes.subarray(i * 4, i * 4 + 4)) as [number, number, number, number]);
  }
  return boxes;
}

describe('analysis regions for small objects', () => {
  it('finds more of the hand-counted motorbikes with crops and tiles than on the whole frame', async () => {
    let foundWhole = 0;
    let foundRegions = 0;
    let total = 0;
    const report: string[] = [];
    for (const frame of HAND_COUNTED_FRAMES) {
      expect(frame.motorbikePoints).toHaveLength(frame.counts.motorbike);
      const jpeg = await extractFrame(assetPath(config, frame.clip), frame.atSeconds);
      const plan: AnalysisPlan = {
        wholeFrame: true,
        crops: frame.crops,
        tiles: { cols: 3, rows: 2, overlapFrac: 0.2 },
      };
      const whole = motorbikeRecall(frame.motorbikePoints, await motorbikeBoxes(jpeg));
      const regions = motorbikeRecall(frame.motorbikePoints, await motorbikeBoxes(jpeg, plan));
      report.push(
        `${frame.clip}@${frame.atSeconds}s: ${frame.counts.motorbike} motorbikes by hand, recall whole ${whole.toFixed(2)}, regions ${regions.toFixed(2)}`,
      );
      // Regions add the whole frame's own pass, so they never lose what the whole frame found.
      expect(regions).toBeGreaterThanOrEqual(whole);
      foundWhole += whole * frame.motorbikePoints.length;
      foundRegions += regions * frame.motorbikePoints.length;
      total += frame.motorbikePoints.length;
    }
    console.info(report.join('\n'));
    console.info(
      `all frames: recall whole ${(foundWhole / total).toFixed(2)}, regions ${(foundRegions / total).toFixed(2)} of ${total}`,
    );
    expect(foundRegions).toBeGreaterThan(foundWhole);
  });
});
