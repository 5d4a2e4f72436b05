// A whole bench invocation: one measured run, or a sweep of one knob (a fresh system per value), then the
// side-by-side comparisons (HLS vs plain copy, raw onnxruntime) on the same RTSP source and model.
import { BenchStack } from './benchStack.ts';
import { machineInfo, runResult, type BenchResult, type RunResult } from './benchResult.ts';
import { withKnob, type BenchOptions } from './options.ts';
import type { ProgressBar } from './progress.ts';
import { runPipeline } from './runPipeline.ts';
import { measureHlsCost, measureRawInference, type HlsCost, type RawInference } from './sideBySide.ts';
import { sweepChartSvg } from './svgChart.ts';
import { saveChart } from './resultsStore.ts';

/** Holds the stack being measured so an interrupt (Ctrl+C) can still remove it. */
export interface RunningStack {
  current: BenchStack | null;
}

async function withTicker<T>(
  progress: ProgressBar,
  phase: string,
  expectedSec: number,
  work: () => Promise<T>,
): Promise<T> {
  const startMs = Date.now();
  const timer = setInterval(
    () =>
      progress.update(
        phase,
        (Date.now() - startMs) / 1000 / expectedSec,
        `${((Date.now() - startMs) / 1000).toFixed(0)} s`,
      ),
    250,
  );
  try {
    return await work();
  } finally {
    clearInterval(timer);
    progress.update(phase, 1, `${((Date.now() - startMs) / 1000).toFixed(0)} s`);
    progress.finish();
  }
}

export async function runBench(
  options: BenchOptions,
  progress: ProgressBar,
  running: RunningStack,
  command: string,
): Promise<BenchResult> {
  const startedAt = new Date().toISOString();
  const machine = machineInfo();
  const knob = options.sweep?.knob ?? null;
  const values = options.sweep ? [...options.sweep.values].sort((a, b) => a - b) : [null];
  const runs: RunResult[] = [];
  let hls: HlsCost | null = null;
  let raw: RawInference | null = null;
  for (const value of values) {
    const point = knob && value !== null ? withKnob(options, knob, value) : options;
    if (knob) progress.finish(`--- ${knob} = ${value} ---`);
    const stack = await BenchStack.start(point);
    running.current = stack;
    try {
      let run;
      try {
        run = await runPipeline(stack, point, progress);
      } catch (err) {
        // A sweep point that cannot even start (overloaded box) ends the sweep; what was measured stays.
        if (!knob || runs.length === 0) throw err;
        progress.finish(`${knob} = ${value} failed, sweep stops here: ${(err as Error).message.split('\n')[0]}`);
        break;
      }
      await stack.stopRoles();
      if (hls === null)
        hls = await withTicker(progress, 'HLS vs plain -c copy', point.hlsSec, () =>
          measureHlsCost(stack.config, stack.sourceUrl('cam1'), point.hlsSec),
        );
      // Raw right after each point's pipeline phase: the shared box's load swings, so side by side in time.
      raw = await withTicker(progress, 'raw onnxruntime', 20, () => measureRawInference(point, stack.env));
      runs.push(runResult(point, run, raw, knob));
    } finally {
      await stack.close();
      running.current = null;
    }
  }
  const result: BenchResult = {
    version: 1,
    startedAt,
    finishedAt: new Date().toISOString(),
    command,
    machine,
    options,
    runs,
    rawInference: raw!,
    hls: hls!,
    sweep: null,
  };
  if (options.sweep && knob) {
    const passing = runs.filter((r) => r.meetsTarget).map((r) => r.knobValue!);
    const knee = passing.length > 0 ? Math.max(...passing) : 0;
    const svg = sweepChartSvg(
      `IOC Vision capacity: ${knob} sweep (${options.sampleFps} fps, ${options.workers} worker(s), ${startedAt.slice(0, 16)}Z)`,
      knob,
      runs.map((r) => ({
        value: r.knobValue!,
        p95CaptureToInferredMs: r.pipeline.latency.captureToInferred.p95Ms,
        p95CaptureToAnalysedMs: r.pipeline.latency.captureToAnalysed.p95Ms,
        dropPct: r.pipeline.dropPct,
        analysedFps: r.pipeline.throughput.analysedFps,
      })),
      options.targetP95Ms,
      options.maxDropPct,
      knee,
    );
    const chartFile = saveChart(options.outDir, startedAt, svg);
    result.sweep = {
      knob,
      values: runs.map((r) => r.knobValue!),
      targetP95Ms: options.targetP95Ms,
      maxDropPct: options.maxDropPct,
      knee,
      chartFile,
    };
  }
  return result;
}
