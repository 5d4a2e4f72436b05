// "Report ready" through the outboxes, against a real Mosquitto, PostgreSQL and HTTP consumers: reports made
// on demand (twice) and by the schedule while the broker is down and the webhook consumers answer 503 each
// arrive once by id, under their district's topic (the province's under _province), at the webhooks whose
// districts cover them, with the id, range and sha256 the archive answers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MqttPublisher } from '../../../alerts/mqttPublisher.ts';
import { WebhookDispatcher } from '../../../alerts/webhookDispatcher.ts';
import { verifyWebhookSignature } from '../../../alerts/webhookSignature.ts';
import { loadConfig } from '../../../core/config.ts';
import { createLogger } from '../../../core/logger.ts';
import { districtFilter } from '../../../core/mqttTopics.ts';
import { waitFor } from '../../../harness/waitFor.ts';
import { ReportMaker } from '../../../reports/reportMaker.ts';
import { ReportScheduler } from '../../../reports/reportScheduler.ts';
import { MqttOutboxRepository } from '../../../store/mqttOutbox.ts';
import { WebhookRepository } from '../../../store/webhooks.ts';
import { startPrivateBroker, type PrivateBroker } from '../../support/mosquitto.ts';
import { subscribe, type TestSubscriber } from '../../support/mqttSubscriber.ts';
import { createTestApp, type TestApp } from '../../support/testApp.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../../support/webhookReceiver.ts';
import { seedWeek } from './reportSeed.ts';

const CONFIG = loadConfig({ env: {} });
const local = (iso: string) => Date.parse(`${iso}+07:00`);

interface Announced {
  id: string;
  kind: string;
  district: string | null;
  periodFrom: string;
  periodTo: string;
  pdfSha256: string;
  csvSha256: string;
  pdfPath: string;
  csvPath: string;
}

describe('report ready', () => {
  let t: TestApp;
  let broker: PrivateBroker;
  let publisher: MqttPublisher;
  let dispatcher: WebhookDispatcher;
  let scheduler: ReportScheduler;
  const subscribers: Record<'home' | 'other' | 'province', TestSubscriber> = {} as never;
  const receivers: Record<'all' | 'home' | 'other', WebhookReceiver> = {} as never;
  const secrets: Record<string, string> = {};
  const madeIds: { weekly: string; daily: Record<string, string> } = { weekly: '', daily: {} };

  beforeAll(async () => {
    t = await createTestApp();
    await seedWeek(t.db.pool);
    // The seed's own minute and alert messages are another test's subject: only reports are published here.
    await t.db.pool.query('DELETE FROM mqtt_outbox');
    broker = await startPrivateBroker();
    subscribers.home = await subscribe(broker.url, [districtFilter('Ba Đình')]);
    subscribers.other = await subscribe(broker.url, [districtFilter('Hoàn Kiếm')]);
    subscribers.province = await subscribe(broker.url, ['ioc/v1/_province/#']);
    const mqtt = {
      ...CONFIG.mqtt,
      url: broker.url,
      pollMs: 50,
      publishTimeoutMs: 2000,
      initialBackoffMs: 100,
      maxBackoffMs: 500,
    };
    publisher = new MqttPublisher({
      outbox: new MqttOutboxRepository(t.db.pool),
      settings: mqtt,
      logger: createLogger({ level: 'silent' }),
    });
    publisher.start();
    // Every consumer is down (503) for its first two requests.
    const webhooks = new WebhookRepository(t.db.pool);
    for (const [name, districts] of [
      ['all', null],
      ['home', ['Ba Đình']],
      ['other', ['Hoàn Kiếm']],
    ] as const) {
      receivers[name] = await startWebhookReceiver({ answer: (_request, index) => (index < 2 ? 503 : 200) });
      // Alert types and severity filter alerts only: a webhook for critical intrusions still hears of reports.
      const created = await webhooks.create({
        name: `reports-${name}`,
        url: receivers[name].url,
        districts: districts ? [...districts] : null,
        types: ['intrusion'],
        minSeverity: 'critical',
      });
      secrets[name] = created.secret;
    }
    dispatcher = new WebhookDispatcher({
      webhooks,
      logger: createLogger({ level: 'silent' }),
      settings: { ...CONFIG.alerts.webhooks, initialBackoffMs: 100, maxBackoffMs: 400, timeoutMs: 2000, pollMs: 50 },
    });
    dispatcher.start();
    const reports = { ...CONFIG.reports, kinds: ['daily' as const], catchUpPeriods: 1 };
    scheduler = new ReportScheduler({
      pool: t.db.pool,
      maker: new ReportMaker(t.db.pool, reports),
      settings: reports,
      logger: createLogger({ level: 'silent' }),
      nowMs: () => local('2026-11-26T08:00:00'),
    });
  }, 60_000);

  afterAll(async () => {
    await scheduler?.close();
    await dispatcher?.close();
    await publisher?.close();
    await Promise.allSettled(Object.values(subscribers).map((s) => s.close()));
    await Promise.allSettled(Object.values(receivers).map((r) => r.close()));
    await broker?.close();
    await t?.close();
  });

  const meta = async (id: string) =>
    (await t.app.inject({ method: 'GET', url: `/api/reports/${id}`, headers: t.admin })).json();
  const pendingMqtt = async () =>
    Number((await t.db.pool.query(`SELECT count(*) AS n FROM mqtt_outbox WHERE state = 'pending'`)).rows[0].n);
  const pendingHooks = async () =>
    Number((await t.db.pool.query(`SELECT count(*) AS n FROM webhook_deliveries WHERE state = 'pending'`)).rows[0].n);
  /** Distinct report messages a subscriber got, by message id; a redelivered one must carry the same body. */
  const reportMessages = (subscriber: TestSubscriber) => {
    const byId = new Map<string, string>();
    for (const m of subscriber.received.filter((r) => r.payload.kind === 'reportReady')) {
      const body = JSON.stringify(m.payload);
      expect(byId.get(m.payload.id) ?? body, `a duplicate of ${m.payload.id} carries the same body`).toBe(body);
      byId.set(m.payload.id, body);
    }
    return [...byId.values()].map((b) => JSON.parse(b) as { id: string; district: string | null; report: Announced });
  };

  it('announces reports made while the broker and the consumers are down, once each, when they are back', async () => {
    await broker.stop();
    // On demand, twice (the second answers the archived one), then the 07:00 schedule for the 25th.
    const first = await t.app.inject({
      method: 'POST',
      url: '/api/reports',
      headers: t.admin,
      payload: { kind: 'weekly', date: '2026-11-25', district: 'Ba Đình' },
    });
    expect(first.statusCode, first.body).toBe(201);
    const again = await t.app.inject({
      method: 'POST',
      url: '/api/reports',
      headers: t.admin,
      payload: { kind: 'weekly', date: '2026-11-27', district: 'Ba Đình' },
    });
    expect(again.json().id).toBe(first.json().id);
    madeIds.weekly = first.json().id;
    const scheduled = await scheduler.runDue();
    expect(scheduled.map((m) => m.district)).toEqual([null, 'Ba Đình', 'Hoàn Kiếm']);
    for (const m of scheduled) madeIds.daily[m.district ?? '*'] = m.id;
    expect(await scheduler.runDue()).toEqual([]);
    expect(await pendingMqtt()).toBe(4);

    await broker.start();
    await waitFor('report messages published', async () => (await pendingMqtt()) === 0, 30_000, 50);
    await waitFor(
      'report messages at the subscribers',
      async () =>
        reportMessages(subscribers.home).length === 2 &&
        reportMessages(subscribers.other).length === 1 &&
        reportMessages(subscribers.province).length === 1,
      20_000,
      50,
    );
    await waitFor('webhook deliveries done', async () => (await pendingHooks()) === 0, 30_000, 50);
  }, 120_000);

  it("publishes each report under its district, the province's under _province, with what the archive answers", async () => {
    const expected = {
      home: [madeIds.weekly, madeIds.daily['Ba Đình']!],
      other: [madeIds.daily['Hoàn Kiếm']!],
      province: [madeIds.daily['*']!],
    };
    for (const [name, ids] of Object.entries(expected) as [keyof typeof subscribers, string[]][]) {
      const messages = reportMessages(subscribers[name]);
      expect(messages.map((m) => m.report.id).sort(), name).toEqual([...ids].sort());
      for (const m of messages) {
        expect(m.id).toBe(`reportReady-${m.report.id}`);
        const record = await meta(m.report.id);
        expect(m.report).toMatchObject({
          kind: record.kind,
          district: record.district,
          periodFrom: record.periodFrom,
          periodTo: record.periodTo,
          pdfSha256: record.pdfSha256,
          csvSha256: record.csvSha256,
          pdfPath: `/api/reports/${record.id}/pdf`,
          csvPath: `/api/reports/${record.id}/csv`,
        });
        expect(m.district).toBe(record.district);
      }
    }
    const topics = subscribers.home.received.filter((m) => m.payload.kind === 'reportReady').map((m) => m.topic);
    expect(new Set(topics)).toEqual(new Set(['ioc/v1/ba-dinh/reports']));
    expect(new Set(subscribers.province.received.map((m) => m.topic))).toEqual(new Set(['ioc/v1/_province/reports']));
    // The paths announced download the file whose sha256 was announced.
    const [weekly] = reportMessages(subscribers.home).filter((m) => m.report.id === madeIds.weekly);
    const pdf = await t.app.inject({ method: 'GET', url: weekly!.report.pdfPath, headers: t.admin });
    expect(pdf.headers['x-content-sha256']).toBe(weekly!.report.pdfSha256);
  });

  it('delivers "reportReady" once per report to each webhook whose districts cover it, signed, after the 503s', async () => {
    const expected = {
      all: [madeIds.daily['*']!, madeIds.weekly, madeIds.daily['Ba Đình']!, madeIds.daily['Hoàn Kiếm']!],
      home: [madeIds.weekly, madeIds.daily['Ba Đình']!],
      other: [madeIds.daily['Hoàn Kiếm']!],
    };
    for (const [name, ids] of Object.entries(expected) as [keyof typeof receivers, string[]][]) {
      const got = receivers[name].received;
      expect(
        got.slice(0, 2).map((r) => r.status),
        name,
      ).toEqual([503, 503]);
      const ok = got.filter((r) => r.status === 200);
      const reportIds = ok.map((r) => (JSON.parse(r.body) as { report: Announced }).report.id);
      expect(reportIds.sort(), name).toEqual([...ids].sort());
      // A retried delivery keeps its X-IOC-Delivery id: one id per report, every request of it.
      const deliveriesOf = new Map<string, Set<string>>();
      for (const r of got) {
        const id = (JSON.parse(r.body) as { report: Announced }).report.id;
        deliveriesOf.set(id, (deliveriesOf.get(id) ?? new Set()).add(r.deliveryId));
      }
      expect(
        [...deliveriesOf.values()].every((s) => s.size === 1),
        name,
      ).toBe(true);
      for (const r of ok) {
        expect(r.event).toBe('reportReady');
        expect(verifyWebhookSignature(secrets[name]!, r.signature, r.body, Date.now())).toBe(true);
        const body = JSON.parse(r.body) as { event: string; report: Announced };
        expect(body.event).toBe('reportReady');
        const record = await meta(body.report.id);
        expect(body.report).toMatchObject({
          id: record.id,
          kind: record.kind,
          district: record.district,
          periodFrom: record.periodFrom,
          pdfSha256: record.pdfSha256,
          csvSha256: record.csvSha256,
        });
      }
    }
    // The deliveries are listed with the report they announce.
    const hooks = (await t.app.inject({ method: 'GET', url: '/api/webhooks', headers: t.admin })).json().items as {
      id: string;
      name: string;
    }[];
    const home = hooks.find((h) => h.name === 'reports-home')!;
    const deliveries = (
      await t.app.inject({ method: 'GET', url: `/api/webhooks/${home.id}/deliveries`, headers: t.admin })
    ).json().items as { alertId: string | null; reportId: string | null; state: string }[];
    expect(deliveries.map((d) => [d.alertId, d.reportId, d.state]).sort()).toEqual(
      [...expected.home].sort().map((id) => [null, id, 'delivered']),
    );
  });
});
