// The end of a source (the clip ended, ffmpeg exited) is a scene cut: every track ends after the source's last
// frame, so a vehicle caught crossing then is counted; a stream that merely goes quiet ends nothing.
import { describe, expect, it } from 'vitest';
import { Detections, TRAFFIC_CLASSES, type TrafficClass } from '../../../core/detections.ts';
import type { CameraAnalysis } from '../../../core/cameraAnalysis.ts';
import { CameraPipeline, type PipelineFrame } from '../../../analytics/cameraPipeline.ts';
import { PipelineSnapshotter } from '../../../analytics/pipelineSnapshot.ts';
import { SeqReorderBuffer } from '../../../analytics/seqReorderBuffer.ts';
import { MINUTE_MS } from '../../../analytics/minuteCounts.ts';

const T0 = Date.UTC(2026, 10, 25, 3, 0, 0);

/** One horizontal line at y = 240 across a 640×480 frame: driving down the image is 'south'. */
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
  zones: [],
  calibration: null,
};

interface Box {
  x: number;
  bottomY: number;
  className: TrafficClass;
}

/** A frame at 5 fps with 80×60 boxes standing on (x, bottomY). */
function frame(i: number, boxes: Box[]): PipelineFrame {
  return {
    capturedAtMs: T0 + i * 200,
    seq: i,
    frameWidthPx: 640,
    frameHeightPx: 480,
    detections: new Detections({
      boxes: Float32Array.from(boxes.flatMap((b) => [b.x - 40, b.bottomY - 60, b.x + 40, b.bottomY])),
      scores: Float32Array.from(boxes.map(() => 0.9)),
      classIds: Uint8Array.from(boxes.map((b) => TRAFFIC_CLASSES.indexOf(b.className))),
    }),
  };
}

const car = (x: number, bottomY: number): Box => ({ x, bottomY, className: 'car' });

/** Runs frames; returns every crossing counted and the pipeline. */
function run(frames: PipelineFrame[], pipeline = new CameraPipeline('cam', ANALYSIS, { widthPx: 640, heightPx: 480 })) {
  const crossings = frames.flatMap((f) => pipeline.process(f)!.crossings);
  return { pipeline, crossings };
}

/** A car driving south, its last sighting 8 px past the line (inside the 9 px band): crossing, not yet settled. */
const ARRIVING = [120, 140, 160, 180, 200, 220, 248];

describe('CameraPipeline at the end of its source', () => {
  it('counts a car caught crossing as the source ends, as a scene cut with reason sourceEnded', () => {
    const { pipeline, crossings } = run(ARRIVING.map((y, i) => frame(i, [car(320, y)])));
    expect(crossings).toEqual([]);
    const ended = pipeline.endSource(ARRIVING.length);
    expect(ended).toMatchObject([{ lineId: 'l1', direction: 'south', className: 'car' }]);
    expect(ended[0]!.timestampMs).toBe(T0 + (ARRIVING.length - 1) * 200);
    expect(pipeline.sceneCutStats.byReason.sourceEnded).toBe(1);
    expect(pipeline.sceneCutStats.last).toMatchObject({ reason: 'sourceEnded', measure: ARRIVING.length });
    expect(pipeline.flushClosed(T0 + MINUTE_MS).counts).toMatchObject([
      { direction: 'south', className: 'car', count: 1 },
    ]);
  });

  it('ends no track while the stream merely goes quiet: the car resumes and counts once, under its own id', () => {
    const { pipeline, crossings } = run(ARRIVING.map((y, i) => frame(i, [car(320, y)])));
    expect(crossings).toEqual([]);
    // A second without a frame (a worker away), then the same car further on.
    const resumed = pipeline.process(frame(ARRIVING.length + 5, [car(320, 275)]))!;
    expect(resumed.sceneCut).toBeNull();
    expect(resumed.crossings).toMatchObject([{ direction: 'south', className: 'car', trackId: 1 }]);
    expect(pipeline.sceneCutStats.byReason.sourceEnded).toBe(0);
  });

  it('counts nothing for a car that stopped just short of the line, or parked across it, when the source ends', () => {
    // Braking to a stop 4 px short: the filtered box overshoots to just past the line, within the jitter floor.
    const short = run([120, 140, 160, 180, 200, 220, 234, 236].map((y, i) => frame(i, [car(320, y)])));
    expect(short.pipeline.endSource(8)).toEqual([]);
    // Parked on the line since it was first seen, its box jittering a few px either way.
    const parked = run([236, 243, 238, 244, 237, 245, 239, 244].map((y, i) => frame(i, [car(320, y)])));
    expect(parked.pipeline.endSource(8)).toEqual([]);
    expect(parked.pipeline.sceneCutStats.byReason.sourceEnded).toBe(1);
  });

  it('does not count a crossing already counted, when the source ends', () => {
    const across = [120, 150, 180, 210, 240, 270, 300, 330];
    const { pipeline, crossings } = run(across.map((y, i) => frame(i, [car(320, y)])));
    expect(crossings).toHaveLength(1);
    expect(pipeline.endSource(across.length)).toEqual([]);
  });

  it('counts a car boxed twice (as a car and a truck) once, and two cars side by side twice', () => {
    const twice = run(ARRIVING.map((y, i) => frame(i, [car(320, y), { x: 321, bottomY: y + 1, className: 'truck' }])));
    expect(twice.pipeline.endSource(ARRIVING.length).map((c) => c.className)).toEqual(['car']);
    const sideBySide = run(ARRIVING.map((y, i) => frame(i, [car(200, y), car(420, y)])));
    expect(sideBySide.pipeline.endSource(ARRIVING.length).map((c) => c.className)).toEqual(['car', 'car']);
  });

  it('takes the source coming back as the same end, not a second cut, and starts new tracks', () => {
    const { pipeline } = run(ARRIVING.map((y, i) => frame(i, [car(320, y)])));
    const idsBefore = pipeline.process(frame(7, [car(320, 250)]))!.tracks.tracks.map((t) => t.id);
    pipeline.endSource(8);
    // ffmpeg restarts: the next frame, a few seconds later, is no cut of its own.
    const next = pipeline.process(frame(30, [car(100, 120)]))!;
    expect(next.sceneCut).toBeNull();
    expect(Math.min(...next.tracks.tracks.map((t) => t.id))).toBeGreaterThan(Math.max(...idsBefore));
    // A source that ends again without a frame since (ffmpeg failing to start) ends nothing more.
    pipeline.endSource(31);
    expect(pipeline.endSource(32)).toEqual([]);
    expect(pipeline.sceneCutStats.byReason.sourceEnded).toBe(2);
  });

  it('resumes a checkpoint written before sources ended, and counts its first end', () => {
    const { pipeline } = run(ARRIVING.map((y, i) => frame(i, [car(320, y)])));
    const snapshotter = new PipelineSnapshotter().learnFrom(pipeline);
    const json = JSON.stringify(snapshotter.snapshot({ pipeline, reorder: null as never }));
    // The counters of an older state had no sourceEnded.
    const older = json.replace(/,"sourceEnded":0/, '');
    expect(older).not.toBe(json);
    const restored = snapshotter.restore<unknown>(JSON.parse(older)).pipeline;
    expect(restored.endSource(ARRIVING.length)).toHaveLength(1);
    expect(restored.sceneCutStats.byReason.sourceEnded).toBe(1);
  });
});

describe('SeqReorderBuffer with a source end marker', () => {
  type Item = { seq: number; capturedAtMs: number; end?: true };
  it('lets the marker out after the frame before it, even when the marker comes first', () => {
    const buffer = new SeqReorderBuffer<Item>({ maxWaitMs: 2000 });
    const released = [0, 1, 2].flatMap((seq) => buffer.push({ seq, capturedAtMs: T0 + seq * 200 }));
    expect(released.map((i) => i.seq)).toEqual([0, 1, 2]);
    // Two workers: the marker (seq 4, the time of the last frame) is published before frame 3.
    expect(buffer.push({ seq: 4, capturedAtMs: T0 + 3 * 200, end: true })).toEqual([]);
    expect(buffer.push({ seq: 3, capturedAtMs: T0 + 3 * 200 }).map((i) => [i.seq, i.end ?? false])).toEqual([
      [3, false],
      [4, true],
    ]);
  });
});
