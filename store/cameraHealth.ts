// Camera health history: ingest appends a row when a camera's state changes and periodically while
// live; the API reads the latest row per camera. Old rows are pruned (Timescale retention does it there).
import type { Pool } from 'pg';
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

export class CameraHealthRepository {
  constructor(private readonly pool: Pool) {}

  async record(health: CameraHealth): Promise<void> {
    await this.pool.query(
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
