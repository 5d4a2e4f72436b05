// `npm run bench` end to end with tiny settings: the real RTSP server, api, ingest, worker and analyzer run as
// children, and the JSON it writes holds every figure of the report, each a finite number.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runBenchScript } from '../../support/runBenchScript.ts';

/**
 * The fields of the bench's JSON this test reads, written out here: the file is the bench's output to check
 * from outside, and tests may not import bench/ (shared/DESIGN.md "Rooms"). The leaf checks cover the rest.
 */
interface BenchJson {
  runs: Array<{
    pipeline: {
      latency: Record<'captureToInferred' | 'captureToAnalysed' | 'captureToStored', { count: number }> & {
        alerted: { count: number; p50Ms: number; meetsGoal: unknown };
      };
      throughput: { alertsPerSec: number };
    };
    processes: Array<{ name: string; peakRssMiB: number }>;
  }>;
  rawInference: { rawFps: number };
  hls: { plainCopyCpuSecPerMin: number };
}

const outDir = mkdtempSync(join(tmpdir(), 'ioc-bench-test-'));

afterAll(() => rmSync(outDir, { recursive: true, force: true }));

const runBench = (args: string[]) => runBenchScript('bench/cli.ts', args);

/** Every leaf of the result that is not a label: [path, value]. */
function numericLeaves(value: unknown, path = ''): Array<[string, unknown]> {
  if (value === null || typeof value !== 'object')
    return typeof value === 'string' || typeof value === 'boolean' ? [] : [[path, value]];
  return Object.entries(value).flatMap(([key, inner]) => numericLeaves(inner, path ? `${path}.${key}` : key));
}

const REQUIRED_PATHS = [
  'runs.0.pipeline.throughput.queuedFps',
  'runs.0.pipeline.throughput.inferredFps',
  'runs.0.pipeline.throughput.modelRunsPerSec',
  'runs.0.pipeline.throughput.analysedFps',
  'runs.0.pipeline.throughput.storedFps',
  'runs.0.pipeline.throughput.alertsPerSec',
  ...[
    'captureToQueued',
    'queuedToInferred',
    'inference',
    'inferredToAnalysed',
    'analysedToStored',
    'captureToInferred',
    'captureToAnalysed',
    'captureToStored',
    'minuteEndToRow',
    'alerted',
    'crossingToAlerted',
  ].flatMap((stage) =>
    ['count', 'p50Ms', 'p95Ms', 'p99Ms'].map((field) => `runs.0.pipeline.latency.${stage}.${field}`),
  ),
  'runs.0.pipeline.latency.alerted.goalP95Ms',
  'runs.0.pipeline.latency.alerted.p95ToGoalRatio',
  'runs.0.pipeline.droppedFrames',
  'runs.0.pipeline.dropPct',
  'runs.0.pipeline.cameras.0.capturedFps',
  'runs.0.pipeline.cameras.0.droppedFrames',
  'runs.0.pipeline.cameras.0.dropPct',
  'runs.0.cpu.pipelineCores',
  'runs.0.cpu.perCameraCores',
  'runs.0.cpu.ffmpegPerCameraCores',
  'runs.0.cpu.apiCores',
  'runs.0.inference.pipelineModelRunsPerSec',
  'runs.0.inference.rawFps',
  'runs.0.inference.pipelineToRawRatio',
  'runs.0.inference.perRunCostRatio',
  'runs.0.inference.pipelineCpuMsPerRun',
  'runs.0.inference.cpuCostRatio',
  'runs.0.raw.rawFps',
  'runs.0.raw.rawCpuMsPerRun',
  'rawInference.rawFps',
  'rawInference.rawCpuMsPerRun',
  'hls.plainCopyCpuSecPerMin',
  'hls.ingestHlsCpuSecPerMin',
  'hls.ratio',
];

describe('npm run bench', () => {
  it('measures one camera through the real processes and writes every figure as a finite number', async () => {
    const { code, stdout, stderr } = await runBench([
      '--cameras',
      '1',
      '--fps',
      '2',
      '--warmup',
      '3',
      '--duration',
      '15',
      '--hls-seconds',
      '4',
      '--raw-frames',
      '10',
      '--out',
      outDir,
    ]);
    expect(code, stderr).toBe(0);
    const files = readdirSync(outDir).filter((f) => f.endsWith('.json'));
    expect(files).toHaveLength(1);
    const result = JSON.parse(readFileSync(join(outDir, files[0]!), 'utf8')) as BenchJson;

    const leaves = new Map(numericLeaves(result));
    for (const path of REQUIRED_PATHS) {
      expect(leaves.has(path), `${path} missing`).toBe(true);
      expect(Number.isFinite(leaves.get(path)), `${path} = ${String(leaves.get(path))}`).toBe(true);
    }
    // Every number anywhere in the result is finite; null only where a single run has no sweep.
    for (const [path, value] of leaves) {
      if (value === null) expect(['sweep', 'options.sweep', 'runs.0.knob', 'runs.0.knobValue']).toContain(path);
      else expect(Number.isFinite(value), `${path} = ${String(value)}`).toBe(true);
    }

    const run = result.runs[0]!;
    // Frames went all the way through: inferred, analysed and stored (checkpointed) in the window.
    expect(run.pipeline.latency.captureToInferred.count).toBeGreaterThan(0);
    expect(run.pipeline.latency.captureToAnalysed.count).toBeGreaterThan(0);
    expect(run.pipeline.latency.captureToStored.count).toBeGreaterThan(0);
    // The clip's traffic crosses the bench line (both directions forbidden) about every two seconds at this
    // load, so 15 s always holds wrong-way alerts, each read off /api/live after its triggering frame.
    const alerted = run.pipeline.latency.alerted;
    expect(alerted.count).toBeGreaterThan(0);
    expect(alerted.p50Ms).toBeGreaterThan(0);
    expect(typeof alerted.meetsGoal).toBe('boolean');
    expect(run.pipeline.throughput.alertsPerSec).toBeGreaterThan(0);
    expect(result.rawInference.rawFps).toBeGreaterThan(0);
    expect(result.hls.plainCopyCpuSecPerMin).toBeGreaterThan(0);
    // The processes measured are the real ones, with the camera's ffmpeg under ingest.
    const names = run.processes.map((p) => p.name);
    expect(names).toEqual(expect.arrayContaining(['api', 'ingest', 'worker-1', 'analyzer', 'ffmpeg cam1']));
    for (const p of run.processes) expect(p.peakRssMiB).toBeGreaterThan(0);

    for (const heading of [
      'capture → result',
      'capture → analysed',
      'capture → alerted (WebSocket)',
      'wrong-way alert(s) raised in the window',
      'raw onnxruntime',
      'plain ffmpeg -c copy',
      'peak RSS MiB',
      'drop %',
    ]) {
      expect(stdout).toContain(heading);
    }
  }, 150_000);
});
