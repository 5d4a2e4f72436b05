// Login sessions (cookie for the pages, bearer token for API clients) and API keys, looked up by the
// sha256 of the presented secret: the secret itself is never stored, so a database dump opens nothing.
import type { Pool } from 'pg';
import type { Principal, Role } from '../core/access.ts';
import { ApiKeyNotFoundError } from '../core/errors.ts';

export interface SessionLimits {
  idleMs: number;
  maxMs: number;
}

export interface ApiKeyInfo {
  id: string;
  name: string;
  role: Role;
  districts: string[] | null;
  createdAt: Date;
  lastUsedAt: Date | null;
  revoked: boolean;
}

/** last_seen_at is written at most this often per session: one UPDATE per request would be waste. */
const TOUCH_EVERY_MS = 30_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class SessionStore {
  constructor(
    private readonly pool: Pool,
    private readonly limits: SessionLimits,
  ) {}

  async create(tokenHash: string, userId: string): Promise<Date> {
    const expiresAt = new Date(Date.now() + this.limits.maxMs);
    await this.pool.query('INSERT INTO sessions (token_hash, user_id, expires_at) VALUES ($1, $2, $3)', [
      tokenHash,
      userId,
      expiresAt,
    ]);
    return expiresAt;
  }

  /** The user behind a live session: not revoked, not past its absolute expiry, used within the idle limit. */
  async principalOf(tokenHash: string): Promise<Principal | null> {
    const row = (
      await this.pool.query<{
        user_id: string;
        username: string;
        role: Role;
        districts: string[] | null;
        last_seen_at: Date;
        must_change_password: boolean;
      }>(
        `SELECT s.user_id, u.username, u.role, u.districts, s.last_seen_at, u.must_change_password
         FROM sessions s JOIN users u ON u.id = s.user_id
         WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > now()
           AND s.last_seen_at > now() - make_interval(secs => $2) AND NOT u.disabled`,
        [tokenHash, this.limits.idleMs / 1000],
      )
    ).rows[0];
    if (!row) return null;
    if (Date.now() - row.last_seen_at.getTime() > TOUCH_EVERY_MS) {
      await this.pool.query('UPDATE sessions SET last_seen_at = now() WHERE token_hash = $1', [tokenHash]);
    }
    return {
      kind: 'user',
      id: row.user_id,
      name: row.username,
      role: row.role,
      districts: row.districts,
      sessionHash: tokenHash,
      mustChangePassword: row.must_change_password,
    };
  }

  async revoke(tokenHash: string): Promise<void> {
    await this.pool.query('UPDATE sessions SET revoked_at = now() WHERE token_hash = $1 AND revoked_at IS NULL', [
      tokenHash,
    ]);
  }

  /** Ends every session of a user (password changed, user disabled or deleted), but the one kept. */
  async revokeAllOf(userId: string, keepTokenHash?: string): Promise<void> {
    await this.pool.query(
      'UPDATE sessions SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL AND token_hash <> $2',
      [userId, keepTokenHash ?? ''],
    );
  }

  async createApiKey(input: {
    name: string;
    keyHash: string;
    role: Role;
    districts: string[] | null;
    createdBy: string | null;
  }): Promise<ApiKeyInfo> {
    const row = (
      await this.pool.query(
        'INSERT INTO api_keys (name, key_hash, role, districts, created_by) VALUES ($1, $2, $3, $4, $5) RETURNING *',
        [input.name, input.keyHash, input.role, input.districts, input.createdBy],
      )
    ).rows[0];
    return toKey(row);
  }

  async principalOfApiKey(keyHash: string): Promise<Principal | null> {
    const row = (
      await this.pool.query(
        'UPDATE api_keys SET last_used_at = now() WHERE key_hash = $1 AND revoked_at IS NULL RETURNING id, name, role, districts',
        [keyHash],
      )
    ).rows[0];
    return row ? { kind: 'apiKey', id: row.id, name: row.name, role: row.role, districts: row.districts } : null;
  }

  async listApiKeys(limit: number, offset: number): Promise<{ items: ApiKeyInfo[]; total: number }> {
    const rows = (
      await this.pool.query('SELECT * FROM api_keys ORDER BY created_at DESC LIMIT $1 OFFSET $2', [limit, offset])
    ).rows;
    const total = Number((await this.pool.query('SELECT count(*) AS n FROM api_keys')).rows[0].n);
    return { items: rows.map(toKey), total };
  }

  async revokeApiKey(id: string): Promise<ApiKeyInfo> {
    if (!UUID.test(id)) throw new ApiKeyNotFoundError(`API key ${id} not found`, { field: 'id' });
    const row = (
      await this.pool.query('UPDATE api_keys SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1 RETURNING *', [
        id,
      ])
    ).rows[0];
    if (!row) throw new ApiKeyNotFoundError(`API key ${id} not found`, { field: 'id' });
    return toKey(row);
  }
}

function toKey(row: Record<string, any>): ApiKeyInfo {
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    districts: row.districts,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    revoked: row.revoked_at !== null,
  };
}
