// Where a camera's analysis session starts: its configuration's identity (geometry, options, state
// layout) and the checkpoint it resumes from, or a fresh start when the checkpoint cannot be used.
import type { Redis } from 'ioredis';
import type { CameraHealthRepository } from '../store/cameraHealth.ts';
import type { CameraAnalysis } from '../core/cameraAnalysis.ts';
import type { Config } from '../core/config.ts';
import type { FrameSizePx } from '../core/geometry.ts';
import type { InferenceResult, SourceEnd } from '../core/inferenceResult.ts';
import type { Logger } from '../core/logger.ts';
import { CameraPipeline, type CameraPipelineOptions } from '../analytics/cameraPipeline.ts';
import { MINUTE_MS } from '../analytics/minuteCounts.ts';
import { PipelineSnapshotter, type CameraState } from '../analytics/pipelineSnapshot.ts';
import type { SeqReorderBuffer } from '../analytics/seqReorderBuffer.ts';
import type { CameraAnalysisRepository } from '../store/cameraAnalysis.ts';
import type { TrafficCountStore } from '../store/trafficCounts.ts';
import { loadCheckpoint, type CameraCheckpoint } from './checkpoints.ts';
import { configHash } from './configHash.ts';
import { LivePublisher } from './livePublisher.ts';
import { PendingRows } from './storeRows.ts';
import { trimmedAfter } from './streamTrim.ts';
import type { Alert, AlertRule } from '../core/alerts.ts';
import type { Camera } from '../core/camera.ts';
import type { AlertStore } from '../store/alerts.ts';
import type { AlertRulesRepository } from '../store/alertRules.ts';
import type { CameraRepository } from '../store/cameras.ts';
import { effectiveRules } from '../alerts/validateRules.ts';
import { CameraAlerts } from './cameraAlerts.ts';
import type { AlertEvidenceMaker } from './alertEvidence.ts';
import { redisKeys } from '../core/redis.ts';

/** Sessions resumed from one checkpoint that may fail before its state is given up. */
const MAX_FAILED_SESSIONS = 3;

export interface RunnerStats {
  framesProcessed: number;
  invalidResults: number;
  rowsWritten: number;
  checkpoints: number;
  writeFailures: number;
  /** Sessions resumed from a checkpoint the stream had been trimmed past (results lost). */
  resumedAfterTrim: number;
  idleFlushes: number;
  /** Seqs waited for reorderMaxWaitMs and given up (never received, no skip entry), per the re-order buffer. */
  seqsSkipped: number;
  /** Seqs passed at once because their skip entry said so (dropped by backpressure, rejected by a worker). */
  seqsMarkedSkipped: number;
  /** Results received twice (at-least-once delivery) or after their gap was given up. */
  duplicatesDropped: number;
  /** Frames whose capture time went backwards (skipped by the pipeline). */
  framesOutOfOrder: number;
  /** Crossings and zone samples too late for any remembered minute (should stay 0). */
  lateDropped: number;
  /** Alert signals written (raises, updates, ends). */
  alertSignals: number;
  /** Idle flushes whose rows and ended alerts were then written. */
  idleCommits: number;
  /** Scene cuts by reason (every track ended there), as of the last checkpoint. */
  sceneCuts: Record<string, number>;
  lastStreamId: string;
}

export interface CameraRunnerContext {
  settings: Readonly<Config['analyzer']>;
  redisPrefix: string;
  logger: Logger;
  /** Shared connection for checkpoints, plans and publishing (never blocked on). */
  redis: Redis;
  /** A new connection of its own, for XREAD BLOCK. */
  createReader(): Redis;
  ownerId: string;
  analyses: CameraAnalysisRepository;
  store: TrafficCountStore;
  pipelineOptions: CameraPipelineOptions;
  /** Called when the checkpoint could not be saved because the lease is gone. */
  onLeaseLost(cameraId: string): void;
  alerts: AlertContext;
  /** Wall clock of the runner's timers; Date.now when absent. */
  now?: () => number;
}

export interface AlertContext {
  health: CameraHealthRepository;
  store: AlertStore;
  rules: AlertRulesRepository;
  cameras: CameraRepository;
  evidence: AlertEvidenceMaker;
  /** Announces stored alert changes to consoles (Redis pub/sub). */
  announce(changes: ReadonlyArray<{ event: 'raised' | 'updated' | 'ended'; alert: Alert }>): void;
  timeZone: string;
  healthPollMs: number;
}

/** A source's end as it waits in the re-order buffer among results (core/inferenceResult.ts SourceEnd). */
export type SourceEndItem = SourceEnd & { sourceEnded: true };
/** What the re-order buffer holds: results, and source ends in their seq place. */
export type StreamItem = InferenceResult | SourceEndItem;

export function isSourceEnd(item: StreamItem): item is SourceEndItem {
  return 'sourceEnded' in item && item.sourceEnded === true;
}

export type State = CameraState<StreamItem>;

export interface Session {
  analysis: CameraAnalysis;
  camera: Pick<Camera, 'id' | 'name' | 'district'>;
  /** The camera's rules with the camera-problem defaults added. */
  rules: AlertRule[];
  alerts: CameraAlerts;
  hash: string;
  snapshotter: PipelineSnapshotter;
  state: State | null;
  /**
   * The re-order buffer opened by a skip read before the first result (a start-up burst dropped at the queue while
   * the workers were busy with its first frames); the first result's state takes it over.
   */
  reorderBeforeState: SeqReorderBuffer<StreamItem> | null;
  writeFromMs: number;
  lastStreamId: string;
  checkpointedId: string;
  pending: PendingRows;
  live: LivePublisher;
}

/**
 * failedSessions: sessions whose pipeline threw since the last checkpoint; past a few, the checkpoint's
 * state is taken to be one this code cannot run, and is given up rather than crashing forever.
 */
export async function openSession(
  ctx: CameraRunnerContext,
  cameraId: string,
  failedSessions: number,
  stats: RunnerStats,
): Promise<Session> {
  const analysis = await ctx.analyses.get(cameraId);
  const camera = await ctx.alerts.cameras.get(cameraId);
  const rules = await loadRules(ctx, cameraId);
  const hash = sessionConfigHash(ctx, cameraId, analysis);
  const checkpoint = await loadCheckpoint(ctx.redis, ctx.redisPrefix, cameraId);
  const template = new CameraPipeline(cameraId, analysis, templateSize(analysis), ctx.pipelineOptions);
  const snapshotter = new PipelineSnapshotter().learnFrom(template);
  const live = new LivePublisher(ctx.redis, ctx.redisPrefix, cameraId, ctx.settings.liveIntervalMs, ctx.logger);
  let state: State | null = null;
  let streamId = '0';
  let writeFromMs = 0;
  const restored =
    checkpoint && checkpoint.configHash === hash
      ? restoreState(ctx, cameraId, snapshotter, checkpoint, failedSessions)
      : undefined;
  if (checkpoint && restored !== undefined) {
    state = restored;
    streamId = checkpoint.streamId;
    writeFromMs = checkpoint.writeFromMs;
    ctx.logger.info({ cameraId, streamId }, 'resuming camera from its checkpoint');
    if (await trimmedAfter(ctx.redis, redisKeys.results(ctx.redisPrefix, cameraId), streamId)) {
      stats.resumedAfterTrim += 1;
      ctx.logger.warn({ cameraId, streamId }, 'the stream was trimmed past the checkpoint: results after it are lost');
    }
  } else if (checkpoint) {
    // A new configuration (or a state that cannot be used) replays the stream from its start to warm up,
    // but leaves the minutes already written as they are.
    writeFromMs = Math.max(checkpoint.writeFromMs, flushedThroughMs(checkpoint));
    ctx.logger.info({ cameraId, writeFromMs, sameConfig: checkpoint.configHash === hash }, 'camera starts afresh');
  }
  const alerts = new CameraAlerts(
    cameraId,
    rules,
    analysis,
    ctx.alerts.timeZone,
    checkpoint && restored !== undefined ? checkpoint.alerts : null,
  );
  return {
    analysis,
    camera: { id: camera.id, name: camera.name, district: camera.district },
    rules,
    alerts,
    hash,
    snapshotter,
    state,
    reorderBeforeState: null,
    writeFromMs,
    lastStreamId: streamId,
    checkpointedId: streamId,
    pending: new PendingRows(cameraId, writeFromMs),
    live,
  };
}

/** The camera's alert rules as they run: stored ones plus the camera-problem defaults. */
export async function loadRules(ctx: CameraRunnerContext, cameraId: string): Promise<AlertRule[]> {
  return effectiveRules(await ctx.alerts.rules.get(cameraId));
}

/**
 * The checkpoint's state, or undefined when it cannot be used: unreadable, or sessions resumed from it
 * kept failing (a state this code cannot run). Then the camera starts afresh like after an edit.
 */
function restoreState(
  ctx: CameraRunnerContext,
  cameraId: string,
  snapshotter: PipelineSnapshotter,
  checkpoint: CameraCheckpoint,
  failedSessions: number,
): State | null | undefined {
  if (failedSessions >= MAX_FAILED_SESSIONS) {
    ctx.logger.error(
      { cameraId, failedSessions },
      'sessions resumed from the checkpoint keep failing; starting afresh',
    );
    return undefined;
  }
  try {
    return checkpoint.state ? snapshotter.restore<StreamItem>(checkpoint.state) : null;
  } catch (err) {
    ctx.logger.error({ err, cameraId }, 'checkpoint state unreadable; starting afresh');
    return undefined;
  }
}

/** Start of the first minute the checkpoint's pipeline had not written (its watermark's minute). */
function flushedThroughMs(checkpoint: CameraCheckpoint): number {
  const watermarkMs = checkpoint.watermarkMs;
  return watermarkMs === null ? 0 : Math.floor(watermarkMs / MINUTE_MS) * MINUTE_MS;
}

export function sessionConfigHash(ctx: CameraRunnerContext, cameraId: string, analysis: CameraAnalysis): string {
  const { allowedLatenessMs, reorderMaxWaitMs, reorderMaxBuffered } = ctx.settings;
  const template = new CameraPipeline(cameraId, analysis, templateSize(analysis), ctx.pipelineOptions);
  const stateShape = PipelineSnapshotter.shapeOf(template);
  return configHash(analysis, ctx.pipelineOptions, {
    allowedLatenessMs,
    reorderMaxWaitMs,
    reorderMaxBuffered,
    stateShape,
  });
}

/** A frame size to build a template pipeline with (its size does not matter, only its classes). */
function templateSize(analysis: CameraAnalysis): FrameSizePx {
  return { widthPx: Math.max(1, analysis.widthPx), heightPx: Math.max(1, analysis.heightPx) };
}
