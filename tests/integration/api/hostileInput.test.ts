// Hostile input against every route, generated from the OpenAPI document: oversized and deeply nested
// bodies, wrong types, SQL metacharacters, ../ in path parameters, huge numbers, unicode edge cases.
// Every answer is below 500 and every error is the standard body; the app still answers afterwards.
// The document itself validates (swagger-parser) and /docs renders.
import SwaggerParser from '@apidevtools/swagger-parser';
import { writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CameraRepository } from '../../../store/cameras.ts';
import { AlertStore } from '../../../store/alerts.ts';
import { createTestApp, type TestApp } from '../../support/testApp.ts';

interface Operation {
  parameters?: Array<{ in: string; name: string; schema?: { type?: string; maximum?: number } }>;
  requestBody?: { content: Record<string, { schema: JsonSchema }> };
  responses: Record<string, { content?: Record<string, { schema?: JsonSchema }> }>;
}
interface JsonSchema {
  type?: string;
  properties?: Record<string, JsonSchema>;
  anyOf?: JsonSchema[];
  items?: JsonSchema;
}

const STRINGS = [
  "' OR '1'='1'; DROP TABLE cameras; --",
  '"; SELECT pg_sleep(10); --',
  '../../../../etc/passwd',
  '..%2F..%2Fetc%2Fpasswd',
  '%00',
  '\u0000',
  '\ud800',
  '\u202e\u0644\u0627',
  '🚦🏍️👮‍♀️',
  'A\u0301\u0302\u0303'.repeat(50),
  'x'.repeat(20_000),
  '${jndi:ldap://x/a}',
  '<script>alert(1)</script>',
];
const NUMBERS = [-1, 0, 1e308, -1e308, 2 ** 53 + 1, 1.5, 99999999999999999999];
const WRONG_TYPES: unknown[] = [null, true, 12, 'text', [], [1, 2], {}, { $gt: '' }];
const PATH_VALUES = [
  '..',
  '..%2F..%2Fetc%2Fpasswd',
  '%2e%2e%2f%2e%2e%2fsecret',
  "1'%20OR%201=1--",
  '9'.repeat(90),
  '%00',
  '%F0%9F%9A%A6',
  '%ED%A0%80',
  'a%2Fb',
  '-1',
];
const QUERY_VALUES = [
  "'%20OR%201=1--",
  '1e309',
  '-1',
  'NaN',
  '99999999999999999999999',
  '%00',
  '%ED%A0%80',
  '..%2F..%2F',
  '1&limit=2',
  'x'.repeat(3000),
];

function deepJson(depth: number): string {
  return '['.repeat(depth) + ']'.repeat(depth);
}

function objectProperties(schema: JsonSchema | undefined): Record<string, JsonSchema> {
  if (!schema) return {};
  if (schema.properties) return schema.properties;
  for (const option of schema.anyOf ?? []) if (option.properties) return option.properties;
  return {};
}

describe('hostile input on every route of the OpenAPI document', () => {
  let t: TestApp;
  let doc: { paths: Record<string, Record<string, Operation>> };
  let cameraId: string;
  let alertId: string;
  const failures: string[] = [];
  let requests = 0;

  beforeAll(async () => {
    t = await createTestApp();
    await t.app.ready();
    doc = t.app.swagger() as unknown as typeof doc;
    cameraId = (
      await new CameraRepository(t.db.pool).create({
        name: 'Target',
        mainUrl: 'rtsp://u:pw-secret-9@h/x',
        district: 'Ba Đình',
        sampleFps: 1,
      })
    ).id;
    const nowMs = Date.now();
    const [raised] = await new AlertStore(t.db.pool).applySignals(
      { id: cameraId, name: 'Target', district: 'Ba Đình' },
      [
        {
          kind: 'raise',
          key: 'hostile',
          cameraId,
          ruleId: 'r',
          type: 'crowd',
          severity: 'warning',
          subject: 'zone:z',
          startedAtMs: nowMs,
          atMs: nowMs,
          summary: 's',
          details: {},
        },
      ],
    );
    alertId = raised!.alert.id;
  });
  afterAll(async () => t?.close());

  /** A valid value for a path parameter, so body and query attacks reach the handler. */
  async function validParam(path: string, name: string): Promise<string> {
    if (name === 'file') return 'index.m3u8';
    if (name === 'segment') return 'seg0.ts';
    if (path.startsWith('/api/alerts/')) return alertId;
    if (path.startsWith('/api/users/')) return (await t.loginAs('viewer', null)).userId;
    if (path.startsWith('/api/keys/')) {
      return (
        await t.app.inject({
          method: 'POST',
          url: '/api/keys',
          headers: t.admin,
          payload: { name: 'k', role: 'viewer', districts: null },
        })
      ).json().id;
    }
    return cameraId;
  }

  /** Sends as a province-wide admin (so input reaches validation and handlers), and anonymously for path attacks. */
  async function send(
    label: string,
    method: string,
    url: string,
    body?: string,
    contentType = 'application/json',
    mustFail = false,
  ) {
    // Logout and password change end sessions: those routes get a throwaway admin session each time.
    const admin = url.startsWith('/api/auth/') ? (await t.loginAs('admin', null)).headers : t.admin;
    const callers: Array<Record<string, string>> = label === 'path' || label === 'oversized' ? [admin, {}] : [admin];
    for (const headers of callers) {
      requests++;
      const response = await t.app.inject({
        method: method as 'GET',
        url,
        payload: body,
        headers: body === undefined ? headers : { ...headers, 'content-type': contentType },
      });
      const where = `${label} ${method} ${url.slice(0, 120)} (${headers.authorization ? 'admin' : 'anonymous'})`;
      if (response.statusCode >= 500) failures.push(`${where}: ${response.statusCode} ${response.body.slice(0, 200)}`);
      if (response.statusCode >= 400) {
        let error: { code?: unknown; message?: unknown } | undefined;
        try {
          error = response.json().error;
        } catch {
          error = undefined;
        }
        if (typeof error?.code !== 'string' || typeof error.message !== 'string')
          failures.push(`${where}: non-standard error body ${response.body.slice(0, 200)}`);
      } else if (mustFail) {
        failures.push(`${where}: accepted with ${response.statusCode}`);
      }
    }
  }

  it('validates as OpenAPI and is served at /docs', async () => {
    await expect(SwaggerParser.validate(structuredClone(doc) as never)).resolves.toBeTruthy();
    const page = await t.app.inject({ method: 'GET', url: '/docs/' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('swagger-ui');
    const json = await t.app.inject({ method: 'GET', url: '/docs/json' });
    expect(json.json().paths['/api/cameras/{id}']).toBeTruthy();
  });

  it('bounds every list with paging (limit has a maximum)', () => {
    for (const [path, operations] of Object.entries(doc.paths)) {
      const list = operations.get;
      const schema = list?.responses['200']?.content?.['application/json']?.schema;
      if (!list || objectProperties(schema).items?.type !== 'array') continue;
      const limit = list.parameters?.find((p) => p.in === 'query' && p.name === 'limit');
      expect(limit?.schema?.maximum, `${path} pages with a bounded limit`).toBeLessThanOrEqual(100_000);
    }
  });

  it('never answers 5xx nor a non-standard error, whatever arrives', async () => {
    for (const [path, operations] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        const params = (operation.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name);
        const valid: Record<string, string> = {};
        for (const name of params) valid[name] = await validParam(path, name);
        const urlWith = (values: Record<string, string>) =>
          path.replace(/\{(\w+)\}/g, (_m, name: string) => values[name]!);
        const base = urlWith(valid);

        // Path parameters: traversal, SQL, control and unpaired-surrogate bytes, huge numbers.
        for (const name of params) {
          for (const value of PATH_VALUES)
            await send('path', method.toUpperCase(), urlWith({ ...valid, [name]: value }), undefined, undefined, true);
        }
        // Query parameters, each in turn, plus an unknown one.
        for (const query of (operation.parameters ?? []).filter((p) => p.in === 'query')) {
          for (const value of QUERY_VALUES) await send('query', method.toUpperCase(), `${base}?${query.name}=${value}`);
        }
        await send('query', method.toUpperCase(), `${base}?unknown=1`);

        // Routes without a body schema (logout) ignore a body; the others must refuse a bad one.
        const schema = operation.requestBody?.content['application/json']?.schema;
        if (!schema) continue;
        const fields = Object.keys(objectProperties(schema));
        const m = method.toUpperCase();
        await send(
          'oversized',
          m,
          base,
          JSON.stringify({ [fields[0] ?? 'x']: 'x'.repeat(70 * 1024) }),
          undefined,
          true,
        );
        await send('deep', m, base, deepJson(5000), undefined, true);
        await send('deep object', m, base, '{"a":'.repeat(3000) + '1' + '}'.repeat(3000), undefined, true);
        await send('not JSON', m, base, '{"name": "x",', undefined, true);
        await send('text/plain', m, base, 'name=x', 'text/plain', true);
        await send('empty', m, base, '', undefined, false);
        await send('array body', m, base, '[]', undefined, true);
        for (const field of fields) {
          for (const wrong of WRONG_TYPES)
            await send(`wrong type ${field}`, m, base, JSON.stringify({ [field]: wrong }));
          for (const text of STRINGS) await send(`string ${field}`, m, base, JSON.stringify({ [field]: text }));
          for (const number of NUMBERS) await send(`number ${field}`, m, base, JSON.stringify({ [field]: number }));
          await send(`huge number ${field}`, m, base, `{"${field}": 1e999}`);
        }
      }
    }
    if (failures.length) await writeFile('artifacts/hostile-failures.txt', failures.join('\n'));
    expect(failures).toEqual([]);
    expect(requests).toBeGreaterThan(1000);
    // Still standing, and nothing was dropped.
    expect((await t.app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
    expect(
      (await t.db.pool.query('SELECT count(*)::int AS n FROM cameras WHERE id = $1', [cameraId])).rows[0].n,
    ).toBeLessThanOrEqual(1);
    expect((await t.db.pool.query("SELECT to_regclass('cameras') IS NOT NULL AS present")).rows[0].present).toBe(true);
  }, 300_000);

  it('answers hostile WebSocket messages with an error, never a crash', async () => {
    const socket = await t.app.injectWS('/api/live', { headers: t.admin });
    const replies: any[] = [];
    socket.on('message', (data: Buffer) => replies.push(JSON.parse(data.toString())));
    const messages = [
      'not json',
      deepJson(3000),
      JSON.stringify({ type: 'subscribe', cameraIds: ["' OR 1=1--", '../x'] }),
      JSON.stringify({ type: 'subscribe', cameraIds: 'x' }),
      '\u0000',
      JSON.stringify({ type: 'subscribe', cameraIds: Array(100).fill(cameraId) }),
      JSON.stringify({ type: 'subscribe', alerts: 'yes' }),
      JSON.stringify({ type: 'subscribe', alerts: { $gt: '' }, cameraIds: [] }),
      JSON.stringify({ type: 'subscribe', alerts: false }),
    ];
    for (const message of messages) socket.send(message);
    const deadline = Date.now() + 5000;
    while (replies.length < messages.length && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 20));
    expect(replies).toHaveLength(messages.length);
    expect(replies.every((r) => r.type === 'error' && r.code === 'IOC_VALIDATION_FAILED')).toBe(true);
    socket.terminate();
    expect((await t.app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
  });
});
