// The analyzer's alert services publish to the broker of the config's mqtt.url: an alert raised through them
// reaches a subscriber, and stopping them leaves the publisher's retained status offline.
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAlertServices, type AlertServices } from '../../../analyzer/alertServices.ts';
import { loadConfig } from '../../../core/config.ts';
import { createLogger } from '../../../core/logger.ts';
import { districtFilter } from '../../../core/mqttTopics.ts';
import { waitFor } from '../../../harness/waitFor.ts';
import { CameraRepository } from '../../../store/cameras.ts';
import { startPrivateBroker, type PrivateBroker } from '../../support/mosquitto.ts';
import { subscribe, type TestSubscriber } from '../../support/mqttSubscriber.ts';
import { openTestDatabase, uniqueName } from '../../support/testDatabase.ts';
import { createRedis } from '../../../core/redis.ts';

describe('analyzer publishing over MQTT', () => {
  let db: Awaited<ReturnType<typeof openTestDatabase>>;
  let broker: PrivateBroker;
  let redis: Redis;
  let services: AlertServices;
  let subscriber: TestSubscriber;

  beforeAll(async () => {
    db = await openTestDatabase();
    broker = await startPrivateBroker();
    redis = createRedis('redis://127.0.0.1:6379', 'request');
    const config = loadConfig({
      env: {},
      overrides: {
        redis: { prefix: uniqueName('iocmqtt') },
        mqtt: { url: broker.url, pollMs: 50, clientId: 'analyzer-under-test' },
      },
    });
    subscriber = await subscribe(broker.url, [districtFilter('Ba Đình'), 'ioc/v1/_system/#']);
    services = startAlertServices(config, db.pool, redis, createLogger({ level: 'silent' }));
  }, 30_000);
  afterAll(async () => {
    await services?.close();
    await subscriber?.close();
    await redis?.quit();
    await broker?.close();
    await db?.drop();
  });

  it("publishes an alert raised through the analyzer's store, and says offline when stopped", async () => {
    const camera = await new CameraRepository(db.pool).create({
      name: 'Kim Mã',
      mainUrl: 'rtsp://127.0.0.1/a',
      district: 'Ba Đình',
      sampleFps: 5,
    });
    const atMs = Date.now();
    await services.context.store.applySignals(camera, [
      {
        kind: 'raise',
        key: `${camera.id}:crowd-1:zone:z1:${atMs}`,
        cameraId: camera.id,
        ruleId: 'crowd-1',
        type: 'crowd',
        severity: 'warning',
        subject: 'zone:z1',
        startedAtMs: atMs,
        atMs,
        summary: '12 people',
        details: { people: 12 },
      },
    ]);
    const raised = await waitFor(
      'raised alert',
      async () => subscriber.received.find((m) => m.payload.kind === 'alert'),
      15_000,
      50,
    );
    expect(raised.payload).toMatchObject({ event: 'raised', district: 'Ba Đình', cameraId: camera.id });
    expect(subscriber.received.some((m) => m.payload.kind === 'publisherStatus' && m.payload.online === true)).toBe(
      true,
    );
    await services.close();
    await waitFor('offline on stop', async () => subscriber.received.at(-1)?.payload.online === false, 10_000, 50);
  });
});
