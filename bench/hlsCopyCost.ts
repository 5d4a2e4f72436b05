// What HLS copy costs: CPU seconds of ffmpeg for one looping 1080p RTSP camera, three ways — plain
// `ffmpeg -rtsp_transport tcp -i URL -c copy -f hls`, ingest's HLS output alone, and ingest's full command
// (HLS copy + frames decoded at sampleFps), and the full command of a camera that also offers a sub stream (only
// the sub is decoded): 640x360, 960x540, and 960x540 at the sample rate (a camera whose sub stream is set to it). Run: npx tsx bench/hlsCopyCost.ts [seconds=30] [sampleFps=5]
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { loadConfig } from '../core/config.ts';
import { buildIngestCommand, type FfmpegCommandSpec } from '../ingest/ffmpegArgs.ts';
import { FfmpegRun } from '../ingest/ffmpegProcess.ts';
import { cpuSecondsOf } from '../harness/processTree.ts';
import { subStreamClip } from '../harness/subStreamClip.ts';
import { startRtspServer } from '../harness/rtspServer.ts';
import { isEntryPoint } from './entryPoint.ts';

export interface Measurement {
  variant: string;
  wallSec: number;
  cpuSec: number;
  cpuPerWallSec: number;
}

export async function measure(
  variant: string,
  spec: FfmpegCommandSpec,
  seconds: number,
  ffmpegPath: string,
): Promise<Measurement> {
  const run = new FfmpegRun(spec, { ffmpegPath, onStderrLine: () => undefined });
  run.stdout.resume(); // frames are read and thrown away, as fast as ffmpeg writes them
  const startedMs = Date.now();
  while (run.pid === undefined) await new Promise((r) => setTimeout(r, 20));
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const cpuSec = cpuSecondsOf(run.pid);
  const wallSec = (Date.now() - startedMs) / 1000;
  await run.stop(3000);
  return { variant, wallSec: round(wallSec), cpuSec: round(cpuSec), cpuPerWallSec: round(cpuSec / wallSec) };
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

async function main(): Promise<void> {
  const seconds = Number(process.argv[2] ?? 30);
  const sampleFps = Number(process.argv[3] ?? 5);
  const config = loadConfig();
  const clip = resolve(config.assetsDir, 'video/vn_traffic.mp4');
  const workDir = mkdtempSync(join(tmpdir(), 'ioc-hls-bench-'));
  // What an IP camera's sub stream looks like: the same scene at 640x360 (or at the analysed width, as the demo
  // camera serves it), H.264, 1 s GOP.
  const sub640 = await subStreamClip(clip, { widthPx: 640, ffmpegPath: config.media.ffmpegPath });
  const sub960 = await subStreamClip(clip, { widthPx: 960, ffmpegPath: config.media.ffmpegPath });
  const sub960AtSampleRate = await subStreamClip(clip, {
    widthPx: 960,
    fps: sampleFps,
    ffmpegPath: config.media.ffmpegPath,
  });
  const server = await startRtspServer({ mounts: { cam: clip, sub: sub640, sub960, sub960AtSampleRate } });
  const url = server.url('cam');
  try {
    const ingest = (hlsDir: string, subUrl: string | null = null) =>
      buildIngestCommand({
        mainUrl: url,
        subUrl,
        sampleFps,
        hlsDir,
        hlsMode: 'copy',
        mainFps: null,
        hlsSegmentSeconds: config.media.hlsSegmentSeconds,
        hlsListSize: config.media.hlsListSize,
        sourceTimeoutMs: config.ingest.sourceTimeoutMs,
        frameWidthPx: config.ingest.frameWidthPx,
        jpegQuality: config.ingest.jpegQuality,
      });
    const plainDir = join(workDir, 'plain');
    const variants: [string, FfmpegCommandSpec][] = [
      [
        'plain ffmpeg -c copy -f hls',
        {
          globalOptions: ['-hide_banner', '-nostdin'],
          inputs: [{ url, options: ['-rtsp_transport', 'tcp'] }],
          outputs: [{ target: join(plainDir, 'index.m3u8'), options: ['-c', 'copy', '-f', 'hls'] }],
        },
      ],
      [
        'ingest HLS output only',
        { ...ingest(join(workDir, 'hls')), outputs: [ingest(join(workDir, 'hls')).outputs[0]!] },
      ],
      [`ingest full (HLS copy + frames at ${sampleFps} fps)`, ingest(join(workDir, 'full'))],
      [`ingest full, main + 640x360 sub (frames from the sub)`, ingest(join(workDir, 'dual'), server.url('sub'))],
      [`ingest full, main + 960x540 sub (frames from the sub)`, ingest(join(workDir, 'dual960'), server.url('sub960'))],
      [
        `ingest full, main + 960x540 sub at ${sampleFps} fps (frames from the sub)`,
        ingest(join(workDir, 'dual960slow'), server.url('sub960AtSampleRate')),
      ],
    ];
    const results: Measurement[] = [];
    for (const [variant, spec] of variants) {
      for (const output of spec.outputs)
        if (output.target !== 'pipe:1') mkdirSync(dirname(output.target), { recursive: true });
      results.push(await measure(variant, spec, seconds, config.media.ffmpegPath));
    }
    const plainCpu = results[0]!.cpuSec;
    console.table(results.map((r) => ({ ...r, vsPlain: round(r.cpuSec / plainCpu) })));
  } finally {
    await server.stop();
    rmSync(workDir, { recursive: true, force: true });
  }
}

if (isEntryPoint(import.meta.url)) await main();
