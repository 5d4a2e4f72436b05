// The shape of a bench result (the JSON in bench/results/) and how one run's figures are put together:
// stages, processes, CPU per camera, the pipeline/raw ratio, the HLS ratio and whether it met the targets.
import { cpus, loadavg } from 'node:os';
import type { BenchOptions, SweepKnob } from './options.ts';
import type { PipelineFigures } from './pipelineMetrics.ts';
import type { ProcessUsage } from '../harness/processTree.ts';
import type { PipelineRun } from './runPipeline.ts';
import type { HlsCost, RawInference } from './sideBySide.ts';
import { rounded } from '../harness/stats.ts';

export interface CpuSummary {
  /** Cores busy in the pipeline's processes (ingest + its ffmpegs, workers, analyzer), not the RTSP source nor the api. */
  pipelineCores: number;
  perCameraCores: number;
  /** One camera's ingest ffmpeg (HLS copy + decoding its frames), mean over cameras. */
  ffmpegPerCameraCores: number;
  workerCores: number;
  analyzerCores: number;
  /** The api role (WebSocket delivery of the alerts the bench follows); not part of pipelineCores. */
  apiCores: number;
}

export interface InferenceRatio {
  /** Model runs per second the workers did (frames × regions). */
  pipelineModelRunsPerSec: number;
  rawFps: number;
  /** pipeline model runs/s ÷ raw runs/s: the share of raw onnxruntime's speed the live pipeline used. */
  pipelineToRawRatio: number;
  /** The worker's median time per frame ÷ regions per frame (preprocessing and decoding included). */
  pipelineMsPerRun: number;
  /** raw ms per run ÷ pipeline ms per run: 1 = the pipeline adds nothing around session.run. */
  perRunCostRatio: number;
  /** The workers' CPU per model run (JPEG decode, letterbox, model, NMS, queue and Redis included). */
  pipelineCpuMsPerRun: number;
  /** raw CPU ms per run ÷ pipeline CPU ms per run: the CPU efficiency of the whole path, robust to a busy box. */
  cpuCostRatio: number;
}

export interface RunResult {
  knob: SweepKnob | null;
  knobValue: number | null;
  cameras: number;
  sampleFps: number;
  workers: number;
  concurrency: number;
  threads: number;
  pipeline: PipelineFigures;
  processes: ProcessUsage[];
  cpu: CpuSummary;
  /** Raw onnxruntime measured right after this run's pipeline phase. */
  raw: RawInference;
  inference: InferenceRatio;
  /** Drops under the limit, p95 latencies under the target, every camera sampled at ≥ 90 % of its fps. */
  meetsTarget: boolean;
}

export interface SweepSummary {
  knob: SweepKnob;
  values: number[];
  targetP95Ms: number;
  maxDropPct: number;
  /** The largest value of the knob meeting the target; 0 when none did. */
  knee: number;
  chartFile: string;
}

export interface BenchResult {
  version: 1;
  startedAt: string;
  finishedAt: string;
  command: string;
  machine: { cpus: number; loadAvg1AtStart: number; node: string };
  options: BenchOptions;
  runs: RunResult[];
  /** Raw onnxruntime of the last run (each sweep point measures its own, right after its pipeline phase). */
  rawInference: RawInference;
  hls: HlsCost;
  sweep: SweepSummary | null;
}

export function machineInfo(): BenchResult['machine'] {
  return { cpus: cpus().length, loadAvg1AtStart: rounded(loadavg()[0]!), node: process.version };
}

function cpuSummary(processes: readonly ProcessUsage[], cameras: number): CpuSummary {
  const sum = (match: (name: string) => boolean) =>
    processes.filter((p) => match(p.name)).reduce((a, p) => a + p.cpuCores, 0);
  // The api serves one bench client here, not the cameras: kept out so cores per camera stay comparable across runs.
  const pipelineCores = sum((n) => n !== 'rtsp-server (source)' && n !== 'esbuild (tsx)' && n !== 'api');
  const ffmpegCores = sum((n) => n.startsWith('ffmpeg'));
  return {
    pipelineCores: rounded(pipelineCores, 3),
    perCameraCores: rounded(pipelineCores / cameras, 3),
    ffmpegPerCameraCores: rounded(ffmpegCores / cameras, 3),
    workerCores: rounded(
      sum((n) => n.startsWith('worker')),
      3,
    ),
    analyzerCores: rounded(
      sum((n) => n === 'analyzer'),
      3,
    ),
    apiCores: rounded(
      sum((n) => n === 'api'),
      3,
    ),
  };
}

function inferenceRatio(figures: PipelineFigures, raw: RawInference, workerCpuSec: number): InferenceRatio {
  const runs = figures.throughput.modelRunsPerSec;
  const cpuMsPerRun = runs > 0 ? (workerCpuSec * 1000) / (runs * figures.windowSec) : 0;
  const msPerRun = figures.regionsPerFrame > 0 ? figures.latency.inference.p50Ms / figures.regionsPerFrame : 0;
  return {
    pipelineModelRunsPerSec: runs,
    rawFps: raw.rawFps,
    pipelineToRawRatio: rounded(runs / raw.rawFps, 3),
    pipelineMsPerRun: rounded(msPerRun, 1),
    perRunCostRatio: msPerRun > 0 ? rounded(raw.rawMsPerRun / msPerRun, 3) : 0,
    pipelineCpuMsPerRun: rounded(cpuMsPerRun, 1),
    cpuCostRatio: cpuMsPerRun > 0 ? rounded(raw.rawCpuMsPerRun / cpuMsPerRun, 3) : 0,
  };
}

export function meetsTarget(figures: PipelineFigures, options: BenchOptions): boolean {
  const { latency } = figures;
  return (
    latency.captureToInferred.count > 0 &&
    latency.captureToAnalysed.count > 0 &&
    figures.dropPct < options.maxDropPct &&
    figures.cameras.every((c) => c.dropPct < options.maxDropPct) &&
    latency.captureToInferred.p95Ms < options.targetP95Ms &&
    latency.captureToAnalysed.p95Ms < options.targetP95Ms &&
    figures.cameras.every((c) => c.capturedFps >= 0.9 * options.sampleFps)
  );
}

export function runResult(
  options: BenchOptions,
  run: PipelineRun,
  raw: RawInference,
  knob: SweepKnob | null,
): RunResult {
  return {
    knob,
    knobValue: knob ? options[knob] : null,
    cameras: options.cameras,
    sampleFps: options.sampleFps,
    workers: options.workers,
    concurrency: options.concurrency,
    threads: options.threads,
    pipeline: run.figures,
    processes: run.processes,
    cpu: cpuSummary(run.processes, options.cameras),
    raw,
    inference: inferenceRatio(
      run.figures,
      raw,
      run.processes.filter((p) => p.name.startsWith('worker')).reduce((sum, p) => sum + p.cpuSec, 0),
    ),
    meetsTarget: meetsTarget(run.figures, options),
  };
}
