// Settings of `auth` (one section of core/config.ts's schema).

import Type from 'typebox';
import { strict } from './strict.ts';

export const AuthConfigSchema = Type.Object(
  {
    /**
     * The first admin, created only when no user exists yet (first start); ignored afterwards, so no
     * configured or default password works once users exist. Start-up refuses an empty store without it.
     */
    bootstrapAdmin: Type.Object(
      {
        username: Type.String({ pattern: '^[a-z0-9][a-z0-9._-]{2,63}$', default: 'admin' }),
        /** Required at first start (env IOC_AUTH_BOOTSTRAP_ADMIN_PASSWORD); '' otherwise. */
        password: Type.String({ maxLength: 256, default: '' }),
      },
      { ...strict, default: {} },
    ),
    /** scrypt N (memory ≈ 128·N·r bytes: 16384 → 16 MiB per hash). Tests lower it; production keeps ≥ 16384. */
    scryptCost: Type.Integer({ minimum: 1024, maximum: 1048576, default: 32768 }),
    /** A session unused this long ends. */
    sessionIdleMinutes: Type.Integer({ minimum: 1, maximum: 1440, default: 30 }),
    /** A session ends this long after login, however active. */
    sessionMaxHours: Type.Integer({ minimum: 1, maximum: 720, default: 12 }),
    /** Secure attribute on the session cookie; off only for plain-http test rigs. */
    cookieSecure: Type.Boolean({ default: true }),
    /** Login attempts per account within loginWindowMs; the next one is refused unchecked and locks the account. */
    loginMaxAttempts: Type.Integer({ minimum: 1, maximum: 1000, default: 10 }),
    loginWindowMs: Type.Integer({ minimum: 1000, maximum: 3600000, default: 60000 }),
    /** How long an account stays locked after too many attempts. */
    lockoutMs: Type.Integer({ minimum: 1000, maximum: 86400000, default: 900000 }),
  },
  { ...strict, default: {} },
);
