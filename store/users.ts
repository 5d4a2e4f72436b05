// User rows ↔ the User value. The password hash never leaves this file except to the verifier.
import type { Pool } from 'pg';
import type { Role } from '../core/access.ts';
import { UserNameTakenError, UserNotFoundError } from '../core/errors.ts';

export interface User {
  id: string;
  username: string;
  role: Role;
  districts: string[] | null;
  disabled: boolean;
  /** The password was set by someone else (bootstrap, an admin): its owner must change it first. */
  mustChangePassword: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export interface UserInput {
  username: string;
  passwordHash: string;
  role: Role;
  districts: string[] | null;
  /** Default false; true for a password an admin or the config chose. */
  mustChangePassword?: boolean;
}

export interface UserPatch {
  role?: Role;
  districts?: string[] | null;
  disabled?: boolean;
  passwordHash?: string;
  mustChangePassword?: boolean;
}

interface UserRow {
  id: string;
  username: string;
  password_hash: string;
  role: Role;
  districts: string[] | null;
  disabled: boolean;
  must_change_password: boolean;
  created_at: Date;
  updated_at: Date;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function toUser(row: UserRow): User {
  return {
    id: row.id,
    username: row.username,
    role: row.role,
    districts: row.districts,
    disabled: row.disabled,
    mustChangePassword: row.must_change_password,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export class UserRepository {
  constructor(private readonly pool: Pool) {}

  async count(): Promise<number> {
    return Number((await this.pool.query<{ n: string }>('SELECT count(*) AS n FROM users')).rows[0]!.n);
  }

  /** Creates the first user only while there is none (several API processes may start at once). */
  async createIfNone(input: UserInput): Promise<User | null> {
    const result = await this.pool.query<UserRow>(
      `INSERT INTO users (username, password_hash, role, districts, must_change_password)
       SELECT $1, $2, $3, $4, $5 WHERE NOT EXISTS (SELECT 1 FROM users)
       ON CONFLICT (username) DO NOTHING RETURNING *`,
      [input.username, input.passwordHash, input.role, input.districts, input.mustChangePassword ?? false],
    );
    return result.rows[0] ? toUser(result.rows[0]) : null;
  }

  async create(input: UserInput): Promise<User> {
    try {
      const result = await this.pool.query<UserRow>(
        'INSERT INTO users (username, password_hash, role, districts, must_change_password) VALUES ($1, $2, $3, $4, $5) RETURNING *',
        [input.username, input.passwordHash, input.role, input.districts, input.mustChangePassword ?? false],
      );
      return toUser(result.rows[0]!);
    } catch (err) {
      if ((err as { code?: string }).code === '23505')
        throw new UserNameTakenError(`a user named "${input.username}" already exists`, { field: 'username' });
      throw err;
    }
  }

  async list(limit: number, offset: number): Promise<{ items: User[]; total: number }> {
    const rows = await this.pool.query<UserRow>('SELECT * FROM users ORDER BY username LIMIT $1 OFFSET $2', [
      limit,
      offset,
    ]);
    return { items: rows.rows.map(toUser), total: await this.count() };
  }

  async get(id: string): Promise<User> {
    return toUser(await this.row(id));
  }

  /** The user and its password hash, for login; null when the name is unknown. */
  async findForLogin(username: string): Promise<{ user: User; passwordHash: string } | null> {
    const row = (await this.pool.query<UserRow>('SELECT * FROM users WHERE username = $1', [username])).rows[0];
    return row ? { user: toUser(row), passwordHash: row.password_hash } : null;
  }

  async passwordHashOf(id: string): Promise<string> {
    return (await this.row(id)).password_hash;
  }

  async update(id: string, patch: UserPatch): Promise<User> {
    const current = await this.row(id);
    const result = await this.pool.query<UserRow>(
      `UPDATE users SET role = $2, districts = $3, disabled = $4, password_hash = $5, updated_at = now(),
         password_changed_at = CASE WHEN $5 <> password_hash THEN now() ELSE password_changed_at END,
         must_change_password = $6
       WHERE id = $1 RETURNING *`,
      [
        id,
        patch.role ?? current.role,
        patch.districts === undefined ? current.districts : patch.districts,
        patch.disabled ?? current.disabled,
        patch.passwordHash ?? current.password_hash,
        patch.mustChangePassword ?? current.must_change_password,
      ],
    );
    return toUser(result.rows[0]!);
  }

  async remove(id: string): Promise<void> {
    await this.row(id);
    await this.pool.query('DELETE FROM users WHERE id = $1', [id]);
  }

  private async row(id: string): Promise<UserRow> {
    if (!UUID.test(id)) throw new UserNotFoundError(`user ${id} not found`, { field: 'id' });
    const row = (await this.pool.query<UserRow>('SELECT * FROM users WHERE id = $1', [id])).rows[0];
    if (!row) throw new UserNotFoundError(`user ${id} not found`, { field: 'id' });
    return row;
  }
}
