// Camera rows ↔ the Camera value. The only place that knows the cameras table's columns.
import type { Pool } from 'pg';
import type { Camera } from '../core/camera.ts';
import { CameraNameTakenError, CameraNotFoundError } from '../core/errors.ts';

export interface CameraInput {
  name: string;
  mainUrl: string;
  subUrl?: string | null;
  district: string;
  location?: { lat: number; lon: number } | null;
  enabled?: boolean;
  sampleFps: number;
}

export type CameraPatch = Partial<CameraInput>;

interface CameraRow {
  id: string;
  name: string;
  main_url: string;
  sub_url: string | null;
  district: string;
  lat: number | null;
  lon: number | null;
  enabled: boolean;
  sample_fps: number;
  created_at: Date;
  updated_at: Date;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function toCamera(row: CameraRow): Camera {
  return {
    id: row.id,
    name: row.name,
    mainUrl: row.main_url,
    subUrl: row.sub_url,
    district: row.district,
    location: row.lat === null || row.lon === null ? null : { lat: row.lat, lon: row.lon },
    enabled: row.enabled,
    sampleFps: row.sample_fps,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function rethrowUnique(err: unknown, name: string | undefined): never {
  if ((err as { code?: string }).code === '23505') {
    throw new CameraNameTakenError(`a camera named "${name}" already exists`, { field: 'name' });
  }
  throw err;
}

export class CameraRepository {
  constructor(private readonly pool: Pool) {}

  async list(options: { enabledOnly?: boolean; districts?: readonly string[] } = {}): Promise<Camera[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (options.enabledOnly) where.push('enabled');
    if (options.districts) {
      params.push(options.districts);
      where.push(`district = ANY($${params.length})`);
    }
    const sql = `SELECT * FROM cameras ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY name`;
    return (await this.pool.query<CameraRow>(sql, params)).rows.map(toCamera);
  }

  async get(id: string): Promise<Camera> {
    if (!UUID.test(id)) throw new CameraNotFoundError(`camera ${id} not found`, { field: 'id' });
    const result = await this.pool.query<CameraRow>('SELECT * FROM cameras WHERE id = $1', [id]);
    const row = result.rows[0];
    if (!row) throw new CameraNotFoundError(`camera ${id} not found`, { field: 'id' });
    return toCamera(row);
  }

  async create(input: CameraInput): Promise<Camera> {
    try {
      const result = await this.pool.query<CameraRow>(
        `INSERT INTO cameras (name, main_url, sub_url, district, lat, lon, enabled, sample_fps)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING *`,
        [
          input.name,
          input.mainUrl,
          input.subUrl ?? null,
          input.district,
          input.location?.lat ?? null,
          input.location?.lon ?? null,
          input.enabled ?? true,
          input.sampleFps,
        ],
      );
      return toCamera(result.rows[0]!);
    } catch (err) {
      rethrowUnique(err, input.name);
    }
  }

  async update(id: string, patch: CameraPatch): Promise<Camera> {
    const current = await this.get(id);
    const next = {
      name: patch.name ?? current.name,
      mainUrl: patch.mainUrl ?? current.mainUrl,
      subUrl: patch.subUrl === undefined ? current.subUrl : patch.subUrl,
      district: patch.district ?? current.district,
      location: patch.location === undefined ? current.location : patch.location,
      enabled: patch.enabled ?? current.enabled,
      sampleFps: patch.sampleFps ?? current.sampleFps,
    };
    try {
      const result = await this.pool.query<CameraRow>(
        `UPDATE cameras SET name = $2, main_url = $3, sub_url = $4, district = $5, lat = $6, lon = $7,
           enabled = $8, sample_fps = $9, updated_at = now()
         WHERE id = $1 RETURNING *`,
        [
          id,
          next.name,
          next.mainUrl,
          next.subUrl,
          next.district,
          next.location?.lat ?? null,
          next.location?.lon ?? null,
          next.enabled,
          next.sampleFps,
        ],
      );
      const row = result.rows[0];
      if (!row) throw new CameraNotFoundError(`camera ${id} not found`, { field: 'id' });
      return toCamera(row);
    } catch (err) {
      rethrowUnique(err, next.name);
    }
  }

  async remove(id: string): Promise<void> {
    if (!UUID.test(id)) throw new CameraNotFoundError(`camera ${id} not found`, { field: 'id' });
    const result = await this.pool.query('DELETE FROM cameras WHERE id = $1', [id]);
    if (result.rowCount === 0) throw new CameraNotFoundError(`camera ${id} not found`, { field: 'id' });
  }
}
