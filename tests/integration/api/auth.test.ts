import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureFirstAdmin } from '../../../api/bootstrapAdmin.ts';
import { createAccessServices } from '../../../api/accessServices.ts';
import { loadConfig } from '../../../core/config.ts';
import { createLogger } from '../../../core/logger.ts';
import { openTestDatabase } from '../../support/testDatabase.ts';
import { createTestApp, TEST_ADMIN_PASSWORD, TEST_AUTH, type TestApp } from '../../support/testApp.ts';

const PASSWORD = 'Mat-khau-canh-sat-01';

describe('login, sessions, API keys', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t?.close());

  const login = (username: string, password: string, route = 'login') =>
    t.app.inject({ method: 'POST', url: `/api/auth/${route}`, payload: { username, password } });

  it('stores passwords as salted scrypt hashes', async () => {
    const a = await t.hasher.hash(PASSWORD);
    const b = await t.hasher.hash(PASSWORD);
    expect(a).toMatch(/^scrypt\$\d+\$8\$1\$[\w-]+\$[\w-]+$/);
    expect(a).not.toBe(b);
    expect(await t.hasher.verify(PASSWORD, a)).toBe(true);
    expect(await t.hasher.verify(`${PASSWORD}x`, a)).toBe(false);
  });

  it('logs in with a secure, HttpOnly, SameSite=Strict cookie holding an opaque token stored only as its hash', async () => {
    const { username } = await t.loginAs('police', ['Ba Đình'], PASSWORD);
    const response = await login(username, PASSWORD);
    expect(response.statusCode).toBe(200);
    const cookie = String(response.headers['set-cookie']);
    expect(cookie).toMatch(/^ioc_session=[\w-]{43}; /);
    for (const attribute of ['HttpOnly', 'SameSite=Strict', 'Secure', 'Path=/']) expect(cookie).toContain(attribute);
    const token = cookie.split(';')[0]!.split('=')[1]!;
    expect(response.body).not.toContain(token);
    const me = await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: `ioc_session=${token}` } });
    expect(me.json()).toMatchObject({ name: username, role: 'police', districts: ['Ba Đình'] });
    const stored = (await t.db.pool.query('SELECT token_hash FROM sessions')).rows.map((r) => r.token_hash);
    expect(stored).not.toContain(token);
    const dump = JSON.stringify((await t.db.pool.query('SELECT * FROM sessions')).rows);
    expect(dump).not.toContain(token);
  });

  it('revokes a bearer token on logout', async () => {
    const { username } = await t.loginAs('transport', null, PASSWORD);
    const token = (await login(username, PASSWORD, 'token')).json().token;
    const headers = { authorization: `Bearer ${token}` };
    expect((await t.app.inject({ method: 'GET', url: '/api/auth/me', headers })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers })).statusCode).toBe(204);
    const after = await t.app.inject({ method: 'GET', url: '/api/auth/me', headers });
    expect(after.statusCode).toBe(401);
    expect(after.json().error.code).toBe('IOC_AUTH_REQUIRED');
  });

  it('ends sessions idle too long or past their absolute expiry', async () => {
    const idle = await t.loginAs('viewer', null);
    const old = await t.loginAs('viewer', null);
    await t.db.pool.query(
      `UPDATE sessions SET last_seen_at = now() - interval '${TEST_AUTH.sessionIdleMinutes + 1} minutes' WHERE user_id = $1`,
      [idle.userId],
    );
    await t.db.pool.query(`UPDATE sessions SET expires_at = now() - interval '1 second' WHERE user_id = $1`, [
      old.userId,
    ]);
    for (const session of [idle, old]) {
      expect((await t.app.inject({ method: 'GET', url: '/api/cameras', headers: session.headers })).statusCode).toBe(
        401,
      );
    }
  });

  it('refuses the 11th login attempt in a minute without checking the password, then stays locked', async () => {
    const { username } = await t.loginAs('police', null, PASSWORD);
    for (let i = 1; i <= 10; i++) {
      const wrong = await login(username, `wrong-guess-${i}`);
      expect(wrong.statusCode).toBe(401);
      expect(wrong.json().error.code).toBe('IOC_LOGIN_FAILED');
    }
    const checkedBefore = t.hasher.verifications;
    // The right password, 11th in the window: refused, and no hash was computed to refuse it.
    const eleventh = await login(username, PASSWORD);
    expect(eleventh.statusCode).toBe(429);
    expect(eleventh.json().error.code).toBe('IOC_LOGIN_LOCKED');
    expect(Number(eleventh.headers['retry-after'])).toBeGreaterThan(0);
    expect(t.hasher.verifications).toBe(checkedBefore);
    expect((await login(username, PASSWORD, 'token')).statusCode).toBe(429);
    expect(t.hasher.verifications).toBe(checkedBefore);
    // Another account is not affected.
    const other = await t.loginAs('police', null, PASSWORD);
    expect((await login(other.username, PASSWORD)).statusCode).toBe(200);
  });

  it('answers an unknown user like a wrong password, and throttles unknown names too', async () => {
    const unknown = await login('khong-ton-tai', 'whatever-password');
    expect(unknown.statusCode).toBe(401);
    expect(unknown.json().error).toEqual({ code: 'IOC_LOGIN_FAILED', message: 'wrong username or password' });
  });

  it('changes a password: the old one stops working and other sessions end', async () => {
    const first = await t.loginAs('transport', ['Hoàn Kiếm'], PASSWORD);
    const second = await login(first.username, PASSWORD, 'token');
    const otherHeaders = { authorization: `Bearer ${second.json().token}` };
    const wrong = await t.app.inject({
      method: 'POST',
      url: '/api/auth/password',
      headers: first.headers,
      payload: { currentPassword: 'not-it-at-all', newPassword: 'Mat-khau-moi-2026' },
    });
    expect(wrong.statusCode).toBe(401);
    const changed = await t.app.inject({
      method: 'POST',
      url: '/api/auth/password',
      headers: first.headers,
      payload: { currentPassword: PASSWORD, newPassword: 'Mat-khau-moi-2026' },
    });
    expect(changed.statusCode).toBe(204);
    expect((await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: first.headers })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: otherHeaders })).statusCode).toBe(401);
    expect((await login(first.username, PASSWORD)).statusCode).toBe(401);
    expect((await login(first.username, 'Mat-khau-moi-2026')).statusCode).toBe(200);
    const short = await t.app.inject({
      method: 'POST',
      url: '/api/auth/password',
      headers: first.headers,
      payload: { currentPassword: 'Mat-khau-moi-2026', newPassword: 'short' },
    });
    expect(short.statusCode).toBe(400);
  });

  it('ends the sessions of a user an admin disables', async () => {
    const user = await t.loginAs('police', null);
    const disabled = await t.app.inject({
      method: 'PATCH',
      url: `/api/users/${user.userId}`,
      headers: t.admin,
      payload: { disabled: true },
    });
    expect(disabled.json().disabled).toBe(true);
    expect((await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: user.headers })).statusCode).toBe(401);
    expect((await login(user.username, TEST_ADMIN_PASSWORD)).statusCode).toBe(401);
  });

  it('issues API keys once, with role and district scope, and revokes them at once', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/keys',
      headers: t.admin,
      payload: { name: 'Sở GTVT', role: 'transport', districts: ['Cầu Giấy'] },
    });
    expect(created.statusCode).toBe(201);
    const { key, id } = created.json();
    expect(key).toMatch(/^iock_[\w-]{43}$/);
    const listed = await t.app.inject({ method: 'GET', url: '/api/keys', headers: t.admin });
    expect(listed.body).not.toContain(key);
    expect(listed.json().items.find((k: { id: string }) => k.id === id)).toMatchObject({
      role: 'transport',
      districts: ['Cầu Giấy'],
      revoked: false,
    });
    const me = await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { 'x-api-key': key } });
    expect(me.json()).toMatchObject({ kind: 'apiKey', role: 'transport', districts: ['Cầu Giấy'] });
    const bearer = await t.app.inject({
      method: 'GET',
      url: '/api/counts?from=2026-11-25T00:00:00Z&to=2026-11-25T01:00:00Z',
      headers: { authorization: `Bearer ${key}` },
    });
    expect(bearer.statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: '/api/users', headers: { 'x-api-key': key } })).statusCode).toBe(
      403,
    );
    expect((await t.app.inject({ method: 'DELETE', url: `/api/keys/${id}`, headers: t.admin })).statusCode).toBe(204);
    expect((await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { 'x-api-key': key } })).statusCode).toBe(
      401,
    );
    expect(JSON.stringify((await t.db.pool.query('SELECT * FROM api_keys')).rows)).not.toContain(key);
  });
});

describe('the first admin', () => {
  it('is created from config only while no user exists; no configured password works afterwards', async () => {
    const db = await openTestDatabase();
    try {
      const logger = createLogger({ level: 'silent' });
      const auth = (password: string) =>
        loadConfig({
          env: {},
          overrides: { auth: { scryptCost: 1024, bootstrapAdmin: { username: 'quantri', password } } },
        }).auth;
      const services = createAccessServices({ pool: db.pool, auth: auth('') });
      await expect(ensureFirstAdmin(services, auth(''), logger)).rejects.toMatchObject({
        code: 'IOC_CONFIG_INVALID',
        details: { field: 'auth.bootstrapAdmin.password' },
      });
      await expect(ensureFirstAdmin(services, auth('short'), logger)).rejects.toMatchObject({
        code: 'IOC_CONFIG_INVALID',
      });
      await ensureFirstAdmin(services, auth('First-admin-pass-1'), logger);
      const found = await services.users.findForLogin('quantri');
      expect(found?.user).toMatchObject({ role: 'admin', districts: null });
      expect(await services.hasher.verify('First-admin-pass-1', found!.passwordHash)).toBe(true);
      // Restarted with another password in config: nothing changes, the new one opens nothing.
      await ensureFirstAdmin(services, auth('Second-admin-pass-2'), logger);
      expect(await services.users.count()).toBe(1);
      const again = await services.users.findForLogin('quantri');
      expect(await services.hasher.verify('Second-admin-pass-2', again!.passwordHash)).toBe(false);
    } finally {
      await db.drop();
    }
  });
});
