// What the per-frame boundary checks cost: the worker's frame-job check and the analyzer's result check by
// the compiled schemas (core/frameJob.ts, core/inferenceResult.ts), beside the hand checks they replaced
// (as of 00ba794) and JSON.parse of the same result for scale. Run: npx tsx bench/boundaryChecks.ts [iterations=200000]
import { frameJobCheck } from '../core/frameJob.ts';
import { inferenceResultCheck, type InferenceResult } from '../core/inferenceResult.ts';
import { isEntryPoint } from './entryPoint.ts';

/** A busy frame: 60 detections, image statistics, and a 60 KB JPEG in the job. */
function sampleResult(detections = 60): InferenceResult {
  const n = detections;
  return {
    cameraId: 'cam-1',
    seq: 1234,
    capturedAtMs: 1_765_000_000_000,
    enqueuedAtMs: 1_765_000_000_010,
    publishedAtMs: 1_765_000_000_090,
    frameWidthPx: 1920,
    frameHeightPx: 1080,
    modelId: 'yolox-s',
    inferenceMs: 41.3,
    regionCount: 1,
    workerId: 'host:123',
    detections: {
      boxes: Array.from({ length: n * 4 }, (_, i) => (i * 7.3) % 1900),
      scores: Array.from({ length: n }, (_, i) => 0.3 + (i % 7) / 10),
      classIds: Array.from({ length: n }, (_, i) => i % 6),
      trackIds: Array.from({ length: n }, (_, i) => i),
    },
    image: { meanLuma: 112.4, stdLuma: 40.2, thumb: 'A'.repeat(344) },
  };
}

// The hand checks these schemas replaced, kept here only as the baseline.
function handResultCheck(value: Partial<InferenceResult> | null): boolean {
  const finite = (n: unknown) => typeof n === 'number' && Number.isFinite(n);
  if (
    !value ||
    !finite(value.seq) ||
    !finite(value.capturedAtMs) ||
    !(value.frameWidthPx! > 0) ||
    !(value.frameHeightPx! > 0)
  )
    return false;
  return !!value.detections && Array.isArray(value.detections.boxes);
}
function handJobCheck(d: Record<string, unknown>): boolean {
  return (
    typeof d.cameraId === 'string' &&
    d.cameraId !== '' &&
    Number.isInteger(d.seq) &&
    typeof d.capturedAtMs === 'number' &&
    Number.isInteger(d.widthPx) &&
    (d.widthPx as number) > 0 &&
    Number.isInteger(d.heightPx) &&
    (d.heightPx as number) > 0 &&
    Number.isInteger(d.jpegBytes)
  );
}

/** Mean nanoseconds per call of `run` (after a warm-up), best of 5 rounds. */
function nsPerCall(iterations: number, run: () => boolean): number {
  let best = Infinity;
  for (let round = 0; round < 6; round++) {
    let kept = 0;
    const start = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) if (run()) kept++;
    const ns = Number(process.hrtime.bigint() - start) / iterations;
    if (kept !== iterations) throw new Error('a valid sample failed its check');
    if (round > 0) best = Math.min(best, ns);
  }
  return best;
}

export function measureBoundaryChecks(iterations: number): Record<string, number> {
  const result = sampleResult();
  const json = JSON.stringify(result);
  const job = {
    cameraId: 'cam-1',
    seq: 1234,
    capturedAtMs: 1_765_000_000_000,
    widthPx: 1920,
    heightPx: 1080,
    enqueuedAtMs: 1_765_000_000_010,
    jpegBytes: 80_000,
  };
  return {
    'result: JSON.parse (for scale)': nsPerCall(
      Math.max(1, Math.floor(iterations / 20)),
      () => JSON.parse(json) !== null,
    ),
    'result: hand check (before)': nsPerCall(iterations, () => handResultCheck(result)),
    'result: compiled schema (after)': nsPerCall(iterations, () => inferenceResultCheck.Check(result)),
    'frame job: hand check (before)': nsPerCall(iterations, () => handJobCheck(job)),
    'frame job: compiled schema (after)': nsPerCall(iterations, () => frameJobCheck.Check(job)),
  };
}

if (isEntryPoint(import.meta.url)) {
  const iterations = Number(process.argv[2] ?? 200_000);
  for (const [what, ns] of Object.entries(measureBoundaryChecks(iterations)))
    process.stdout.write(`${what.padEnd(36)} ${(ns / 1000).toFixed(3)} µs per frame\n`);
}
