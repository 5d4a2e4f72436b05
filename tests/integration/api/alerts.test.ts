// The alerts API on a real PostgreSQL and Redis: the list scoped to the caller's districts and filtered,
// lifecycle actions with their audit entries and 409s, the snapshot, the clip (and no way out of its
// folder), the camera's alert rules, and a state change pushed to the consoles of its district only.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertSignal } from '../../../core/alerts.ts';
import { AlertStore } from '../../../store/alerts.ts';
import { CameraRepository } from '../../../store/cameras.ts';
import { CameraAnalysisRepository } from '../../../store/cameraAnalysis.ts';
import { waitFor } from '../../support/systemHarness.ts';
import { createTestApp, type TestApp } from '../../support/testApp.ts';

const OWN = 'Ba Đình';
const OTHER = 'Đống Đa';
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0xff, 0xd9]);

describe('alerts API', () => {
  let t: TestApp;
  let store: AlertStore;
  const cameras: Record<string, { id: string; name: string; district: string }> = {};
  let n = 0;

  beforeAll(async () => {
    t = await createTestApp();
    await t.app.ready();
    store = new AlertStore(t.db.pool);
    const repository = new CameraRepository(t.db.pool);
    for (const district of [OWN, OTHER]) {
      const camera = await repository.create({
        name: `Cam ${district}`,
        mainUrl: 'rtsp://h/x',
        district,
        sampleFps: 5,
      });
      cameras[district] = { id: camera.id, name: camera.name, district };
    }
  });
  afterAll(async () => t?.close());

  async function raise(district: string, extra: Partial<AlertSignal> = {}): Promise<string> {
    const camera = cameras[district]!;
    const subject = `track:${++n}`;
    const nowMs = Date.now();
    const [change] = await store.applySignals(camera, [
      {
        kind: 'raise',
        key: `${camera.id}:gate:${subject}`,
        cameraId: camera.id,
        ruleId: 'gate',
        type: 'intrusion',
        severity: 'critical',
        subject,
        startedAtMs: nowMs,
        atMs: nowMs,
        summary: 'Person in restricted zone',
        details: { className: 'person' },
        ...extra,
      },
    ]);
    return change!.alert.id;
  }

  it("lists the alerts of the caller's districts only, whatever the query asks, with filters", async () => {
    const own = await raise(OWN);
    const ownCrowd = await raise(OWN, { type: 'crowd', severity: 'warning' });
    const other = await raise(OTHER);
    const { headers } = await t.loginAs('police', [OWN]);
    const ids = async (query = '') =>
      (await t.app.inject({ method: 'GET', url: `/api/alerts?limit=500${query}`, headers }))
        .json()
        .items.map((a: { id: string }) => a.id);
    expect(await ids()).toEqual(expect.arrayContaining([own, ownCrowd]));
    expect(await ids()).not.toContain(other);
    expect(await ids(`&district=${encodeURIComponent(OTHER)}`)).toEqual([]);
    expect(await ids(`&cameraId=${cameras[OTHER]!.id}`)).toEqual([]);
    expect(await ids('&type=crowd')).toEqual([ownCrowd]);
    expect(await ids('&severity=warning&state=new&active=true')).toEqual([ownCrowd]);
    expect(await ids('&active=false')).toEqual([]);
    const province = (await t.app.inject({ method: 'GET', url: '/api/alerts?limit=500', headers: t.admin })).json();
    expect(province.items.map((a: { id: string }) => a.id)).toEqual(expect.arrayContaining([own, other]));
    expect(province.total).toBeGreaterThanOrEqual(3);
    expect(province.items.find((a: { id: string }) => a.id === own)).toMatchObject({
      cameraId: cameras[OWN]!.id,
      cameraName: `Cam ${OWN}`,
      district: OWN,
      type: 'intrusion',
      severity: 'critical',
      state: 'new',
      active: true,
      details: { className: 'person' },
      hasSnapshot: false,
      clipState: 'pending',
      occurrences: 1,
      assignee: null,
      endedAt: null,
    });
    const old = await t.app.inject({
      method: 'GET',
      url: '/api/alerts?from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z',
      headers,
    });
    expect(old.json()).toEqual({ items: [], total: 0 });
    const tooLong = await t.app.inject({
      method: 'GET',
      url: '/api/alerts?from=2026-01-01T00:00:00Z&to=2026-03-01T00:00:00Z',
      headers,
    });
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.json().error).toMatchObject({ code: 'IOC_VALIDATION_FAILED', field: 'from' });
    expect((await t.app.inject({ method: 'GET', url: '/api/alerts?state=open', headers })).statusCode).toBe(400);
  });

  it("answers another district's alert exactly like a missing one", async () => {
    const other = await raise(OTHER);
    const { headers } = await t.loginAs('police', [OWN]);
    const response = await t.app.inject({ method: 'GET', url: `/api/alerts/${other}`, headers });
    expect(response.statusCode).toBe(404);
    expect(response.json().error.code).toBe('IOC_ALERT_NOT_FOUND');
    const acknowledged = await t.app.inject({
      method: 'POST',
      url: `/api/alerts/${other}/acknowledge`,
      headers,
      payload: {},
    });
    expect(acknowledged.statusCode).toBe(404);
    expect((await store.get(other)).state).toBe('new');
  });

  it("walks an alert through its lifecycle, each step in the audit log and the alert's history", async () => {
    const id = await raise(OWN);
    const police = await t.loginAs('police', [OWN]);
    const post = (action: string, payload: object) =>
      t.app.inject({ method: 'POST', url: `/api/alerts/${id}/${action}`, headers: police.headers, payload });
    expect((await post('acknowledge', { note: 'on my way' })).json()).toMatchObject({ id, state: 'acknowledged' });
    expect((await post('acknowledge', {})).statusCode).toBe(409);
    expect((await post('assign', { assignee: 'patrol-7' })).json().assignee).toBe('patrol-7');
    expect((await post('notes', { note: 'patrol arrived' })).statusCode).toBe(200);
    const noReason = await post('dismiss', {});
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().error.field).toBe('reason');
    expect((await post('resolve', { note: 'people moved on' })).json()).toMatchObject({
      state: 'resolved',
      resolutionNote: 'people moved on',
    });
    const final = await post('dismiss', { reason: 'too late' });
    expect(final.statusCode).toBe(409);
    expect(final.json().error).toMatchObject({ code: 'IOC_ALERT_TRANSITION_INVALID' });
    expect(final.json().error.message).toMatch(/final/);

    const detail = (await t.app.inject({ method: 'GET', url: `/api/alerts/${id}`, headers: police.headers })).json();
    expect(detail.alert.state).toBe('resolved');
    expect(detail.history.map((h: { actor: string; action: string }) => `${h.actor}:${h.action}`)).toEqual([
      'system:raised',
      `${police.username}:acknowledged`,
      `${police.username}:assigned`,
      `${police.username}:noted`,
      `${police.username}:resolved`,
    ]);
    expect(detail.deliveries).toEqual([]);
    const audit = (
      await t.app.inject({ method: 'GET', url: `/api/audit?actor=${police.username}&limit=100`, headers: t.admin })
    ).json().items;
    const steps = audit
      .filter((e: { target: string }) => e.target === `alert:${id}`)
      .map((e: { action: string; outcome: string; ip: string | null }) => `${e.action}:${e.outcome}:${e.ip !== null}`);
    expect(steps.sort()).toEqual([
      'alert.acknowledge:success:true',
      'alert.assign:success:true',
      'alert.note:success:true',
      'alert.resolve:success:true',
    ]);
  });

  it('lets transport staff read alerts but not act on them or see the evidence', async () => {
    const id = await raise(OWN, { type: 'congestion', severity: 'info' });
    const { headers } = await t.loginAs('transport', [OWN]);
    expect((await t.app.inject({ method: 'GET', url: `/api/alerts/${id}`, headers })).statusCode).toBe(200);
    expect(
      (await t.app.inject({ method: 'POST', url: `/api/alerts/${id}/acknowledge`, headers, payload: {} })).statusCode,
    ).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: `/api/alerts/${id}/snapshot.jpg`, headers })).statusCode).toBe(
      403,
    );
  });

  it('serves the snapshot as a JPEG and records who looked', async () => {
    const id = await raise(OWN);
    const police = await t.loginAs('police', [OWN]);
    expect(
      (await t.app.inject({ method: 'GET', url: `/api/alerts/${id}/snapshot.jpg`, headers: police.headers }))
        .statusCode,
    ).toBe(404);
    await store.putSnapshot(id, JPEG, Date.now());
    const response = await t.app.inject({
      method: 'GET',
      url: `/api/alerts/${id}/snapshot.jpg`,
      headers: police.headers,
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('image/jpeg');
    // Not a picture sharp can caption (a bare JPEG header): served as stored rather than refused.
    expect(response.rawPayload.equals(JPEG)).toBe(true);
    expect((await store.history(id)).at(-1)).toMatchObject({ action: 'snapshotViewed', actor: police.username });
    const audit = (
      await t.app.inject({ method: 'GET', url: '/api/audit?action=alert.snapshot.view', headers: t.admin })
    ).json().items;
    expect(
      audit.some(
        (e: { target: string; actorName: string }) => e.target === `alert:${id}` && e.actorName === police.username,
      ),
    ).toBe(true);
  });

  it("serves a ready clip from the alert's own folder and nothing outside it", async () => {
    const id = await raise(OWN);
    const neighbour = await raise(OWN);
    const police = await t.loginAs('police', [OWN]);
    const get = (path: string) =>
      t.app.inject({ method: 'GET', url: `/api/alerts/${id}/clip/${path}`, headers: police.headers });
    for (const alertId of [id, neighbour]) {
      await mkdir(join(t.evidenceRoot, alertId), { recursive: true });
      await writeFile(join(t.evidenceRoot, alertId, 'index.m3u8'), '#EXTM3U\n#EXTINF:2.0,\nseg0.ts\n#EXT-X-ENDLIST\n');
      await writeFile(join(t.evidenceRoot, alertId, 'seg0.ts'), Buffer.alloc(188, 0x47));
    }
    await writeFile(join(t.evidenceRoot, 'secret.ts'), 'outside every clip');
    // Written but not marked ready: the analyzer may still be linking segments.
    expect((await get('index.m3u8')).statusCode).toBe(404);
    await store.setClipState(id, 'ready');
    const playlist = await get('index.m3u8');
    expect(playlist.statusCode).toBe(200);
    expect(playlist.headers['content-type']).toContain('application/vnd.apple.mpegurl');
    expect((await get('seg0.ts')).statusCode).toBe(200);
    expect((await store.history(id)).filter((h) => h.action === 'clipViewed')).toHaveLength(1);
    for (const path of [
      '..%2Fsecret.ts',
      '%2e%2e%2fsecret.ts',
      `..%2F${neighbour}%2Fseg0.ts`,
      '..',
      'seg0.ts%00.ts',
      'index.m3u8.ts%2F..',
      'seg1.ts',
      '.ts',
      'seg0.txt',
    ]) {
      const response = await get(path);
      expect([400, 404], path).toContain(response.statusCode);
      expect(response.json().error.code).toMatch(/^IOC_/);
    }
    expect(
      (
        await t.app.inject({
          method: 'GET',
          url: `/api/alerts/${id}/clip/../../${neighbour}/clip/seg0.ts`,
          headers: police.headers,
        })
      ).statusCode,
    ).not.toBe(200);
    await store.setClipState(id, 'unavailable');
    expect((await get('seg0.ts')).statusCode).toBe(404);
  });

  it("keeps a camera's alert rules, checked against its zones", async () => {
    const camera = cameras[OWN]!;
    await new CameraAnalysisRepository(t.db.pool).set(camera.id, {
      widthPx: 960,
      heightPx: 540,
      lines: [],
      calibration: null,
      zones: [
        {
          id: 'gate',
          polygon: [
            { x: 10, y: 10 },
            { x: 200, y: 10 },
            { x: 200, y: 200 },
            { x: 10, y: 200 },
          ],
        },
      ],
    });
    const url = `/api/cameras/${camera.id}/alert-rules`;
    expect((await t.app.inject({ method: 'GET', url, headers: t.admin })).json()).toEqual({ rules: [] });
    const missingZone = await t.app.inject({
      method: 'PUT',
      url,
      headers: t.admin,
      payload: { rules: [{ id: 'gate', type: 'intrusion', zoneId: 'nowhere' }] },
    });
    expect(missingZone.statusCode).toBe(400);
    expect(missingZone.json().error.field).toBe('rules[0].zoneId');
    // A shape fault is refused by the route's schema, named as the rules page reads it.
    const badShape = await t.app.inject({
      method: 'PUT',
      url,
      headers: t.admin,
      payload: { rules: [{ id: 'gate', type: 'intrusion', zoneId: 'gate', classes: ['person', 'dog'] }] },
    });
    expect(badShape.statusCode).toBe(400);
    expect(badShape.json().error).toEqual({
      code: 'IOC_VALIDATION_FAILED',
      field: 'rules[0].classes[1]',
      message: 'rules[0].classes[1]: must be one of person, bicycle, motorbike, car, bus, truck',
    });
    const rules = { rules: [{ id: 'gate', type: 'intrusion', zoneId: 'gate', severity: 'critical' }] };
    const saved = await t.app.inject({ method: 'PUT', url, headers: t.admin, payload: rules });
    expect(saved.statusCode).toBe(200);
    expect(saved.json()).toEqual(rules);
    const { headers } = await t.loginAs('police', [OWN]);
    expect((await t.app.inject({ method: 'GET', url, headers })).json()).toEqual(rules);
    expect((await t.app.inject({ method: 'PUT', url, headers, payload: rules })).statusCode).toBe(403);
    expect(t.changes).toContain(`updated:${camera.name}`);
    const audit = (
      await t.app.inject({ method: 'GET', url: '/api/audit?action=alert.rules.update', headers: t.admin })
    ).json().items;
    expect(audit[0]).toMatchObject({ target: `camera:${camera.id}`, outcome: 'success' });
  });

  it("pushes a state change to the consoles of the alert's district and not to another district's", async () => {
    const own = await raise(OWN);
    const other = await raise(OTHER);
    const consoles: Record<string, any[]> = { [OWN]: [], [OTHER]: [] };
    const sockets = [];
    for (const district of [OWN, OTHER]) {
      const socket = await t.app.injectWS('/api/live', { headers: (await t.loginAs('police', [district])).headers });
      socket.on('message', (data: Buffer) => consoles[district]!.push(JSON.parse(data.toString())));
      socket.send(JSON.stringify({ type: 'subscribe', alerts: true }));
      sockets.push(socket);
    }
    await waitFor('both subscriptions', async () => consoles[OWN]!.length > 0 && consoles[OTHER]!.length > 0, 5000, 10);
    expect(consoles[OWN]![0]).toEqual({ type: 'subscribed', cameraIds: [], alerts: true });
    const acknowledged = await t.app.inject({
      method: 'POST',
      url: `/api/alerts/${own}/acknowledge`,
      headers: t.admin,
      payload: {},
    });
    expect(acknowledged.statusCode).toBe(200);
    const pushed = await waitFor(
      'the push to the own district',
      async () => consoles[OWN]!.find((m) => m.type === 'alert'),
      5000,
      10,
    );
    expect(pushed).toMatchObject({
      type: 'alert',
      event: 'stateChanged',
      alert: { id: own, state: 'acknowledged', district: OWN },
    });
    // The other district's console hears its own alert's change, and never heard the first one.
    await t.app.inject({ method: 'POST', url: `/api/alerts/${other}/resolve`, headers: t.admin, payload: {} });
    await waitFor(
      'the push to the other district',
      async () => consoles[OTHER]!.find((m) => m.type === 'alert'),
      5000,
      10,
    );
    expect(consoles[OTHER]!.filter((m) => m.type === 'alert').map((m) => m.alert.id)).toEqual([other]);
    expect(consoles[OWN]!.filter((m) => m.type === 'alert').map((m) => m.alert.id)).toEqual([own]);
    for (const socket of sockets) socket.terminate();
  });
});
