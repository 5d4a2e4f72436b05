// What the alerts' evidence adds to each analysed frame in the worker: the image statistics (one small
// greyscale decode), and the JPEG kept in Redis in the same MULTI as the result (against a plain XADD).
// Run: npx tsx bench/evidenceCost.ts [frames=100] [widthPx=960]
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { loadConfig } from '../core/config.ts';
import type { InferenceResult } from '../core/inferenceResult.ts';
import { computeImageStats } from '../inference/imageStats.ts';
import { letterboxRgb, probeJpeg } from '../inference/preprocess.ts';
import { computeLetterbox } from '../inference/geometry.ts';
import { publishResult } from '../inference/results.ts';
import { clipFrames } from './inferenceThroughput.ts';
import { isEntryPoint } from './entryPoint.ts';
import { createRedis, redisKeys } from '../core/redis.ts';

export interface EvidenceCost {
  frames: number;
  widthPx: number;
  jpegKb: number;
  /** Wall ms per frame, one at a time. */
  imageStatsMs: number;
  /** CPU ms of this process per frame (libvips threads included). */
  imageStatsCpuMs: number;
  /** For scale: the whole-frame letterbox the detector already does (640×640). */
  letterboxMs: number;
  publishMs: number;
  publishWithFrameMs: number;
}

export async function measureEvidenceCost(frameCount: number, widthPx: number): Promise<EvidenceCost> {
  const config = loadConfig({ env: { IOC_ASSETS: process.env.IOC_ASSETS } });
  const jpegs = await clipFrames(config, frameCount, widthPx);
  const frames = Array.from({ length: frameCount }, (_, i) => jpegs[i % jpegs.length]!);
  for (const jpeg of frames.slice(0, 10)) await computeImageStats(jpeg); // warm libvips

  const cpu0 = process.cpuUsage();
  const statsMs = await timed(frames, (jpeg) => computeImageStats(jpeg));
  const cpu = process.cpuUsage(cpu0);
  const letterboxMs = await timed(frames, (jpeg) => {
    const size = probeJpeg(jpeg);
    return letterboxRgb(jpeg, size, computeLetterbox({ x: 0, y: 0, ...size }, 640, 640), 114);
  });

  const redis = createRedis(config.redis.url, 'request');
  const prefix = `ioc-bench-evidence-${randomBytes(4).toString('hex')}`;
  try {
    let seq = 0;
    const result = (): InferenceResult => ({
      cameraId: 'bench',
      seq: seq++,
      capturedAtMs: Date.now(),
      enqueuedAtMs: Date.now(),
      publishedAtMs: Date.now(),
      frameWidthPx: widthPx,
      frameHeightPx: Math.round((widthPx * 9) / 16),
      detections: { boxes: [], scores: [], classIds: [], trackIds: [] },
      modelId: 'bench',
      inferenceMs: 0,
      regionCount: 1,
      workerId: 'bench',
    });
    const publishMs = await timed(frames, () => publishResult(redis, prefix, 10_000, result()));
    const publishWithFrameMs = await timed(frames, (jpeg) =>
      publishResult(redis, prefix, 10_000, result(), config.alerts.frameRetentionMs),
    );
    return {
      frames: frameCount,
      widthPx,
      jpegKb: round(frames.reduce((sum, f) => sum + f.length, 0) / frames.length / 1024),
      imageStatsMs: statsMs,
      imageStatsCpuMs: round((cpu.user + cpu.system) / 1000 / frameCount),
      letterboxMs,
      publishMs,
      publishWithFrameMs,
    };
  } finally {
    const keys = await redis.keys(redisKeys.all(prefix));
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  }
}

async function timed(frames: Buffer[], step: (jpeg: Buffer) => Promise<unknown>): Promise<number> {
  const started = performance.now();
  for (const jpeg of frames) await step(jpeg);
  return round((performance.now() - started) / frames.length);
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

if (isEntryPoint(import.meta.url)) {
  const [frames = '100', widthPx = '960'] = process.argv.slice(2);
  process.stdout.write(`${JSON.stringify(await measureEvidenceCost(Number(frames), Number(widthPx)), null, 2)}\n`);
}
