// Login attempts per account name within a window, reserved BEFORE the password is checked, so however
// many guesses arrive at once only `maxAttempts` of them are ever verified; past that the account locks.
import type { Pool } from 'pg';

export interface ThrottleLimits {
  maxAttempts: number;
  windowMs: number;
  lockoutMs: number;
}

export type AttemptVerdict = { allowed: true } | { allowed: false; lockedUntil: Date };

export class LoginThrottle {
  constructor(
    private readonly pool: Pool,
    private readonly limits: ThrottleLimits,
  ) {}

  /** Takes one attempt slot atomically; refused (unchecked) while locked or once the window's slots are used. */
  async reserve(username: string): Promise<AttemptVerdict> {
    const { maxAttempts, windowMs, lockoutMs } = this.limits;
    const row = (
      await this.pool.query<{ attempts: number; locked_until: Date | null }>(
        `INSERT INTO login_throttle AS t (username, window_start, attempts) VALUES ($1, now(), 1)
         ON CONFLICT (username) DO UPDATE SET
           attempts = CASE WHEN t.locked_until > now() THEN t.attempts
                           WHEN t.window_start > now() - make_interval(secs => $2) THEN t.attempts + 1 ELSE 1 END,
           window_start = CASE WHEN t.locked_until > now() OR t.window_start > now() - make_interval(secs => $2)
                               THEN t.window_start ELSE now() END,
           locked_until = CASE WHEN t.locked_until > now() THEN t.locked_until
                               WHEN t.window_start > now() - make_interval(secs => $2) AND t.attempts + 1 > $3
                               THEN now() + make_interval(secs => $4) ELSE NULL END
         RETURNING attempts, locked_until`,
        [username, windowMs / 1000, maxAttempts, lockoutMs / 1000],
      )
    ).rows[0]!;
    if (row.locked_until && row.locked_until.getTime() > Date.now())
      return { allowed: false, lockedUntil: row.locked_until };
    return { allowed: true };
  }

  /** A right password clears the account's attempts. */
  async clear(username: string): Promise<void> {
    await this.pool.query('DELETE FROM login_throttle WHERE username = $1', [username]);
  }
}
