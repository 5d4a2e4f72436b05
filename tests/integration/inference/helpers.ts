// Shared by the inference integration tests: real frames cut from the asset clips with ffmpeg, a config
// with a Redis prefix of its own per test, key clean-up, and waiting for a condition instead of sleeping.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { Writable } from 'node:stream';
import type { Redis } from 'ioredis';
import { loadConfig, type Config, type DeepPartial } from '../../../core/config.ts';
import { SKIP_FIELD, type SkippedFrame } from '../../../core/inferenceResult.ts';
import { createLogger, type Logger } from '../../../core/logger.ts';
import { COCO_CLASS_NAMES } from '../../../models/manifest.ts';
import { assetPath } from '../../../harness/assetFrame.ts';
import { redisKeys } from '../../../core/redis.ts';

const execFileAsync = promisify(execFile);

export function testConfig(overrides: DeepPartial<Config> = {}): Readonly<Config> {
  const prefix = `ioc-test-inf-${randomBytes(4).toString('hex')}`;
  return loadConfig({ overrides: { ...overrides, redis: { prefix, ...(overrides.redis ?? {}) } } });
}

/** `count` frames at `fps` from the start of a clip, as JPEGs, in one ffmpeg run. */
export async function extractFrames(clipPath: string, fps: number, count: number, widthPx: number): Promise<Buffer[]> {
  const args = ['-v', 'error', '-i', clipPath, '-vf', `fps=${fps},scale=${widthPx}:-2`, '-frames:v', String(count)];
  args.push('-q:v', '4', '-f', 'image2pipe', '-c:v', 'mjpeg', 'pipe:1');
  const { stdout } = await execFileAsync('ffmpeg', args, { encoding: 'buffer', maxBuffer: 256 * 1024 * 1024 });
  return splitJpegs(stdout);
}

/** Splits concatenated JPEGs at their SOI markers (FF D8 FF). */
export function splitJpegs(stream: Buffer): Buffer[] {
  const frames: Buffer[] = [];
  let start = stream.indexOf(Buffer.from([0xff, 0xd8, 0xff]));
  while (start >= 0) {
    const next = stream.indexOf(Buffer.from([0xff, 0xd9, 0xff, 0xd8, 0xff]), start + 3);
    const end = next >= 0 ? next + 2 : stream.length;
    frames.push(stream.subarray(start, end));
    start = next >= 0 ? next + 2 : -1;
  }
  return frames;
}

export async function readAsset(config: Pick<Config, 'assetsDir'>, relative: string): Promise<Buffer> {
  return readFile(assetPath(config, relative));
}

/** The best-scoring detection of a COCO class in raw (model-class) detections, box as [x1, y1, x2, y2]. */
export function bestOfClass(raw: { boxes: Float32Array; scores: Float32Array; classIds: Uint16Array }, name: string) {
  const id = COCO_CLASS_NAMES.indexOf(name as never);
  let found: { score: number; box: number[] } | undefined;
  for (let i = 0; i < raw.scores.length; i++) {
    if (raw.classIds[i] === id && (!found || raw.scores[i]! > found.score)) {
      found = { score: raw.scores[i]!, box: Array.from(raw.boxes.subarray(i * 4, i * 4 + 4)) };
    }
  }
  return found;
}

/** Intersection over union of two [x1, y1, x2, y2] boxes. */
export function boxIou(a: number[], b: number[]): number {
  const w = Math.min(a[2]!, b[2]!) - Math.max(a[0]!, b[0]!);
  const h = Math.min(a[3]!, b[3]!) - Math.max(a[1]!, b[1]!);
  const inter = w > 0 && h > 0 ? w * h : 0;
  const area = (r: number[]) => (r[2]! - r[0]!) * (r[3]! - r[1]!);
  return inter / (area(a) + area(b) - inter);
}

/** Deletes every key of the test's prefix. */
export async function deletePrefixKeys(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', redisKeys.all(prefix), 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) await redis.del(...keys);
  } while (cursor !== '0');
}

/** Polls `check` until it returns a value other than undefined/false, or fails after timeoutMs. */
export async function waitFor<T>(
  check: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs: number,
  what: string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A logger whose JSON records are kept in memory for assertions. */
export function capturingLogger(): { logger: Logger; records: Array<Record<string, unknown>> } {
  const records: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString('utf8').split('\n'))
        if (line.trim()) records.push(JSON.parse(line) as Record<string, unknown>);
      callback();
    },
  });
  return { logger: createLogger({ level: 'info', destination, name: 'test' }), records };
}

/** The skip entries of a camera's results stream (seqs dropped or rejected), oldest first. */
export async function readSkips(redis: Redis, prefix: string, cameraId: string): Promise<SkippedFrame[]> {
  const entries = await redis.xrange(redisKeys.results(prefix, cameraId), '-', '+');
  return entries
    .filter(([, fields]) => fields[0] === SKIP_FIELD)
    .map(([, fields]) => JSON.parse(fields[1]!) as SkippedFrame);
}
