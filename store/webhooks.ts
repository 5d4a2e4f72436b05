// Webhook subscriptions (who receives which alerts, and the HMAC secret they are signed with) and the queries
// that drain their outbox, webhook_deliveries: claimed under a lease with SKIP LOCKED, one row per webhook at a time.
import { randomBytes } from 'node:crypto';
import type { Pool } from 'pg';
import { ALERT_TYPES, SEVERITIES, type AlertType, type Severity } from '../core/alerts.ts';
import { ValidationError, WebhookNameTakenError, WebhookNotFoundError } from '../core/errors.ts';
import { assertWebhookUrl } from '../core/webhookUrl.ts';

export interface Webhook {
  id: string;
  name: string;
  url: string;
  /** null = every district. */
  districts: string[] | null;
  /** null = every alert type. */
  types: AlertType[] | null;
  minSeverity: Severity;
  enabled: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export interface WebhookInput {
  name: string;
  url: string;
  districts: string[] | null;
  types: AlertType[] | null;
  minSeverity?: Severity; // default 'info'
  enabled?: boolean; // default true
}

export type WebhookPatch = Partial<WebhookInput>;

export type DeliveryState = 'pending' | 'delivered' | 'failed';

export interface WebhookDelivery {
  /** bigserial, as a string: the X-IOC-Delivery idempotency key. */
  id: string;
  webhookId: string;
  /** The alert delivered, or null for a report's delivery. */
  alertId: string | null;
  /** The report announced ("reportReady"), or null for an alert's delivery. */
  reportId: string | null;
  event: string;
  state: DeliveryState;
  attempts: number;
  nextAttemptAt: Date;
  lastStatus: number | null;
  lastError: string | null;
  deliveredAt: Date | null;
  createdAt: Date;
}

/** A delivery claimed for sending, with what the sender needs: target, secret and the exact body bytes. */
export interface ClaimedDelivery {
  id: string;
  webhookId: string;
  webhookName: string;
  url: string;
  secret: string;
  event: string;
  /** The stored payload as JSON text: the bytes sent and signed. */
  body: string;
  /** Attempts made before this one. */
  attempts: number;
  createdAtMs: number;
}

interface WebhookRow {
  id: string;
  name: string;
  url: string;
  districts: string[] | null;
  types: AlertType[] | null;
  min_severity: Severity;
  enabled: boolean;
  created_at: Date;
  updated_at: Date;
}

interface DeliveryRow {
  id: string;
  webhook_id: string;
  alert_id: string | null;
  report_id: string | null;
  event: string;
  state: DeliveryState;
  attempts: number;
  next_attempt_at: Date;
  last_status: number | null;
  last_error: string | null;
  delivered_at: Date | null;
  created_at: Date;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SECRET_PREFIX = 'whsec_';
/** Longest error text kept on a delivery row (a receiver's answer can be anything). */
const MAX_ERROR_CHARS = 500;

/** 256 random bits: the HMAC key, answered by create and rotateSecret only. */
function newWebhookSecret(): string {
  return SECRET_PREFIX + randomBytes(32).toString('base64url');
}

function toWebhook(row: WebhookRow): Webhook {
  return {
    id: row.id,
    name: row.name,
    url: row.url,
    districts: row.districts,
    types: row.types,
    minSeverity: row.min_severity,
    enabled: row.enabled,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function toDelivery(row: DeliveryRow): WebhookDelivery {
  return {
    id: row.id,
    webhookId: row.webhook_id,
    alertId: row.alert_id,
    reportId: row.report_id,
    event: row.event,
    state: row.state,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    lastStatus: row.last_status,
    lastError: row.last_error,
    deliveredAt: row.delivered_at,
    createdAt: row.created_at,
  };
}

function checkInput(input: WebhookPatch): void {
  if (input.url !== undefined) assertWebhookUrl(input.url, 'url');
  if (input.types) {
    const unknown = input.types.find((t) => !(ALERT_TYPES as readonly string[]).includes(t));
    if (unknown !== undefined) throw new ValidationError(`types: unknown alert type "${unknown}"`, { field: 'types' });
  }
  if (input.minSeverity !== undefined && !SEVERITIES.includes(input.minSeverity)) {
    throw new ValidationError('minSeverity must be info, warning or critical', { field: 'minSeverity' });
  }
}

function nameTaken(err: unknown, name: string | undefined): never {
  if ((err as { code?: string }).code === '23505')
    throw new WebhookNameTakenError(`a webhook named "${name}" already exists`, { field: 'name' });
  throw err;
}

export class WebhookRepository {
  constructor(private readonly pool: Pool) {}

  /** Creates a subscription; the secret is in this answer and rotateSecret's only. */
  async create(input: WebhookInput): Promise<{ webhook: Webhook; secret: string }> {
    checkInput(input);
    const secret = newWebhookSecret();
    try {
      const result = await this.pool.query<WebhookRow>(
        `INSERT INTO webhooks (name, url, secret, districts, types, min_severity, enabled)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *`,
        [
          input.name,
          input.url,
          secret,
          input.districts,
          input.types,
          input.minSeverity ?? 'info',
          input.enabled ?? true,
        ],
      );
      return { webhook: toWebhook(result.rows[0]!), secret };
    } catch (err) {
      nameTaken(err, input.name);
    }
  }

  async list(limit: number, offset: number): Promise<{ items: Webhook[]; total: number }> {
    const rows = await this.pool.query<WebhookRow>('SELECT * FROM webhooks ORDER BY name LIMIT $1 OFFSET $2', [
      limit,
      offset,
    ]);
    const total = await this.pool.query<{ n: string }>('SELECT count(*) AS n FROM webhooks');
    return { items: rows.rows.map(toWebhook), total: Number(total.rows[0]!.n) };
  }

  async get(id: string): Promise<Webhook> {
    if (!UUID.test(id)) throw new WebhookNotFoundError(`no webhook ${id}`);
    const row = (await this.pool.query<WebhookRow>('SELECT * FROM webhooks WHERE id = $1', [id])).rows[0];
    if (!row) throw new WebhookNotFoundError(`no webhook ${id}`);
    return toWebhook(row);
  }

  async update(id: string, patch: WebhookPatch): Promise<Webhook> {
    checkInput(patch);
    const current = await this.get(id);
    try {
      const result = await this.pool.query<WebhookRow>(
        `UPDATE webhooks SET name = $2, url = $3, districts = $4, types = $5, min_severity = $6, enabled = $7, updated_at = now()
         WHERE id = $1 RETURNING *`,
        [
          id,
          patch.name ?? current.name,
          patch.url ?? current.url,
          patch.districts === undefined ? current.districts : patch.districts,
          patch.types === undefined ? current.types : patch.types,
          patch.minSeverity ?? current.minSeverity,
          patch.enabled ?? current.enabled,
        ],
      );
      if (!result.rows[0]) throw new WebhookNotFoundError(`no webhook ${id}`);
      return toWebhook(result.rows[0]);
    } catch (err) {
      nameTaken(err, patch.name);
    }
  }

  /** Removes the subscription and, by cascade, its deliveries (pending ones are never sent). */
  async delete(id: string): Promise<Webhook> {
    if (!UUID.test(id)) throw new WebhookNotFoundError(`no webhook ${id}`);
    const row = (await this.pool.query<WebhookRow>('DELETE FROM webhooks WHERE id = $1 RETURNING *', [id])).rows[0];
    if (!row) throw new WebhookNotFoundError(`no webhook ${id}`);
    return toWebhook(row);
  }

  /** A new secret at once: pending deliveries are signed with it, since the key is read when a row is claimed. */
  async rotateSecret(id: string): Promise<{ webhook: Webhook; secret: string }> {
    if (!UUID.test(id)) throw new WebhookNotFoundError(`no webhook ${id}`);
    const secret = newWebhookSecret();
    const row = (
      await this.pool.query<WebhookRow>(
        'UPDATE webhooks SET secret = $2, updated_at = now() WHERE id = $1 RETURNING *',
        [id, secret],
      )
    ).rows[0];
    if (!row) throw new WebhookNotFoundError(`no webhook ${id}`);
    return { webhook: toWebhook(row), secret };
  }

  async listDeliveries(
    webhookId: string,
    query: { state?: DeliveryState; limit: number; offset: number },
  ): Promise<{ items: WebhookDelivery[]; total: number }> {
    await this.get(webhookId);
    const state = query.state ?? null;
    const rows = await this.pool.query<DeliveryRow>(
      `SELECT * FROM webhook_deliveries WHERE webhook_id = $1 AND ($2::text IS NULL OR state = $2)
       ORDER BY id DESC LIMIT $3 OFFSET $4`,
      [webhookId, state, query.limit, query.offset],
    );
    const total = await this.pool.query<{ n: string }>(
      'SELECT count(*) AS n FROM webhook_deliveries WHERE webhook_id = $1 AND ($2::text IS NULL OR state = $2)',
      [webhookId, state],
    );
    return { items: rows.rows.map(toDelivery), total: Number(total.rows[0]!.n) };
  }

  /**
   * Claims up to `limit` due deliveries and leases them until nowMs + leaseMs, in one statement (one
   * transaction): SKIP LOCKED keeps two dispatchers off the same row, and the lease keeps a claimed row out
   * of every later claim while it is sent; a dispatcher that dies mid-send lets it come back when the lease
   * ends. Only the oldest pending row of each webhook is eligible (a consumer sees raised before ended);
   * while it is leased or backing off, the webhook's later rows wait. Webhooks that are disabled keep their
   * rows pending, paused, until they are enabled again. `nowMs` is the caller's clock, compared in SQL.
   */
  async claimDue(nowMs: number, limit: number, leaseMs: number): Promise<ClaimedDelivery[]> {
    const result = await this.pool.query<{
      id: string;
      webhook_id: string;
      event: string;
      body: string;
      attempts: number;
      created_at: Date;
      name: string;
      url: string;
      secret: string;
    }>(
      // Heads are found among pending rows only (the partial index), never by walking the whole history in id
      // order; the row's own state and due time are checked again on the locked row, so a row another
      // dispatcher leased or settled since this statement's snapshot is not taken.
      `WITH heads AS (
         SELECT DISTINCT ON (webhook_id) id FROM webhook_deliveries WHERE state = 'pending' ORDER BY webhook_id, id
       ), due AS (
         SELECT d.id FROM webhook_deliveries d
         WHERE d.id IN (SELECT id FROM heads)
           AND d.state = 'pending' AND d.next_attempt_at <= to_timestamp($1::double precision / 1000)
           AND EXISTS (SELECT 1 FROM webhooks w WHERE w.id = d.webhook_id AND w.enabled)
         ORDER BY d.id
         LIMIT $2
         FOR UPDATE SKIP LOCKED
       )
       UPDATE webhook_deliveries d SET next_attempt_at = to_timestamp($3::double precision / 1000)
       FROM due, webhooks w
       WHERE d.id = due.id AND w.id = d.webhook_id
       RETURNING d.id, d.webhook_id, d.event, d.payload::text AS body, d.attempts, d.created_at, w.name, w.url, w.secret`,
      [nowMs, limit, nowMs + leaseMs],
    );
    return result.rows
      .map((r) => ({
        id: r.id,
        webhookId: r.webhook_id,
        webhookName: r.name,
        url: r.url,
        secret: r.secret,
        event: r.event,
        body: r.body,
        attempts: r.attempts,
        createdAtMs: r.created_at.getTime(),
      }))
      .sort((a, b) => Number(BigInt(a.id) - BigInt(b.id)));
  }

  // The marks below touch only a row still pending: a row another dispatcher already settled stays settled.

  async markDelivered(id: string, status: number, nowMs: number): Promise<void> {
    await this.pool.query(
      `UPDATE webhook_deliveries SET state = 'delivered', attempts = attempts + 1, last_status = $2, last_error = NULL,
         delivered_at = to_timestamp($3::double precision / 1000)
       WHERE id = $1 AND state = 'pending'`,
      [id, status, nowMs],
    );
  }

  async markRetry(
    id: string,
    attempts: number,
    nextAttemptAtMs: number,
    status: number | null,
    error: string,
  ): Promise<void> {
    await this.pool.query(
      `UPDATE webhook_deliveries SET attempts = $2, next_attempt_at = to_timestamp($3::double precision / 1000), last_status = $4, last_error = $5
       WHERE id = $1 AND state = 'pending'`,
      [id, attempts, nextAttemptAtMs, status, error.slice(0, MAX_ERROR_CHARS)],
    );
  }

  /** Gives a delivery up: the webhook's next row becomes eligible. */
  async markFailed(id: string, attempts: number, status: number | null, error: string): Promise<void> {
    await this.pool.query(
      `UPDATE webhook_deliveries SET state = 'failed', attempts = $2, last_status = $3, last_error = $4
       WHERE id = $1 AND state = 'pending'`,
      [id, attempts, status, error.slice(0, MAX_ERROR_CHARS)],
    );
  }
}
