// "Test the connection" before saving a camera: one still pulled straight from the URL as typed; ***:***
// with the camera's id stands for its stored credentials; a source that gives nothing is a 404 whose
// message never carries the password.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../core/config.ts';
import { startRtspServer, type RtspServer } from '../../../harness/rtspServer.ts';
import { createTestApp, type TestApp } from '../../support/testApp.ts';

const PASSWORD = 'Cam-Bi-Mat-99';
const JPEG_START = [0xff, 0xd8];

describe('camera probe', () => {
  let t: TestApp;
  let server: RtspServer;
  beforeAll(async () => {
    t = await createTestApp();
    const assets = loadConfig({ env: { IOC_ASSETS: process.env.IOC_ASSETS } }).assetsDir;
    server = await startRtspServer({ mounts: { cam: join(assets, 'video/vn_traffic.mp4') } });
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
    await t?.close();
  });

  const probe = (payload: object) =>
    t.app.inject({ method: 'POST', url: '/api/cameras/probe.jpg', headers: t.admin, payload });

  it("answers a still of an unsaved camera's stream", async () => {
    const response = await probe({ url: server.url('cam', { user: 'admin', password: PASSWORD }) });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('image/jpeg');
    expect([...response.rawPayload.subarray(0, 2)]).toEqual(JPEG_START);
  }, 30_000);

  it('fills ***:*** from the camera being edited, never answering them', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/cameras',
      headers: t.admin,
      payload: {
        name: 'Thử',
        mainUrl: server.url('cam', { user: 'admin', password: PASSWORD }),
        district: 'Cầu Giấy',
        enabled: false,
      },
    });
    const camera = created.json();
    expect(camera.mainUrl).not.toContain(PASSWORD);
    const response = await probe({ url: camera.mainUrl, cameraId: camera.id });
    expect(response.statusCode).toBe(200);
    expect([...response.rawPayload.subarray(0, 2)]).toEqual(JPEG_START);
  }, 30_000);

  it('says the source gave no picture, without the password, when nothing answers', async () => {
    const response = await probe({ url: `rtsp://admin:${PASSWORD}@127.0.0.1:9/none` });
    expect(response.statusCode).toBe(404);
    expect(response.json().error).toMatchObject({ code: 'IOC_MEDIA_NOT_FOUND', field: 'mainUrl' });
    expect(response.body).not.toContain(PASSWORD);
    expect(t.logs.text()).not.toContain(PASSWORD);
  }, 30_000);
});
