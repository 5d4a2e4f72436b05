// The MQTT channel against a real Mosquitto and PostgreSQL: every alert transition, minute row, zone minute
// and camera availability change written to the store arrives at a district's subscriber once by id (a
// duplicate carries the same id and body), through a broker restart, and nothing reaches another district.
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertSignal } from '../../../core/alerts.ts';
import type { CameraState } from '../../../core/camera.ts';
import { loadConfig } from '../../../core/config.ts';
import { createLogger } from '../../../core/logger.ts';
import { districtFilter, publisherStatusTopic } from '../../../core/mqttTopics.ts';
import { MqttPublisher } from '../../../alerts/mqttPublisher.ts';
import { asyncApiDocument } from '../../../api/asyncapi/document.ts';
import { waitFor } from '../../../harness/waitFor.ts';
import { AlertStore } from '../../../store/alerts.ts';
import { CameraHealthRepository } from '../../../store/cameraHealth.ts';
import { CameraRepository } from '../../../store/cameras.ts';
import { MqttOutboxRepository } from '../../../store/mqttOutbox.ts';
import { TrafficCountStore, type MinuteCount } from '../../../store/trafficCounts.ts';
import { startPrivateBroker, type PrivateBroker } from '../../support/mosquitto.ts';
import { subscribe, type TestSubscriber } from '../../support/mqttSubscriber.ts';
import { openTestDatabase } from '../../support/testDatabase.ts';

type Db = Awaited<ReturnType<typeof openTestDatabase>>;
const OFFICER = { kind: 'user', name: 'officer.lan' } as const;
const T0 = Date.UTC(2026, 10, 25, 1, 0, 0);

function raise(cameraId: string, n: number): AlertSignal {
  return {
    kind: 'raise',
    key: `${cameraId}:crowd-1:zone:z${n}:${T0 + n}`,
    cameraId,
    ruleId: 'crowd-1',
    type: 'crowd',
    severity: 'warning',
    subject: `zone:z${n}`,
    startedAtMs: T0 + n * 1000,
    atMs: T0 + n * 1000,
    summary: `crowd ${n}`,
    details: { people: 10 + n },
  };
}

function minute(cameraId: string, m: number, count: number): MinuteCount[] {
  const at = new Date(T0 + m * 60_000);
  return [
    {
      minute: at,
      cameraId,
      lineId: 'l1',
      direction: 'in',
      className: 'motorbike',
      count,
      speedSumKmh: 0,
      speedSamples: 0,
    },
    {
      minute: at,
      cameraId,
      lineId: 'l1',
      direction: 'in',
      className: 'car',
      count: 1,
      speedSumKmh: 40,
      speedSamples: 1,
    },
  ];
}

function health(cameraId: string, state: CameraState, atMs: number) {
  return {
    cameraId,
    state,
    hlsMode: 'copy' as const,
    inputFps: null,
    bitrateKbps: null,
    lastFrameAt: null,
    restarts: 0,
    message: null,
    updatedAt: new Date(atMs),
  };
}

describe('MQTT event channel', () => {
  let db: Db;
  let broker: PrivateBroker;
  let publisher: MqttPublisher;
  let home: TestSubscriber;
  let other: TestSubscriber;
  let alerts: AlertStore;
  let counts: TrafficCountStore;
  let healthRepo: CameraHealthRepository;
  let badinh: { id: string; name: string; district: string };
  let hoankiem: { id: string; name: string; district: string };

  beforeAll(async () => {
    db = await openTestDatabase();
    broker = await startPrivateBroker();
    const cameras = new CameraRepository(db.pool);
    badinh = await cameras.create({
      name: 'Ngã tư Kim Mã',
      mainUrl: 'rtsp://127.0.0.1/a',
      district: 'Ba Đình',
      sampleFps: 5,
    });
    hoankiem = await cameras.create({
      name: 'Hồ Gươm',
      mainUrl: 'rtsp://127.0.0.1/b',
      district: 'Hoàn Kiếm',
      sampleFps: 5,
    });
    alerts = new AlertStore(db.pool);
    counts = new TrafficCountStore(db.pool);
    healthRepo = new CameraHealthRepository(db.pool);
    home = await subscribe(broker.url, [districtFilter('Ba Đình')]);
    other = await subscribe(broker.url, [districtFilter('Hoàn Kiếm')]);
    const settings = {
      ...loadConfig({ env: {} }).mqtt,
      url: broker.url,
      pollMs: 50,
      publishTimeoutMs: 2000,
      initialBackoffMs: 100,
      maxBackoffMs: 500,
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
    await Promise.allSettled([home?.close(), other?.close()]);
    await broker?.close();
    await db?.drop();
  });

  const outboxIds = async (slug: string) =>
    new Set(
      (
        await db.pool.query<{ message_id: string }>(`SELECT message_id FROM mqtt_outbox WHERE topic LIKE $1`, [
          `ioc/v1/${slug}/%`,
        ])
      ).rows.map((r) => r.message_id),
    );
  const pending = async () =>
    Number(
      (await db.pool.query<{ n: string }>(`SELECT count(*) AS n FROM mqtt_outbox WHERE state = 'pending'`)).rows[0]!.n,
    );
  const allArrived = async (subscriber: TestSubscriber, slug: string) => {
    const expected = await outboxIds(slug);
    const got = subscriber.ids();
    return expected.size > 0 && [...expected].every((id) => got.has(id));
  };

  it('delivers every alert transition and minute row once by id, through a broker restart, to its district only', async () => {
    // Before the restart: two alerts through their lifecycle, two minutes of counts, a zone minute, availability.
    const [first] = await alerts.applySignals(badinh, [raise(badinh.id, 1)]);
    await alerts.transition(first!.alert.id, 'acknowledge', OFFICER);
    await alerts.transition(first!.alert.id, 'resolve', OFFICER, { note: 'đã giải tỏa' });
    const [second] = await alerts.applySignals(badinh, [raise(badinh.id, 2)]);
    await alerts.transition(second!.alert.id, 'dismiss', OFFICER, { note: 'báo nhầm' });
    await alerts.applySignals(badinh, [{ ...raise(badinh.id, 2), kind: 'end', atMs: T0 + 5000 }]);
    await counts.upsertCounts([...minute(badinh.id, 0, 7), ...minute(badinh.id, 1, 9)]);
    await counts.upsertZoneStats([
      {
        minute: new Date(T0),
        cameraId: badinh.id,
        zoneId: 'z1',
        className: 'person',
        occupancySum: 30,
        occupancyMax: 4,
        samples: 10,
        densitySum: null,
      },
    ]);
    await healthRepo.record(health(badinh.id, 'live', T0));
    await healthRepo.record(health(badinh.id, 'live', T0 + 5000)); // no change: no message
    await counts.upsertCounts(minute(hoankiem.id, 0, 3));
    // A replayed write (analyzer restart) is the same message, not a second one.
    await counts.upsertCounts(minute(badinh.id, 0, 7));
    await alerts.applySignals(badinh, [raise(badinh.id, 1)]);
    await waitFor('first messages at the subscriber', () => allArrived(home, 'ba-dinh'), 20_000, 50);

    // The broker goes down; changes keep being stored, their messages wait in the outbox.
    await broker.stop();
    const [third] = await alerts.applySignals(badinh, [raise(badinh.id, 3)]);
    await alerts.transition(third!.alert.id, 'acknowledge', OFFICER);
    await counts.upsertCounts(minute(badinh.id, 2, 11));
    await healthRepo.record(health(badinh.id, 'reconnecting', T0 + 9000));
    await new Promise((resolve) => setTimeout(resolve, 300)); // a few publish rounds find no broker
    expect(await pending()).toBeGreaterThanOrEqual(4);
    await broker.start();
    await waitFor(
      'outbox drained after the restart',
      async () => (await pending()) === 0 && allArrived(home, 'ba-dinh'),
      30_000,
      50,
    );
    await waitFor('other district message', async () => other.received.length > 0, 10_000, 50);

    const expected = await outboxIds('ba-dinh');
    expect(home.ids()).toEqual(expected);
    // 3 alerts: raised+acknowledged+resolved, raised+dismissed+ended, raised+acknowledged; 3 count minutes; 1 zone; 2 status.
    expect(expected.size).toBe(14);
    const byId = new Map<string, string>();
    for (const m of home.received) {
      const body = JSON.stringify(m.payload);
      expect(byId.get(m.payload.id) ?? body, `a duplicate of ${m.payload.id} carries the same body`).toBe(body);
      byId.set(m.payload.id, body);
      expect(m.payload.district).toBe('Ba Đình');
      expect(m.topic.startsWith(`ioc/v1/ba-dinh/cameras/${badinh.id}/`)).toBe(true);
    }
    const unique = [...byId.values()].map(
      (b) =>
        JSON.parse(b) as {
          kind: string;
          event?: string;
          alert?: { id: string };
          minute?: string;
          total?: number;
          state?: string;
        },
    );
    const eventsOf = (id: string) =>
      unique
        .filter((m) => m.kind === 'alert' && m.alert!.id === id)
        .map((m) => m.event)
        .sort();
    expect(eventsOf(first!.alert.id)).toEqual(['acknowledged', 'raised', 'resolved']);
    expect(eventsOf(second!.alert.id)).toEqual(['dismissed', 'ended', 'raised']);
    expect(eventsOf(third!.alert.id)).toEqual(['acknowledged', 'raised']);
    const minutes = unique
      .filter((m) => m.kind === 'counts')
      .map((m) => [m.minute, m.total])
      .sort();
    expect(minutes).toEqual([
      [new Date(T0).toISOString(), 8],
      [new Date(T0 + 60_000).toISOString(), 10],
      [new Date(T0 + 120_000).toISOString(), 12],
    ]);
    expect(
      unique
        .filter((m) => m.kind === 'status')
        .map((m) => m.state)
        .sort(),
    ).toEqual(['live', 'reconnecting']);

    // Every message is what the AsyncAPI document says it is.
    const ajv = new Ajv2020({ strict: false });
    addFormats.default(ajv);
    const messages = (
      asyncApiDocument({ brokerUrl: broker.url }).components as { messages: Record<string, { payload: object }> }
    ).messages;
    const kinds: Record<string, string> = {
      alert: 'alertsMessage',
      counts: 'countsMessage',
      zones: 'zonesMessage',
      status: 'statusMessage',
    };
    for (const m of [...home.received, ...other.received]) {
      const validate = ajv.compile(messages[kinds[m.payload.kind]!]!.payload);
      expect(validate(m.payload), `${m.payload.kind}: ${JSON.stringify(validate.errors)}`).toBe(true);
    }

    // The other district's subscriber got its own minute and nothing of Ba Đình.
    expect(other.received.length).toBeGreaterThan(0);
    for (const m of other.received) {
      expect(m.payload.district).toBe('Hoàn Kiếm');
      expect(m.topic.startsWith('ioc/v1/hoan-kiem/')).toBe(true);
    }
  }, 90_000);

  it('keeps each camera availability retained: a late subscriber learns the current state at once', async () => {
    const late = await subscribe(broker.url, [`ioc/v1/ba-dinh/cameras/${badinh.id}/status`]);
    try {
      const status = await waitFor(
        'retained status',
        async () => late.received.find((m) => m.payload.kind === 'status'),
        10_000,
        50,
      );
      expect(status.retain).toBe(true);
      expect(status.payload.state).toBe('reconnecting');
      expect(status.payload.online).toBe(false);
    } finally {
      await late.close();
    }
  });

  it('shows a publisher that died as offline: its last will, retained', async () => {
    const watcher = await subscribe(broker.url, [publisherStatusTopic(publisher.clientId)]);
    try {
      await waitFor(
        'publisher online',
        async () => watcher.received.some((m) => m.payload.online === true),
        10_000,
        50,
      );
      // The connection dies without a DISCONNECT (a killed process): the broker publishes the will.
      (publisher as unknown as { client: { stream: { destroy(): void } } }).client.stream.destroy();
      const offline = await waitFor(
        'last will',
        async () => watcher.received.find((m) => m.payload.online === false),
        10_000,
        50,
      );
      expect(offline.payload).toMatchObject({ kind: 'publisherStatus', clientId: publisher.clientId, online: false });
      // It reconnects by itself and says online again.
      await waitFor('back online', async () => watcher.received.at(-1)?.payload.online === true, 10_000, 50);
    } finally {
      await watcher.close();
    }
  });

  it('announces the cameras of a dead ingest as unreported, once per silence, and live again when it reports', async () => {
    // Ba Đình's camera last reported at T0 + 9 s (days ago): its ingest is gone.
    expect(await healthRepo.markStale(Date.now())).toBe(1);
    expect(await healthRepo.markStale(Date.now() + 60_000)).toBe(0);
    const statuses = () => home.received.filter((m) => m.payload.kind === 'status').map((m) => m.payload.state);
    await waitFor('unreported', async () => statuses().includes('unreported'), 10_000, 50);
    await healthRepo.record(health(badinh.id, 'live', Date.now()));
    await waitFor('live again', async () => statuses().at(-1) === 'live', 10_000, 50);
  });
});
