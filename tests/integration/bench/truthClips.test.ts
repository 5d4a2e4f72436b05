// The shipped default against the hand counts: every truth clip of harness/truth replayed through the real
// queue, worker, analyzer and store at the default settings (5 fps, 960 px frames, the default model and
// input size). Each class may be off its hand count by no more than the error measured when the default was
// chosen (README "How exact the counts are"): a change that makes a count worse fails here.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../core/config.ts';
import { runAccuracy } from '../../../harness/accuracyRun.ts';
import { loadTruth } from '../../../harness/truth.ts';

const config = loadConfig({ env: { IOC_ASSETS: process.env.IOC_ASSETS } });
const TRUTH_DIR = 'harness/truth';

/**
 * Largest |counted − hand count| per class over all lines and directions, as measured at the shipped
 * default by `npm run eval -- --all` (2026-12-06, after the source's end became a scene cut: vn_traffic's
 * last car is counted; then the box filter's perspective: vn_wrong_way's last motorbike is; then narrow
 * four-wheeler boxes read as motorbikes: vn_wrong_way's cargo motorbike is no longer a truck). A class not listed
 * must be exact: in particular no pedestrian is counted on a road line where nobody walks. us_street_dusk's car
 * count was exact only by a wrong-direction count making up for a missed car; since a vehicle boxed twice (car and
 * truck) keeps one track (2026-12-07) it counts 6 of 7 (the hand count's range is 6–9) and none going away.
 * nl_motorway counts all 15 since a car speeding up towards the camera keeps its track on a low-score box ahead of
 * the prediction (2026-12-07).
 */
const MEASURED_ERROR: Record<string, Partial<Record<string, number>>> = {
  'video/nl_motorway.mp4': { car: 0, truck: 0 },
  'video/us_street_dusk.mp4': { car: 1, truck: 0 },
  'video/vn_traffic.mp4': { motorbike: 0, car: 0 },
  'video/vn_wrong_way.mp4': { motorbike: 0, car: 0, truck: 0, bicycle: 0 },
};
/** People in the concourse zone: hand-counted instants whose detected count must fall inside the hand range. */
const ZONE_INSTANTS_IN_RANGE: Record<string, number> = { 'video/pedestrians_concourse.avi': 4 };

const truthFiles = readdirSync(TRUTH_DIR)
  .filter((n) => n.endsWith('.json'))
  .sort();

describe('counts at the shipped default against the hand counts', () => {
  it('has a bound for every truth clip', () => {
    const clips = truthFiles.map((f) => loadTruth(join(TRUTH_DIR, f)).clip);
    expect(clips.sort()).toEqual([...Object.keys(MEASURED_ERROR), ...Object.keys(ZONE_INSTANTS_IN_RANGE)].sort());
  });

  it.each(truthFiles)(
    '%s: each class no further from the hand count than measured',
    async (file) => {
      const truth = loadTruth(join(TRUTH_DIR, file));
      const result = await runAccuracy(truth, config.assetsDir, {
        sampleFps: 5,
        frameWidthPx: config.ingest.frameWidthPx,
      });
      const bounds = MEASURED_ERROR[truth.clip];
      if (bounds) {
        const errors = Object.fromEntries(
          result.byClass.filter((c) => c.truth > 0 || c.counted > 0).map((c) => [c.className, Math.abs(c.error)]),
        );
        for (const [className, error] of Object.entries(errors)) {
          expect(
            error,
            `${truth.clip} ${className}: counted ${result.byClass.find((c) => c.className === className)!.counted}`,
          ).toBeLessThanOrEqual(bounds[className] ?? 0);
        }
      }
      // Where nobody goes (a direction of a one-way street, a class that does not pass), nothing is counted.
      const phantom = result.counts.filter((c) => c.max === 0 && c.counted > 0);
      expect(phantom.map((c) => `${c.lineId} ${c.direction} ${c.className}: ${c.counted}`)).toEqual([]);
      const zoneInstants = ZONE_INSTANTS_IN_RANGE[truth.clip];
      if (zoneInstants !== undefined) {
        expect(
          result.zones.filter((z) => z.inRange).length,
          JSON.stringify(result.zones.map((z) => [z.timeS, z.detected, z.truth])),
        ).toBeGreaterThanOrEqual(zoneInstants);
      }
    },
    300_000,
  );
});
