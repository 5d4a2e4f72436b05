// A camera's analysis setup (counting lines, zones, ground calibration, drawn on a frame of known
// size), kept as one JSON document on the camera row: it is always read and written whole.
import type { Pool } from 'pg';
import { EMPTY_CAMERA_ANALYSIS, type CameraAnalysis } from '../core/cameraAnalysis.ts';
import { CameraNotFoundError } from '../core/errors.ts';

export class CameraAnalysisRepository {
  constructor(private readonly pool: Pool) {}

  async get(cameraId: string): Promise<CameraAnalysis> {
    const result = await this.pool.query<{ analysis: Partial<CameraAnalysis> }>('SELECT analysis FROM cameras WHERE id = $1', [cameraId]);
    const row = result.rows[0];
    if (!row) throw new CameraNotFoundError(`camera ${cameraId} not found`, { field: 'id' });
    return { ...EMPTY_CAMERA_ANALYSIS, ...row.analysis };
  }

  async set(cameraId: string, analysis: CameraAnalysis): Promise<void> {
    const result = await this.pool.query('UPDATE cameras SET analysis = $2, updated_at = now() WHERE id = $1', [
      cameraId,
      JSON.stringify(analysis),
    ]);
    if (result.rowCount === 0) throw new CameraNotFoundError(`camera ${cameraId} not found`, { field: 'id' });
  }
}
