// Camera health history: ingest appends a row when a camera's state changes and periodically while
// live; the API reads the latest row per camera. Old rows are pruned (Timescale retention does it there).
import type { Pool } from 'pg';
import type { Queryable } from './alertRows.ts';
import { enqueueMqttMessages, statusMessage } from './mqttMessages.ts';
import { inTransaction } from './transaction.ts';
import type { CameraHealth, CameraState, HlsMode } from '../core/camera.ts';

interface HealthRow {
  time: Date;
  camera_id: string;
  state: CameraState;
  hls_mode: HlsMode;
  input_fps: number | null;
  bitrate_kbps: number | null;
  last_frame_at: Date | null;
  restarts: number;
  message: string | null;
}

function toHealth(row: HealthRow): CameraHealth {
  return {
    cameraId: row.camera_id,
    state: row.state,
    hlsMode: row.hls_mode,
    inputFps: row.input_fps,
    bitrateKbps: row.bitrate_kbps,
    lastFrameAt: row.last_frame_at,
    restarts: row.restarts,
    message: row.message,
    updatedAt: row.time,
  };
}

export interface OfflineStatus {
  /** Latest recorded state; null when ingest never reported the camera. */
  state: CameraState | null;
  /** When the current non-live run began; null while live (or never reported). */
  offlineSinceMs: number | null;
  /** Time of the latest row. */
  latestAtMs: number | null;
}

/**
 * Ingest writes a health row every ingest.healthIntervalMs (5 s) while a camera runs: none for this long means
 * ingest itself is down, and the camera's MQTT availability says so ('unreported'), until rows come again.
 */
export const HEALTH_STALE_MS = 30_000;

export class CameraHealthRepository {
  constructor(private readonly pool: Pool) {}

  /**
   * Appends a health row; a change of state (or a camera's first row) also writes its retained availability
   * message to the MQTT outbox, in the same transaction.
   */
  async record(health: CameraHealth): Promise<void> {
    await inTransaction(this.pool, async (db) => {
      const previous = await db.query<{ state: CameraState | null; time: Date | null; district: string | null }>(
        `SELECT l.state, l.time, (SELECT district FROM cameras WHERE id = $1) AS district
           FROM (SELECT 1) one LEFT JOIN LATERAL (SELECT state, time FROM camera_health WHERE camera_id = $1 ORDER BY time DESC LIMIT 1) l ON true`,
        [health.cameraId],
      );
      const { state, time, district } = previous.rows[0]!;
      await this.insert(db, health);
      // After a silence the camera was announced 'unreported' (markStale): its first row says where it stands.
      const wasStale = time !== null && health.updatedAt.getTime() - time.getTime() >= HEALTH_STALE_MS;
      if (district !== null && (state !== health.state || wasStale)) {
        await enqueueMqttMessages(db, [statusMessage(district, health.cameraId, health.state, health.updatedAt)]);
      }
    });
  }

  private async insert(db: Queryable, health: CameraHealth): Promise<void> {
    await db.query(
      `INSERT INTO camera_health (time, camera_id, state, hls_mode, input_fps, bitrate_kbps, last_frame_at, restarts, message)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        health.updatedAt,
        health.cameraId,
        health.state,
        health.hlsMode,
        health.inputFps,
        health.bitrateKbps,
        health.lastFrameAt,
        health.restarts,
        health.message,
      ],
    );
  }

  /**
   * Announces as 'unreported' (retained, in the MQTT outbox) each camera not stopped whose latest health row
   * is older than staleMs: its ingest died or lost the database. Once per silence: the message's content
   * is derived from that latest row, so later sweeps add nothing. Returns how many were announced.
   */
  async markStale(nowMs: number, staleMs = HEALTH_STALE_MS): Promise<number> {
    const rows = await this.pool.query<{ camera_id: string; district: string; time: Date }>(
      `SELECT h.camera_id, c.district, h.time
         FROM (SELECT DISTINCT ON (camera_id) camera_id, state, time FROM camera_health ORDER BY camera_id, time DESC) h
         JOIN cameras c ON c.id = h.camera_id
        WHERE h.state <> 'stopped' AND c.enabled AND h.time < to_timestamp($1::double precision / 1000)`,
      [nowMs - staleMs],
    );
    return enqueueMqttMessages(
      this.pool,
      rows.rows.map((r) => statusMessage(r.district, r.camera_id, 'unreported', new Date(r.time.getTime() + staleMs))),
    );
  }

  /** Latest health of each camera (of those given, or all). */
  async latest(cameraIds?: readonly string[]): Promise<Map<string, CameraHealth>> {
    const result = await this.pool.query<HealthRow>(
      `SELECT DISTINCT ON (camera_id) * FROM camera_health
       ${cameraIds ? 'WHERE camera_id = ANY($1)' : ''}
       ORDER BY camera_id, time DESC`,
      cameraIds ? [cameraIds] : [],
    );
    return new Map(result.rows.map((row) => [row.camera_id, toHealth(row)]));
  }

  /**
   * Where a camera stands for offline alerts: its latest state, and since when it has not been live (the
   * first non-live row after the last live one), null while live. Every reader derives the same start.
   */
  async offlineStatus(cameraId: string): Promise<OfflineStatus> {
    const { rows } = await this.pool.query<{ state: CameraState | null; latest: Date | null; since: Date | null }>(
      `WITH latest AS (SELECT state, time FROM camera_health WHERE camera_id = $1 ORDER BY time DESC LIMIT 1),
            last_live AS (SELECT max(time) AS time FROM camera_health WHERE camera_id = $1 AND state = 'live')
       SELECT (SELECT state FROM latest) AS state, (SELECT time FROM latest) AS latest,
              (SELECT min(time) FROM camera_health WHERE camera_id = $1 AND state <> 'live'
                 AND time > coalesce((SELECT time FROM last_live), '-infinity'::timestamptz)) AS since`,
      [cameraId],
    );
    const row = rows[0]!;
    const live = row.state === null || row.state === 'live';
    return {
      state: row.state,
      offlineSinceMs: live || !row.since ? null : row.since.getTime(),
      latestAtMs: row.latest ? row.latest.getTime() : null,
    };
  }

  async history(cameraId: string, sinceMs: number, limit: number): Promise<CameraHealth[]> {
    const result = await this.pool.query<HealthRow>(
      'SELECT * FROM camera_health WHERE camera_id = $1 AND time >= $2 ORDER BY time DESC LIMIT $3',
      [cameraId, new Date(sinceMs), limit],
    );
    return result.rows.map(toHealth);
  }

  async pruneOlderThan(cutoff: Date): Promise<number> {
    const result = await this.pool.query('DELETE FROM camera_health WHERE time < $1', [cutoff]);
    return result.rowCount ?? 0;
  }
}
