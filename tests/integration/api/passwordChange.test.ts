// A password someone else chose must be replaced by its owner: the first admin's from config, one an admin
// set at creation or reset. The flag is on the user, answered by /api/auth/me and login, cleared by a change;
// until then the API itself refuses everything but the change, who-am-I, logout, login and health.
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureFirstAdmin } from '../../../api/bootstrapAdmin.ts';
import { createLogger } from '../../../core/logger.ts';
import { loadConfig } from '../../../core/config.ts';
import { createTestApp, type TestApp } from '../../support/testApp.ts';

const INITIAL = 'Mat-khau-ban-dau-01';
const OWN = 'Mat-khau-cua-toi-02';
const MISSING_ID = '6f1c9a52-5a1e-4d7e-9a0e-2b8f3c1d4e5f';

/** Every route the API documents, as `METHOD /path` with its path parameters filled in. */
function documentedRoutes(t: TestApp): Array<{ route: string; method: string; url: string }> {
  const doc = t.app.swagger() as { paths: Record<string, Record<string, unknown>> };
  return Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.keys(ops).map((m) => ({
      route: `${m.toUpperCase()} ${path}`,
      method: m.toUpperCase(),
      url: path.replace(/\{(\w+)\}/g, (_all, name: string) =>
        name === 'name' ? 'Ba%20%C4%90%C3%ACnh' : name === 'segment' ? 'seg0.ts' : MISSING_ID,
      ),
    })),
  );
}

/** Routes a user who must change the password may still call: anything public, and these three. */
const OPEN_BEFORE_CHANGE = ['POST /api/auth/password', 'GET /api/auth/me', 'POST /api/auth/logout'];

describe('password change', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t?.close());

  const login = (username: string, password: string) =>
    t.app.inject({ method: 'POST', url: '/api/auth/token', payload: { username, password } });

  it('makes a user an admin created change the password before anything else, and clears it once changed', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: t.admin,
      payload: { username: 'canhsat.hk', password: INITIAL, role: 'police', districts: ['Hoàn Kiếm'] },
    });
    expect(created.statusCode).toBe(201);
    expect(created.json().mustChangePassword).toBe(true);
    const first = await login('canhsat.hk', INITIAL);
    expect(first.json().user.mustChangePassword).toBe(true);
    const headers = { authorization: `Bearer ${first.json().token}` };
    expect((await t.app.inject({ url: '/api/auth/me', headers })).json().mustChangePassword).toBe(true);

    const same = await t.app.inject({
      method: 'POST',
      url: '/api/auth/password',
      headers,
      payload: { currentPassword: INITIAL, newPassword: INITIAL },
    });
    expect(same.statusCode).toBe(400);
    expect(same.json().error).toMatchObject({ code: 'IOC_VALIDATION_FAILED', field: 'newPassword' });
    const changed = await t.app.inject({
      method: 'POST',
      url: '/api/auth/password',
      headers,
      payload: { currentPassword: INITIAL, newPassword: OWN },
    });
    expect(changed.statusCode).toBe(204);
    expect((await t.app.inject({ url: '/api/auth/me', headers })).json().mustChangePassword).toBe(false);
    expect((await login('canhsat.hk', OWN)).json().user.mustChangePassword).toBe(false);
  });

  it('sets the flag again when an admin resets the password, not when only the role changes', async () => {
    const user = (await t.app.inject({ url: '/api/users', headers: t.admin }))
      .json()
      .items.find((u: { username: string }) => u.username === 'canhsat.hk');
    const roleOnly = await t.app.inject({
      method: 'PATCH',
      url: `/api/users/${user.id}`,
      headers: t.admin,
      payload: { role: 'transport' },
    });
    expect(roleOnly.json().mustChangePassword).toBe(false);
    const reset = await t.app.inject({
      method: 'PATCH',
      url: `/api/users/${user.id}`,
      headers: t.admin,
      payload: { password: INITIAL },
    });
    expect(reset.json().mustChangePassword).toBe(true);
    expect((await login('canhsat.hk', INITIAL)).json().user.mustChangePassword).toBe(true);
  });

  it('refuses every other API route to a session whose password must change, with IOC_PASSWORD_CHANGE_REQUIRED', async () => {
    const admin = (
      await t.app.inject({
        method: 'POST',
        url: '/api/users',
        headers: t.admin,
        payload: { username: 'quantri.moi', password: INITIAL, role: 'admin', districts: null },
      })
    ).json();
    expect(admin.mustChangePassword).toBe(true);
    const bearer = { authorization: `Bearer ${(await login('quantri.moi', INITIAL)).json().token}` };
    const cookieLogin = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'quantri.moi', password: INITIAL },
    });
    const cookie = { cookie: String(cookieLogin.headers['set-cookie']).split(';')[0]! };
    const routes = documentedRoutes(t);
    expect(routes.length).toBeGreaterThan(40);
    const held: string[] = [];
    const open: string[] = [];
    for (const { route, method, url } of routes) {
      if (route === 'POST /api/auth/password' || route === 'POST /api/auth/logout') continue; // called below, on purpose
      const payload = ['POST', 'PUT', 'PATCH'].includes(method) ? {} : undefined;
      const response = await t.app.inject({ method: method as 'GET', url, headers: bearer, payload });
      if (response.statusCode === 403 && response.json().error.code === 'IOC_PASSWORD_CHANGE_REQUIRED')
        held.push(route);
      else open.push(`${route} ${response.statusCode}`);
    }
    // Nothing but who-am-I and the public routes (login, health, readiness, the MQTT document) answered.
    expect(open.map((r) => r.replace(/ \d+$/, '')).sort()).toEqual(
      [
        'GET /api/auth/me',
        'POST /api/auth/login',
        'POST /api/auth/token',
        'GET /health',
        'GET /ready',
        'GET /asyncapi.json',
      ].sort(),
    );
    expect(held).toEqual(
      expect.arrayContaining([
        'GET /api/cameras/',
        'POST /api/cameras/',
        'GET /api/users/',
        'GET /api/alerts/',
        'GET /hls/{cameraId}/{file}',
        'GET /metrics',
      ]),
    );
    // The refusal says what to do and names no field; a page's cookie session is held back the same way.
    const refused = await t.app.inject({ url: '/api/cameras', headers: cookie });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.code).toBe('IOC_PASSWORD_CHANGE_REQUIRED');
    expect(refused.json().error.message).toMatch(/change your password/);
    await expect(t.app.injectWS('/api/live', { headers: bearer })).rejects.toThrow(/403/);
    // Static pages (the login and password pages above all) are served to anyone.
    for (const page of ['/login.html', '/password.html', '/password.js', '/nav.js']) {
      expect((await t.app.inject({ url: page, headers: cookie })).statusCode, page).toBe(200);
    }

    // Changing it opens everything, for this session; logout works before the change too (the cookie one).
    expect((await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: cookie })).statusCode).toBe(204);
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: '/api/auth/password',
          headers: bearer,
          payload: { currentPassword: INITIAL, newPassword: OWN },
        })
      ).statusCode,
    ).toBe(204);
    expect((await t.app.inject({ url: '/api/cameras', headers: bearer })).statusCode).toBe(200);
    expect((await t.app.inject({ url: '/api/users', headers: bearer })).statusCode).toBe(200);
  });

  it('ends the socket of a live subscription it refuses over a real connection', async () => {
    await t.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: t.admin,
      payload: { username: 'canhsat.bd', password: INITIAL, role: 'police', districts: ['Ba Đình'] },
    });
    const token = (await login('canhsat.bd', INITIAL)).json().token;
    const address = await t.app.listen({ host: '127.0.0.1', port: 0 });
    // A refused upgrade left open would hold the server's close for ever (a browser's page left it so).
    const outcome = await new Promise<{ status: number; closedMs: number }>((resolve, reject) => {
      const upgrade = httpRequest(`${address}/api/live`, {
        headers: {
          authorization: `Bearer ${token}`,
          connection: 'Upgrade',
          upgrade: 'websocket',
          'sec-websocket-version': '13',
          'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
        },
      });
      upgrade.on('upgrade', () => reject(new Error('the live subscription was accepted')));
      upgrade.on('response', (response) => {
        const answeredAt = Date.now();
        response.resume();
        response.socket.on('close', () => resolve({ status: response.statusCode!, closedMs: Date.now() - answeredAt }));
      });
      upgrade.on('error', reject);
      upgrade.end();
      setTimeout(() => reject(new Error('the refused socket was never closed')), 5000).unref();
    });
    expect(outcome.status).toBe(403);
    expect(outcome.closedMs).toBeLessThan(1000);
  });

  it('holds back the next login after an admin resets a password, audits the refusal, and never holds back an API key', async () => {
    const officer = await t.loginAs('police', ['Hoàn Kiếm']);
    expect((await t.app.inject({ url: '/api/cameras', headers: officer.headers })).statusCode).toBe(200);
    const reset = await t.app.inject({
      method: 'PATCH',
      url: `/api/users/${officer.userId}`,
      headers: t.admin,
      payload: { password: INITIAL },
    });
    expect(reset.json().mustChangePassword).toBe(true);
    // The reset ended the sessions open before it.
    expect((await t.app.inject({ url: '/api/cameras', headers: officer.headers })).statusCode).toBe(401);
    const flagged = await login(officer.username, INITIAL);
    const headers = { authorization: `Bearer ${flagged.json().token}` };
    expect((await t.app.inject({ url: '/api/alerts', headers })).json().error.code).toBe(
      'IOC_PASSWORD_CHANGE_REQUIRED',
    );
    // The refusal is in the audit log like every other 403.
    const audit = (
      await t.app.inject({ url: `/api/audit?actor=${officer.username}&limit=50`, headers: t.admin })
    ).json().items;
    expect(audit).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          action: 'access.refused',
          target: 'GET /api/alerts',
          detail: expect.objectContaining({ code: 'IOC_PASSWORD_CHANGE_REQUIRED' }),
        }),
      ]),
    );

    const key = (
      await t.app.inject({
        method: 'POST',
        url: '/api/keys',
        headers: t.admin,
        payload: { name: 'Trung tâm điều hành', role: 'police', districts: ['Hoàn Kiếm'] },
      })
    ).json().key;
    expect((await t.app.inject({ url: '/api/cameras', headers: { 'x-api-key': key } })).statusCode).toBe(200);
    expect((await t.app.inject({ url: '/api/alerts', headers: { authorization: `Bearer ${key}` } })).statusCode).toBe(
      200,
    );
  });

  it('makes the first admin from config change the password at first login', async () => {
    await t.db.pool.query('DELETE FROM users');
    const auth = loadConfig({
      env: {},
      overrides: {
        auth: { scryptCost: 1024, bootstrapAdmin: { username: 'quantri', password: 'Khoi-dong-lan-dau-1' } },
      },
    }).auth;
    await ensureFirstAdmin(t.access, auth, createLogger({ level: 'silent' }));
    expect((await login('quantri', 'Khoi-dong-lan-dau-1')).json().user).toMatchObject({
      role: 'admin',
      mustChangePassword: true,
    });
  });
});
