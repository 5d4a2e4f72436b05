// Fastify's own refusals answer in the catalogue's words (IOC_… code, a message naming the problem), and
// every refused (403) action is in the audit log with who asked and for what.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../support/testApp.ts';

describe('framework errors and refusals', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t?.close());

  it('answers a body that is not JSON with IOC_INVALID_JSON naming the body', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/cameras',
      headers: { ...t.admin, 'content-type': 'application/json' },
      payload: '{"name": "Cầu Giấy",',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toMatchObject({ code: 'IOC_INVALID_JSON', field: 'body' });
    expect(response.json().error.message).toMatch(/not valid JSON/);
    expect(response.body).not.toContain('FST_');
  });

  it('answers a body without a content type with 415 IOC_UNSUPPORTED_MEDIA_TYPE saying what to send', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/cameras',
      headers: t.admin,
      payload: Buffer.from('{"name":"x"}'),
    });
    expect(response.statusCode).toBe(415);
    expect(response.json().error).toMatchObject({ code: 'IOC_UNSUPPORTED_MEDIA_TYPE', field: 'content-type' });
    expect(response.json().error.message).toMatch(/application\/json/);
    const typed = await t.app.inject({
      method: 'POST',
      url: '/api/cameras',
      headers: { ...t.admin, 'content-type': 'application/xml' },
      payload: '<camera/>',
    });
    expect(typed.statusCode).toBe(415);
    expect(typed.json().error.message).toMatch(/application\/xml is not accepted/);
  });

  it('answers an empty JSON body with IOC_EMPTY_BODY', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/cameras',
      headers: { ...t.admin, 'content-type': 'application/json' },
      payload: '',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('IOC_EMPTY_BODY');
  });

  it('writes a refused action to the audit log', async () => {
    const police = await t.loginAs('police', ['Hoàn Kiếm']);
    const refused = await t.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: police.headers,
      payload: { username: 'ke.gian', password: 'Mat-khau-ke-gian-1', role: 'admin', districts: null },
    });
    expect(refused.statusCode).toBe(403);
    const audit = await t.app.inject({ url: '/api/audit?action=access.refused', headers: t.admin });
    expect(audit.json().items).toEqual([
      expect.objectContaining({
        actorName: police.username,
        action: 'access.refused',
        target: 'POST /api/users',
        outcome: 'refused',
        detail: expect.objectContaining({ code: 'IOC_FORBIDDEN' }),
      }),
    ]);
  });
});
