// The access-control pieces every plugin shares (users, sessions and keys, login throttle, password
// hasher, audit trail), built once per app from the pool and the config's auth section.
import type { Pool } from 'pg';
import type { Config } from '../core/config.ts';
import { AuditLog } from '../store/audit.ts';
import { LoginThrottle } from '../store/loginThrottle.ts';
import { SessionStore } from '../store/sessions.ts';
import { UserRepository } from '../store/users.ts';
import { createAuditTrail, type AuditTrail } from './auditTrail.ts';
import { PasswordHasher } from './passwords.ts';

export interface AccessOptions {
  pool: Pool;
  auth: Config['auth'];
  /** Shared so a test can count verifications; one per app otherwise. */
  hasher?: PasswordHasher;
  /** Video access is audited once per actor and camera per this window. */
  accessAuditWindowMs?: number;
}

export interface AccessServices {
  users: UserRepository;
  sessions: SessionStore;
  throttle: LoginThrottle;
  hasher: PasswordHasher;
  auditLog: AuditLog;
  audit: AuditTrail;
  cookieSecure: boolean;
  sessionMaxMs: number;
}

export function createAccessServices(options: AccessOptions): AccessServices {
  const { pool, auth } = options;
  const auditLog = new AuditLog(pool);
  const sessionMaxMs = auth.sessionMaxHours * 3_600_000;
  return {
    users: new UserRepository(pool),
    sessions: new SessionStore(pool, { idleMs: auth.sessionIdleMinutes * 60_000, maxMs: sessionMaxMs }),
    throttle: new LoginThrottle(pool, {
      maxAttempts: auth.loginMaxAttempts,
      windowMs: auth.loginWindowMs,
      lockoutMs: auth.lockoutMs,
    }),
    hasher: options.hasher ?? new PasswordHasher(auth.scryptCost),
    auditLog,
    audit: createAuditTrail({ log: auditLog, accessWindowMs: options.accessAuditWindowMs }),
    cookieSecure: auth.cookieSecure,
    sessionMaxMs,
  };
}
