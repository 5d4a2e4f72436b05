// The measured phase of a bench run: waits until every camera's frames come out of the pipeline, warms
// up, measures for the set time (process CPU and memory sampled alongside), lets the last frames of the
// window reach the analyzer and the store, and returns the figures.
import { AlertProbe } from './alertProbe.ts';
import type { BenchStack } from './benchStack.ts';
import type { BenchOptions } from './options.ts';
import { MinuteRowProbe } from './minuteRowProbe.ts';
import { pipelineFigures, type PipelineFigures } from './pipelineMetrics.ts';
import { ProcessTreeSampler, type ProcessSample, type ProcessUsage } from '../harness/processTree.ts';
import type { ProgressBar } from './progress.ts';
import { StageProbe } from './stageProbe.ts';
import { createRedis } from '../core/redis.ts';

const STARTUP_TIMEOUT_MS = 120_000;
const TICK_MS = 250;

export interface PipelineRun {
  figures: PipelineFigures;
  processes: ProcessUsage[];
}

export class BenchRunFailed extends Error {}

/** Names the bench's descendants: our roles by pid, ffmpeg by the camera mount in its URL. */
function processNamer(stack: BenchStack): (sample: ProcessSample) => string | null {
  return (sample) => {
    const role = stack.roles.find((r) => r.child.pid === sample.pid);
    if (role) return role.name;
    if (/(^|\/)ffmpeg /.test(sample.command)) {
      const mount = /rtsp:\/\/[^ ]*\/(cam\d+)/.exec(sample.command)?.[1];
      // A camera whose HLS copy failed is re-encoded by ingest: a cost worth seeing in the table.
      const mode = sample.command.includes('libx264') ? ' (HLS transcode)' : '';
      return mount ? `ffmpeg ${mount}${mode}` : `ffmpeg (${sample.command.split(' ').slice(1, 3).join(' ')})`;
    }
    if (sample.command.includes('rtsp-server.py')) return 'rtsp-server (source)';
    if (sample.command.includes('esbuild')) return 'esbuild (tsx)';
    return null;
  };
}

export async function runPipeline(
  stack: BenchStack,
  options: BenchOptions,
  progress: ProgressBar,
): Promise<PipelineRun> {
  const prefix = stack.config.redis.prefix;
  const redis = createRedis(stack.config.redis.url, 'request');
  const subscriber = createRedis(stack.config.redis.url, 'subscriber');
  const probe = new StageProbe(
    redis,
    subscriber,
    prefix,
    stack.cameras.map((c) => c.id),
  );
  const rows = new MinuteRowProbe(stack.config.database);
  const alerts = new AlertProbe(
    stack.apiUrl,
    stack.admin,
    stack.cameras.map((c) => c.id),
  );
  const sampler = new ProcessTreeSampler(process.pid, processNamer(stack));
  const seen = () => stack.cameras.reduce((sum, c) => sum + probe.framesSeen(c.id), 0);

  /** Ticks until `done()` or `durationMs`; a role that exits ends the run with its last log lines. */
  const phase = async (name: string, durationMs: number, done: () => boolean, note: () => string): Promise<boolean> => {
    const startMs = Date.now();
    for (;;) {
      const exited = stack.exitedRole();
      if (exited)
        throw new BenchRunFailed(
          `${exited.name} exited (${exited.child.exitCode ?? exited.child.signalCode}):\n${exited.logTail.join('\n')}`,
        );
      const elapsedMs = Date.now() - startMs;
      progress.update(name, elapsedMs / durationMs, note());
      if (done()) return true;
      if (elapsedMs >= durationMs) return false;
      await new Promise((r) => setTimeout(r, TICK_MS));
    }
  };

  try {
    await probe.start();
    await rows.start();
    sampler.start();
    // Subscribed while the pipeline starts (the api role boots alongside): awaited before warming up.
    const alertsReady = alerts.start(STARTUP_TIMEOUT_MS);
    alertsReady.catch(() => undefined); // awaited below; a failure meanwhile is not an unhandled rejection
    const cameras = stack.cameras.length;
    const flowing = await phase(
      'starting processes',
      STARTUP_TIMEOUT_MS,
      () => stack.cameras.every((c) => probe.framesSeen(c.id) > 0),
      () => `${stack.cameras.filter((c) => probe.framesSeen(c.id) > 0).length}/${cameras} cameras producing results`,
    );
    if (!flowing) {
      throw new BenchRunFailed(
        `not every camera produced a result within ${STARTUP_TIMEOUT_MS / 1000} s:\n` +
          stack.roles.map((r) => `--- ${r.name}\n${r.logTail.slice(-8).join('\n')}`).join('\n'),
      );
    }
    await alertsReady;
    await phase(
      'warming up',
      options.warmupSec * 1000,
      () => false,
      () => `${seen()} results`,
    );

    const droppedAtStart = await probe.droppedFrames();
    sampler.markWindowStart();
    const startMs = Date.now();
    const seenAtStart = seen();
    await phase(
      'measuring',
      options.measureSec * 1000,
      () => false,
      () => {
        const s = (Date.now() - startMs) / 1000;
        return `${s.toFixed(0)}/${options.measureSec} s · ${((seen() - seenAtStart) / Math.max(1, s)).toFixed(1)} frames/s inferred`;
      },
    );
    const endMs = Date.now();
    const processes = sampler.usage();
    const droppedAtEnd = await probe.droppedFrames();
    sampler.stop();

    // Frames of the window still on their way to the analyzer and into a checkpoint (and their alerts to the socket).
    const settleMs = stack.config.analyzer.checkpointIntervalMs + 4000;
    const pendingInWindow = () =>
      probe
        .observedFrames()
        .filter(
          (f) =>
            f.capturedAtMs >= startMs && f.capturedAtMs < endMs && (f.analysedAtMs === null || f.storedAtMs === null),
        ).length;
    await phase(
      'settling (→ stored)',
      settleMs,
      () => pendingInWindow() === 0,
      () => `${pendingInWindow()} frames not stored yet`,
    );

    const droppedByCamera: Record<string, number> = {};
    for (const camera of stack.cameras)
      droppedByCamera[camera.id] = (droppedAtEnd[camera.id] ?? 0) - (droppedAtStart[camera.id] ?? 0);
    const figures = pipelineFigures({
      frames: probe.observedFrames(),
      startMs,
      endMs,
      droppedByCamera,
      cameras: stack.cameras,
      minuteEndToRow: rows.latency(startMs, endMs),
      alerts: alerts.observedAlerts(),
    });
    progress.finish();
    return { figures, processes };
  } finally {
    progress.finish();
    sampler.stop();
    alerts.stop();
    await probe.stop();
    await rows.stop();
    await Promise.allSettled([redis.quit(), subscriber.quit()]);
  }
}
