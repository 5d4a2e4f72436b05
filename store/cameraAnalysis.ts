// A camera's analysis setup (counting lines, zones, ground calibration, drawn on a frame of known
// size), kept as one JSON document on the camera row: it is always read and written whole.
import type { Pool } from 'pg';
import { EMPTY_CAMERA_ANALYSIS, type CameraAnalysis } from '../core/cameraAnalysis.ts';
import { CameraNotFoundError } from '../core/errors.ts';

/** A zone given a capacity by its operator (core/geometry.ts ZoneConfig.capacityVehicles). */
export interface ZoneCapacityRow {
  cameraId: string;
  zoneId: string;
  /** The zone's name, its id when it has none. */
  zoneName: string;
  capacityVehicles: number;
}

/** A counting line's or zone's name, for pages that show counts keyed by id. */
export interface GeometryNameRow {
  cameraId: string;
  kind: 'line' | 'zone';
  id: string;
  /** The name given on the setup page, the id when it has none. */
  name: string;
}

export interface ZoneCapacityFilter {
  cameraIds?: readonly string[];
  districts?: readonly string[];
}

export class CameraAnalysisRepository {
  constructor(private readonly pool: Pool) {}

  async get(cameraId: string): Promise<CameraAnalysis> {
    const result = await this.pool.query<{ analysis: Partial<CameraAnalysis> }>(
      'SELECT analysis FROM cameras WHERE id = $1',
      [cameraId],
    );
    const row = result.rows[0];
    if (!row) throw new CameraNotFoundError(`camera ${cameraId} not found`, { field: 'id' });
    return { ...EMPTY_CAMERA_ANALYSIS, ...row.analysis };
  }

  /**
   * Every zone with a capacity on the cameras the filter keeps, read inside PostgreSQL so a province of
   * cameras is not shipped whole to find a few dozen zones. Ordered by camera and zone.
   */
  async zoneCapacities(filter: ZoneCapacityFilter = {}): Promise<ZoneCapacityRow[]> {
    const result = await this.pool.query<{ camera_id: string; zone_id: string; zone_name: string; capacity: number }>(
      `SELECT c.id AS camera_id, z->>'id' AS zone_id, coalesce(z->>'name', z->>'id') AS zone_name,
              (z->>'capacityVehicles')::int AS capacity
       FROM cameras c CROSS JOIN LATERAL jsonb_array_elements(coalesce(c.analysis->'zones', '[]'::jsonb)) z
       WHERE jsonb_typeof(z->'capacityVehicles') = 'number'
         AND ($1::uuid[] IS NULL OR c.id = ANY($1::uuid[]))
         AND ($2::text[] IS NULL OR c.district = ANY($2::text[]))
       ORDER BY 1, 2`,
      [filter.cameraIds ?? null, filter.districts ?? null],
    );
    return result.rows.map((r) => ({
      cameraId: r.camera_id,
      zoneId: r.zone_id,
      zoneName: r.zone_name,
      capacityVehicles: r.capacity,
    }));
  }

  /** Names of every line and zone of the cameras the filter keeps, read inside PostgreSQL. */
  async geometryNames(filter: ZoneCapacityFilter = {}, limit = 1000, offset = 0): Promise<GeometryNameRow[]> {
    const result = await this.pool.query<{ camera_id: string; kind: 'line' | 'zone'; id: string; name: string }>(
      `SELECT c.id AS camera_id, g.kind, g.item->>'id' AS id, coalesce(nullif(g.item->>'name', ''), g.item->>'id') AS name
       FROM cameras c CROSS JOIN LATERAL (
         SELECT 'line' AS kind, l AS item FROM jsonb_array_elements(coalesce(c.analysis->'lines', '[]'::jsonb)) l
         UNION ALL SELECT 'zone', z FROM jsonb_array_elements(coalesce(c.analysis->'zones', '[]'::jsonb)) z
       ) g
       WHERE ($1::uuid[] IS NULL OR c.id = ANY($1::uuid[])) AND ($2::text[] IS NULL OR c.district = ANY($2::text[]))
       ORDER BY 1, 2, 3 LIMIT $3 OFFSET $4`,
      [filter.cameraIds ?? null, filter.districts ?? null, limit, offset],
    );
    return result.rows.map((r) => ({ cameraId: r.camera_id, kind: r.kind, id: r.id, name: r.name }));
  }

  async set(cameraId: string, analysis: CameraAnalysis): Promise<void> {
    const result = await this.pool.query('UPDATE cameras SET analysis = $2, updated_at = now() WHERE id = $1', [
      cameraId,
      JSON.stringify(analysis),
    ]);
    if (result.rowCount === 0) throw new CameraNotFoundError(`camera ${cameraId} not found`, { field: 'id' });
  }
}
