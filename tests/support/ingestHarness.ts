// What ingest integration tests share: a config with short timings, cameras, a frame sink that records,
// health history with waits on it, and a temp HLS root removed afterwards.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Camera, CameraHealth, CameraState } from '../../core/camera.ts';
import { loadConfig, type Config } from '../../core/config.ts';
import type { Frame, FrameSink } from '../../core/frames.ts';
import { readHlsPlaylist } from '../../ingest/hlsPlaylist.ts';
import { probeVideo, type ProbedVideo } from './media.ts';

export function ingestTestConfig(): Readonly<Config> {
  return loadConfig({
    env: { IOC_ASSETS: process.env.IOC_ASSETS },
    overrides: {
      ingest: {
        backoffInitialMs: 500,
        backoffMaxMs: 2000,
        sourceTimeoutMs: 5000,
        stallTimeoutMs: 8000,
        stopGraceMs: 2000,
        healthIntervalMs: 1000,
      },
    },
  });
}

export function assetPath(config: Readonly<Config>, relative: string): string {
  return resolve(config.assetsDir, relative);
}

export function testCamera(id: string, fields: Partial<Camera> & { mainUrl: string }): Camera {
  const now = new Date();
  return {
    id,
    name: id,
    subUrl: null,
    district: 'Hoàn Kiếm',
    location: null,
    enabled: true,
    sampleFps: 5,
    createdAt: now,
    updatedAt: now,
    ...fields,
  };
}

/** Records frames per camera; bounded so a long test cannot grow it without limit. */
export class RecordingSink implements FrameSink {
  readonly frames: Omit<Frame, 'jpeg'>[] = [];
  lastJpeg: Buffer | null = null;
  closed = false;

  push(frame: Frame): void {
    if (this.frames.length >= 10_000) this.frames.shift();
    const { jpeg, ...meta } = frame;
    this.frames.push(meta);
    this.lastJpeg = jpeg;
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}

export class HealthLog {
  readonly history: CameraHealth[] = [];
  readonly onHealth = (health: CameraHealth): void => {
    this.history.push(health);
  };

  latest(cameraId: string): CameraHealth | undefined {
    return this.history.findLast((h) => h.cameraId === cameraId);
  }

  /** Resolves with the first health of `cameraId` at index ≥ fromIndex matching the predicate. */
  waitFor(
    cameraId: string,
    match: (h: CameraHealth) => boolean,
    timeoutMs: number,
    fromIndex = 0,
  ): Promise<CameraHealth> {
    return waitFor(
      () => this.history.slice(fromIndex).find((h) => h.cameraId === cameraId && match(h)),
      timeoutMs,
      `health of ${cameraId}`,
    );
  }

  waitForState(cameraId: string, state: CameraState, timeoutMs: number, fromIndex = 0): Promise<CameraHealth> {
    return this.waitFor(cameraId, (h) => h.state === state, timeoutMs, fromIndex);
  }
}

/** Polls `probe` until it returns a value (not undefined/null/false), or fails after timeoutMs. */
export async function waitFor<T>(
  probe: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  timeoutMs: number,
  what: string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== null && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export function tempHlsRoot(): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), 'ioc-hls-'));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/**
 * ffprobe of the newest listed segment. ffmpeg's hls muxer may list a segment a moment before renaming its
 * .tmp file into place, so a missing file is retried rather than failed.
 */
export function probeNewestSegment(hlsDir: string, timeoutMs = 15_000): Promise<ProbedVideo> {
  return waitFor(
    async () => {
      const newest = (await readHlsPlaylist(hlsDir))?.segments.at(-1);
      return newest ? probeVideo(join(hlsDir, newest.name)).catch(() => null) : null;
    },
    timeoutMs,
    `a readable HLS segment in ${hlsDir}`,
  );
}
