// Applies the rule engine's signals to the alerts table inside the caller's transaction, each at most once:
// the analyzer replays after a crash and re-sends the same deterministic keys, so every step checks the
// row's state before it changes anything, and only what really changed is returned (to be published).
import { CAMERA_PROBLEM_TYPES, type Alert, type AlertSignal } from '../core/alerts.ts';
import { ValidationError } from '../core/errors.ts';
import { enqueueDeliveries } from './alertOutbox.ts';
import {
  alertRowById,
  alertRowByKey,
  appendHistory,
  SYSTEM_ACTOR,
  toAlert,
  type AlertRow,
  type Queryable,
} from './alertRows.ts';

export interface SignalCamera {
  id: string;
  name: string;
  district: string;
}

export interface AlertChange {
  event: 'raised' | 'updated' | 'ended';
  alert: Alert;
  /** On 'raised': the raise signal that made it (its evidence is what the snapshot shows). */
  raisedBy?: AlertSignal;
}

/** Context of one applySignals call: the transaction's client and the evidence retention after resolve. */
export interface SignalContext {
  db: Queryable;
  retentionHours: number;
}

export const CONDITION_CLEARED = 'condition cleared';

async function reread(db: Queryable, id: string): Promise<Alert> {
  const row = await alertRowById(db, id);
  if (!row) throw new Error(`alert ${id} vanished inside its own transaction`);
  return toAlert(row);
}

/** Ends an active alert at endedAtMs; a camera problem that is still open resolves itself with it. */
async function endAlert(ctx: SignalContext, row: AlertRow, endedAtMs: number, note: string | null): Promise<Alert> {
  await ctx.db.query('UPDATE alerts SET active = false, ended_at = $2, updated_at = now() WHERE id = $1', [
    row.id,
    new Date(endedAtMs),
  ]);
  await appendHistory(ctx.db, row.id, { ...SYSTEM_ACTOR, action: 'ended', note });
  const autoResolve = CAMERA_PROBLEM_TYPES.includes(row.type) && (row.state === 'new' || row.state === 'acknowledged');
  if (autoResolve) {
    // A camera that came back needs nobody to close its alert; the officer still sees it happened.
    await ctx.db.query(
      `UPDATE alerts SET state = 'resolved', resolution_note = $2, retain_until = now() + make_interval(secs => $3), updated_at = now()
        WHERE id = $1`,
      [row.id, CONDITION_CLEARED, ctx.retentionHours * 3600],
    );
    await appendHistory(ctx.db, row.id, { ...SYSTEM_ACTOR, action: 'resolved', note: CONDITION_CLEARED });
  }
  const alert = await reread(ctx.db, row.id);
  await enqueueDeliveries(ctx.db, 'ended', alert);
  if (autoResolve) await enqueueDeliveries(ctx.db, 'stateChanged', alert);
  return alert;
}

async function raise(ctx: SignalContext, camera: SignalCamera, signal: AlertSignal): Promise<AlertChange[]> {
  if (await alertRowByKey(ctx.db, signal.key)) return []; // replayed: raised already
  const changes: AlertChange[] = [];
  // The dedup rule (one active alert per camera, rule and subject) holds in the database. An active one under
  // another key means the engine lost its state (a crash past the start of the condition): that alert's
  // end will never come, so it is ended here rather than left active for ever or the new raise lost.
  const stale = await ctx.db.query<{ id: string }>(
    `SELECT id FROM alerts WHERE camera_id = $1 AND rule_id = $2 AND subject = $3 AND active FOR UPDATE`,
    [camera.id, signal.ruleId, signal.subject],
  );
  for (const { id } of stale.rows) {
    const row = (await alertRowById(ctx.db, id))!;
    changes.push({
      event: 'ended',
      alert: await endAlert(ctx, row, row.last_seen_at.getTime(), 'superseded by a new raise'),
    });
  }
  const inserted = await ctx.db.query<{ id: string }>(
    `INSERT INTO alerts (key, camera_id, camera_name, district, rule_id, type, severity, subject, summary, details,
                         started_at, last_seen_at, evidence)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
     ON CONFLICT (key) DO NOTHING RETURNING id`,
    [
      signal.key,
      camera.id,
      camera.name,
      camera.district,
      signal.ruleId,
      signal.type,
      signal.severity,
      signal.subject,
      signal.summary,
      JSON.stringify(signal.details),
      new Date(signal.startedAtMs),
      new Date(signal.atMs),
      signal.evidence ? JSON.stringify(signal.evidence) : null,
    ],
  );
  const id = inserted.rows[0]?.id;
  if (!id) return changes;
  await appendHistory(ctx.db, id, { ...SYSTEM_ACTOR, action: 'raised', note: null });
  const alert = await reread(ctx.db, id);
  await enqueueDeliveries(ctx.db, 'raised', alert);
  changes.push({ event: 'raised', alert, raisedBy: signal });
  return changes;
}

/** A camera problem the system resolved (not a person): re-opening it makes it new again. */
async function resolvedBySystem(db: Queryable, row: AlertRow): Promise<boolean> {
  if (row.state !== 'resolved' || !CAMERA_PROBLEM_TYPES.includes(row.type)) return false;
  const last = await db.query<{ actor_kind: string }>(
    `SELECT actor_kind FROM alert_history WHERE alert_id = $1 AND action = 'resolved' ORDER BY id DESC LIMIT 1`,
    [row.id],
  );
  return last.rows[0]?.actor_kind === 'system';
}

async function reopen(ctx: SignalContext, row: AlertRow, signal: AlertSignal): Promise<AlertChange[]> {
  // Replayed, or older than the end: the end stands.
  if (row.ended_at === null || signal.atMs <= row.ended_at.getTime()) return [];
  // A newer alert already carries this condition (unique active index): this one stays ended.
  const other = await ctx.db.query(
    'SELECT 1 FROM alerts WHERE camera_id = $1 AND rule_id = $2 AND subject = $3 AND active',
    [row.camera_id, row.rule_id, row.subject],
  );
  if (other.rowCount) return [];
  const backToNew = await resolvedBySystem(ctx.db, row);
  await ctx.db.query(
    `UPDATE alerts SET active = true, ended_at = NULL, occurrences = occurrences + 1,
            last_seen_at = greatest(last_seen_at, $2), details = $3, summary = $4, evidence = COALESCE($5::jsonb, evidence),
            state = CASE WHEN $6 THEN 'new' ELSE state END,
            resolution_note = CASE WHEN $6 THEN NULL ELSE resolution_note END,
            retain_until = CASE WHEN $6 THEN NULL ELSE retain_until END,
            updated_at = now()
      WHERE id = $1`,
    [
      row.id,
      new Date(signal.atMs),
      JSON.stringify(signal.details),
      signal.summary,
      signal.evidence ? JSON.stringify(signal.evidence) : null,
      backToNew,
    ],
  );
  await appendHistory(ctx.db, row.id, { ...SYSTEM_ACTOR, action: 'reopened', note: null });
  const alert = await reread(ctx.db, row.id);
  if (backToNew) await enqueueDeliveries(ctx.db, 'stateChanged', alert);
  return [{ event: 'updated', alert }];
}

async function update(ctx: SignalContext, signal: AlertSignal): Promise<AlertChange[]> {
  const row = await alertRowByKey(ctx.db, signal.key);
  if (!row) return []; // its raise never reached the store; an update alone cannot invent an alert
  if (!row.active) return reopen(ctx, row, signal);
  // Only a newer signal (or new figures at the same instant) changes anything: a replay is a no-op.
  const updated = await ctx.db.query(
    `UPDATE alerts SET last_seen_at = greatest(last_seen_at, $2), details = $3::jsonb, summary = $4,
            evidence = COALESCE($5::jsonb, evidence), updated_at = now()
      WHERE id = $1
        AND ($2 > last_seen_at
             OR ($2 = last_seen_at AND (details IS DISTINCT FROM $3::jsonb OR summary IS DISTINCT FROM $4
                                        OR ($5::jsonb IS NOT NULL AND evidence IS DISTINCT FROM $5::jsonb))))`,
    [
      row.id,
      new Date(signal.atMs),
      JSON.stringify(signal.details),
      signal.summary,
      signal.evidence ? JSON.stringify(signal.evidence) : null,
    ],
  );
  if (!updated.rowCount) return [];
  return [{ event: 'updated', alert: await reread(ctx.db, row.id) }];
}

async function end(ctx: SignalContext, signal: AlertSignal): Promise<AlertChange[]> {
  const row = await alertRowByKey(ctx.db, signal.key);
  if (!row?.active) return []; // unknown, or ended already (a replay)
  return [{ event: 'ended', alert: await endAlert(ctx, row, Math.max(signal.atMs, row.started_at.getTime()), null) }];
}

export async function applySignalsIn(
  ctx: SignalContext,
  camera: SignalCamera,
  signals: readonly AlertSignal[],
): Promise<AlertChange[]> {
  const changes: AlertChange[] = [];
  for (const [i, signal] of signals.entries()) {
    if (signal.cameraId !== camera.id) {
      throw new ValidationError(`signals[${i}] is of camera ${signal.cameraId}, not ${camera.id}`, {
        field: `signals[${i}].cameraId`,
      });
    }
    if (signal.kind === 'raise') changes.push(...(await raise(ctx, camera, signal)));
    else if (signal.kind === 'update') changes.push(...(await update(ctx, signal)));
    else changes.push(...(await end(ctx, signal)));
  }
  return changes;
}
