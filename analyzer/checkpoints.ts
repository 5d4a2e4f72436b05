// A camera's analysis checkpoint in Redis: the stream id up to which its results were processed, the hash
// of the configuration they were processed with, and the exact analytics state at that point. Written
// only after the rows of the minutes it closed are stored, and only by the camera's lease holder.
import type { Redis } from 'ioredis';
import type { SnapshotNode } from '../analytics/stateSnapshot.ts';
import type { AlertCheckpoint } from './cameraAlerts.ts';
import { redisKeys } from '../core/redis.ts';

export interface CameraCheckpoint {
  /** Last results-stream id whose result is reflected in `state`. */
  streamId: string;
  /** configHash() of the analysis and options the state was built with; another hash means start afresh. */
  configHash: string;
  /**
   * Minutes starting before this were written by a pipeline of an earlier configuration: a rebuilt pipeline
   * replays the stream to warm up, but must not replace those rows with its partial view of them.
   */
  writeFromMs: number;
  /** Watermark of the last flush (newest capture time minus allowed lateness); null before the first frame. */
  watermarkMs: number | null;
  /** PipelineSnapshotter snapshot of { pipeline, reorder }, or null before the first result. */
  state: SnapshotNode | null;
  /** The alert rule engine's state (open conditions, timers), null before the first frame or without rules. */
  alerts: AlertCheckpoint | null;
}

// Fenced: a lease holder that lost its lease while writing must not overwrite its successor's checkpoint.
const SAVE_IF_OWNER = `if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('SET', KEYS[2], ARGV[2]) return 1 else return 0 end`;

/** The checkpoint, or null when there is none or it is unreadable (then the camera starts afresh). */
export async function loadCheckpoint(
  redis: Redis,
  redisPrefix: string,
  cameraId: string,
): Promise<CameraCheckpoint | null> {
  const json = await redis.get(redisKeys.checkpoint(redisPrefix, cameraId));
  if (json === null) return null;
  try {
    const parsed = JSON.parse(json) as Partial<CameraCheckpoint>;
    if (
      typeof parsed.streamId !== 'string' ||
      typeof parsed.configHash !== 'string' ||
      typeof parsed.writeFromMs !== 'number'
    )
      return null;
    return {
      streamId: parsed.streamId,
      configHash: parsed.configHash,
      writeFromMs: parsed.writeFromMs,
      watermarkMs: typeof parsed.watermarkMs === 'number' ? parsed.watermarkMs : null,
      state: parsed.state ?? null,
      alerts: parsed.alerts ?? null,
    };
  } catch {
    return null;
  }
}

/** Saves the checkpoint when `ownerId` still holds the camera's lease; false (nothing written) otherwise. */
export async function saveCheckpoint(
  redis: Redis,
  redisPrefix: string,
  cameraId: string,
  ownerId: string,
  checkpoint: CameraCheckpoint,
): Promise<boolean> {
  const saved = await redis.eval(
    SAVE_IF_OWNER,
    2,
    redisKeys.lease(redisPrefix, cameraId),
    redisKeys.checkpoint(redisPrefix, cameraId),
    ownerId,
    JSON.stringify(checkpoint),
  );
  return saved === 1;
}
