// The authorisation matrix: every route of the OpenAPI document and the /api/live WebSocket, for every
// role (district-bound and province-wide), an API key, and anonymous callers, on a camera of the caller's
// own district and one of another district. Each cell is derived from api/permissions.ts's table by
// hand-written rules below; a route missing from this table fails the test.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../../core/access.ts';
import { CameraRepository } from '../../../store/cameras.ts';
import { TrafficCountStore } from '../../../store/trafficCounts.ts';
import { AlertStore } from '../../../store/alerts.ts';
import { DistrictRepository } from '../../../store/districts.ts';
import type { AlertMessage } from '../../../core/alerts.ts';
import { createTestApp, type TestApp } from '../../support/testApp.ts';
import { redisChannels } from '../../../core/redis.ts';

const OWN = 'Ba Đình';
const OTHER = 'Đống Đa';
const MISSING_ID = '6f1c9a52-5a1e-4d7e-9a0e-2b8f3c1d4e5f';

type Target = 'own' | 'other';
interface Cell {
  url: string;
  payload?: unknown;
}
interface RouteCase {
  /** Permission of api/permissions.ts, 'public' or 'authenticated'. */
  access: string;
  /** The route reads or changes one camera: a camera of another district must answer 404 like a missing one. */
  perCamera: boolean;
  /** Builds the request for one cell (fresh resources for routes that change or delete them). */
  build(target: Target, ctx: Context): Promise<Cell>;
  /** Statuses a permitted caller may get besides 2xx (e.g. no live video yet for a still frame). */
  alsoFine?: number[];
}

interface Context {
  t: TestApp;
  ownId: string;
  otherId: string;
  freshCamera(district: string): Promise<string>;
  freshUser(): Promise<string>;
  freshKey(): Promise<string>;
}

const camera = (ctx: Context, target: Target) => (target === 'own' ? ctx.ownId : ctx.otherId);
const analysis = { widthPx: 960, heightPx: 540, lines: [], zones: [], calibration: null };
const range = 'from=2026-11-25T00:00:00Z&to=2026-11-25T02:00:00Z&bucket=1h';

/** A webhook made by the province admin, for the routes that read, change or remove one. */
/** A daily report of the own district (made once; a district-bound reader of it may read it). */
const ownReport = async (ctx: Context): Promise<string> =>
  (
    await ctx.t.app.inject({
      method: 'POST',
      url: '/api/reports',
      headers: ctx.t.admin,
      payload: { kind: 'daily', date: '2026-11-25', district: OWN },
    })
  ).json().id;
const freshWebhook = async (ctx: Context): Promise<string> =>
  (
    await ctx.t.app.inject({
      method: 'POST',
      url: '/api/webhooks',
      headers: ctx.t.admin,
      payload: { name: `wh-${Math.random()}`, url: 'https://consumer.example/hook' },
    })
  ).json().id;

/**
 * An alert on the target's camera, made as the analyzer would; with its snapshot and a ready clip on disk
 * when asked, for the evidence routes. Fresh per cell: lifecycle actions change it.
 */
const freshAlert = async (ctx: Context, target: Target): Promise<string> => {
  const cameraId = camera(ctx, target);
  const subject = `track:${Math.random()}`;
  const nowMs = Date.now();
  const store = new AlertStore(ctx.t.db.pool);
  const [raised] = await store.applySignals({ id: cameraId, name: 'cam', district: target === 'own' ? OWN : OTHER }, [
    {
      kind: 'raise',
      key: `${cameraId}:r:${subject}`,
      cameraId,
      ruleId: 'r',
      type: 'intrusion',
      severity: 'critical',
      subject,
      startedAtMs: nowMs,
      atMs: nowMs,
      summary: 'Person in restricted zone',
      details: {},
    },
  ]);
  const id = raised!.alert.id;
  await store.putSnapshot(id, Buffer.from([0xff, 0xd8, 0xff, 0xd9]), nowMs);
  await mkdir(join(ctx.t.evidenceRoot, id), { recursive: true });
  await writeFile(join(ctx.t.evidenceRoot, id, 'index.m3u8'), '#EXTM3U\n#EXTINF:2.0,\nseg0.ts\n#EXT-X-ENDLIST\n');
  await writeFile(join(ctx.t.evidenceRoot, id, 'seg0.ts'), Buffer.alloc(188, 0x47));
  await store.setClipState(id, 'ready');
  return id;
};

const ROUTES: Record<string, RouteCase> = {
  'GET /api/cameras/': { access: 'cameras:list', perCamera: false, build: async () => ({ url: '/api/cameras' }) },
  'POST /api/cameras/': {
    access: 'cameras:write',
    perCamera: false,
    build: async (target) => ({
      url: '/api/cameras',
      payload: { name: `cam-${Math.random()}`, mainUrl: 'rtsp://h/new', district: target === 'own' ? OWN : OWN },
    }),
  },
  'GET /api/cameras/{id}': {
    access: 'cameras:read',
    perCamera: true,
    build: async (target, ctx) => ({ url: `/api/cameras/${camera(ctx, target)}` }),
  },
  'PATCH /api/cameras/{id}': {
    access: 'cameras:write',
    perCamera: true,
    build: async (target, ctx) => ({
      url: `/api/cameras/${await ctx.freshCamera(target === 'own' ? OWN : OTHER)}`,
      payload: { sampleFps: 2 },
    }),
  },
  'DELETE /api/cameras/{id}': {
    access: 'cameras:write',
    perCamera: true,
    build: async (target, ctx) => ({ url: `/api/cameras/${await ctx.freshCamera(target === 'own' ? OWN : OTHER)}` }),
  },
  'GET /api/cameras/{id}/health': {
    access: 'cameras:read',
    perCamera: true,
    build: async (target, ctx) => ({ url: `/api/cameras/${camera(ctx, target)}/health` }),
  },
  'GET /api/cameras/{id}/analysis': {
    access: 'analysis:read',
    perCamera: true,
    build: async (target, ctx) => ({ url: `/api/cameras/${camera(ctx, target)}/analysis` }),
  },
  'PUT /api/cameras/{id}/analysis': {
    access: 'analysis:write',
    perCamera: true,
    build: async (target, ctx) => ({ url: `/api/cameras/${camera(ctx, target)}/analysis`, payload: analysis }),
  },
  'GET /api/cameras/{id}/frame.jpg': {
    access: 'frame',
    perCamera: true,
    alsoFine: [404],
    build: async (target, ctx) => ({ url: `/api/cameras/${camera(ctx, target)}/frame.jpg` }),
  },
  'GET /api/counts': { access: 'counts', perCamera: false, build: async () => ({ url: `/api/counts?${range}` }) },
  'GET /api/zone-stats': {
    access: 'counts',
    perCamera: false,
    build: async () => ({ url: `/api/zone-stats?${range}` }),
  },
  'GET /api/congestion': {
    access: 'counts',
    perCamera: false,
    build: async () => ({ url: `/api/congestion?${range}` }),
  },
  // Nothing listens on port 9: an allowed caller gets "no picture" (404) at once.
  'POST /api/cameras/probe.jpg': {
    access: 'cameras:write',
    perCamera: false,
    alsoFine: [404],
    build: async () => ({ url: '/api/cameras/probe.jpg', payload: { url: 'rtsp://127.0.0.1:9/none' } }),
  },
  'GET /api/geometry-names': {
    access: 'counts',
    perCamera: false,
    build: async () => ({ url: '/api/geometry-names' }),
  },
  'GET /hls/{cameraId}/{file}': {
    access: 'video',
    perCamera: true,
    build: async (target, ctx) => ({ url: `/hls/${camera(ctx, target)}/index.m3u8` }),
  },
  // Login itself is public; wrong credentials are its 401, not a missing session's.
  'POST /api/auth/login': {
    access: 'public',
    perCamera: false,
    alsoFine: [401],
    build: async () => ({
      url: '/api/auth/login',
      payload: { username: `nobody-${Math.random().toString(36).slice(2, 10)}`, password: 'wrong-password' },
    }),
  },
  'POST /api/auth/token': {
    access: 'public',
    perCamera: false,
    alsoFine: [401],
    build: async () => ({
      url: '/api/auth/token',
      payload: { username: `nobody-${Math.random().toString(36).slice(2, 10)}`, password: 'wrong-password' },
    }),
  },
  'POST /api/auth/logout': {
    access: 'authenticated',
    perCamera: false,
    build: async () => ({ url: '/api/auth/logout' }),
  },
  'GET /api/auth/me': { access: 'authenticated', perCamera: false, build: async () => ({ url: '/api/auth/me' }) },
  // An API key has no password (403); a person's wrong current password is 401 with its own code.
  'POST /api/auth/password': {
    access: 'authenticated',
    perCamera: false,
    alsoFine: [401, 403],
    build: async () => ({
      url: '/api/auth/password',
      payload: { currentPassword: 'not-the-password', newPassword: 'Another-long-pass-1' },
    }),
  },
  'GET /api/users/': { access: 'users', perCamera: false, build: async () => ({ url: '/api/users' }) },
  'POST /api/users/': {
    access: 'users',
    perCamera: false,
    build: async () => ({
      url: '/api/users',
      payload: {
        username: `u-${Math.random().toString(36).slice(2, 10)}`,
        password: 'Mat-khau-dai-2026',
        role: 'viewer',
        districts: [OWN],
      },
    }),
  },
  'GET /api/users/{id}': {
    access: 'users',
    perCamera: false,
    build: async (_t, ctx) => ({ url: `/api/users/${await ctx.freshUser()}` }),
  },
  'PATCH /api/users/{id}': {
    access: 'users',
    perCamera: false,
    build: async (_t, ctx) => ({ url: `/api/users/${await ctx.freshUser()}`, payload: { disabled: true } }),
  },
  'DELETE /api/users/{id}': {
    access: 'users',
    perCamera: false,
    build: async (_t, ctx) => ({ url: `/api/users/${await ctx.freshUser()}` }),
  },
  'GET /api/keys/': { access: 'apiKeys', perCamera: false, build: async () => ({ url: '/api/keys' }) },
  'POST /api/keys/': {
    access: 'apiKeys',
    perCamera: false,
    build: async () => ({ url: '/api/keys', payload: { name: 'bridge', role: 'transport', districts: [OWN] } }),
  },
  'DELETE /api/keys/{id}': {
    access: 'apiKeys',
    perCamera: false,
    build: async (_t, ctx) => ({ url: `/api/keys/${await ctx.freshKey()}` }),
  },
  'GET /api/audit/': { access: 'audit', perCamera: false, build: async () => ({ url: '/api/audit' }) },
  'GET /api/districts/': { access: 'authenticated', perCamera: false, build: async () => ({ url: '/api/districts' }) },
  // Once the list holds names only listed ones are taken: the matrix's own two go in first.
  'POST /api/districts/': {
    access: 'users',
    perCamera: false,
    build: async (_t, ctx) => {
      for (const name of [OWN, OTHER]) await new DistrictRepository(ctx.t.db.pool).add(name).catch(() => undefined);
      return { url: '/api/districts', payload: { name: `Quận ${Math.random()}` } };
    },
  },
  'DELETE /api/districts/{name}': {
    access: 'users',
    perCamera: false,
    build: async (_t, ctx) => {
      const name = `Quận ${Math.random()}`;
      await new DistrictRepository(ctx.t.db.pool).add(name);
      return { url: `/api/districts/${encodeURIComponent(name)}` };
    },
  },
  'GET /api/webhooks/': { access: 'webhooks', perCamera: false, build: async () => ({ url: '/api/webhooks' }) },
  'POST /api/webhooks/': {
    access: 'webhooks',
    perCamera: false,
    build: async () => ({
      url: '/api/webhooks',
      payload: { name: `wh-${Math.random()}`, url: 'https://consumer.example/hook' },
    }),
  },
  'GET /api/webhooks/{id}': {
    access: 'webhooks',
    perCamera: false,
    build: async (_t, ctx) => ({ url: `/api/webhooks/${await freshWebhook(ctx)}` }),
  },
  'PATCH /api/webhooks/{id}': {
    access: 'webhooks',
    perCamera: false,
    build: async (_t, ctx) => ({ url: `/api/webhooks/${await freshWebhook(ctx)}`, payload: { enabled: false } }),
  },
  'DELETE /api/webhooks/{id}': {
    access: 'webhooks',
    perCamera: false,
    build: async (_t, ctx) => ({ url: `/api/webhooks/${await freshWebhook(ctx)}` }),
  },
  'POST /api/webhooks/{id}/rotate-secret': {
    access: 'webhooks',
    perCamera: false,
    build: async (_t, ctx) => ({ url: `/api/webhooks/${await freshWebhook(ctx)}/rotate-secret` }),
  },
  'GET /api/webhooks/{id}/deliveries': {
    access: 'webhooks',
    perCamera: false,
    build: async (_t, ctx) => ({ url: `/api/webhooks/${await freshWebhook(ctx)}/deliveries?state=pending` }),
  },
  'GET /api/alerts/': { access: 'alerts:read', perCamera: false, build: async () => ({ url: '/api/alerts' }) },
  'GET /api/alerts/precision': {
    access: 'alerts:read',
    perCamera: false,
    build: async () => ({ url: '/api/alerts/precision' }),
  },
  'GET /api/alerts/{id}': {
    access: 'alerts:read',
    perCamera: true,
    build: async (target, ctx) => ({ url: `/api/alerts/${await freshAlert(ctx, target)}` }),
  },
  'POST /api/alerts/{id}/acknowledge': {
    access: 'alerts:write',
    perCamera: true,
    build: async (target, ctx) => ({ url: `/api/alerts/${await freshAlert(ctx, target)}/acknowledge`, payload: {} }),
  },
  'POST /api/alerts/{id}/resolve': {
    access: 'alerts:write',
    perCamera: true,
    build: async (target, ctx) => ({
      url: `/api/alerts/${await freshAlert(ctx, target)}/resolve`,
      payload: { note: 'cleared' },
    }),
  },
  'POST /api/alerts/{id}/dismiss': {
    access: 'alerts:write',
    perCamera: true,
    build: async (target, ctx) => ({
      url: `/api/alerts/${await freshAlert(ctx, target)}/dismiss`,
      payload: { reason: 'a shadow' },
    }),
  },
  'POST /api/alerts/{id}/assign': {
    access: 'alerts:write',
    perCamera: true,
    build: async (target, ctx) => ({
      url: `/api/alerts/${await freshAlert(ctx, target)}/assign`,
      payload: { assignee: 'patrol-7' },
    }),
  },
  'POST /api/alerts/{id}/notes': {
    access: 'alerts:write',
    perCamera: true,
    build: async (target, ctx) => ({
      url: `/api/alerts/${await freshAlert(ctx, target)}/notes`,
      payload: { note: 'on site' },
    }),
  },
  'GET /api/alerts/{id}/snapshot.jpg': {
    access: 'alerts:evidence',
    perCamera: true,
    build: async (target, ctx) => ({ url: `/api/alerts/${await freshAlert(ctx, target)}/snapshot.jpg` }),
  },
  'GET /api/alerts/{id}/clip/index.m3u8': {
    access: 'alerts:evidence',
    perCamera: true,
    build: async (target, ctx) => ({ url: `/api/alerts/${await freshAlert(ctx, target)}/clip/index.m3u8` }),
  },
  'GET /api/alerts/{id}/clip/{segment}': {
    access: 'alerts:evidence',
    perCamera: true,
    build: async (target, ctx) => ({ url: `/api/alerts/${await freshAlert(ctx, target)}/clip/seg0.ts` }),
  },
  'GET /api/cameras/{id}/alert-rules': {
    access: 'alerts:read',
    perCamera: true,
    build: async (target, ctx) => ({ url: `/api/cameras/${camera(ctx, target)}/alert-rules` }),
  },
  'PUT /api/cameras/{id}/alert-rules': {
    access: 'alertRules:write',
    perCamera: true,
    build: async (target, ctx) => ({ url: `/api/cameras/${camera(ctx, target)}/alert-rules`, payload: { rules: [] } }),
  },
  'GET /health': { access: 'public', perCamera: false, build: async () => ({ url: '/health' }) },
  'GET /asyncapi.json': { access: 'public', perCamera: false, build: async () => ({ url: '/asyncapi.json' }) },
  'GET /api/reports/': { access: 'reports:read', perCamera: false, build: async () => ({ url: '/api/reports' }) },
  'POST /api/reports/': {
    access: 'reports:make',
    perCamera: false,
    build: async () => ({ url: '/api/reports', payload: { kind: 'daily', date: '2026-11-24', district: OWN } }),
  },
  'GET /api/reports/{id}': {
    access: 'reports:read',
    perCamera: false,
    build: async (_t, ctx) => ({ url: `/api/reports/${await ownReport(ctx)}` }),
  },
  'GET /api/reports/{id}/pdf': {
    access: 'reports:read',
    perCamera: false,
    build: async (_t, ctx) => ({ url: `/api/reports/${await ownReport(ctx)}/pdf` }),
  },
  'GET /api/reports/{id}/csv': {
    access: 'reports:read',
    perCamera: false,
    build: async (_t, ctx) => ({ url: `/api/reports/${await ownReport(ctx)}/csv` }),
  },
  'GET /ready': { access: 'public', perCamera: false, build: async () => ({ url: '/ready' }) },
  'GET /metrics': { access: 'metrics', perCamera: false, build: async () => ({ url: '/metrics' }) },
};

/** Hand-written expectation: what each role may do (mirrors the issue, not the code under test). */
const MAY: Record<Role, string[]> = {
  admin: [
    'cameras:list',
    'cameras:read',
    'cameras:write',
    'video',
    'frame',
    'live',
    'counts',
    'analysis:read',
    'analysis:write',
    'users',
    'apiKeys',
    'audit',
    'metrics',
    'webhooks',
    'alerts:read',
    'alerts:write',
    'alerts:evidence',
    'alertRules:write',
    'reports:read',
    'reports:make',
  ],
  police: [
    'cameras:list',
    'cameras:read',
    'video',
    'frame',
    'live',
    'alerts:read',
    'alerts:write',
    'alerts:evidence',
    'reports:read',
    'reports:make',
  ],
  transport: [
    'cameras:list',
    'cameras:read',
    'video',
    'frame',
    'live',
    'counts',
    'alerts:read',
    'reports:read',
    'reports:make',
  ],
  viewer: ['cameras:list', 'video'],
};
const PROVINCE_ONLY = ['users', 'apiKeys', 'audit', 'metrics', 'webhooks'];

async function waitUntil(found: () => unknown, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!found()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for a WebSocket message');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function errorCode(route: string, status: 401 | 403 | 404): string {
  if (status === 401) return 'IOC_AUTH_REQUIRED';
  if (status === 403) return 'IOC_FORBIDDEN';
  if (route.includes(' /api/alerts/{id}')) return 'IOC_ALERT_NOT_FOUND';
  return route.startsWith('GET /hls/') ? 'IOC_MEDIA_NOT_FOUND' : 'IOC_CAMERA_NOT_FOUND';
}

interface Subject {
  label: string;
  role: Role | null;
  districts: string[] | null;
  headers: () => Promise<Record<string, string>>;
}

describe('authorisation matrix', () => {
  let t: TestApp;
  let ctx: Context;
  const subjects: Subject[] = [];

  beforeAll(async () => {
    t = await createTestApp();
    const cameras = new CameraRepository(t.db.pool);
    const freshCamera = async (district: string) =>
      (await cameras.create({ name: `cam-${Math.random()}`, mainUrl: 'rtsp://h/x', district, sampleFps: 1 })).id;
    ctx = {
      t,
      ownId: await freshCamera(OWN),
      otherId: await freshCamera(OTHER),
      freshCamera,
      freshUser: async () => (await t.loginAs('viewer', [OWN])).userId,
      freshKey: async () =>
        (
          await t.app.inject({
            method: 'POST',
            url: '/api/keys',
            headers: t.admin,
            payload: { name: 'k', role: 'viewer', districts: null },
          })
        ).json().id,
    };
    for (const id of [ctx.ownId, ctx.otherId]) {
      await mkdir(join(t.hlsRoot, id), { recursive: true });
      await writeFile(join(t.hlsRoot, id, 'index.m3u8'), '#EXTM3U\n');
    }
    // A fresh session per request: logout and password change end sessions.
    const session = (role: Role, districts: string[] | null) => async () => (await t.loginAs(role, districts)).headers;
    subjects.push({ label: 'anonymous', role: null, districts: null, headers: async () => ({}) });
    subjects.push({ label: 'admin (province)', role: 'admin', districts: null, headers: session('admin', null) });
    for (const role of ['admin', 'police', 'transport', 'viewer'] as const) {
      subjects.push({ label: `${role} (${OWN})`, role, districts: [OWN], headers: session(role, [OWN]) });
    }
    const key = (
      await t.app.inject({
        method: 'POST',
        url: '/api/keys',
        headers: t.admin,
        payload: { name: 'integrator', role: 'transport', districts: [OWN] },
      })
    ).json().key;
    subjects.push({
      label: `transport API key (${OWN})`,
      role: 'transport',
      districts: [OWN],
      headers: async () => ({ 'x-api-key': key }),
    });
  });
  afterAll(async () => t?.close());

  it('has a row for every route of the OpenAPI document', async () => {
    const doc = t.app.swagger() as { paths: Record<string, Record<string, unknown>> };
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
    );
    expect(documented.sort()).toEqual(Object.keys(ROUTES).sort());
  });

  function expected(subject: Subject, route: RouteCase, target: Target): 'allowed' | 401 | 403 | 404 {
    if (route.access === 'public') return 'allowed';
    if (subject.role === null) return 401;
    if (route.access === 'authenticated') return 'allowed';
    const permitted =
      MAY[subject.role].includes(route.access) && (!PROVINCE_ONLY.includes(route.access) || subject.districts === null);
    if (!permitted) return 403;
    if (route.perCamera && target === 'other' && subject.districts !== null) return 404;
    return 'allowed';
  }

  it.each(Object.keys(ROUTES))('%s answers each role, district and anonymous caller as the table says', async (key) => {
    const route = ROUTES[key]!;
    const method = key.split(' ')[0] as 'GET';
    const cells: string[] = [];
    for (const subject of subjects) {
      for (const target of ['own', 'other'] as const) {
        const request = await route.build(target, ctx);
        const response = await t.app.inject({
          method,
          url: request.url,
          payload: request.payload as object,
          headers: await subject.headers(),
        });
        const want = expected(subject, route, target);
        const got = response.statusCode;
        const ok =
          want === 'allowed'
            ? got < 400 || (route.alsoFine ?? []).includes(got)
            : got === want && response.json().error.code === errorCode(key, want);
        if (!ok)
          cells.push(`${subject.label} × ${target}: expected ${want}, got ${got} ${response.body.slice(0, 160)}`);
        if (want === 404) {
          // Another district's camera answers exactly like one that does not exist.
          const cameraId = request.url.match(/[0-9a-f-]{36}/)![0];
          const missing = await t.app.inject({
            method,
            url: request.url.replace(cameraId, MISSING_ID),
            payload: request.payload as object,
            headers: await subject.headers(),
          });
          expect(response.body.replaceAll(cameraId, 'ID')).toBe(missing.body.replaceAll(MISSING_ID, 'ID'));
        }
      }
    }
    expect(cells).toEqual([]);
  });

  it.each([
    ['anonymous', null, null, 'refused'],
    ['admin (province)', 'admin', null, 'both'],
    ['admin (own district)', 'admin', [OWN], 'own'],
    ['police (own district)', 'police', [OWN], 'own'],
    ['transport (own district)', 'transport', [OWN], 'own'],
    ['viewer (own district)', 'viewer', [OWN], 'refused'],
  ] as const)(
    'the /api/live subscription of %s follows only the cameras it may see',
    async (_label, role, districts, outcome) => {
      const headers = role === null ? {} : (await t.loginAs(role, districts ? [...districts] : null)).headers;
      if (outcome === 'refused') {
        await expect(t.app.injectWS('/api/live', { headers })).rejects.toThrow(role === null ? /401/ : /403/);
        return;
      }
      const socket = await t.app.injectWS('/api/live', { headers });
      const reply = new Promise<any>((resolve) =>
        socket.once('message', (data: Buffer) => resolve(JSON.parse(data.toString()))),
      );
      socket.send(JSON.stringify({ type: 'subscribe', cameraIds: [ctx.ownId, ctx.otherId] }));
      const subscribed = await reply;
      expect(subscribed.cameraIds.sort()).toEqual(outcome === 'both' ? [ctx.ownId, ctx.otherId].sort() : [ctx.ownId]);
      socket.terminate();
    },
  );

  it.each([
    ['admin (province)', 'admin', null, [OWN, OTHER]],
    ['admin (own district)', 'admin', [OWN], [OWN]],
    ['police (own district)', 'police', [OWN], [OWN]],
    ['transport (own district)', 'transport', [OWN], [OWN]],
  ] as const)(
    'the alerts subscription of %s carries only the alerts of the districts it sees',
    async (_label, role, districts, sees) => {
      const headers = (await t.loginAs(role, districts ? [...districts] : null)).headers;
      const socket = await t.app.injectWS('/api/live', { headers });
      const received: any[] = [];
      socket.on('message', (data: Buffer) => received.push(JSON.parse(data.toString())));
      socket.send(JSON.stringify({ type: 'subscribe', alerts: true }));
      await waitUntil(() => received.find((m) => m.type === 'subscribed'));
      expect(received[0]).toEqual({ type: 'subscribed', cameraIds: [], alerts: true });
      const message = (district: string): AlertMessage => ({
        type: 'alert',
        event: 'raised',
        alert: { id: district, district } as AlertMessage['alert'],
      });
      // Another district's first, then the caller's own: in order on one channel, so the second proves the first was held back.
      await t.redis.publish(redisChannels.alerts(t.redisPrefix), JSON.stringify(message(OTHER)));
      await t.redis.publish(redisChannels.alerts(t.redisPrefix), JSON.stringify(message(OWN)));
      await waitUntil(() => received.find((m) => m.type === 'alert' && m.alert.district === OWN));
      expect(
        received
          .filter((m) => m.type === 'alert')
          .map((m) => m.alert.district)
          .sort(),
      ).toEqual([...sees].sort());
      socket.terminate();
    },
  );

  it('refuses the alerts subscription to a viewer (no live access) and to anonymous callers', async () => {
    await expect(t.app.injectWS('/api/live', { headers: (await t.loginAs('viewer', [OWN])).headers })).rejects.toThrow(
      /403/,
    );
    await expect(t.app.injectWS('/api/live', {})).rejects.toThrow(/401/);
  });

  it("lists only the cameras of the caller's districts", async () => {
    for (const role of ['admin', 'police', 'transport', 'viewer'] as const) {
      const { headers } = await t.loginAs(role, [OWN]);
      const ids = (await t.app.inject({ method: 'GET', url: '/api/cameras?limit=1000', headers }))
        .json()
        .items.map((c: { id: string }) => c.id);
      expect(ids).toContain(ctx.ownId);
      expect(ids).not.toContain(ctx.otherId);
    }
    const all = (await t.app.inject({ method: 'GET', url: '/api/cameras?limit=1000', headers: t.admin }))
      .json()
      .items.map((c: { id: string }) => c.id);
    expect(all).toEqual(expect.arrayContaining([ctx.ownId, ctx.otherId]));
  });

  it("restricts counts to the caller's districts, whatever the query asks", async () => {
    const minute = new Date('2026-11-25T01:00:00Z');
    await new TrafficCountStore(t.db.pool).upsertCounts(
      [ctx.ownId, ctx.otherId].map((cameraId) => ({
        minute,
        cameraId,
        lineId: 'l',
        direction: 'in',
        className: 'car',
        count: 3,
        speedSumKmh: 0,
        speedSamples: 0,
      })),
    );
    const { headers } = await t.loginAs('transport', [OWN]);
    const cameraIds = async (query: string) =>
      (await t.app.inject({ method: 'GET', url: `/api/counts?${range}${query}`, headers }))
        .json()
        .items.map((r: { cameraId: string }) => r.cameraId);
    expect(await cameraIds('')).toEqual([ctx.ownId]);
    expect(await cameraIds(`&cameraId=${ctx.otherId}`)).toEqual([]);
    expect(await cameraIds(`&district=${encodeURIComponent(OTHER)}`)).toEqual([]);
    const province = (await t.app.inject({ method: 'GET', url: `/api/counts?${range}`, headers: t.admin })).json()
      .items;
    expect(province).toHaveLength(2);
  });

  it('keeps a district admin inside their districts when creating or moving cameras', async () => {
    const { headers } = await t.loginAs('admin', [OWN]);
    const outside = await t.app.inject({
      method: 'POST',
      url: '/api/cameras',
      headers,
      payload: { name: 'elsewhere', mainUrl: 'rtsp://h/e', district: OTHER },
    });
    expect(outside.statusCode).toBe(403);
    expect(outside.json().error).toMatchObject({ code: 'IOC_FORBIDDEN', field: 'district' });
    const moved = await t.app.inject({
      method: 'PATCH',
      url: `/api/cameras/${ctx.ownId}`,
      headers,
      payload: { district: OTHER },
    });
    expect(moved.statusCode).toBe(403);
  });
});
