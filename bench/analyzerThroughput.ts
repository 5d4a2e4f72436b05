// Throughput of one camera's analytics (tracker, lines, zones, crowd, speed, minute rows) with 50 objects
// a frame, and the cost of checkpointing its state. Run: npx tsx bench/analyzerThroughput.ts [frames] [objects]
import { performance } from 'node:perf_hooks';
import { Detections, TRAFFIC_CLASSES } from '../core/detections.ts';
import type { CameraAnalysis } from '../core/cameraAnalysis.ts';
import { CameraPipeline } from '../analytics/cameraPipeline.ts';
import { PipelineSnapshotter } from '../analytics/pipelineSnapshot.ts';
import { SeqReorderBuffer } from '../analytics/seqReorderBuffer.ts';
import { pipelineFrameOf } from '../analytics/pipelineFrameOf.ts';

const FRAMES = Number(process.argv[2] ?? 3000);
const OBJECTS = Number(process.argv[3] ?? 50);
const FPS = 5;
const W = 1920;
const H = 1080;

const analysis: CameraAnalysis = {
  widthPx: W,
  heightPx: H,
  lines: [
    {
      id: 'north',
      points: [
        { x: 0, y: 400 },
        { x: W, y: 420 },
      ],
    },
    {
      id: 'south',
      points: [
        { x: 0, y: 800 },
        { x: W / 2, y: 760 },
        { x: W, y: 800 },
      ],
    },
  ],
  zones: [
    {
      id: 'junction',
      polygon: [
        { x: 200, y: 300 },
        { x: 1700, y: 300 },
        { x: 1800, y: 900 },
        { x: 100, y: 900 },
      ],
      areaM2: 400,
    },
    {
      id: 'sidewalk',
      polygon: [
        { x: 0, y: 950 },
        { x: W, y: 950 },
        { x: W, y: H },
        { x: 0, y: H },
      ],
      areaM2: 80,
    },
  ],
  calibration: {
    imagePoints: [
      { x: 0, y: H },
      { x: W, y: H },
      { x: W, y: 0 },
      { x: 0, y: 0 },
    ],
    groundPoints: [
      { x: 0, y: 0 },
      { x: 30, y: 0 },
      { x: 30, y: 80 },
      { x: 0, y: 80 },
    ],
  },
};

/** OBJECTS lanes, each with one object driving down (or up) and re-entering when it leaves: constant load. */
function frameAt(index: number): { capturedAtMs: number; detections: Detections } {
  const tS = index / FPS;
  const boxes = new Float32Array(OBJECTS * 4);
  const scores = new Float32Array(OBJECTS);
  const classIds = new Uint8Array(OBJECTS);
  for (let i = 0; i < OBJECTS; i++) {
    const w = 28 + (i % 5) * 8;
    const h = 36 + (i % 4) * 10;
    const speed = 90 + (i % 7) * 25;
    const span = H + h;
    const travelled = (i * 97 + speed * tS) % span;
    const bottom = i % 4 === 3 ? span - travelled : travelled;
    const x = 20 + (i * (W - 40)) / OBJECTS;
    // Detector jitter, deterministic.
    const jitter = Math.sin(index * 1.7 + i) * 1.5;
    boxes.set([x + jitter, Math.max(0, bottom - h), x + w + jitter, Math.min(H, Math.max(bottom, 1))], i * 4);
    scores[i] = 0.45 + ((i * 13 + index) % 50) / 100;
    classIds[i] = i % 9 === 0 ? 0 : [2, 2, 3, 2, 1, 4, 2, 5][i % 8]!;
  }
  return {
    capturedAtMs: Date.UTC(2026, 10, 25, 3) + Math.round((index * 1000) / FPS),
    detections: new Detections({ boxes, scores, classIds }),
  };
}

function main(): void {
  const frames = Array.from({ length: FRAMES }, (_, i) => frameAt(i));
  const json = frames.map((f, i) => ({
    seq: i + 1,
    capturedAtMs: f.capturedAtMs,
    frameWidthPx: W,
    frameHeightPx: H,
    detections: f.detections.toJSON(),
  }));

  // Warm-up over the whole run so the JIT has settled before timing.
  const warm = new CameraPipeline('bench', analysis, { widthPx: W, heightPx: H });
  for (const f of frames) warm.process({ ...f, frameWidthPx: W, frameHeightPx: H });

  const pipeline = new CameraPipeline('bench', analysis, { widthPx: W, heightPx: H });
  let crossings = 0;
  let tracked = 0;
  const t0 = performance.now();
  for (const f of frames) {
    const out = pipeline.process({ ...f, frameWidthPx: W, frameHeightPx: H })!;
    crossings += out.crossings.length;
    tracked += out.tracks.tracks.length;
    if (out.timestampMs % 1000 === 0) pipeline.flushClosed(out.timestampMs - 3000);
  }
  const pipelineMs = performance.now() - t0;

  // As the analyzer runs it: JSON results → re-order buffer → Detections → pipeline.
  const full = new CameraPipeline('bench', analysis, { widthPx: W, heightPx: H });
  const reorder = new SeqReorderBuffer<(typeof json)[number]>({ maxWaitMs: 2000 });
  const t1 = performance.now();
  for (const r of json) {
    for (const released of reorder.push(r)) full.process(pipelineFrameOf(released));
  }
  const fullMs = performance.now() - t1;

  const snapshotter = new PipelineSnapshotter().learnFrom(
    new CameraPipeline('bench', analysis, { widthPx: W, heightPx: H }),
  );
  const state = { pipeline: full, reorder };
  const snapshots = 50;
  let bytes = 0;
  const t2 = performance.now();
  for (let i = 0; i < snapshots; i++) bytes = JSON.stringify(snapshotter.snapshot(state)).length;
  const snapshotMs = (performance.now() - t2) / snapshots;
  const text = JSON.stringify(snapshotter.snapshot(state));
  const t3 = performance.now();
  for (let i = 0; i < snapshots; i++) snapshotter.restore(JSON.parse(text));
  const restoreMs = (performance.now() - t3) / snapshots;

  const rows = [
    ['frames', FRAMES],
    ['objects per frame', OBJECTS],
    ['mean live tracks per frame', (tracked / FRAMES).toFixed(1)],
    ['crossings counted', crossings],
    ['pipeline only: frames/s', ((FRAMES * 1000) / pipelineMs).toFixed(0)],
    ['pipeline only: ms/frame', (pipelineMs / FRAMES).toFixed(3)],
    ['JSON + re-order + pipeline: frames/s', ((FRAMES * 1000) / fullMs).toFixed(0)],
    [`cameras at ${FPS} fps one core could analyse`, Math.floor((FRAMES * 1000) / fullMs / FPS)],
    ['checkpoint snapshot: ms', snapshotMs.toFixed(2)],
    ['checkpoint size: KiB', (bytes / 1024).toFixed(1)],
    ['checkpoint restore: ms', restoreMs.toFixed(2)],
  ];
  console.log(`analyzer throughput (node ${process.version}, ${TRAFFIC_CLASSES.length} classes)`);
  for (const [name, value] of rows) console.log(`  ${String(name).padEnd(44)} ${value}`);
}

main();
