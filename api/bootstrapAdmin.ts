// The first admin, created from config (auth.bootstrapAdmin) when the user table is empty. There is no
// built-in default password: an empty store without a configured one refuses to start, and once any
// user exists the configured password is ignored (changing it in config opens nothing).
import type { Config } from '../core/config.ts';
import type { Logger } from '../core/logger.ts';
import { ConfigInvalidError } from '../core/errors.ts';
import type { AccessServices } from './accessServices.ts';

const MIN_PASSWORD_CHARS = 12;

export async function ensureFirstAdmin(services: AccessServices, auth: Config['auth'], logger: Logger): Promise<void> {
  if ((await services.users.count()) > 0) {
    if (auth.bootstrapAdmin.password)
      logger.warn('auth.bootstrapAdmin.password is set but ignored: users exist; remove it from the configuration');
    return;
  }
  const { username, password } = auth.bootstrapAdmin;
  if (!password) {
    throw new ConfigInvalidError(
      'auth.bootstrapAdmin.password: required at first start, when no user exists yet (set IOC_AUTH_BOOTSTRAP_ADMIN_PASSWORD)',
      { field: 'auth.bootstrapAdmin.password' },
    );
  }
  if (password.length < MIN_PASSWORD_CHARS) {
    throw new ConfigInvalidError(`auth.bootstrapAdmin.password: at least ${MIN_PASSWORD_CHARS} characters`, {
      field: 'auth.bootstrapAdmin.password',
    });
  }
  const created = await services.users.createIfNone({
    username,
    passwordHash: await services.hasher.hash(password),
    role: 'admin',
    districts: null,
    mustChangePassword: true,
  });
  if (created) {
    logger.info({ username }, 'first admin created from auth.bootstrapAdmin');
    await services.auditLog.record({
      actorKind: 'system',
      actorId: null,
      actorName: 'system',
      action: 'user.create',
      target: `user:${username}`,
      outcome: 'success',
      ip: null,
      detail: { role: 'admin', districts: null, bootstrap: true },
    });
  }
}
