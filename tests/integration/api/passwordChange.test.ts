// A password someone else chose must be replaced by its owner: the first admin's from config, one an admin
// set at creation or reset. The flag is on the user, answered by /api/auth/me and login, cleared by a change.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureFirstAdmin } from '../../../api/bootstrapAdmin.ts';
import { createLogger } from '../../../core/logger.ts';
import { loadConfig } from '../../../core/config.ts';
import { createTestApp, type TestApp } from '../../support/testApp.ts';

const INITIAL = 'Mat-khau-ban-dau-01';
const OWN = 'Mat-khau-cua-toi-02';

describe('password change', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t?.close());

  const login = (username: string, password: string) =>
    t.app.inject({ method: 'POST', url: '/api/auth/token', payload: { username, password } });

  it('makes a user an admin created change the password before anything else, and clears it once changed', async () => {
    const created = await t.app.inject({ method: 'POST', url: '/api/users', headers: t.admin, payload: { username: 'canhsat.hk', password: INITIAL, role: 'police', districts: ['Hoàn Kiếm'] } });
    expect(created.statusCode).toBe(201);
    expect(created.json().mustChangePassword).toBe(true);
    const first = await login('canhsat.hk', INITIAL);
    expect(first.json().user.mustChangePassword).toBe(true);
    const headers = { authorization: `Bearer ${first.json().token}` };
    expect((await t.app.inject({ url: '/api/auth/me', headers })).json().mustChangePassword).toBe(true);

    const same = await t.app.inject({ method: 'POST', url: '/api/auth/password', headers, payload: { currentPassword: INITIAL, newPassword: INITIAL } });
    expect(same.statusCode).toBe(400);
    expect(same.json().error).toMatchObject({ code: 'IOC_VALIDATION_FAILED', field: 'newPassword' });
    const changed = await t.app.inject({ method: 'POST', url: '/api/auth/password', headers, payload: { currentPassword: INITIAL, newPassword: OWN } });
    expect(changed.statusCode).toBe(204);
    expect((await t.app.inject({ url: '/api/auth/me', headers })).json().mustChangePassword).toBe(false);
    expect((await login('canhsat.hk', OWN)).json().user.mustChangePassword).toBe(false);
  });

  it('sets the flag again when an admin resets the password, not when only the role changes', async () => {
    const user = (await t.app.inject({ url: '/api/users', headers: t.admin })).json().items.find((u: { username: string }) => u.username === 'canhsat.hk');
    const roleOnly = await t.app.inject({ method: 'PATCH', url: `/api/users/${user.id}`, headers: t.admin, payload: { role: 'transport' } });
    expect(roleOnly.json().mustChangePassword).toBe(false);
    const reset = await t.app.inject({ method: 'PATCH', url: `/api/users/${user.id}`, headers: t.admin, payload: { password: INITIAL } });
    expect(reset.json().mustChangePassword).toBe(true);
    expect((await login('canhsat.hk', INITIAL)).json().user.mustChangePassword).toBe(true);
  });

  it('makes the first admin from config change the password at first login', async () => {
    await t.db.pool.query('DELETE FROM users');
    const auth = loadConfig({ env: {}, overrides: { auth: { scryptCost: 1024, bootstrapAdmin: { username: 'quantri', password: 'Khoi-dong-lan-dau-1' } } } }).auth;
    await ensureFirstAdmin(t.access, auth, createLogger({ level: 'silent' }));
    expect((await login('quantri', 'Khoi-dong-lan-dau-1')).json().user).toMatchObject({ role: 'admin', mustChangePassword: true });
  });
});
