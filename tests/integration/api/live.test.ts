import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import type { LiveTracksMessage } from '../../../core/liveChannels.ts';
import { createTestApp, type TestApp } from '../../support/testApp.ts';
import { waitFor } from '../../support/systemHarness.ts';
import { createRedis, redisChannels } from '../../../core/redis.ts';
import { createLiveFeed } from '../../../api/liveFeed.ts';

describe('live tracks WebSocket', () => {
  let t: TestApp;
  let publisher: Redis;
  let cameraId: string;
  beforeAll(async () => {
    t = await createTestApp();
    await t.app.ready();
    publisher = createRedis('redis://127.0.0.1:6379', 'request');
    cameraId = (
      await t.app.inject({
        headers: t.admin,
        method: 'POST',
        url: '/api/cameras',
        payload: { name: 'Live', mainUrl: 'rtsp://h/l', district: 'Ba Đình' },
      })
    ).json().id;
  });
  afterAll(async () => {
    await publisher?.quit();
    await t?.close();
  });

  const message = (n: number): LiveTracksMessage => ({
    type: 'tracks',
    cameraId,
    capturedAtMs: 1_764_000_000_000 + n,
    frameWidthPx: 960,
    frameHeightPx: 540,
    tracks: [{ id: n, className: 'motorbike', box: [10, 20, 40, 80], state: 'confirmed', speedKmh: 31.5 }],
  });

  it("forwards the analyzer's tracks of subscribed cameras only", async () => {
    const socket = await t.app.injectWS('/api/live', { headers: t.admin });
    const received: any[] = [];
    socket.on('message', (data: Buffer) => received.push(JSON.parse(data.toString())));
    socket.send(JSON.stringify({ type: 'subscribe', cameraIds: [cameraId, '6f1c9a52-5a1e-4d7e-9a0e-2b8f3c1d4e5f'] }));
    await waitFor('the subscription', async () => received.find((m) => m.type === 'subscribed'), 5000, 20);
    expect(received.find((m) => m.type === 'subscribed').cameraIds).toEqual([cameraId]);

    await waitFor(
      'a forwarded message',
      async () => {
        await publisher.publish(redisChannels.liveTracks(t.redisPrefix, cameraId), JSON.stringify(message(1)));
        await publisher.publish(
          redisChannels.liveTracks(t.redisPrefix, '6f1c9a52-5a1e-4d7e-9a0e-2b8f3c1d4e5f'),
          JSON.stringify(message(2)),
        );
        return received.some((m) => m.type === 'tracks');
      },
      5000,
      100,
    );
    const tracks = received.filter((m) => m.type === 'tracks');
    expect(tracks.every((m) => m.cameraId === cameraId)).toBe(true);
    expect(tracks[0].tracks[0]).toMatchObject({ className: 'motorbike', box: [10, 20, 40, 80] });
    socket.terminate();
  });

  it("sends a new subscriber the camera's last seconds at once, after its acknowledgement", async () => {
    // A wall opened (or its overlay switched on) draws the tracks of a picture ~6 s old: it gets them now.
    const first = await t.app.injectWS('/api/live', { headers: t.admin });
    const firstReceived: any[] = [];
    first.on('message', (data: Buffer) => firstReceived.push(JSON.parse(data.toString())));
    first.send(JSON.stringify({ type: 'subscribe', cameraIds: [cameraId] }));
    await waitFor('the first subscription', async () => firstReceived.some((m) => m.type === 'subscribed'), 5000, 20);
    for (const n of [11, 12, 13])
      await publisher.publish(redisChannels.liveTracks(t.redisPrefix, cameraId), JSON.stringify(message(n)));
    await waitFor(
      'the live messages',
      async () => firstReceived.filter((m) => m.type === 'tracks').length >= 3,
      5000,
      20,
    );

    const late = await t.app.injectWS('/api/live', { headers: t.admin });
    const received: any[] = [];
    late.on('message', (data: Buffer) => received.push(JSON.parse(data.toString())));
    late.send(JSON.stringify({ type: 'subscribe', cameraIds: [cameraId] }));
    await waitFor('the replay', async () => received.filter((m) => m.type === 'tracks').length >= 3, 5000, 20);
    expect(received[0].type).toBe('subscribed');
    const replayed = received.filter((m) => m.type === 'tracks').map((m) => m.tracks[0].id);
    expect(replayed.slice(-3)).toEqual([11, 12, 13]);
    first.terminate();
    late.terminate();
  });

  it('keeps recent tracks from the moment the feed listens, before anyone subscribes (the first wall after a restart)', async () => {
    const prefix = `${t.redisPrefix}-listen`;
    const feed = createLiveFeed('redis://127.0.0.1:6379', prefix, t.logs.logger);
    try {
      feed.listen();
      await waitFor(
        'the feed to keep a message',
        async () => {
          await publisher.publish(redisChannels.liveTracks(prefix, cameraId), JSON.stringify(message(21)));
          return feed.recent(cameraId).length > 0;
        },
        5000,
        100,
      );
      expect(feed.recent(cameraId).at(-1)!.tracks[0]!.id).toBe(21);
      expect(feed.recent('another-camera')).toEqual([]);
    } finally {
      await feed.close();
    }
  });

  it('answers a malformed subscription with an error naming the field', async () => {
    const socket = await t.app.injectWS('/api/live', { headers: t.admin });
    const reply = new Promise<any>((resolve) =>
      socket.once('message', (data: Buffer) => resolve(JSON.parse(data.toString()))),
    );
    socket.send(JSON.stringify({ type: 'subscribe', cameraIds: ["1' OR 1=1"] }));
    expect(await reply).toMatchObject({ type: 'error', code: 'IOC_VALIDATION_FAILED', field: 'cameraIds' });
    socket.terminate();
  });

  it('refuses a cookie-authenticated upgrade from another site, accepts one from this origin', async () => {
    const cookie = t.adminSession.cookie.cookie;
    await expect(
      t.app.injectWS('/api/live', { headers: { cookie, origin: 'https://evil.example', host: 'ioc.local' } }),
    ).rejects.toThrow(/401/);
    const socket = await t.app.injectWS('/api/live', {
      headers: { cookie, origin: 'http://ioc.local', host: 'ioc.local' },
    });
    socket.terminate();
  });

  it('stops a socket whose session was logged out at its next subscription', async () => {
    const session = await t.loginAs('police', null);
    const socket = await t.app.injectWS('/api/live', { headers: session.headers });
    const closed = new Promise<number>((resolve) => socket.once('close', (code: number) => resolve(code)));
    expect((await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: session.headers })).statusCode).toBe(
      204,
    );
    socket.send(JSON.stringify({ type: 'subscribe', cameraIds: [cameraId] }));
    expect(await closed).toBe(4401);
  });
});
