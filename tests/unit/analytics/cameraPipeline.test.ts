import { describe, expect, it } from 'vitest';
import { Detections, TRAFFIC_CLASSES, type TrafficClass } from '../../../core/detections.ts';
import type { CameraAnalysis } from '../../../core/cameraAnalysis.ts';
import { CameraPipeline, type PipelineFrame } from '../../../analytics/cameraPipeline.ts';
import { MINUTE_MS } from '../../../analytics/minuteCounts.ts';
import { Detections as D } from '../../../core/detections.ts';
import { expectedCrossings, trafficResults, trafficVehicles, TEST_ANALYSIS } from '../analyzer/syntheticTraffic.ts';
import { pipelineFrameOf } from '../../../analytics/pipelineFrameOf.ts';

const MINUTE0 = Date.UTC(2026, 10, 25, 3, 0, 0);

/** A 640×480 frame with one horizontal line across the middle, drawn on the same size. */
const ANALYSIS: CameraAnalysis = {
  widthPx: 640,
  heightPx: 480,
  lines: [
    {
      id: 'l1',
      points: [
        { x: 0, y: 240 },
        { x: 640, y: 240 },
      ],
      directions: { leftToRight: 'south', rightToLeft: 'north' },
    },
  ],
  zones: [
    {
      id: 'z1',
      polygon: [
        { x: 100, y: 100 },
        { x: 540, y: 100 },
        { x: 540, y: 380 },
        { x: 100, y: 380 },
      ],
      areaM2: 50,
    },
  ],
  calibration: null,
};

function frame(
  tMs: number,
  boxes: Array<{ box: [number, number, number, number]; className: TrafficClass }>,
  size = { w: 640, h: 480 },
): PipelineFrame {
  return {
    capturedAtMs: tMs,
    frameWidthPx: size.w,
    frameHeightPx: size.h,
    detections: new Detections({
      boxes: Float32Array.from(boxes.flatMap((b) => b.box)),
      scores: Float32Array.from(boxes.map(() => 0.9)),
      classIds: Uint8Array.from(boxes.map((b) => TRAFFIC_CLASSES.indexOf(b.className))),
    }),
  };
}

/** A box of w×h whose bottom-centre moves from y0 by dyPerFrame each 200 ms frame (5 fps). */
function drive(
  pipeline: CameraPipeline,
  className: TrafficClass,
  y0: number,
  dyPerFrame: number,
  frames: number,
  startMs = MINUTE0 + 1000,
) {
  const outputs = [];
  for (let i = 0; i < frames; i++) {
    const y = y0 + dyPerFrame * i;
    outputs.push(pipeline.process(frame(startMs + i * 200, [{ box: [300, y - 40, 330, y], className }])));
  }
  return outputs;
}

describe('CameraPipeline', () => {
  it('counts a motorbike crossing the line once, with its class and direction', () => {
    const pipeline = new CameraPipeline('cam', ANALYSIS, { widthPx: 640, heightPx: 480 });
    const outputs = drive(pipeline, 'motorbike', 100, 20, 15);
    const crossings = outputs.flatMap((o) => o!.crossings);
    expect(crossings).toHaveLength(1);
    expect(crossings[0]).toMatchObject({ lineId: 'l1', className: 'motorbike', direction: 'south', fromSide: 'left' });

    expect(pipeline.flushClosed(MINUTE0 + MINUTE_MS - 1).counts).toEqual([]);
    const rows = pipeline.flushClosed(MINUTE0 + MINUTE_MS);
    expect(rows.counts).toEqual([
      {
        minuteStartMs: MINUTE0,
        lineId: 'l1',
        direction: 'south',
        classId: 2,
        className: 'motorbike',
        count: 1,
        speedSumKmh: 0,
        speedSamples: 0,
      },
    ]);
    // A second flush re-emits nothing: rows are totals, written once per change.
    expect(pipeline.flushClosed(MINUTE0 + 2 * MINUTE_MS).counts).toEqual([]);
  });

  it('counts the opposite direction for a car driving up the image', () => {
    const pipeline = new CameraPipeline('cam', ANALYSIS, { widthPx: 640, heightPx: 480 });
    const crossings = drive(pipeline, 'car', 400, -20, 15).flatMap((o) => o!.crossings);
    expect(crossings.map((c) => [c.className, c.direction])).toEqual([['car', 'north']]);
  });

  it('scales geometry drawn on a larger still to the analysed frame', () => {
    const drawnAt2x: CameraAnalysis = {
      ...ANALYSIS,
      widthPx: 1280,
      heightPx: 960,
      lines: [
        {
          ...ANALYSIS.lines[0]!,
          points: [
            { x: 0, y: 480 },
            { x: 1280, y: 480 },
          ],
        },
      ],
      zones: [],
    };
    const pipeline = new CameraPipeline('cam', drawnAt2x, { widthPx: 640, heightPx: 480 });
    const crossings = drive(pipeline, 'motorbike', 100, 20, 15).flatMap((o) => o!.crossings);
    expect(crossings).toHaveLength(1);
  });

  it('measures zone occupancy per minute with every class sampled', () => {
    const pipeline = new CameraPipeline('cam', ANALYSIS, { widthPx: 640, heightPx: 480 });
    // A person standing inside the zone for 10 frames.
    for (let i = 0; i < 10; i++)
      pipeline.process(frame(MINUTE0 + 1000 + i * 200, [{ box: [200, 150, 230, 250], className: 'person' }]));
    const { zones } = pipeline.flushClosed(MINUTE0 + MINUTE_MS);
    expect(zones).toHaveLength(TRAFFIC_CLASSES.length);
    const person = zones.find((z) => z.className === 'person')!;
    // Confirmed on the 2nd sighting (minHits 2): occupied in 9 of 10 samples.
    expect(person).toMatchObject({ zoneId: 'z1', samples: 10, occupancySum: 9, occupancyMax: 1 });
    expect(person.densitySum).toBeCloseTo(9 / 50, 10);
    expect(zones.find((z) => z.className === 'car')).toMatchObject({
      samples: 10,
      occupancySum: 0,
      occupancyMax: 0,
      densitySum: null,
    });
  });

  it('skips a frame whose capture time goes backwards instead of failing', () => {
    const pipeline = new CameraPipeline('cam', ANALYSIS, { widthPx: 640, heightPx: 480 });
    expect(pipeline.process(frame(MINUTE0 + 1000, []))).not.toBeNull();
    expect(pipeline.process(frame(MINUTE0 + 800, []))).toBeNull();
    expect(pipeline.framesOutOfOrder).toBe(1);
  });

  it('rescales boxes of a frame analysed at another size', () => {
    const pipeline = new CameraPipeline('cam', ANALYSIS, { widthPx: 640, heightPx: 480 });
    const crossings = [];
    for (let i = 0; i < 15; i++) {
      const y = (100 + 20 * i) * 2;
      crossings.push(
        ...pipeline.process(
          frame(MINUTE0 + 1000 + i * 200, [{ box: [600, y - 80, 660, y], className: 'car' }], { w: 1280, h: 960 }),
        )!.crossings,
      );
    }
    expect(crossings).toHaveLength(1);
  });

  it('counts synthetic traffic as constructed, with speeds from the calibration', () => {
    const options = { cameraId: 'cam', startMs: MINUTE0, durationMs: 3 * MINUTE_MS, fps: 5 };
    const vehicles = trafficVehicles(options);
    const results = trafficResults(options, vehicles);
    const pipeline = new CameraPipeline('cam', TEST_ANALYSIS, { widthPx: 960, heightPx: 540 });
    for (const r of results) pipeline.process(pipelineFrameOf(r));
    const rows = pipeline.flushClosed(MINUTE0 + 10 * MINUTE_MS).counts;
    const counted = new Map<string, number>();
    for (const row of rows)
      counted.set(
        `${row.direction}/${row.className}`,
        (counted.get(`${row.direction}/${row.className}`) ?? 0) + row.count,
      );
    expect(Object.fromEntries([...counted].sort())).toEqual(
      Object.fromEntries([...expectedCrossings(vehicles, MINUTE0 + 3 * MINUTE_MS)].sort()),
    );
    // 160 px/s on a 540 px frame showing 60 m: about 64 km/h (motorbikes 10 % faster).
    for (const row of rows) {
      expect(row.speedSamples).toBe(row.count);
      expect(row.speedSumKmh / row.speedSamples).toBeGreaterThan(55);
      expect(row.speedSumKmh / row.speedSamples).toBeLessThan(80);
    }
  });
});
