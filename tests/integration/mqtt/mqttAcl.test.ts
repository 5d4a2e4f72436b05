// The per-district topic tree under a real broker ACL: a subscriber account allowed `ioc/v1/hoan-kiem/#` that
// subscribes to everything (`ioc/v1/#`) receives Hoàn Kiếm's messages and nothing of Ba Đình's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MqttPublisher } from '../../../alerts/mqttPublisher.ts';
import { loadConfig } from '../../../core/config.ts';
import { createLogger } from '../../../core/logger.ts';
import { districtFilter } from '../../../core/mqttTopics.ts';
import { waitFor } from '../../../harness/waitFor.ts';
import { CameraRepository } from '../../../store/cameras.ts';
import { MqttOutboxRepository } from '../../../store/mqttOutbox.ts';
import { TrafficCountStore, type MinuteCount } from '../../../store/trafficCounts.ts';
import { startPrivateBroker, type PrivateBroker } from '../../support/mosquitto.ts';
import { subscribe, type TestSubscriber } from '../../support/mqttSubscriber.ts';
import { openTestDatabase } from '../../support/testDatabase.ts';

const T0 = Date.UTC(2026, 10, 25, 1, 0, 0);
const row = (cameraId: string, m: number): MinuteCount => ({
  minute: new Date(T0 + m * 60_000),
  cameraId,
  lineId: 'L1',
  direction: 'in',
  className: 'motorbike',
  count: 10 + m,
  speedSumKmh: 0,
  speedSamples: 0,
});

describe('MQTT district ACL', () => {
  let db: Awaited<ReturnType<typeof openTestDatabase>>;
  let broker: PrivateBroker;
  let publisher: MqttPublisher;
  const subscribers: TestSubscriber[] = [];

  beforeAll(async () => {
    db = await openTestDatabase();
    broker = await startPrivateBroker({
      users: [
        { name: 'ioc', password: 'ioc-publisher-secret', topics: [{ access: 'readwrite', filter: 'ioc/#' }] },
        {
          name: 'hoankiem',
          password: 'hoan-kiem-secret',
          topics: [{ access: 'read', filter: districtFilter('Hoàn Kiếm') }],
        },
      ],
    });
    const settings = {
      ...loadConfig({ env: {} }).mqtt,
      url: broker.url,
      username: 'ioc',
      password: 'ioc-publisher-secret',
      pollMs: 50,
    };
    publisher = new MqttPublisher({
      outbox: new MqttOutboxRepository(db.pool),
      settings,
      logger: createLogger({ level: 'silent' }),
    });
    publisher.start();
  }, 30_000);
  afterAll(async () => {
    await publisher?.close();
    await Promise.allSettled(subscribers.map((s) => s.close()));
    await broker?.close();
    await db?.drop();
  });

  it('delivers only the granted district to a subscriber of everything', async () => {
    const everything = await subscribe(broker.url, ['ioc/v1/#'], {
      username: 'hoankiem',
      password: 'hoan-kiem-secret',
    });
    const admin = await subscribe(broker.url, ['ioc/v1/#'], { username: 'ioc', password: 'ioc-publisher-secret' });
    subscribers.push(everything, admin);
    const cameras = new CameraRepository(db.pool);
    const badinh = await cameras.create({
      name: 'Kim Mã',
      mainUrl: 'rtsp://127.0.0.1/a',
      district: 'Ba Đình',
      sampleFps: 5,
    });
    const hoankiem = await cameras.create({
      name: 'Hồ Gươm',
      mainUrl: 'rtsp://127.0.0.1/b',
      district: 'Hoàn Kiếm',
      sampleFps: 5,
    });
    const counts = new TrafficCountStore(db.pool);
    await counts.upsertCounts([
      row(badinh.id, 0),
      row(hoankiem.id, 0),
      row(badinh.id, 1),
      row(hoankiem.id, 1),
      row(badinh.id, 2),
    ]);
    // The province-wide account sees all five minutes: everything was published.
    await waitFor(
      'all minutes at the province subscriber',
      async () => admin.received.filter((m) => m.payload.kind === 'counts').length >= 5,
      15_000,
      50,
    );
    await waitFor(
      'Hoàn Kiếm minutes',
      async () => everything.received.filter((m) => m.payload.kind === 'counts').length >= 2,
      15_000,
      50,
    );
    expect(everything.received.map((m) => m.payload.district)).toEqual(everything.received.map(() => 'Hoàn Kiếm'));
    expect(everything.received.every((m) => m.topic.startsWith('ioc/v1/hoan-kiem/'))).toBe(true);
    expect(everything.ids().size).toBe(2);
  });
});
