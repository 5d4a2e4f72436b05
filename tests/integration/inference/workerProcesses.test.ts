import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { envNameOf } from '../../../core/config.ts';
import { BullmqFrameSink, readDroppedFrames } from '../../../inference/frameSink.ts';
import { readResults } from '../../../inference/results.ts';
import { assetPath } from '../../../harness/assetFrame.ts';
import { deletePrefixKeys, extractFrames, testConfig, waitFor } from './helpers.ts';
import { createRedis, redisQueues } from '../../../core/redis.ts';

const FRAMES = 300;
const FPS = 15;
const config = testConfig({
  queue: { maxWaitingPerCamera: 10, lockDurationMs: 3000, stalledIntervalMs: 1000, resultsMaxLen: 10_000 },
});
const prefix = config.redis.prefix;
const camera = 'cam-shared';
const workerScript = fileURLToPath(new URL('./fixtures/workerProcess.ts', import.meta.url));
const children: ChildProcess[] = [];
let redis: Redis;
let sink: BullmqFrameSink;
let queue: Queue;

/** Starts a worker process (tsx) configured through IOC_* variables; resolves with its worker id once READY. */
function startWorkerProcess(): Promise<{ child: ChildProcess; workerId: string }> {
  const env: Record<string, string | undefined> = { ...process.env };
  const settings: Array<[string[], string | number]> = [
    [['redis', 'prefix'], prefix],
    [['redis', 'url'], config.redis.url],
    [['assetsDir'], config.assetsDir],
    [['queue', 'lockDurationMs'], config.queue.lockDurationMs],
    [['queue', 'stalledIntervalMs'], config.queue.stalledIntervalMs],
    [['queue', 'resultsMaxLen'], config.queue.resultsMaxLen],
  ];
  for (const [path, value] of settings) env[envNameOf(path)] = String(value);
  delete env.IOC_ASSETS;
  const child = spawn(process.execPath, ['--import', 'tsx', workerScript], {
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const match = /READY (\S+)/.exec(output);
      if (match) resolve({ child, workerId: match[1]! });
    });
    child.once('exit', (code, signal) => reject(new Error(`worker process exited early (${code ?? signal})`)));
  });
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

beforeAll(async () => {
  redis = createRedis(config.redis.url, 'request');
  sink = new BullmqFrameSink(config);
  // The test's own connection (BullMQ leaves a connection it was given open; afterAll quits it).
  queue = new Queue(redisQueues.frames, { connection: redis, prefix });
});
afterAll(async () => {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited(child);
      clearTimeout(timer);
    }
  }
  await sink?.close();
  await queue?.close();
  await deletePrefixKeys(redis, prefix);
  await redis.quit();
});

describe('two worker processes on one queue', () => {
  it('share the frames, and a SIGKILL of one mid-run loses no frame', { timeout: 180_000 }, async () => {
    const [a, b] = await Promise.all([startWorkerProcess(), startWorkerProcess()]);
    expect(a.workerId).not.toBe(b.workerId);
    const jpegs = await extractFrames(assetPath(config, 'video/vn_traffic.mp4'), FPS, 30, 960);

    const seen = new Map<number, string>();
    let lastId = '0';
    const drainResults = async () => {
      for (;;) {
        const entries = await readResults(redis, prefix, camera, { afterId: lastId });
        if (entries.length === 0) return;
        for (const { id, result } of entries) {
          lastId = id;
          if (!seen.has(result.seq)) seen.set(result.seq, result.workerId);
        }
      }
    };
    const byWorker = (workerId: string) => [...seen.values()].filter((w) => w === workerId).length;

    let killedAt: { seq: number; activeOfKilled: number[] } | null = null;
    const startMs = Date.now();
    for (let seq = 0; seq < FRAMES; seq++) {
      const delay = startMs + (seq * 1000) / FPS - Date.now();
      if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
      await sink.push({
        cameraId: camera,
        seq,
        capturedAtMs: Date.now(),
        jpeg: jpegs[seq % jpegs.length]!,
        widthPx: 960,
        heightPx: 540,
      });
      if (seq % 5 === 0) await drainResults();
      if (!killedAt && byWorker(a.workerId) >= 10 && byWorker(b.workerId) >= 10) {
        // Kill A while it holds a frame, so that frame must be recovered from its expired lock. Checked
        // between pushes (not waited for): with no new frames the queue drains and nobody holds one.
        const active = (await queue.getActive()).filter((job) => job.processedBy === a.workerId);
        if (active.length > 0) {
          a.child.kill('SIGKILL');
          killedAt = { seq, activeOfKilled: active.map((job) => job.data.seq as number) };
        }
      }
    }
    expect(killedAt).not.toBeNull();
    await exited(a.child);
    expect(a.child.signalCode).toBe('SIGKILL');

    await waitFor(
      async () => {
        await drainResults();
        const dropped = (await readDroppedFrames(redis, prefix))[camera] ?? 0;
        return seen.size + dropped === FRAMES;
      },
      60_000,
      'every frame to be processed or counted as dropped',
    );
    const dropped = (await readDroppedFrames(redis, prefix))[camera] ?? 0;
    const afterKill = [...seen.entries()].filter(([seq]) => seq > killedAt!.seq).map(([, w]) => w);
    console.info(
      `pushed ${FRAMES}; processed ${seen.size} (A ${byWorker(a.workerId)}, B ${byWorker(b.workerId)}), dropped ${dropped}; ` +
        `A killed at seq ${killedAt!.seq} holding ${JSON.stringify(killedAt!.activeOfKilled)}`,
    );
    expect(byWorker(a.workerId)).toBeGreaterThanOrEqual(10);
    expect(byWorker(b.workerId)).toBeGreaterThanOrEqual(10);
    expect(afterKill.every((w) => w === b.workerId)).toBe(true);
    // The frame A held when it died was taken over (or A had published it just before dying).
    for (const seq of killedAt!.activeOfKilled) expect(seen.has(seq), `frame ${seq}`).toBe(true);
    expect(await queue.getFailedCount()).toBe(0);
  });
});
