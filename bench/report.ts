// The bench's terminal report: per-stage throughput and latency, cameras, processes, the side-by-side
// ratios, the sweep, and the headline figures beside those of the previous run.
import type { BenchResult, RunResult } from './benchResult.ts';
import type { LatencySummary } from '../harness/stats.ts';

function table(headers: string[], rows: Array<Array<string | number>>): string {
  const cells = [headers, ...rows.map((r) => r.map(String))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const fmt = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [fmt(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(fmt)].join('\n');
}

const lat = (name: string, l: LatencySummary, fps: string | number = ''): Array<string | number> => [
  name,
  fps,
  l.count,
  l.p50Ms,
  l.p95Ms,
  l.p99Ms,
];

function runSection(run: RunResult): string {
  const p = run.pipeline;
  const t = p.throughput;
  const l = p.latency;
  const out: string[] = [];
  out.push(
    `${run.cameras} camera(s) × ${run.sampleFps} fps, ${run.workers} worker(s) × concurrency ${run.concurrency}, ${run.threads} onnxruntime thread(s); ` +
      `measured ${p.windowSec} s; ${p.regionsPerFrame} model runs per frame (whole frame, line/zone crops or tiles, motion crops; 0 where nothing moved)`,
  );
  out.push(
    table(
      ['stage', 'frames/s', 'n', 'p50 ms', 'p95 ms', 'p99 ms'],
      [
        lat('capture → queued', l.captureToQueued, t.queuedFps),
        lat('queued → inferred (wait + infer)', l.queuedToInferred, t.inferredFps),
        lat('  of which inference', l.inference, `${t.modelRunsPerSec} runs/s`),
        lat('inferred → analysed', l.inferredToAnalysed, t.analysedFps),
        lat('analysed → stored (checkpoint)', l.analysedToStored, t.storedFps),
        lat('capture → result', l.captureToInferred),
        lat('capture → analysed', l.captureToAnalysed),
        lat('capture → stored', l.captureToStored),
        lat('minute end → row in PostgreSQL', l.minuteEndToRow, 'per minute'),
        lat('capture → alerted (WebSocket)', l.alerted, `${t.alertsPerSec} alerts/s`),
        lat('  crossing seen → alerted', l.crossingToAlerted),
      ],
    ),
  );
  const a = l.alerted;
  out.push(
    a.count === 0
      ? `alerted: no alert raised in the window (wrong-way crossings of the bench line), goal p95 ≤ ${a.goalP95Ms} ms not judged`
      : `alerted: ${a.count} wrong-way alert(s) raised in the window, p95 capture of the triggering frame → WebSocket ${a.p95Ms} ms vs goal ${a.goalP95Ms} ms` +
          ` (ratio ${a.p95ToGoalRatio}) → ${a.meetsGoal ? 'meets' : 'misses'} the goal; from the crossing itself p95 ${l.crossingToAlerted.p95Ms} ms` +
          " (a newborn track's crossing waits until the track is confirmed)",
  );
  if (p.unresolvedAnalysed + p.unresolvedStored > 0) {
    out.push(
      `(${p.unresolvedAnalysed} frames of the window never seen analysed, ${p.unresolvedStored} never seen stored: left out of those latencies)`,
    );
  }
  out.push(
    table(
      ['camera', 'clip', 'sampled fps', 'analysed fps', 'dropped', 'drop %', 'p95 capture→result ms'],
      p.cameras.map((c) => [
        c.mount,
        c.clip,
        c.capturedFps,
        c.analysedFps,
        c.droppedFrames,
        c.dropPct,
        c.captureToInferredP95Ms,
      ]),
    ),
  );
  out.push(
    table(
      ['process', 'pid', 'CPU s', 'cores', 'peak RSS MiB'],
      run.processes.map((pr) => [pr.name, pr.pid, pr.cpuSec, pr.cpuCores, pr.peakRssMiB]),
    ),
  );
  const c = run.cpu;
  out.push(
    `CPU: pipeline ${c.pipelineCores} cores = ${c.perCameraCores} per camera (ingest ffmpeg ${c.ffmpegPerCameraCores}, workers ${c.workerCores}, analyzer ${c.analyzerCores} in all); api ${c.apiCores ?? 0} cores beside it`,
  );
  const i = run.inference;
  out.push(
    `inference: pipeline ${i.pipelineModelRunsPerSec} model runs/s vs raw onnxruntime ${i.rawFps} runs/s → ratio ${i.pipelineToRawRatio}` +
      ` (${p.dropPct > 0 ? 'saturated: frames dropped' : 'not saturated: the ratio is the share of raw speed the offered load used'});` +
      ` per run ${i.pipelineMsPerRun} ms in the worker vs ${run.raw.rawMsPerRun} ms raw → cost ratio ${i.perRunCostRatio};` +
      ` CPU per run ${i.pipelineCpuMsPerRun} ms in the workers vs ${run.raw.rawCpuMsPerRun} ms raw → CPU cost ratio ${i.cpuCostRatio}`,
  );
  out.push(`drops: ${p.droppedFrames} frames (${p.dropPct} %); meets target: ${run.meetsTarget ? 'yes' : 'no'}`);
  if (p.dropCounterDecreases > 0)
    out.push(
      `warning: ${p.dropCounterDecreases} camera drop counter(s) went down during the window; their drops are read as 0`,
    );
  return out.join('\n\n');
}

/** Headline figures of a result, for the comparison with the previous run. */
function headline(result: BenchResult): Array<[string, number]> {
  const run = result.runs[result.runs.length - 1]!;
  return [
    ['analysed frames/s', run.pipeline.throughput.analysedFps],
    ['p95 capture → result ms', run.pipeline.latency.captureToInferred.p95Ms],
    ['p95 capture → analysed ms', run.pipeline.latency.captureToAnalysed.p95Ms],
    // Older results have no alerted stage: 0 there shows as "new".
    ['p95 capture → alerted ms', run.pipeline.latency.alerted?.p95Ms ?? 0],
    ['drop %', run.pipeline.dropPct],
    ['pipeline cores per camera', run.cpu.perCameraCores],
    ['raw onnxruntime runs/s', run.raw?.rawFps ?? result.rawInference.rawFps],
    ['pipeline / raw ratio', run.inference.pipelineToRawRatio],
    ['per-run cost ratio', run.inference.perRunCostRatio],
    ['CPU cost ratio (raw / pipeline)', run.inference.cpuCostRatio ?? 0],
    ['HLS ingest / plain copy CPU', result.hls.ratio],
    ...(result.sweep ? ([[`sweep knee (${result.sweep.knob})`, result.sweep.knee]] as Array<[string, number]>) : []),
  ];
}

export function renderReport(result: BenchResult, previous: { file: string; result: BenchResult } | null): string {
  const out: string[] = [];
  out.push(
    `IOC Vision bench · ${result.startedAt} · ${result.machine.cpus} CPUs, load ${result.machine.loadAvg1AtStart} at start` +
      ' (a shared machine: absolute figures are noisy, the ratios were measured side by side)',
  );
  for (const run of result.runs) {
    if (run.knob) out.push(`=== ${run.knob} = ${run.knobValue} ===`);
    out.push(runSection(run));
  }
  const h = result.hls;
  out.push(
    `HLS per camera (${h.seconds} s, both at once on the same RTSP source): ingest HLS output ${h.ingestHlsCpuSecPerMin} CPU s/min` +
      ` vs plain ffmpeg -c copy -f hls ${h.plainCopyCpuSecPerMin} CPU s/min → ratio ${h.ratio}`,
  );
  if (result.sweep) {
    const s = result.sweep;
    out.push(
      table(
        [s.knob, 'analysed fps', 'drop %', 'p95 →result ms', 'p95 →analysed ms', 'cores/camera', 'meets target'],
        result.runs.map((r) => [
          r.knobValue ?? '',
          r.pipeline.throughput.analysedFps,
          r.pipeline.dropPct,
          r.pipeline.latency.captureToInferred.p95Ms,
          r.pipeline.latency.captureToAnalysed.p95Ms,
          r.cpu.perCameraCores,
          r.meetsTarget ? 'yes' : 'no',
        ]),
      ),
    );
    out.push(
      s.knee > 0
        ? `capacity knee: ${s.knob} = ${s.knee} (drops < ${s.maxDropPct} %, p95 capture→result and →analysed < ${s.targetP95Ms} ms); chart ${s.chartFile}`
        : `no ${s.knob} value met the target (drops < ${s.maxDropPct} %, p95 < ${s.targetP95Ms} ms); chart ${s.chartFile}`,
    );
  }
  if (previous) {
    const before = new Map(headline(previous.result));
    out.push(`compared with the previous ${result.sweep ? 'sweep' : 'run'} (${previous.file}):`);
    out.push(
      table(
        ['figure', 'now', 'before', 'change'],
        headline(result).map(([name, now]) => {
          const was = before.get(name);
          const change =
            was === undefined
              ? ''
              : was === 0
                ? now === 0
                  ? '0 %'
                  : 'new'
                : `${(((now - was) / Math.abs(was)) * 100).toFixed(0)} %`;
          return [name, now, was ?? '—', change];
        }),
      ),
    );
  } else {
    out.push('no previous result to compare with');
  }
  return out.join('\n\n');
}
