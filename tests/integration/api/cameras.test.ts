import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { CameraRepository } from '../../../store/cameras.ts';
import { createTestApp, type TestApp } from '../../support/testApp.ts';

const SECRET = 'Mk-7s3cr3t';
const validCamera = {
  name: 'Ngã tư Kim Mã',
  mainUrl: `rtsp://admin:${SECRET}@10.0.0.5:554/Streaming/Channels/101`,
  district: 'Ba Đình',
  sampleFps: 5,
};

describe('cameras API', () => {
  let testApp: TestApp;
  let app: FastifyInstance;
  let db: TestApp['db'];
  let hlsRoot: string;
  let logs: TestApp['logs'];
  let changes: string[];
  let admin: TestApp['admin'];

  beforeAll(async () => {
    testApp = await createTestApp();
    ({ app, db, hlsRoot, logs, changes, admin } = testApp);
  });

  afterAll(async () => testApp?.close());

  async function create(body: Record<string, unknown>) {
    return app.inject({ headers: admin, method: 'POST', url: '/api/cameras', payload: body });
  }

  it('creates, reads, updates and deletes a camera, never returning its password', async () => {
    const created = await create(validCamera);
    expect(created.statusCode).toBe(201);
    const camera = created.json();
    expect(camera.mainUrl).toBe('rtsp://***:***@10.0.0.5:554/Streaming/Channels/101');
    expect(camera.hasCredentials).toBe(true);
    expect(camera.health.state).toBe('unknown');
    expect(camera.hlsUrl).toBe(`/hls/${camera.id}/index.m3u8`);
    expect(changes).toContain(`created:${validCamera.name}`);

    const listed = await app.inject({ headers: admin, method: 'GET', url: '/api/cameras' });
    expect(listed.json().items.map((c: { id: string }) => c.id)).toContain(camera.id);

    // Sending back the redacted URL keeps the stored credentials.
    const patched = await app.inject({
      headers: admin,
      method: 'PATCH',
      url: `/api/cameras/${camera.id}`,
      payload: { mainUrl: camera.mainUrl, sampleFps: 2, enabled: false },
    });
    expect(patched.statusCode).toBe(200);
    expect(patched.json().sampleFps).toBe(2);
    const stored = await new CameraRepository(db.pool).get(camera.id);
    expect(stored.mainUrl).toContain(`admin:${SECRET}@`);

    const deleted = await app.inject({ headers: admin, method: 'DELETE', url: `/api/cameras/${camera.id}` });
    expect(deleted.statusCode).toBe(204);
    const gone = await app.inject({ headers: admin, method: 'GET', url: `/api/cameras/${camera.id}` });
    expect(gone.statusCode).toBe(404);
    expect(gone.json().error.code).toBe('IOC_CAMERA_NOT_FOUND');

    for (const response of [created, listed, patched]) expect(response.body).not.toContain(SECRET);
    expect(logs.text()).not.toContain(SECRET);
  });

  it.each([
    ['missing name', { ...validCamera, name: undefined }, 'name'],
    ['an http URL', { ...validCamera, mainUrl: 'http://10.0.0.5/stream' }, 'mainUrl'],
    ['a file URL', { ...validCamera, mainUrl: 'file:///etc/passwd' }, 'mainUrl'],
    ['fps 0', { ...validCamera, sampleFps: 0 }, 'sampleFps'],
    ['fps 1000', { ...validCamera, sampleFps: 1000 }, 'sampleFps'],
    ['fps as a string', { ...validCamera, sampleFps: '5' }, 'sampleFps'],
    ['an unknown field', { ...validCamera, colour: 'red' }, 'colour'],
    ['a latitude out of range', { ...validCamera, location: { lat: 91, lon: 105 } }, 'location.lat'],
    ['a sub stream that is not rtsp', { ...validCamera, subUrl: 'ftp://x/y' }, 'subUrl'],
  ])('rejects %s with 400 naming the field', async (_label, body, field) => {
    const response = await create(body);
    expect(response.statusCode).toBe(400);
    const error = response.json().error;
    expect(error.code).toBe('IOC_VALIDATION_FAILED');
    expect(error.field).toBe(field);
    expect(error.message).toContain(field);
  });

  it('rejects a duplicate name with 409 and an empty patch with 400', async () => {
    const first = await create({ ...validCamera, name: 'Cầu Giấy 1' });
    expect(first.statusCode).toBe(201);
    const again = await create({ ...validCamera, name: 'Cầu Giấy 1' });
    expect(again.statusCode).toBe(409);
    expect(again.json().error).toMatchObject({ code: 'IOC_CAMERA_NAME_TAKEN', field: 'name' });
    const empty = await app.inject({
      headers: admin,
      method: 'PATCH',
      url: `/api/cameras/${first.json().id}`,
      payload: {},
    });
    expect(empty.statusCode).toBe(400);
    const badId = await app.inject({ headers: admin, method: 'GET', url: '/api/cameras/not-a-uuid' });
    expect(badId.statusCode).toBe(400);
    expect(badId.json().error.field).toBe('id');
  });

  it('serves HLS files with their content types and refuses paths outside the camera folder', async () => {
    const cameraId = (await create({ ...validCamera, name: 'HLS camera' })).json().id;
    await mkdir(join(hlsRoot, cameraId), { recursive: true });
    await writeFile(join(hlsRoot, cameraId, 'index.m3u8'), '#EXTM3U\n');
    await writeFile(join(hlsRoot, cameraId, 'seg_00001.ts'), Buffer.alloc(188, 0x47));
    await writeFile(join(hlsRoot, 'secret.txt'), 'not for you');

    const playlist = await app.inject({ headers: admin, method: 'GET', url: `/hls/${cameraId}/index.m3u8` });
    expect(playlist.statusCode).toBe(200);
    expect(playlist.headers['content-type']).toContain('application/vnd.apple.mpegurl');
    expect(playlist.headers['cache-control']).toContain('no-cache');
    const segment = await app.inject({ headers: admin, method: 'GET', url: `/hls/${cameraId}/seg_00001.ts` });
    expect(segment.headers['content-type']).toContain('video/mp2t');

    for (const url of [
      `/hls/${cameraId}/..%2Fsecret.txt`,
      `/hls/${cameraId}/../secret.txt`,
      `/hls/..%2F..%2Fetc/passwd`,
      `/hls/${cameraId}/%2e%2e%2fsecret.txt`,
    ]) {
      const response = await app.inject({ headers: admin, method: 'GET', url });
      expect([400, 404]).toContain(response.statusCode);
      expect(response.body).not.toContain('not for you');
    }
  });

  it('reports dependency health', async () => {
    const response = await app.inject({ headers: admin, method: 'GET', url: '/health' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ status: 'ok', checks: { postgres: { ok: true } } });
  });
});
