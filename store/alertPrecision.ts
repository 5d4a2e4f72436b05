// How often each rule is right, as the officers judged it: alerts confirmed (acknowledged or resolved) against
// alerts dismissed as a false alarm. Alerts nobody has judged yet (new) count in neither.
import type { Pool } from 'pg';
import type { AlertType } from '../core/alerts.ts';

export interface RulePrecision {
  cameraId: string;
  cameraName: string;
  district: string;
  ruleId: string;
  type: AlertType;
  /** Acknowledged or resolved: taken for real by an officer. */
  confirmed: number;
  /** Dismissed as a false alarm (every dismissal carries its reason). */
  dismissed: number;
  /** Not judged yet. */
  unjudged: number;
  /** confirmed / (confirmed + dismissed); null before any alert of the rule was judged. */
  precision: number | null;
}

export interface RulePrecisionQuery {
  districts: readonly string[] | null;
  /** Alerts started at or after this; all by default. */
  fromMs?: number;
  /** Alerts started before this; no end by default (a report's period ends here). */
  toMs?: number;
  limit?: number;
}

/** Per camera and rule, of the cameras in `districts` (null: all), alerts started in [fromMs, toMs). */
export async function rulePrecision(pool: Pool, options: RulePrecisionQuery): Promise<RulePrecision[]> {
  if (options.districts?.length === 0) return [];
  const { rows } = await pool.query<{
    camera_id: string;
    camera_name: string | null;
    district: string | null;
    rule_id: string;
    type: AlertType;
    confirmed: number;
    dismissed: number;
    unjudged: number;
  }>(
    `SELECT a.camera_id, c.name AS camera_name, c.district, a.rule_id, a.type,
            count(*) FILTER (WHERE a.state IN ('acknowledged', 'resolved'))::int AS confirmed,
            count(*) FILTER (WHERE a.state = 'dismissed')::int AS dismissed,
            count(*) FILTER (WHERE a.state = 'new')::int AS unjudged
       FROM alerts a LEFT JOIN cameras c ON c.id = a.camera_id
      WHERE a.started_at >= $1 AND ($4::timestamptz IS NULL OR a.started_at < $4) AND ($2::text[] IS NULL OR c.district = ANY($2))
      GROUP BY a.camera_id, c.name, c.district, a.rule_id, a.type
      ORDER BY c.name, a.rule_id
      LIMIT $3`,
    [
      new Date(options.fromMs ?? 0),
      options.districts,
      options.limit ?? null,
      options.toMs === undefined ? null : new Date(options.toMs),
    ],
  );
  return rows.map((r) => ({
    cameraId: r.camera_id,
    cameraName: r.camera_name ?? '',
    district: r.district ?? '',
    ruleId: r.rule_id,
    type: r.type,
    confirmed: r.confirmed,
    dismissed: r.dismissed,
    unjudged: r.unjudged,
    precision:
      r.confirmed + r.dismissed > 0 ? Math.round((r.confirmed / (r.confirmed + r.dismissed)) * 1000) / 1000 : null,
  }));
}
