import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, TEST_ADMIN_PASSWORD, type TestApp } from '../../support/testApp.ts';

describe('audit log', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t?.close());

  const audit = async (query = '') =>
    (await t.app.inject({ method: 'GET', url: `/api/audit?limit=1000${query}`, headers: t.admin })).json();

  it('records logins, successful and failed, with who, when and from where', async () => {
    const { username } = await t.loginAs('police', null);
    const from = { remoteAddress: '10.20.30.40' };
    await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username, password: 'not the password' },
      ...from,
    });
    await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username, password: TEST_ADMIN_PASSWORD },
      ...from,
    });
    const { items } = await audit('&action=login');
    const mine = items.filter((e: { target: string }) => e.target === `user:${username}`);
    expect(mine.map((e: { outcome: string }) => e.outcome)).toEqual(['success', 'failure']);
    expect(mine[0]).toMatchObject({ actorKind: 'user', actorName: username, ip: '10.20.30.40' });
    expect(mine[1]).toMatchObject({ actorKind: 'anonymous', actorName: username, ip: '10.20.30.40' });
    expect(Date.now() - Date.parse(mine[0].at)).toBeLessThan(60_000);
  });

  it('records configuration changes of cameras, analysis, users and keys by their author', async () => {
    const camera = (
      await t.app.inject({
        method: 'POST',
        url: '/api/cameras',
        headers: t.admin,
        payload: { name: 'Audit', mainUrl: 'rtsp://u:p4ss-word@h/x', district: 'Tây Hồ' },
      })
    ).json();
    await t.app.inject({
      method: 'PATCH',
      url: `/api/cameras/${camera.id}`,
      headers: t.admin,
      payload: { sampleFps: 3 },
    });
    await t.app.inject({
      method: 'PUT',
      url: `/api/cameras/${camera.id}/analysis`,
      headers: t.admin,
      payload: { widthPx: 960, heightPx: 540, lines: [], zones: [], calibration: null },
    });
    await t.app.inject({ method: 'DELETE', url: `/api/cameras/${camera.id}`, headers: t.admin });
    await t.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: t.admin,
      payload: { username: 'audited', password: 'Mat-khau-dai-2026', role: 'viewer', districts: null },
    });
    await t.app.inject({
      method: 'POST',
      url: '/api/keys',
      headers: t.admin,
      payload: { name: 'audited key', role: 'viewer', districts: null },
    });
    const actions = (await audit()).items
      .filter((e: { actorName: string }) => e.actorName === t.adminSession.username)
      .map((e: { action: string }) => e.action);
    for (const action of [
      'camera.create',
      'camera.update',
      'analysis.update',
      'camera.delete',
      'user.create',
      'apikey.create',
    ])
      expect(actions).toContain(action);
    const update = (await audit('&action=camera.update')).items[0];
    expect(update).toMatchObject({
      target: `camera:${camera.id}`,
      detail: { fields: ['sampleFps'] },
      outcome: 'success',
    });
  });

  it('records video access once per user and camera per window, not per HLS segment', async () => {
    const camera = (
      await t.app.inject({
        method: 'POST',
        url: '/api/cameras',
        headers: t.admin,
        payload: { name: 'Watched', mainUrl: 'rtsp://h/w', district: 'Tây Hồ' },
      })
    ).json();
    await mkdir(join(t.hlsRoot, camera.id), { recursive: true });
    await writeFile(join(t.hlsRoot, camera.id, 'index.m3u8'), '#EXTM3U\n');
    const viewer = await t.loginAs('viewer', ['Tây Hồ']);
    const police = await t.loginAs('police', null);
    for (let i = 0; i < 5; i++)
      await t.app.inject({ method: 'GET', url: `/hls/${camera.id}/index.m3u8`, headers: viewer.headers });
    await t.app.inject({ method: 'GET', url: `/hls/${camera.id}/index.m3u8`, headers: police.headers });
    await t.app.inject({ method: 'GET', url: `/api/cameras/${camera.id}/frame.jpg`, headers: police.headers });
    const entries = (await audit()).items.filter(
      (e: { target: string; action: string }) => e.target === `camera:${camera.id}` && e.action.endsWith('.access'),
    );
    expect(entries.map((e: { actorName: string; action: string }) => `${e.actorName} ${e.action}`).sort()).toEqual(
      [`${police.username} frame.access`, `${police.username} video.access`, `${viewer.username} video.access`].sort(),
    );
  });

  it('pages through a time range, newest first, and limits the range', async () => {
    const all = await audit();
    expect(all.total).toBeGreaterThan(4);
    const first = (await t.app.inject({ method: 'GET', url: '/api/audit?limit=2&offset=0', headers: t.admin })).json();
    const second = (await t.app.inject({ method: 'GET', url: '/api/audit?limit=2&offset=2', headers: t.admin })).json();
    expect([...first.items, ...second.items].map((e: { id: string }) => e.id)).toEqual(
      all.items.slice(0, 4).map((e: { id: string }) => e.id),
    );
    expect(Date.parse(first.items[0].at)).toBeGreaterThanOrEqual(Date.parse(first.items[1].at));
    const past = (
      await t.app.inject({
        method: 'GET',
        url: '/api/audit?from=2020-01-01T00:00:00Z&to=2020-01-02T00:00:00Z',
        headers: t.admin,
      })
    ).json();
    expect(past).toEqual({ items: [], total: 0 });
    const tooLong = await t.app.inject({
      method: 'GET',
      url: '/api/audit?from=2020-01-01T00:00:00Z&to=2021-01-01T00:00:00Z',
      headers: t.admin,
    });
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.json().error).toMatchObject({ code: 'IOC_VALIDATION_FAILED', field: 'from' });
    expect((await t.app.inject({ method: 'GET', url: '/api/audit?limit=100000', headers: t.admin })).statusCode).toBe(
      400,
    );
  });
});
