// /api/webhooks as a province admin uses it: create (the secret answered once), read, change, rotate,
// page through deliveries, delete; other roles and district admins refused; bad URLs named; secrets kept out.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../support/testApp.ts';

describe('/api/webhooks', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t?.close());

  const create = (payload: object, headers = t.admin) =>
    t.app.inject({ method: 'POST', url: '/api/webhooks', headers, payload });

  it('creates, reads, changes, rotates and deletes a subscription, answering the secret only on create and rotate', async () => {
    const created = await create({
      name: 'police-dispatch',
      url: 'https://dispatch.example/ioc?token=tok-123',
      districts: ['Ba Đình'],
      types: ['crowd', 'intrusion'],
      minSeverity: 'warning',
    });
    expect(created.statusCode).toBe(201);
    const body = created.json();
    expect(body).toMatchObject({
      name: 'police-dispatch',
      url: 'https://dispatch.example/ioc?token=tok-123',
      districts: ['Ba Đình'],
      types: ['crowd', 'intrusion'],
      minSeverity: 'warning',
      enabled: true,
    });
    expect(body.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    const secret: string = body.secret;

    const one = await t.app.inject({ method: 'GET', url: `/api/webhooks/${body.id}`, headers: t.admin });
    expect(one.statusCode).toBe(200);
    expect(one.json()).not.toHaveProperty('secret');
    const list = await t.app.inject({ method: 'GET', url: '/api/webhooks', headers: t.admin });
    expect(list.json()).toMatchObject({ total: 1, items: [{ id: body.id, name: 'police-dispatch' }] });
    expect(list.body).not.toContain(secret);

    const patched = await t.app.inject({
      method: 'PATCH',
      url: `/api/webhooks/${body.id}`,
      headers: t.admin,
      payload: { enabled: false, types: null, url: 'http://10.0.0.7:8080/hook' },
    });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({
      enabled: false,
      types: null,
      url: 'http://10.0.0.7:8080/hook',
      districts: ['Ba Đình'],
      minSeverity: 'warning',
    });
    expect(patched.body).not.toContain(secret);

    const rotated = await t.app.inject({
      method: 'POST',
      url: `/api/webhooks/${body.id}/rotate-secret`,
      headers: t.admin,
    });
    expect(rotated.statusCode).toBe(200);
    expect(rotated.json().secret).toMatch(/^whsec_/);
    expect(rotated.json().secret).not.toBe(secret);
    const stored = await t.db.pool.query('SELECT secret FROM webhooks WHERE id = $1', [body.id]);
    expect(stored.rows[0].secret).toBe(rotated.json().secret);

    const removed = await t.app.inject({ method: 'DELETE', url: `/api/webhooks/${body.id}`, headers: t.admin });
    expect(removed.statusCode).toBe(204);
    const gone = await t.app.inject({ method: 'GET', url: `/api/webhooks/${body.id}`, headers: t.admin });
    expect(gone.statusCode).toBe(404);
    expect(gone.json().error.code).toBe('IOC_WEBHOOK_NOT_FOUND');

    // Audited as configuration changes, without the secrets or the URL's token.
    const audit = await t.db.pool.query(
      "SELECT action, detail::text AS detail FROM audit_log WHERE action LIKE 'webhook.%' ORDER BY id",
    );
    expect(audit.rows.map((r) => r.action)).toEqual([
      'webhook.create',
      'webhook.update',
      'webhook.rotate',
      'webhook.delete',
    ]);
    const trail = JSON.stringify(audit.rows);
    for (const leaked of [secret, rotated.json().secret, 'tok-123']) expect(trail).not.toContain(leaked);
    expect(t.logs.text()).not.toContain(secret);
    expect(t.logs.text()).not.toContain(rotated.json().secret);
  });

  it('pages through deliveries, filtered by state', async () => {
    const { id } = (await create({ name: 'paged', url: 'https://consumer.example/hook' })).json();
    const alertId = randomUUID();
    await t.db.pool.query(
      `INSERT INTO alerts (id, key, camera_id, district, rule_id, type, severity, subject, summary, started_at, last_seen_at)
       VALUES ($1, $2, $3, 'Ba Đình', 'r', 'crowd', 'warning', 'zone:z', 'crowd', now(), now())`,
      [alertId, `k-${alertId}`, randomUUID()],
    );
    for (const state of ['delivered', 'delivered', 'pending', 'failed', 'delivered']) {
      await t.db.pool.query(
        `INSERT INTO webhook_deliveries (webhook_id, alert_id, event, payload, state, next_attempt_at) VALUES ($1, $2, 'raised', '{}', $3, now())`,
        [id, alertId, state],
      );
    }
    const page = await t.app.inject({
      method: 'GET',
      url: `/api/webhooks/${id}/deliveries?state=delivered&limit=2&offset=1`,
      headers: t.admin,
    });
    expect(page.statusCode).toBe(200);
    expect(page.json().total).toBe(3);
    expect(page.json().items).toHaveLength(2);
    expect(
      page
        .json()
        .items.every((d: { state: string; alertId: string }) => d.state === 'delivered' && d.alertId === alertId),
    ).toBe(true);
    const all = (await t.app.inject({ method: 'GET', url: `/api/webhooks/${id}/deliveries`, headers: t.admin })).json();
    expect(all.total).toBe(5);
    expect(all.items.map((d: { id: string }) => Number(d.id))).toEqual(
      [...all.items.map((d: { id: string }) => Number(d.id))].sort((a, b) => b - a),
    );
    const badState = await t.app.inject({
      method: 'GET',
      url: `/api/webhooks/${id}/deliveries?state=lost`,
      headers: t.admin,
    });
    expect(badState.statusCode).toBe(400);
    const missing = await t.app.inject({
      method: 'GET',
      url: `/api/webhooks/${randomUUID()}/deliveries`,
      headers: t.admin,
    });
    expect(missing.json().error.code).toBe('IOC_WEBHOOK_NOT_FOUND');
  });

  it.each([
    ['another scheme', 'ftp://consumer.example/hook'],
    ['credentials', 'https://user:s3cr3t-pw@consumer.example/hook'],
    ['no URL at all', 'not a url'],
    ['a script', 'javascript:alert(1)'],
    ['over 2048 characters', `https://consumer.example/${'a'.repeat(2050)}`],
    ['an empty string', ''],
  ])('refuses a URL with %s: 400 naming url', async (_label, url) => {
    const response = await create({ name: `bad-${Math.random()}`, url });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toMatchObject({ code: 'IOC_VALIDATION_FAILED', field: 'url' });
    expect(response.body).not.toContain('s3cr3t-pw');
  });

  it('refuses a bad URL on change too, and a name already taken', async () => {
    const { id } = (await create({ name: 'taken', url: 'https://consumer.example/hook' })).json();
    const patch = await t.app.inject({
      method: 'PATCH',
      url: `/api/webhooks/${id}`,
      headers: t.admin,
      payload: { url: 'https://u:p@h/x' },
    });
    expect(patch.statusCode).toBe(400);
    expect(patch.json().error.field).toBe('url');
    const duplicate = await create({ name: 'taken', url: 'https://other.example/hook' });
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.json().error).toMatchObject({ code: 'IOC_WEBHOOK_NAME_TAKEN', field: 'name' });
    const unknownType = await create({ name: 'typed', url: 'https://consumer.example/hook', types: ['fire'] });
    expect(unknownType.statusCode).toBe(400);
  });

  it('refuses police, transport, viewer and district admins (403) and anonymous callers (401)', async () => {
    const { id } = (await create({ name: 'guarded', url: 'https://consumer.example/hook' })).json();
    const routes = [
      { method: 'GET', url: '/api/webhooks' },
      { method: 'POST', url: '/api/webhooks', payload: { name: 'x', url: 'https://h.example/x' } },
      { method: 'GET', url: `/api/webhooks/${id}` },
      { method: 'PATCH', url: `/api/webhooks/${id}`, payload: { enabled: false } },
      { method: 'DELETE', url: `/api/webhooks/${id}` },
      { method: 'POST', url: `/api/webhooks/${id}/rotate-secret` },
      { method: 'GET', url: `/api/webhooks/${id}/deliveries` },
    ] as const;
    const callers = [
      ...(['police', 'transport', 'viewer'] as const).map((role) => ({ role, districts: null as string[] | null })),
      { role: 'admin' as const, districts: ['Ba Đình'] },
    ];
    for (const caller of callers) {
      const { headers } = await t.loginAs(caller.role, caller.districts);
      for (const route of routes) {
        const response = await t.app.inject({ ...route, headers });
        expect(response.statusCode, `${caller.role} ${route.method} ${route.url}`).toBe(403);
        expect(response.json().error.code).toBe('IOC_FORBIDDEN');
      }
    }
    for (const route of routes) {
      const response = await t.app.inject(route);
      expect(response.statusCode, `anonymous ${route.method} ${route.url}`).toBe(401);
    }
    const still = await t.app.inject({ method: 'GET', url: `/api/webhooks/${id}`, headers: t.admin });
    expect(still.json().enabled).toBe(true);
  });

  it('documents the routes in the OpenAPI document', async () => {
    const doc = t.app.swagger() as { paths: Record<string, Record<string, unknown>> };
    expect(
      Object.keys(doc.paths)
        .filter((p) => p.startsWith('/api/webhooks'))
        .sort(),
    ).toEqual([
      '/api/webhooks/',
      '/api/webhooks/{id}',
      '/api/webhooks/{id}/deliveries',
      '/api/webhooks/{id}/rotate-secret',
    ]);
  });
});
