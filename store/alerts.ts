// AlertStore: the alerts of the IOC in PostgreSQL. Signals from the analyzer are applied once each (replay
// safe), people move alerts through their lifecycle, evidence (snapshot, clip state) is kept and expired,
// and every change that leaves the IOC is queued in the webhook outbox within the same transaction.
import type { Pool } from 'pg';
import type {
  Alert,
  AlertDeliveryState,
  AlertEvidence,
  AlertHistoryEntry,
  AlertSignal,
  AlertState,
  AlertType,
  Severity,
} from '../core/alerts.ts';
import { AlertNotFoundError } from '../core/errors.ts';
import { ALERT_SELECT, alertRowById, appendHistory, toAlert, toHistoryEntry, type AlertRow } from './alertRows.ts';
import { applySignalsIn, type AlertChange, type SignalCamera } from './alertSignals.ts';
import {
  transitionIn,
  type AlertAction,
  type AlertActor,
  type TransitionInput,
  type TransitionResult,
} from './alertTransitions.ts';
import { inTransaction } from './transaction.ts';
import { rulePrecision, type RulePrecision, type RulePrecisionQuery } from './alertPrecision.ts';

export type { AlertChange, SignalCamera } from './alertSignals.ts';
export type { AlertAction, AlertActor, TransitionInput, TransitionResult } from './alertTransitions.ts';

export interface AlertStoreOptions {
  /** Snapshot and clip kept this long after an alert is resolved or dismissed. Default 720 (30 days). */
  evidenceRetentionHours?: number;
}

export interface AlertQuery {
  /** started_at within [fromMs, toMs). */
  fromMs: number;
  toMs: number;
  limit: number;
  offset: number;
  states?: readonly AlertState[];
  types?: readonly AlertType[];
  severities?: readonly Severity[];
  cameraIds?: readonly string[];
  /** null = every district; an empty list finds nothing. */
  districts: readonly string[] | null;
  active?: boolean;
}

export interface AlertMetricsRow {
  type: AlertType;
  severity: Severity;
  state: AlertState;
  active: boolean;
  count: number;
}

export interface AlertEvidenceInfo {
  cameraId: string;
  evidence: AlertEvidence | null;
  clipState: Alert['clipState'];
  hasSnapshot: boolean;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function notFound(id: string): AlertNotFoundError {
  return new AlertNotFoundError(`alert ${id} not found`, { field: 'id' });
}

export class AlertStore {
  private readonly retentionHours: number;

  constructor(
    private readonly pool: Pool,
    options: AlertStoreOptions = {},
  ) {
    this.retentionHours = options.evidenceRetentionHours ?? 720;
  }

  /** In one transaction, in order, each signal at most once; answers only the changes that happened. */
  async applySignals(camera: SignalCamera, signals: readonly AlertSignal[]): Promise<AlertChange[]> {
    if (signals.length === 0) return [];
    return inTransaction(this.pool, (db) =>
      applySignalsIn({ db, retentionHours: this.retentionHours }, camera, signals),
    );
  }

  async get(id: string): Promise<Alert> {
    const row = await alertRowById(this.pool, id);
    if (!row) throw notFound(id);
    return toAlert(row);
  }

  /** Newest first (started_at, then id), with the total matching the filters. */
  async list(query: AlertQuery): Promise<{ items: Alert[]; total: number }> {
    if (query.districts?.length === 0) return { items: [], total: 0 };
    const params: unknown[] = [new Date(query.fromMs), new Date(query.toMs)];
    const where = ['a.started_at >= $1', 'a.started_at < $2'];
    const anyOf = (column: string, values: readonly string[] | null | undefined, cast = 'text') => {
      if (!values) return;
      params.push(values);
      where.push(`${column} = ANY ($${params.length}::${cast}[])`);
    };
    anyOf('a.state', query.states);
    anyOf('a.type', query.types);
    anyOf('a.severity', query.severities);
    // A malformed id matches nothing rather than failing the uuid cast.
    anyOf(
      'a.camera_id',
      query.cameraIds?.filter((id) => UUID.test(id)),
      'uuid',
    );
    anyOf('a.district', query.districts);
    if (query.active !== undefined) {
      params.push(query.active);
      where.push(`a.active = $${params.length}`);
    }
    const filter = where.join(' AND ');
    const total = (
      await this.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM alerts a WHERE ${filter}`, params)
    ).rows[0]!.n;
    const rows = await this.pool.query<AlertRow>(
      `${ALERT_SELECT} WHERE ${filter} ORDER BY a.started_at DESC, a.id DESC LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, query.limit, query.offset],
    );
    return { items: rows.rows.map(toAlert), total };
  }

  /** Oldest first: the alert's story as it happened. */
  async history(id: string): Promise<AlertHistoryEntry[]> {
    if (!UUID.test(id)) throw notFound(id);
    const rows = await this.pool.query(
      'SELECT at, actor, actor_kind, action, note FROM alert_history WHERE alert_id = $1 ORDER BY id',
      [id],
    );
    return rows.rows.map(toHistoryEntry);
  }

  /** Every webhook delivery of the alert (one per webhook and event), oldest first. */
  async deliveries(id: string): Promise<AlertDeliveryState[]> {
    if (!UUID.test(id)) throw notFound(id);
    const rows = await this.pool.query(
      `SELECT d.webhook_id, w.name, d.state, d.attempts, d.last_status, d.last_error, d.delivered_at
         FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
        WHERE d.alert_id = $1 ORDER BY d.id`,
      [id],
    );
    return rows.rows.map((r) => ({
      webhookId: r.webhook_id,
      webhookName: r.name,
      state: r.state,
      attempts: r.attempts,
      lastStatus: r.last_status,
      lastError: r.last_error,
      deliveredAt: r.delivered_at?.toISOString() ?? null,
    }));
  }

  /** A person's action; AlertTransitionError (409) when the state forbids it. */
  async transition(
    id: string,
    action: AlertAction,
    actor: AlertActor,
    input: TransitionInput = {},
  ): Promise<TransitionResult> {
    return inTransaction(this.pool, (db) => transitionIn(db, this.retentionHours, id, action, actor, input));
  }

  /** Who looked at the evidence: part of the alert's own trail. */
  async recordView(id: string, actor: AlertActor, action: 'snapshotViewed' | 'clipViewed'): Promise<void> {
    if (!(await alertRowById(this.pool, id))) throw notFound(id);
    await appendHistory(this.pool, id, { actorKind: actor.kind, actor: actor.name, action });
  }

  async putSnapshot(id: string, jpeg: Buffer, capturedAtMs: number): Promise<void> {
    if (!UUID.test(id)) throw notFound(id);
    try {
      await this.pool.query(
        `INSERT INTO alert_snapshots (alert_id, jpeg, captured_at) VALUES ($1, $2, $3)
         ON CONFLICT (alert_id) DO UPDATE SET jpeg = EXCLUDED.jpeg, captured_at = EXCLUDED.captured_at`,
        [id, jpeg, new Date(capturedAtMs)],
      );
    } catch (err) {
      if ((err as { code?: string }).code === '23503') throw notFound(id);
      throw err;
    }
    await this.pool.query('UPDATE alerts SET updated_at = now() WHERE id = $1', [id]);
  }

  async getSnapshot(id: string): Promise<{ jpeg: Buffer; capturedAt: Date } | null> {
    if (!UUID.test(id)) return null;
    const row = (
      await this.pool.query<{ jpeg: Buffer; captured_at: Date }>(
        'SELECT jpeg, captured_at FROM alert_snapshots WHERE alert_id = $1',
        [id],
      )
    ).rows[0];
    return row ? { jpeg: row.jpeg, capturedAt: row.captured_at } : null;
  }

  async setClipState(id: string, state: 'ready' | 'unavailable'): Promise<void> {
    if (!UUID.test(id)) throw notFound(id);
    const result = await this.pool.query('UPDATE alerts SET clip_state = $2, updated_at = now() WHERE id = $1', [
      id,
      state,
    ]);
    if (!result.rowCount) throw notFound(id);
  }

  /** What the snapshot and clip makers need: the frame seq, time and boxes of the raise. */
  async evidenceOf(id: string): Promise<AlertEvidenceInfo> {
    const row = await alertRowById(this.pool, id);
    if (!row) throw notFound(id);
    return {
      cameraId: row.camera_id,
      evidence: row.evidence,
      clipState: row.clip_state,
      hasSnapshot: row.has_snapshot,
    };
  }

  /** Alerts closed long enough ago that their evidence goes, and still holding some. */
  async expiredEvidence(nowMs: number): Promise<string[]> {
    const rows = await this.pool.query<{ id: string }>(
      `SELECT a.id FROM alerts a
        WHERE a.retain_until <= $1
          AND (a.clip_state = 'ready' OR EXISTS (SELECT 1 FROM alert_snapshots s WHERE s.alert_id = a.id))
        ORDER BY a.retain_until`,
      [new Date(nowMs)],
    );
    return rows.rows.map((r) => r.id);
  }

  /** After the sweeper removed an alert's clip files: the snapshot goes too, the clip reads unavailable. */
  async dropEvidence(id: string): Promise<void> {
    if (!UUID.test(id)) throw notFound(id);
    await inTransaction(this.pool, async (db) => {
      await db.query('DELETE FROM alert_snapshots WHERE alert_id = $1', [id]);
      await db.query(`UPDATE alerts SET clip_state = 'unavailable', updated_at = now() WHERE id = $1`, [id]);
    });
  }

  /** Key of the active alert of a camera, rule and subject (at most one, by the dedup index); null when none. */
  async activeKey(cameraId: string, ruleId: string, subject: string): Promise<string | null> {
    const rows = await this.pool.query<{ key: string }>(
      'SELECT key FROM alerts WHERE camera_id = $1 AND rule_id = $2 AND subject = $3 AND active',
      [cameraId, ruleId, subject],
    );
    return rows.rows[0]?.key ?? null;
  }

  /** Per camera and rule: confirmed vs dismissed as a false alarm (store/alertPrecision.ts). */
  async precision(options: RulePrecisionQuery): Promise<RulePrecision[]> {
    return rulePrecision(this.pool, options);
  }

  async countsForMetrics(): Promise<AlertMetricsRow[]> {
    const rows = await this.pool.query<AlertMetricsRow>(
      'SELECT type, severity, state, active, count(*)::int AS count FROM alerts GROUP BY type, severity, state, active',
    );
    return rows.rows;
  }
}
