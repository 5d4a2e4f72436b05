// Alert rows ↔ the Alert value of core/alerts.ts: the one SELECT every alert read uses (current camera
// name, whether a snapshot is kept) and the mappings of alerts and their history. Only place with these columns.
import { alertMessage } from '../core/alertMessage.ts';
import type { Pool, PoolClient } from 'pg';
import type { Alert, AlertEvidence, AlertHistoryEntry } from '../core/alerts.ts';

export type Queryable = Pool | PoolClient;

export interface AlertRow {
  id: string;
  key: string;
  camera_id: string;
  camera_name: string;
  district: string;
  rule_id: string;
  type: Alert['type'];
  severity: Alert['severity'];
  subject: string;
  summary: string;
  details: Alert['details'];
  state: Alert['state'];
  active: boolean;
  started_at: Date;
  last_seen_at: Date;
  ended_at: Date | null;
  raised_at: Date;
  occurrences: number;
  assignee: string | null;
  resolution_note: string | null;
  evidence: AlertEvidence | null;
  clip_state: Alert['clipState'];
  retain_until: Date | null;
  updated_at: Date;
  has_snapshot: boolean;
}

/**
 * Every alert read selects this; `a` is the alerts table. The camera's current name wins over the one kept
 * at raise time, which remains for alerts of a camera since removed.
 */
export const ALERT_SELECT = `
  SELECT a.id, a.key, a.camera_id, COALESCE(c.name, a.camera_name) AS camera_name, a.district, a.rule_id, a.type,
         a.severity, a.subject, a.summary, a.details, a.state, a.active, a.started_at, a.last_seen_at, a.ended_at,
         a.raised_at, a.occurrences, a.assignee, a.resolution_note, a.evidence, a.clip_state, a.retain_until, a.updated_at,
         EXISTS (SELECT 1 FROM alert_snapshots s WHERE s.alert_id = a.id) AS has_snapshot
    FROM alerts a LEFT JOIN cameras c ON c.id = a.camera_id`;

export function toAlert(row: AlertRow): Alert {
  return {
    id: row.id,
    cameraId: row.camera_id,
    cameraName: row.camera_name,
    district: row.district,
    ruleId: row.rule_id,
    type: row.type,
    severity: row.severity,
    subject: row.subject,
    summary: row.summary,
    message: alertMessage({ type: row.type, details: row.details }, 'vi'),
    details: row.details,
    state: row.state,
    active: row.active,
    startedAt: row.started_at.toISOString(),
    lastSeenAt: row.last_seen_at.toISOString(),
    endedAt: row.ended_at?.toISOString() ?? null,
    raisedAt: row.raised_at.toISOString(),
    triggeredAt: row.evidence ? new Date(row.evidence.capturedAtMs).toISOString() : null,
    occurrences: row.occurrences,
    assignee: row.assignee,
    resolutionNote: row.resolution_note,
    hasSnapshot: row.has_snapshot,
    clipState: row.clip_state,
    updatedAt: row.updated_at.toISOString(),
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The alert row by id, or null (an id that is not a uuid is simply not found, never a SQL error). */
export async function alertRowById(db: Queryable, id: string, forUpdate = false): Promise<AlertRow | null> {
  if (!UUID.test(id)) return null;
  // FOR UPDATE OF a: lock the alert only, the joined camera row stays free.
  const lock = forUpdate ? ' FOR UPDATE OF a' : '';
  return (await db.query<AlertRow>(`${ALERT_SELECT} WHERE a.id = $1${lock}`, [id])).rows[0] ?? null;
}

export async function alertRowByKey(db: Queryable, key: string): Promise<AlertRow | null> {
  return (await db.query<AlertRow>(`${ALERT_SELECT} WHERE a.key = $1 FOR UPDATE OF a`, [key])).rows[0] ?? null;
}

export interface HistoryInput {
  actorKind: AlertHistoryEntry['actorKind'];
  actor: string;
  action: AlertHistoryEntry['action'];
  note?: string | null;
}

export const SYSTEM_ACTOR = { actorKind: 'system', actor: 'system' } as const;

export async function appendHistory(db: Queryable, alertId: string, entry: HistoryInput): Promise<void> {
  await db.query('INSERT INTO alert_history (alert_id, actor_kind, actor, action, note) VALUES ($1, $2, $3, $4, $5)', [
    alertId,
    entry.actorKind,
    entry.actor,
    entry.action,
    entry.note ?? null,
  ]);
}

export function toHistoryEntry(row: {
  at: Date;
  actor: string;
  actor_kind: AlertHistoryEntry['actorKind'];
  action: AlertHistoryEntry['action'];
  note: string | null;
}): AlertHistoryEntry {
  return { at: row.at.toISOString(), actor: row.actor, actorKind: row.actor_kind, action: row.action, note: row.note };
}
