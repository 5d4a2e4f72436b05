// Wrong-way travel on real footage: vn_wrong_way.mp4 replayed through a real worker and analyzer: at the
// shipped default (whole frame) on the hand-counted line, then with a crop around a one-way line drawn across
// the right-hand lanes, once with each direction forbidden.
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../core/config.ts';
import type { CameraAnalysis } from '../../../core/cameraAnalysis.ts';
import { replayWithAlerts, type Replayed } from '../../../harness/clipReplay.ts';
import { loadTruth, truthAnalysis } from '../../../harness/truth.ts';

const config = loadConfig({ env: { IOC_ASSETS: process.env.IOC_ASSETS } });
const clipPath = resolve(config.assetsDir, 'video/vn_wrong_way.mp4');
const TOWARDS = 've-phia-camera';
const AWAY = 'di-xa';

// Drawn on the 1568×778 frame. The line crosses the right-hand lanes and the kerb lane, where the clip's
// wrong-way cyclist comes down towards the camera at about 4–5 s while motorbikes and a car drive away;
// walking along it from its first point, "left" is up the image, away from the camera. The zone around it
// gives the detector a closer look (one crop, at 0.68 of full size) at the small two-wheelers.
const ANALYSIS: CameraAnalysis = {
  widthPx: 1568,
  heightPx: 778,
  lines: [
    {
      id: 'mot-chieu',
      name: 'Đường một chiều',
      points: [
        { x: 1000, y: 400 },
        { x: 1568, y: 400 },
      ],
      directions: { leftToRight: TOWARDS, rightToLeft: AWAY },
    },
  ],
  zones: [
    {
      id: 'lan-phai',
      polygon: [
        { x: 1000, y: 250 },
        { x: 1568, y: 250 },
        { x: 1568, y: 600 },
        { x: 1000, y: 600 },
      ],
    },
  ],
  calibration: null,
};

function replay(forbiddenDirection: string): Promise<Replayed> {
  return replayWithAlerts({
    clipPath,
    analysis: ANALYSIS,
    sampleFps: 5,
    frameWidthPx: 1568,
    startMs: START_MS,
    alertRules: [
      {
        id: 'nguoc-chieu',
        type: 'wrongWay',
        lineId: 'mot-chieu',
        forbiddenDirection,
        classes: ['car', 'motorbike', 'bicycle', 'bus', 'truck', 'person'],
      },
    ],
    // The zone's crop gives the detector a closer look at the two-wheelers in the right-hand lanes.
    config: { analyzer: { inferenceRegions: 'lines-and-zones' } },
  });
}

const truth = loadTruth('harness/truth/vn_wrong_way.json');
const START_MS = Date.parse('2026-11-25T03:00:00Z');
/** The cyclist riding against the traffic crosses the hand-counted line here (truth, read at 30 fps). */
const cyclistCrossingS = truth.crossings!.find((c) => c.direction === TOWARDS)!.timeS;

function crossings(run: Replayed, direction: string): number {
  return run.counts
    .filter((c) => c.lineId === 'mot-chieu' && c.direction === direction)
    .reduce((sum, c) => sum + c.count, 0);
}

describe('wrong-way travel on vn_wrong_way.mp4', () => {
  it('alerts the cyclist riding against the traffic at the shipped default, within 2 s of his crossing, and nobody else', async () => {
    // The whole frame at 960x544, no crop: the cyclist scores under the person threshold for frames on end
    // there, and only faint detections carry his track across the line (analytics/byteTracker.ts).
    const run = await replayWithAlerts({
      clipPath,
      analysis: truthAnalysis(truth),
      sampleFps: 5,
      frameWidthPx: 960,
      startMs: START_MS,
      alertRules: [
        {
          id: 'nguoc-chieu',
          type: 'wrongWay',
          lineId: 'ngang-dai-lo',
          forbiddenDirection: TOWARDS,
          classes: ['car', 'motorbike', 'bicycle', 'bus', 'truck', 'person'],
        },
      ],
    });
    const alerts = run.alerts.filter((a) => a.type === 'wrongWay');
    // Eight motorbikes and a car cross the line going away; exactly one rider comes towards the camera.
    expect(alerts).toHaveLength(1);
    const [cyclist] = alerts;
    expect(cyclist!.details.direction).toBe(TOWARDS);
    expect(cyclist!.hasSnapshot).toBe(true);
    // Frame i of the replay is stamped i / 5 s while showing the clip ~0.07 s later (truth .md), hence the slack before.
    const delayS = (cyclist!.startedAtMs - START_MS) / 1000 - cyclistCrossingS;
    expect(delayS).toBeGreaterThanOrEqual(-0.2);
    expect(delayS).toBeLessThanOrEqual(2);
  }, 300_000);

  it('alerts exactly the crossings against the one-way direction, and the others when the line is reversed', async () => {
    const forbidTowards = await replay(TOWARDS);
    const forbidAway = await replay(AWAY);
    const alertsOf = (run: Replayed) => run.alerts.filter((a) => a.type === 'wrongWay');

    // Reversed: the boulevard's traffic drives away from the camera, so each of those crossings is an alert.
    // An alert needs evidence a count does not (alerts/rules/crossingEvidence.ts: sightings on both sides,
    // a path along the lane): a crossing made as the clip ends, or by a track seen twice, counts but raises nothing.
    const awayAlerts = alertsOf(forbidAway);
    expect(crossings(forbidAway, AWAY)).toBeGreaterThanOrEqual(2);
    expect(awayAlerts.length).toBeGreaterThanOrEqual(2);
    expect(awayAlerts.length).toBeLessThanOrEqual(crossings(forbidAway, AWAY));
    for (const alert of awayAlerts) {
      expect(alert.details.direction).toBe(AWAY);
      expect(alert.subject).toMatch(/^line:mot-chieu:track:\d+$/);
      expect(alert.hasSnapshot).toBe(true);
    }

    // As drawn (towards the camera forbidden): the wrong-way cyclist raises, the traffic going away does not.
    // YOLOX-Nano sees the cyclist as a person (its bicycle is too small at this size), hence 'person' in
    // the rule's classes: a rider against the traffic is wrong-way whatever the detector calls the vehicle.
    const towardsAlerts = alertsOf(forbidTowards);
    expect(towardsAlerts.length).toBeGreaterThanOrEqual(1);
    expect(towardsAlerts.length).toBeLessThanOrEqual(crossings(forbidTowards, TOWARDS));
    for (const alert of towardsAlerts) expect(alert.details.direction).toBe(TOWARDS);
    // The cyclist was alerted at about 4–5 s into the clip, when it came down the kerb lane.
    expect(towardsAlerts.some((a) => a.startedAtMs - START_MS >= 3500 && a.startedAtMs - START_MS <= 5500)).toBe(true);

    // The same tracks crossed both times (same frames, same detections): the two alert sets never share one.
    const subjects = new Set(awayAlerts.map((a) => a.subject));
    expect(towardsAlerts.filter((a) => subjects.has(a.subject))).toEqual([]);
    expect(forbidTowards.counts).toEqual(forbidAway.counts);
  }, 300_000);
});
