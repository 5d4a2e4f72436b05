import { describe, expect, it } from 'vitest';
import { Detections, TRAFFIC_CLASSES } from '../../../core/detections.ts';
import type { CameraAnalysis } from '../../../core/cameraAnalysis.ts';
import type { ImageStats } from '../../../core/alerts.ts';
import { CameraPipeline, type PipelineFrame } from '../../../analytics/cameraPipeline.ts';
import { MINUTE_MS } from '../../../analytics/minuteCounts.ts';
import { pictureChange, SceneCutDetector } from '../../../analytics/sceneCut.ts';
import { PipelineSnapshotter } from '../../../analytics/pipelineSnapshot.ts';

const T0 = Date.UTC(2026, 10, 25, 3, 0, 0);

/** A 16×16 grey picture: a fixed pattern of `scene`, with `noise` of per-frame change and `offset` of exposure. */
function thumbOf(scene: number, frame: number, noise = 2, offset = 0): ImageStats {
  const cells = Buffer.alloc(256);
  for (let i = 0; i < 256; i++) {
    const base = (Math.sin(i * 0.37 + scene * 1.9) * 60 + 120) | 0;
    const jitter = Math.round(Math.sin(i * 1.7 + frame * 2.3) * noise);
    cells[i] = Math.max(0, Math.min(255, base + jitter + offset));
  }
  return { meanLuma: 120, stdLuma: 40, thumb: cells.toString('base64') };
}

describe('SceneCutDetector', () => {
  it('sees no cut in a steady camera and a cut where the clip loops', () => {
    const detector = new SceneCutDetector();
    const cuts = [];
    for (let i = 0; i < 60; i++)
      cuts.push(detector.observe({ capturedAtMs: T0 + i * 200, seq: i, image: thumbOf(1, i) }));
    expect(cuts.every((c) => c === null)).toBe(true);
    const loop = detector.observe({ capturedAtMs: T0 + 60 * 200, seq: 60, image: thumbOf(2, 60) });
    expect(loop).toMatchObject({ reason: 'imageJump', atMs: T0 + 12_000 });
    expect(detector.cutsByReason.imageJump).toBe(1);
  });

  it('takes an exposure step for the same scene, not a cut', () => {
    const detector = new SceneCutDetector();
    for (let i = 0; i < 30; i++) detector.observe({ capturedAtMs: T0 + i * 200, image: thumbOf(1, i) });
    expect(detector.observe({ capturedAtMs: T0 + 30 * 200, image: thumbOf(1, 30, 2, 25) })).toBeNull();
    expect(pictureChange(thumbOf(1, 0, 0).thumb, thumbOf(1, 0, 0, 25).thumb)).toBeLessThan(0.5);
  });

  it('judges a busy camera by its own changes: what is usual there is not a cut', () => {
    const detector = new SceneCutDetector();
    // Large changes all the time (heavy traffic close to the camera): a change of that size goes on.
    for (let i = 0; i < 40; i++)
      expect(detector.observe({ capturedAtMs: T0 + i * 200, image: thumbOf(1, i, 12) })).toBeNull();
    expect(detector.observe({ capturedAtMs: T0 + 40 * 200, image: thumbOf(1, 40, 14) })).toBeNull();
  });

  it('needs a large change before it knows the camera', () => {
    const detector = new SceneCutDetector();
    detector.observe({ capturedAtMs: T0, image: thumbOf(1, 0) });
    expect(detector.observe({ capturedAtMs: T0 + 200, image: thumbOf(1, 1, 6) })).toBeNull();
    expect(detector.observe({ capturedAtMs: T0 + 400, image: thumbOf(5, 2) })?.reason).toBe('imageJump');
  });

  it('cuts on a gap in capture time, a seq that restarts and time going back', () => {
    const detector = new SceneCutDetector({ maxGapMs: 5000 });
    detector.observe({ capturedAtMs: T0, seq: 10 });
    expect(detector.observe({ capturedAtMs: T0 + 4000, seq: 11 })).toBeNull();
    expect(detector.observe({ capturedAtMs: T0 + 10_000, seq: 12 })).toMatchObject({
      reason: 'timeGap',
      measure: 6000,
    });
    expect(detector.observe({ capturedAtMs: T0 + 10_200, seq: 0 })).toMatchObject({ reason: 'seqRestart' });
    expect(detector.observe({ capturedAtMs: T0 + 9000, seq: 1 })).toMatchObject({ reason: 'timeBackwards' });
    expect(detector.cuts).toBe(3);
  });

  it('ignores frames without statistics for the picture rule (an older worker)', () => {
    const detector = new SceneCutDetector();
    detector.observe({ capturedAtMs: T0, image: thumbOf(1, 0) });
    expect(detector.observe({ capturedAtMs: T0 + 200 })).toBeNull();
    expect(detector.observe({ capturedAtMs: T0 + 400, image: thumbOf(7, 2) })).toBeNull();
  });
});

/** One horizontal line across a 640×480 frame: walking down the image is 'south'. */
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
        { x: 0, y: 0 },
        { x: 640, y: 0 },
        { x: 640, y: 480 },
        { x: 0, y: 480 },
      ],
    },
  ],
  calibration: null,
};

function frame(i: number, bottomY: number | null, scene: number): PipelineFrame {
  const boxes = bottomY === null ? [] : [300, bottomY - 40, 330, bottomY];
  return {
    capturedAtMs: T0 + 1000 + i * 200,
    seq: i,
    image: thumbOf(scene, i),
    frameWidthPx: 640,
    frameHeightPx: 480,
    detections: new Detections({
      boxes: Float32Array.from(boxes),
      scores: Float32Array.from(boxes.length ? [0.9] : []),
      classIds: Uint8Array.from(boxes.length ? [TRAFFIC_CLASSES.indexOf('motorbike')] : []),
    }),
  };
}

/**
 * The clip ends with a motorbike riding north (up the image) to just below the line; the loop starts with
 * another one just above it, riding north too. Carried across the loop, the track seems to go south.
 */
function loopScene(withStats: boolean) {
  const pipeline = new CameraPipeline('cam', ANALYSIS, { widthPx: 640, heightPx: 480 });
  const outputs = [];
  let i = 0;
  for (; i < 20; i++) outputs.push(pipeline.process(strip(frame(i, 400 - i * 7, 1), withStats))!);
  for (let k = 0; k < 12; k++, i++) outputs.push(pipeline.process(strip(frame(i, 256 - k * 7, 2), withStats))!);
  return { pipeline, outputs };
}

function strip(f: PipelineFrame, withStats: boolean): PipelineFrame {
  return withStats ? f : { ...f, image: undefined };
}

describe('CameraPipeline scene cuts', () => {
  it('carries a track across a loop when it cannot see the cut (a crossing made of two vehicles)', () => {
    const { outputs } = loopScene(false);
    expect(outputs.flatMap((o) => o.crossings).map((c) => c.direction)).toEqual(['north']);
  });

  it('ends every track at the loop: the only crossing is by the second vehicle, under a new id', () => {
    const { pipeline, outputs } = loopScene(true);
    const cutAt = outputs.findIndex((o) => o.sceneCut !== null);
    expect(cutAt).toBe(20);
    const crossings = outputs.flatMap((o) => o.crossings);
    expect(crossings.map((c) => c.direction)).toEqual(['north']);
    expect(crossings[0]!.trackId).toBe(outputs[cutAt]!.tracks.tracks[0]!.id);
    const before = new Set(outputs.slice(0, cutAt).flatMap((o) => o.tracks.tracks.map((t) => t.id)));
    const after = outputs.slice(cutAt).flatMap((o) => o.tracks.tracks.map((t) => t.id));
    expect(after.length).toBeGreaterThan(0);
    expect(after.some((id) => before.has(id))).toBe(false);
    expect(Math.min(...after)).toBeGreaterThan(Math.max(...before));
    expect(pipeline.sceneCutStats.byReason.imageJump).toBe(1);
    // The zone stay of the first motorbike ended at the cut; the second one's began after it.
    expect(outputs[cutAt]!.zoneUpdates[0]!.dwells.every((d) => d.enteredAtMs >= outputs[cutAt]!.timestampMs)).toBe(
      true,
    );
  });

  it('counts the crossing a young track held when the cut ends it, and keeps the counted minutes', () => {
    const pipeline = new CameraPipeline('cam', ANALYSIS, { widthPx: 640, heightPx: 480 });
    let crossings = 0;
    // Crosses the line southwards in 5 sightings (held: the count waits for 7), then the clip loops.
    for (let i = 0; i < 5; i++) crossings += pipeline.process(frame(i, 200 + i * 20, 1))!.crossings.length;
    expect(crossings).toBe(0);
    const atCut = pipeline.process(frame(5, null, 3))!;
    expect(atCut.sceneCut?.reason).toBe('imageJump');
    expect(atCut.crossings).toMatchObject([{ lineId: 'l1', direction: 'south', className: 'motorbike' }]);
    expect(atCut.crossings[0]!.timestampMs).toBeLessThan(atCut.timestampMs);
    const rows = pipeline.flushClosed(T0 + MINUTE_MS);
    expect(rows.counts).toMatchObject([{ direction: 'south', className: 'motorbike', count: 1 }]);
  });

  it('resumes a snapshot taken after a cut exactly (ids go on, cut counts kept)', () => {
    const { pipeline } = loopScene(true);
    const snapshotter = new PipelineSnapshotter().learnFrom(pipeline);
    const restored = snapshotter.restore<unknown>(
      JSON.parse(JSON.stringify(snapshotter.snapshot({ pipeline, reorder: null as never }))),
    ).pipeline;
    const next = frame(40, 300, 2);
    expect(JSON.stringify(restored.process(next))).toBe(JSON.stringify(pipeline.process(next)));
    expect(restored.sceneCutStats).toEqual(pipeline.sceneCutStats);
  });
});
