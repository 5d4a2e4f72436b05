// No API response, log line or audit entry carries a password, a session token, an API key or a camera
// credential: a whole working session of an admin, a police officer and an integrator is replayed, every
// response kept, and then responses, captured logs and the audit table are searched for each secret.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { createTestApp, type TestApp } from '../../support/testApp.ts';

const CAMERA_PASSWORD = 'Cam-Pa55.word';
const SUB_PASSWORD = 'Sub-Str3am!pw';
const USER_PASSWORD = 'Canh-sat-Hoan-Kiem-7';
const NEW_PASSWORD = 'Mat-khau-moi-Hoan-Kiem-8';
const WRONG_GUESS = 'Guess-wrong-123456';
const PASSWORD_AS_NAME = 'typed-my-pass-in-name-9';

describe('secrets never leave', () => {
  let t: TestApp;
  const responses: Array<{ label: string; response: LightMyRequestResponse }> = [];
  /** Secrets handed out once on purpose, each with the one response allowed to carry it. */
  const issued: Array<{ secret: string; by: string }> = [];

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t?.close());

  async function call(label: string, options: InjectOptions) {
    const response = await t.app.inject(options);
    responses.push({ label, response });
    return response;
  }

  it('keeps every secret out of responses, logs and the audit log', async () => {
    const admin = t.admin;
    const camera = (
      await call('create camera', {
        method: 'POST',
        url: '/api/cameras',
        headers: admin,
        payload: {
          name: 'Hồ Gươm',
          mainUrl: `rtsp://admin:${CAMERA_PASSWORD}@10.1.1.1:554/main`,
          subUrl: `rtsp://viewer:${SUB_PASSWORD}@10.1.1.1:554/sub`,
          district: 'Hoàn Kiếm',
        },
      })
    ).json();
    await call('patch camera', {
      method: 'PATCH',
      url: `/api/cameras/${camera.id}`,
      headers: admin,
      payload: { mainUrl: camera.mainUrl, sampleFps: 2 },
    });
    await call('bad camera', {
      method: 'POST',
      url: '/api/cameras',
      headers: admin,
      payload: { name: 'Bad', mainUrl: `http://admin:${CAMERA_PASSWORD}@10.1.1.1/`, district: 'x' },
    });
    await call('get camera', { method: 'GET', url: `/api/cameras/${camera.id}`, headers: admin });
    await call('list cameras', { method: 'GET', url: '/api/cameras', headers: admin });

    const user = (
      await call('create user', {
        method: 'POST',
        url: '/api/users',
        headers: admin,
        payload: { username: 'cs-hoankiem', password: USER_PASSWORD, role: 'police', districts: ['Hoàn Kiếm'] },
      })
    ).json();
    await call('wrong password', {
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'cs-hoankiem', password: WRONG_GUESS },
    });
    await call('password as name', {
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: PASSWORD_AS_NAME, password: USER_PASSWORD },
    });
    const login = await call('login', {
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'cs-hoankiem', password: USER_PASSWORD },
    });
    const cookieToken = String(login.headers['set-cookie']).split(';')[0]!.split('=')[1]!;
    issued.push({ secret: cookieToken, by: 'login' });
    const tokenResponse = await call('token', {
      method: 'POST',
      url: '/api/auth/token',
      payload: { username: 'cs-hoankiem', password: USER_PASSWORD },
    });
    const bearer = tokenResponse.json().token as string;
    issued.push({ secret: bearer, by: 'token' });
    const police = { authorization: `Bearer ${bearer}` };
    await call('me', { method: 'GET', url: '/api/auth/me', headers: police });
    await call('police cameras', {
      method: 'GET',
      url: '/api/cameras',
      headers: { cookie: `ioc_session=${cookieToken}` },
    });
    await call('password change', {
      method: 'POST',
      url: '/api/auth/password',
      headers: police,
      payload: { currentPassword: USER_PASSWORD, newPassword: NEW_PASSWORD },
    });
    await call('logout', { method: 'POST', url: '/api/auth/logout', headers: police });
    await call('after logout', { method: 'GET', url: '/api/auth/me', headers: police });
    await call('admin resets password', {
      method: 'PATCH',
      url: `/api/users/${user.id}`,
      headers: admin,
      payload: { password: `${NEW_PASSWORD}-x` },
    });
    await call('users', { method: 'GET', url: '/api/users', headers: admin });

    const created = await call('create key', {
      method: 'POST',
      url: '/api/keys',
      headers: admin,
      payload: { name: 'Sở GTVT', role: 'transport', districts: null },
    });
    const key = created.json().key as string;
    issued.push({ secret: key, by: 'create key' });
    await call('use key', {
      method: 'GET',
      url: '/api/counts?from=2026-11-25T00:00:00Z&to=2026-11-25T01:00:00Z',
      headers: { 'x-api-key': key },
    });
    await call('keys', { method: 'GET', url: '/api/keys', headers: admin });
    await call('revoke key', { method: 'DELETE', url: `/api/keys/${created.json().id}`, headers: admin });
    await call('revoked key', { method: 'GET', url: '/api/auth/me', headers: { 'x-api-key': key } });
    await call('metrics', { method: 'GET', url: '/metrics', headers: admin });
    await call('audit', { method: 'GET', url: '/api/audit?limit=1000', headers: admin });

    const secrets = [
      CAMERA_PASSWORD,
      SUB_PASSWORD,
      USER_PASSWORD,
      NEW_PASSWORD,
      WRONG_GUESS,
      PASSWORD_AS_NAME,
      t.adminSession.token,
      cookieToken,
      bearer,
      key,
    ];
    const forms = (secret: string) => [secret, encodeURIComponent(secret)];
    const leaks: string[] = [];
    for (const { label, response } of responses) {
      const text = `${response.body}\n${JSON.stringify(response.headers)}`;
      for (const secret of secrets) {
        if (issued.some((i) => i.secret === secret && i.by === label)) continue;
        if (forms(secret).some((form) => text.includes(form)))
          leaks.push(`response "${label}" carries ${secret.slice(0, 6)}…`);
      }
    }
    const logs = t.logs.text();
    expect(t.logs.lines.length).toBeGreaterThan(20);
    const audit = JSON.stringify((await t.db.pool.query('SELECT * FROM audit_log')).rows);
    expect(audit).toContain('login');
    for (const secret of secrets) {
      if (forms(secret).some((form) => logs.includes(form))) leaks.push(`a log line carries ${secret.slice(0, 6)}…`);
      if (forms(secret).some((form) => audit.includes(form)))
        leaks.push(`an audit entry carries ${secret.slice(0, 6)}…`);
    }
    expect(leaks).toEqual([]);
  });
});
