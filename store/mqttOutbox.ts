// Drains the MQTT outbox: claims the oldest due rows under a lease (SKIP LOCKED keeps two publishers off the
// same row), marks them published once the broker acknowledged them (PUBACK), or backs them off to retry.
import type { Pool } from 'pg';

export interface ClaimedMqttMessage {
  /** Outbox row id (bigserial, as a string). */
  rowId: string;
  messageId: string;
  topic: string;
  /** The stored payload as JSON text: the bytes published. */
  body: string;
  retain: boolean;
  attempts: number;
}

const MAX_ERROR_CHARS = 500;

export class MqttOutboxRepository {
  constructor(private readonly pool: Pool) {}

  /** Up to `limit` due pending rows, oldest first, leased until nowMs + leaseMs. */
  async claimDue(nowMs: number, limit: number, leaseMs: number): Promise<ClaimedMqttMessage[]> {
    const result = await this.pool.query<{
      id: string;
      message_id: string;
      topic: string;
      body: string;
      retain: boolean;
      attempts: number;
    }>(
      `WITH due AS (
         SELECT id FROM mqtt_outbox
          WHERE state = 'pending' AND next_attempt_at <= to_timestamp($1::double precision / 1000)
          ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED
       )
       UPDATE mqtt_outbox o SET next_attempt_at = to_timestamp($3::double precision / 1000)
         FROM due WHERE o.id = due.id
       RETURNING o.id, o.message_id, o.topic, o.payload::text AS body, o.retain, o.attempts`,
      [nowMs, limit, nowMs + leaseMs],
    );
    return result.rows
      .map((r) => ({
        rowId: r.id,
        messageId: r.message_id,
        topic: r.topic,
        body: r.body,
        retain: r.retain,
        attempts: r.attempts,
      }))
      .sort((a, b) => Number(BigInt(a.rowId) - BigInt(b.rowId)));
  }

  async markPublished(rowId: string, nowMs: number): Promise<void> {
    await this.pool.query(
      `UPDATE mqtt_outbox SET state = 'published', attempts = attempts + 1, last_error = NULL, published_at = to_timestamp($2::double precision / 1000)
        WHERE id = $1 AND state = 'pending'`,
      [rowId, nowMs],
    );
  }

  async markRetry(rowId: string, attempts: number, nextAttemptAtMs: number, error: string): Promise<void> {
    await this.pool.query(
      `UPDATE mqtt_outbox SET attempts = $2, next_attempt_at = to_timestamp($3::double precision / 1000), last_error = $4
        WHERE id = $1 AND state = 'pending'`,
      [rowId, attempts, nextAttemptAtMs, error.slice(0, MAX_ERROR_CHARS)],
    );
  }

  /** Rows still waiting: a health figure (a broker away for long shows as a growing number). */
  async pendingCount(): Promise<number> {
    const result = await this.pool.query<{ n: string }>(
      `SELECT count(*) AS n FROM mqtt_outbox WHERE state = 'pending'`,
    );
    return Number(result.rows[0]!.n);
  }

  /** Published rows older than keepMs go; pending ones stay whatever their age. */
  async prunePublished(olderThanMs: number): Promise<number> {
    const result = await this.pool.query(
      `DELETE FROM mqtt_outbox WHERE state = 'published' AND published_at < to_timestamp($1::double precision / 1000)`,
      [olderThanMs],
    );
    return result.rowCount ?? 0;
  }
}
