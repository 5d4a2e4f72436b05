// Keeps one CameraSupervisor per enabled camera in step with a camera list handed in by whoever wires it
// (the DB poller, a test): starts new ones, stops removed/disabled ones, restarts changed ones, and keeps
// their HLS root under its quota. Holds no DB.
import { mkdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Camera, CameraHealth } from '../core/camera.ts';
import type { Config } from '../core/config.ts';
import { ValidationError } from '../core/errors.ts';
import type { FrameSink } from '../core/frames.ts';
import type { Logger } from '../core/logger.ts';
import { CameraSupervisor } from './cameraSupervisor.ts';
import { HlsQuotaSweeper, type HlsQuotaStats, type HlsSweepResult } from './hlsQuota.ts';

export interface IngestManagerOptions {
  config: Pick<Readonly<Config>, 'media' | 'ingest'>;
  /** Parent of the per-camera HLS folders: `<hlsRoot>/<cameraId>/index.m3u8`. */
  hlsRoot: string;
  /** A sink per camera (the next stage puts frames on BullMQ); closed when the camera stops. */
  frameSinkFor: (camera: Camera) => FrameSink;
  logger: Logger;
  /** Every health change of every camera (the wiring writes it to the store / pushes it to the API). */
  onHealth?: (health: CameraHealth) => void;
  /** Jitter source handed to each supervisor's backoff. */
  random?: () => number;
}

interface Entry {
  camera: Camera;
  supervisor: CameraSupervisor;
  sink: FrameSink;
}

/** Ids become folder names: keep them to characters that cannot climb out of hlsRoot. */
const SAFE_CAMERA_ID = /^[A-Za-z0-9_-]{1,128}$/;

export class IngestManager {
  private readonly entries = new Map<string, Entry>();
  /**
   * Where a restarted (or re-enabled) camera's numbering goes on: its stopped supervisor's next seq, one
   * number per camera ever ingested. Frames of the old supervisor may still wait in the queue or in a worker:
   * a new numbering from 0 would reuse their seqs, whose job ids the queue then refuses as duplicates and
   * whose late results the analyzer's re-order buffer takes for the new numbering's (and drops one or both).
   */
  private readonly nextSeqOf = new Map<string, number>();
  private readonly hlsRoot: string;
  /** reconcile() and close() run one at a time, in call order. */
  private queue: Promise<void> = Promise.resolve();
  private closed = false;
  private readonly quota: HlsQuotaSweeper;

  constructor(private readonly options: IngestManagerOptions) {
    this.hlsRoot = resolve(options.hlsRoot);
    const { media } = options.config;
    this.quota = new HlsQuotaSweeper({
      hlsRoot: this.hlsRoot,
      quotaBytes: media.hlsQuotaMb * 1024 * 1024,
      sweepIntervalMs: media.hlsQuotaSweepMs,
      liveCameraIds: () => this.entries.keys(),
      logger: options.logger,
    });
    this.quota.start();
  }

  /** What the HLS quota sweeper found and evicted (for metrics and tests). */
  hlsQuotaStats(): HlsQuotaStats {
    return this.quota.stats();
  }

  /** Sweeps the HLS root against its quota now (the timer does it every media.hlsQuotaSweepMs). */
  sweepHlsQuota(): Promise<HlsSweepResult | null> {
    return this.quota.sweep();
  }

  hlsDirOf(cameraId: string): string {
    if (!SAFE_CAMERA_ID.test(cameraId)) {
      throw new ValidationError(`camera id ${JSON.stringify(cameraId)} cannot name a folder`, { field: 'id' });
    }
    return join(this.hlsRoot, cameraId);
  }

  /** Brings the running supervisors in line with `cameras`; resolves once every stop and start is done. */
  reconcile(cameras: readonly Camera[]): Promise<void> {
    return this.enqueue(() => this.applyCameras(cameras));
  }

  health(): CameraHealth[] {
    return [...this.entries.values()].map((entry) => entry.supervisor.health());
  }

  /** Ids of cameras with a running supervisor. */
  cameraIds(): string[] {
    return [...this.entries.keys()];
  }

  /** Stops every camera (all ffmpeg processes exited when it resolves). Idempotent. */
  close(): Promise<void> {
    if (this.closed) return this.queue;
    this.closed = true;
    return this.enqueue(async () => {
      await Promise.allSettled([
        this.quota.close(),
        ...[...this.entries.keys()].map((id) => this.stopCamera(id, { removeHls: false })),
      ]);
    });
  }

  private enqueue(task: () => Promise<void>): Promise<void> {
    const next = this.queue.then(task);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async applyCameras(cameras: readonly Camera[]): Promise<void> {
    if (this.closed) return;
    const wanted = new Map<string, Camera>();
    for (const camera of cameras) {
      if (!camera.enabled) continue;
      if (!SAFE_CAMERA_ID.test(camera.id)) {
        this.options.logger.error({ cameraId: camera.id }, 'camera id cannot name an HLS folder: not ingested');
        continue;
      }
      wanted.set(camera.id, camera);
    }
    const stops: Promise<void>[] = [];
    for (const [id, entry] of this.entries) {
      const camera = wanted.get(id);
      if (!camera) stops.push(this.stopCamera(id, { removeHls: true }));
      else if (needsRestart(entry.camera, camera)) stops.push(this.stopCamera(id, { removeHls: true }));
      else entry.camera = camera; // name, district…: nothing ffmpeg cares about
    }
    await Promise.all(stops);
    const starts: Promise<void>[] = [];
    for (const [id, camera] of wanted) {
      if (!this.entries.has(id)) starts.push(this.startCamera(camera));
    }
    await Promise.all(starts);
  }

  private async startCamera(camera: Camera): Promise<void> {
    const hlsDir = this.hlsDirOf(camera.id);
    // A playlist left by an earlier process would be appended to: start each supervisor on a clean folder.
    await rm(hlsDir, { recursive: true, force: true });
    await mkdir(hlsDir, { recursive: true });
    const sink = this.options.frameSinkFor(camera);
    const supervisor = new CameraSupervisor({
      camera,
      hlsDir,
      config: this.options.config,
      frameSink: sink,
      logger: this.options.logger,
      onHealth: this.options.onHealth,
      random: this.options.random,
      firstSeq: this.nextSeqOf.get(camera.id) ?? 0,
    });
    this.entries.set(camera.id, { camera, supervisor, sink });
    supervisor.start();
  }

  private async stopCamera(id: string, { removeHls }: { removeHls: boolean }): Promise<void> {
    const entry = this.entries.get(id);
    if (!entry) return;
    this.entries.delete(id);
    // Every step runs even if one throws: the process must go whatever the sink or the disk says.
    const results = await Promise.allSettled([entry.supervisor.stop()]);
    // Read once ffmpeg has exited: no frame is numbered after this.
    this.nextSeqOf.set(id, entry.supervisor.nextFrameSeq());
    const cleanup = await Promise.allSettled([
      entry.sink.close?.(),
      removeHls ? rm(this.hlsDirOf(id), { recursive: true, force: true }) : undefined,
    ]);
    for (const result of [...results, ...cleanup]) {
      if (result.status === 'rejected')
        this.options.logger.error({ err: result.reason, cameraId: id }, 'camera stop step failed');
    }
  }
}

/** What ffmpeg's command line depends on; other fields change without a restart. */
function needsRestart(running: Camera, next: Camera): boolean {
  return running.mainUrl !== next.mainUrl || running.subUrl !== next.subUrl || running.sampleFps !== next.sampleFps;
}
