// A camera's alert rules, kept whole as one JSON document (validated by alerts/validateRules.ts before it
// gets here): read by the API and by the analyzer's rule engine when a camera's setup changes.
import type { Pool } from 'pg';
import type { CameraAlertRules } from '../core/alerts.ts';
import { CameraNotFoundError } from '../core/errors.ts';

export class AlertRulesRepository {
  constructor(private readonly pool: Pool) {}

  /** { rules: [] } for a camera that never had any: the camera-problem defaults still apply. */
  async get(cameraId: string): Promise<CameraAlertRules> {
    const row = (
      await this.pool.query<{ rules: CameraAlertRules }>('SELECT rules FROM alert_rules WHERE camera_id = $1', [
        cameraId,
      ])
    ).rows[0];
    return row ? row.rules : { rules: [] };
  }

  async set(cameraId: string, rules: CameraAlertRules): Promise<void> {
    try {
      await this.pool.query(
        `INSERT INTO alert_rules (camera_id, rules, updated_at) VALUES ($1, $2, now())
         ON CONFLICT (camera_id) DO UPDATE SET rules = EXCLUDED.rules, updated_at = now()`,
        [cameraId, JSON.stringify(rules)],
      );
    } catch (err) {
      if ((err as { code?: string }).code === '23503')
        throw new CameraNotFoundError(`camera ${cameraId} not found`, { field: 'id' });
      throw err;
    }
  }

  /** When the rules last changed (null: never set), so a rule engine reloads only what moved. */
  async updatedAt(cameraId: string): Promise<Date | null> {
    const row = (
      await this.pool.query<{ updated_at: Date }>('SELECT updated_at FROM alert_rules WHERE camera_id = $1', [cameraId])
    ).rows[0];
    return row?.updated_at ?? null;
  }
}
