// The audit log: append and page through by time. Entries say who (actor), what (action + target),
// when, from where (ip) and how it ended; `detail` carries names of changed fields, never their secrets.
import type { Pool } from 'pg';

export interface AuditEntryInput {
  actorKind: 'user' | 'apiKey' | 'anonymous' | 'system';
  actorId: string | null;
  actorName: string;
  action: string;
  target: string | null;
  outcome: 'success' | 'failure' | 'refused';
  ip: string | null;
  detail?: Record<string, unknown>;
}

export interface AuditEntry extends AuditEntryInput {
  id: string;
  at: Date;
  detail: Record<string, unknown>;
}

export interface AuditQuery {
  fromMs: number;
  toMs: number;
  limit: number;
  offset: number;
  action?: string;
  actorName?: string;
}

export class AuditLog {
  constructor(private readonly pool: Pool) {}

  async record(entry: AuditEntryInput): Promise<void> {
    await this.pool.query(
      `INSERT INTO audit_log (actor_kind, actor_id, actor_name, action, target, outcome, ip, detail)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        entry.actorKind,
        entry.actorId,
        entry.actorName,
        entry.action,
        entry.target,
        entry.outcome,
        entry.ip,
        JSON.stringify(entry.detail ?? {}),
      ],
    );
  }

  /** Newest first within [from, to). */
  async query(query: AuditQuery): Promise<{ items: AuditEntry[]; total: number }> {
    const params: unknown[] = [new Date(query.fromMs), new Date(query.toMs)];
    const where = ['at >= $1', 'at < $2'];
    if (query.action) {
      params.push(query.action);
      where.push(`action = $${params.length}`);
    }
    if (query.actorName) {
      params.push(query.actorName);
      where.push(`actor_name = $${params.length}`);
    }
    const total = Number(
      (await this.pool.query(`SELECT count(*) AS n FROM audit_log WHERE ${where.join(' AND ')}`, params)).rows[0].n,
    );
    const rows = (
      await this.pool.query(
        `SELECT * FROM audit_log WHERE ${where.join(' AND ')} ORDER BY at DESC, id DESC LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
        [...params, query.limit, query.offset],
      )
    ).rows;
    return {
      total,
      items: rows.map((r) => ({
        id: String(r.id),
        at: r.at,
        actorKind: r.actor_kind,
        actorId: r.actor_id,
        actorName: r.actor_name,
        action: r.action,
        target: r.target,
        outcome: r.outcome,
        ip: r.ip,
        detail: r.detail,
      })),
    };
  }
}
