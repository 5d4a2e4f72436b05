// The comparisons a run makes side by side on the same machine: ingest's HLS output against plain
// `ffmpeg -c copy -f hls` on the same RTSP source at the same time, and the model run raw through
// onnxruntime on frames of the same clip. Measuring code is bench/hlsCopyCost.ts and bench/inferenceThroughput.ts.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Config } from '../core/config.ts';
import { loadConfig } from '../core/config.ts';
import { buildIngestCommand, type FfmpegCommandSpec } from '../ingest/ffmpegArgs.ts';
import { measure } from './hlsCopyCost.ts';
import { clipFrames, rawOnnx } from './inferenceThroughput.ts';
import type { BenchOptions } from './options.ts';
import { rounded } from '../harness/stats.ts';

export interface HlsCost {
  seconds: number;
  /** CPU seconds per minute of one camera: plain `ffmpeg -rtsp_transport tcp -i URL -c copy -f hls`. */
  plainCopyCpuSecPerMin: number;
  /** The same, for ingest's HLS output alone (its own arguments, without the frame output). */
  ingestHlsCpuSecPerMin: number;
  /** ingestHls / plainCopy (issue 2's goal: ≤ 1.1). */
  ratio: number;
}

export interface RawInference {
  frames: number;
  threads: number;
  /** Back-to-back session.run on letterboxed frames of the clip, one session. */
  rawFps: number;
  rawMsPerRun: number;
  /** CPU time per run (user + system of this process): less sensitive than wall time to a busy machine. */
  rawCpuMsPerRun: number;
}

/** Both ffmpegs at once on the same source, so the machine's noise falls on both alike. */
export async function measureHlsCost(config: Readonly<Config>, sourceUrl: string, seconds: number): Promise<HlsCost> {
  const workDir = mkdtempSync(join(tmpdir(), 'ioc-bench-hls-'));
  try {
    const ingestSpec = buildIngestCommand({
      mainUrl: sourceUrl,
      subUrl: null,
      sampleFps: 1,
      hlsDir: join(workDir, 'ingest'),
      hlsMode: 'copy',
      mainFps: null,
      hlsSegmentSeconds: config.media.hlsSegmentSeconds,
      hlsListSize: config.media.hlsListSize,
      sourceTimeoutMs: config.ingest.sourceTimeoutMs,
      frameWidthPx: config.ingest.frameWidthPx,
      jpegQuality: config.ingest.jpegQuality,
    });
    const hlsOnly: FfmpegCommandSpec = { ...ingestSpec, outputs: [ingestSpec.outputs[0]!] };
    const plain: FfmpegCommandSpec = {
      globalOptions: ['-hide_banner', '-nostdin'],
      inputs: [{ url: sourceUrl, options: ['-rtsp_transport', 'tcp'] }],
      outputs: [{ target: join(workDir, 'plain', 'index.m3u8'), options: ['-c', 'copy', '-f', 'hls'] }],
    };
    mkdirSync(join(workDir, 'ingest'), { recursive: true });
    mkdirSync(join(workDir, 'plain'), { recursive: true });
    const [plainRun, ingestRun] = await Promise.all([
      measure('plain', plain, seconds, config.media.ffmpegPath),
      measure('ingest hls', hlsOnly, seconds, config.media.ffmpegPath),
    ]);
    const perMin = (cpuSec: number, wallSec: number) => rounded((cpuSec / wallSec) * 60, 3);
    const plainPerMin = perMin(plainRun.cpuSec, plainRun.wallSec);
    const ingestPerMin = perMin(ingestRun.cpuSec, ingestRun.wallSec);
    if (plainRun.cpuSec <= 0) throw new Error('plain ffmpeg -c copy used no measurable CPU (did it read the source?)');
    return {
      seconds,
      plainCopyCpuSecPerMin: plainPerMin,
      ingestHlsCpuSecPerMin: ingestPerMin,
      ratio: rounded(ingestRun.cpuSec / ingestRun.wallSec / (plainRun.cpuSec / plainRun.wallSec), 3),
    };
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

/** The pipeline's model, threads and frame width, on frames of vn_traffic.mp4, with the pipeline stopped. */
export async function measureRawInference(options: BenchOptions, env: NodeJS.ProcessEnv): Promise<RawInference> {
  const config = loadConfig({
    env,
    overrides: { inference: { modelId: options.model, intraOpThreads: options.threads, sessions: 1 } },
  });
  const jpegs = await clipFrames(config, Math.min(options.rawFrames, 50), options.frameWidthPx);
  await rawOnnx(config, jpegs, 5); // warm-up: the first runs allocate
  const raw = await rawOnnx(config, jpegs, options.rawFrames);
  return {
    frames: options.rawFrames,
    threads: options.threads,
    rawFps: rounded(raw.fps),
    rawMsPerRun: rounded(1000 / raw.fps, 1),
    rawCpuMsPerRun: rounded(raw.cpuMsPerFrame, 1),
  };
}
