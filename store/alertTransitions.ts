// The alert lifecycle as people drive it: new → acknowledged → resolved, or dismissed (a false alarm, with
// a reason) from new or acknowledged; resolved and dismissed are final. Assign and note while open.
// Each change is checked against the row locked in its own transaction, so two officers never both win.
import type { Alert, AlertHistoryEntry, AlertState } from '../core/alerts.ts';
import { AlertNotFoundError, AlertTransitionError, ValidationError } from '../core/errors.ts';
import { enqueueDeliveries } from './alertOutbox.ts';
import { alertRowById, appendHistory, toAlert, type Queryable } from './alertRows.ts';

export const ALERT_ACTIONS = ['acknowledge', 'resolve', 'dismiss', 'assign', 'note'] as const;
export type AlertAction = (typeof ALERT_ACTIONS)[number];

export interface AlertActor {
  kind: 'user' | 'apiKey';
  name: string;
}

export interface TransitionInput {
  note?: string;
  /** assign: a person's name, or null to unassign. */
  assignee?: string | null;
}

const OPEN: readonly AlertState[] = ['new', 'acknowledged'];

/** The state each lifecycle action moves to, from which states, and its history action. */
const STATE_CHANGES: Partial<
  Record<AlertAction, { from: readonly AlertState[]; to: AlertState; history: AlertHistoryEntry['action'] }>
> = {
  acknowledge: { from: ['new'], to: 'acknowledged', history: 'acknowledged' },
  resolve: { from: OPEN, to: 'resolved', history: 'resolved' },
  dismiss: { from: OPEN, to: 'dismissed', history: 'dismissed' },
};

function refuse(id: string, action: AlertAction, state: AlertState): never {
  if (state === 'resolved' || state === 'dismissed') {
    throw new AlertTransitionError(
      `alert ${id} is ${state}: resolved and dismissed alerts are final (cannot ${action})`,
      { state },
    );
  }
  throw new AlertTransitionError(`alert ${id} is already ${state}: cannot ${action} it`, { state });
}

function text(value: string | undefined): string | null {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
}

export interface TransitionResult {
  alert: Alert;
  stateChanged: boolean;
}

/** Runs inside the caller's transaction (the row is locked FOR UPDATE). */
export async function transitionIn(
  db: Queryable,
  retentionHours: number,
  id: string,
  action: AlertAction,
  actor: AlertActor,
  input: TransitionInput,
): Promise<TransitionResult> {
  const row = await alertRowById(db, id, true);
  if (!row) throw new AlertNotFoundError(`alert ${id} not found`, { field: 'id' });
  const note = text(input.note);
  const who = { actorKind: actor.kind, actor: actor.name } as const;
  const change = STATE_CHANGES[action];
  if (change) {
    if (!change.from.includes(row.state)) refuse(id, action, row.state);
    if (action === 'dismiss' && !note) throw new ValidationError('a dismissal needs a reason', { field: 'reason' });
    const closes = change.to === 'resolved' || change.to === 'dismissed';
    // Evidence is kept retentionHours after the alert is closed, then the sweeper removes it.
    await db.query(
      `UPDATE alerts SET state = $2, updated_at = now(),
              resolution_note = CASE WHEN $3 THEN $4 ELSE resolution_note END,
              retain_until = CASE WHEN $3 THEN now() + make_interval(secs => $5) ELSE retain_until END
        WHERE id = $1`,
      [id, change.to, closes, note, retentionHours * 3600],
    );
    await appendHistory(db, id, { ...who, action: change.history, note });
    const alert = toAlert((await alertRowById(db, id))!);
    await enqueueDeliveries(db, 'stateChanged', alert);
    return { alert, stateChanged: true };
  }
  if (!OPEN.includes(row.state)) refuse(id, action, row.state);
  if (action === 'assign') {
    if (input.assignee === undefined)
      throw new ValidationError('assignee is required (null to unassign)', { field: 'assignee' });
    const assignee = input.assignee === null ? null : text(input.assignee);
    if (input.assignee !== null && !assignee)
      throw new ValidationError('assignee must not be blank', { field: 'assignee' });
    await db.query('UPDATE alerts SET assignee = $2, updated_at = now() WHERE id = $1', [id, assignee]);
    await appendHistory(db, id, {
      ...who,
      action: 'assigned',
      note: assignee === null ? 'unassigned' : `assigned to ${assignee}`,
    });
  } else {
    if (!note) throw new ValidationError('a note must not be empty', { field: 'note' });
    await db.query('UPDATE alerts SET updated_at = now() WHERE id = $1', [id]);
    await appendHistory(db, id, { ...who, action: 'noted', note });
  }
  return { alert: toAlert((await alertRowById(db, id))!), stateChanged: false };
}
