// The webhook outbox against a real PostgreSQL and real HTTP consumers: retries until a 2xx, a consumer
// that is down for minutes gets everything in order once back, give-up, and two dispatchers never double-send.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../../../core/alerts.ts';
import { loadConfig } from '../../../core/config.ts';
import { WebhookDispatcher, type WebhookSettings } from '../../../alerts/webhookDispatcher.ts';
import { verifyWebhookSignature } from '../../../alerts/webhookSignature.ts';
import { WebhookRepository } from '../../../store/webhooks.ts';
import { freePort } from '../../../harness/freePort.ts';
import { captureLogger } from '../../support/logCapture.ts';
import { openTestDatabase, TEST_DATABASE_URL } from '../../support/testDatabase.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../../support/webhookReceiver.ts';

const DEFAULTS = loadConfig({ env: {} }).alerts.webhooks;
const SETTINGS: WebhookSettings = {
  ...DEFAULTS,
  initialBackoffMs: 1000,
  maxBackoffMs: 60_000,
  giveUpAfterMs: 3_600_000,
  timeoutMs: 2000,
  pollMs: 50,
};

type Db = Awaited<ReturnType<typeof openTestDatabase>>;

/** A simulated clock the dispatcher reads; the test moves it. */
function simulatedClock(startMs = Date.now()) {
  let nowMs = startMs;
  return { now: () => nowMs, advance: (ms: number) => void (nowMs += ms) };
}

function alertBody(id: string, n: number, active: boolean): Alert {
  const at = new Date(Date.UTC(2026, 10, 25, 1, 0, n)).toISOString();
  return {
    id,
    cameraId: randomUUID(),
    cameraName: 'Ngã tư Kim Mã',
    district: 'Ba Đình',
    ruleId: 'crowd-1',
    type: 'crowd',
    severity: 'warning',
    subject: 'zone:z1',
    summary: `${12 + n} people in zone z1`,
    details: { people: 12 + n },
    state: 'new',
    active,
    startedAt: at,
    lastSeenAt: at,
    endedAt: active ? null : at,
    raisedAt: at,
    triggeredAt: at,
    occurrences: 1,
    assignee: null,
    resolutionNote: null,
    hasSnapshot: false,
    clipState: 'pending',
    updatedAt: at,
    message: '12 người trong vùng z1',
  };
}

/** Inserts an alert row and one pending delivery for it, as the alerts store does in its transaction. */
async function insertDelivery(
  db: Db,
  webhookId: string,
  n: number,
  event: 'raised' | 'ended' = 'raised',
  nextAttemptAtMs = Date.now(),
) {
  const alertId = randomUUID();
  await db.pool.query(
    `INSERT INTO alerts (id, key, camera_id, district, rule_id, type, severity, subject, summary, started_at, last_seen_at)
     VALUES ($1, $2, $3, 'Ba Đình', 'crowd-1', 'crowd', 'warning', 'zone:z1', 'crowd', now(), now())`,
    [alertId, `key-${alertId}`, randomUUID()],
  );
  const payload = { event, alert: alertBody(alertId, n, event === 'raised') };
  const row = await db.pool.query<{ id: string }>(
    `INSERT INTO webhook_deliveries (webhook_id, alert_id, event, payload, next_attempt_at)
     VALUES ($1, $2, $3, $4, to_timestamp($5::double precision / 1000)) RETURNING id`,
    [webhookId, alertId, event, JSON.stringify(payload), nextAttemptAtMs],
  );
  return { id: row.rows[0]!.id, payload };
}

async function deliveryRow(db: Db, id: string) {
  return (
    await db.pool.query(
      'SELECT state, attempts, last_status, last_error, delivered_at FROM webhook_deliveries WHERE id = $1',
      [id],
    )
  ).rows[0];
}

describe('webhook delivery', () => {
  let db: Db;
  let repo: WebhookRepository;
  const receivers: WebhookReceiver[] = [];
  const dispatchers: WebhookDispatcher[] = [];

  beforeAll(async () => {
    db = await openTestDatabase();
    repo = new WebhookRepository(db.pool);
  });
  afterEach(async () => {
    await Promise.all(dispatchers.splice(0).map((d) => d.close()));
    await Promise.all(receivers.splice(0).map((r) => r.close()));
    // Each test's webhooks and their rows go, so no later dispatcher finds a leftover row due.
    await db.pool.query('DELETE FROM webhooks');
  });
  afterAll(async () => db?.drop());

  const receiver = async (options: Parameters<typeof startWebhookReceiver>[0] = {}) => {
    const started = await startWebhookReceiver(options);
    receivers.push(started);
    return started;
  };
  const dispatcher = (
    options: Partial<ConstructorParameters<typeof WebhookDispatcher>[0]> & { nowMs: () => number },
  ) => {
    const created = new WebhookDispatcher({
      webhooks: repo,
      settings: SETTINGS,
      logger: captureLogger().logger,
      ...options,
    });
    dispatchers.push(created);
    return created;
  };

  it('retries a consumer that answers 500 twice, then delivers the alert once, signed, on attempt 3', async () => {
    const clock = simulatedClock();
    const consumer = await receiver({ answer: (_r, i) => (i < 2 ? 500 : 200) });
    const { webhook, secret } = await repo.create({
      name: 'retry-500',
      url: consumer.url,
      districts: null,
      types: null,
    });
    const delivery = await insertDelivery(db, webhook.id, 1, 'raised', clock.now());
    const sender = dispatcher({ nowMs: clock.now });

    expect(await sender.runOnce()).toBe(1);
    expect(await sender.runOnce()).toBe(0); // backing off: not due at the same instant
    clock.advance(1100); // initial 1000 ms + 10 % jitter at most
    expect(await sender.runOnce()).toBe(1);
    clock.advance(2200);
    expect(await sender.runOnce()).toBe(1);
    const deliveredAtMs = clock.now();
    clock.advance(600_000);
    expect(await sender.runOnce()).toBe(0);

    expect(consumer.received.map((r) => r.status)).toEqual([500, 500, 200]);
    expect(new Set(consumer.received.map((r) => r.deliveryId))).toEqual(new Set([delivery.id]));
    const ok = consumer.received.filter((r) => r.status >= 200 && r.status < 300);
    expect(ok).toHaveLength(1);
    expect(JSON.parse(ok[0]!.body)).toEqual(delivery.payload);
    expect(ok[0]!.event).toBe('raised');
    expect(verifyWebhookSignature(secret, ok[0]!.signature, ok[0]!.body, deliveredAtMs)).toBe(true);
    expect(verifyWebhookSignature('whsec_wrong', ok[0]!.signature, ok[0]!.body, deliveredAtMs)).toBe(false);
    expect(verifyWebhookSignature(secret, ok[0]!.signature, ok[0]!.body, clock.now())).toBe(false); // a replay 10 min later
    expect(await deliveryRow(db, delivery.id)).toMatchObject({
      state: 'delivered',
      attempts: 3,
      last_status: 200,
      last_error: null,
    });
  });

  it('gives a consumer that was down for 5 minutes every alert once it is back, in order, each once', async () => {
    const clock = simulatedClock();
    const port = await freePort(); // nobody listens: connection refused
    const { webhook, secret } = await repo.create({
      name: 'down-5-min',
      url: `http://127.0.0.1:${port}/hook`,
      districts: null,
      types: null,
    });
    const rows = [];
    for (let n = 0; n < 5; n++)
      rows.push(await insertDelivery(db, webhook.id, n, n % 2 === 0 ? 'raised' : 'ended', clock.now()));
    const sender = dispatcher({ nowMs: clock.now });

    let sendsWhileDown = 0;
    for (let stepS = 0; stepS < 300; stepS += 5) {
      sendsWhileDown += await sender.runOnce();
      clock.advance(5000);
    }
    // Only the oldest row is tried while the consumer is down; the others wait behind it, order kept.
    const waiting = (
      await db.pool.query('SELECT id, attempts FROM webhook_deliveries WHERE webhook_id = $1 ORDER BY id', [webhook.id])
    ).rows;
    expect(waiting[0].attempts).toBe(sendsWhileDown);
    expect(waiting.slice(1).every((r: { attempts: number }) => r.attempts === 0)).toBe(true);

    const consumer = await receiver({ port });
    for (let stepS = 0; stepS < 180 && consumer.received.length < rows.length; stepS += 5) {
      await sender.runOnce();
      clock.advance(5000);
    }
    expect(consumer.received.map((r) => r.deliveryId)).toEqual(rows.map((r) => r.id));
    expect(consumer.received.map((r) => JSON.parse(r.body))).toEqual(rows.map((r) => r.payload));
    expect(consumer.received.map((r) => r.event)).toEqual(['raised', 'ended', 'raised', 'ended', 'raised']);
    for (const got of consumer.received)
      expect(verifyWebhookSignature(secret, got.signature, got.body, clock.now(), 3600)).toBe(true);
    const states = (await db.pool.query('SELECT state FROM webhook_deliveries WHERE webhook_id = $1', [webhook.id]))
      .rows;
    expect(states.every((r: { state: string }) => r.state === 'delivered')).toBe(true);
  });

  it("marks a delivery failed once giveUpAfterMs has passed, logging neither the secret nor the URL's query", async () => {
    const clock = simulatedClock();
    const consumer = await receiver({ answer: () => 503 });
    const { webhook, secret } = await repo.create({
      name: 'gives-up',
      url: `${consumer.url}?token=consumer-token-xyz`,
      districts: null,
      types: null,
    });
    const first = await insertDelivery(db, webhook.id, 1, 'raised', clock.now());
    const second = await insertDelivery(db, webhook.id, 2, 'ended', clock.now());
    const logs = captureLogger('debug');
    const sender = dispatcher({
      nowMs: clock.now,
      logger: logs.logger,
      settings: { ...SETTINGS, giveUpAfterMs: 60_000 },
    });

    for (let stepS = 0; stepS < 75; stepS += 5) {
      await sender.runOnce();
      clock.advance(5000);
    }
    const row = await deliveryRow(db, first.id);
    expect(row).toMatchObject({ state: 'failed', last_status: 503, last_error: 'HTTP 503', delivered_at: null });
    expect(row.attempts).toBeGreaterThan(3);
    // The webhook's next row is no longer held behind the failed one.
    expect((await deliveryRow(db, second.id)).attempts).toBeGreaterThan(0);
    expect(consumer.received.every((r) => r.path === '/hook?token=consumer-token-xyz')).toBe(true);
    const gaveUp = logs.lines.map((l) => JSON.parse(l)).find((l) => l.msg === 'webhook delivery given up');
    expect(gaveUp).toMatchObject({ deliveryId: first.id, webhook: 'gives-up', url: consumer.url, status: 503 });
    expect(logs.text()).not.toContain('consumer-token-xyz');
    expect(logs.text()).not.toContain(secret);
  });

  it('never sends a row twice when two dispatchers with their own connections race, and keeps each webhook in order', async () => {
    const openPerWebhook = new Map<string, number>();
    let overlapped = false;
    const consumer = await receiver({
      answer: async (request) => {
        const open = (openPerWebhook.get(request.path) ?? 0) + 1;
        openPerWebhook.set(request.path, open);
        if (open > 1) overlapped = true;
        await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 15));
        openPerWebhook.set(request.path, openPerWebhook.get(request.path)! - 1);
        return 200;
      },
    });
    const ids = new Map<string, string[]>();
    for (const name of ['race-a', 'race-b', 'race-c']) {
      const { webhook } = await repo.create({ name, url: `${consumer.url}/${name}`, districts: null, types: null });
      const rows = [];
      for (let n = 0; n < 8; n++) rows.push((await insertDelivery(db, webhook.id, n)).id);
      ids.set(`/hook/${name}`, rows);
    }
    // A second pool on the same schema: another process's connections.
    const otherPool = new pg.Pool({
      connectionString: TEST_DATABASE_URL,
      options: `-c search_path=${db.schema},public -c timezone=UTC`,
    });
    try {
      const a = dispatcher({ nowMs: Date.now });
      const b = dispatcher({ nowMs: Date.now, webhooks: new WebhookRepository(otherPool) });
      const deadline = Date.now() + 30_000;
      while (consumer.received.length < 24 && Date.now() < deadline)
        await Promise.all([a.runOnce(), b.runOnce(), a.runOnce()]);
    } finally {
      await otherPool.end();
    }
    const sent = consumer.received.map((r) => r.deliveryId);
    expect(sent).toHaveLength(24);
    expect(new Set(sent).size).toBe(24);
    expect(overlapped).toBe(false);
    for (const [path, rows] of ids)
      expect(consumer.received.filter((r) => r.path === path).map((r) => r.deliveryId)).toEqual(rows);
    expect(consumer.maxInFlight).toBeGreaterThan(1); // different webhooks did go out side by side
  });

  it('retries a consumer that does not answer within timeoutMs', async () => {
    const clock = simulatedClock();
    const consumer = await receiver({
      answer: async (_r, i) => (i === 0 ? new Promise((resolve) => setTimeout(() => resolve(200), 1500)) : 200),
    });
    const { webhook } = await repo.create({ name: 'slow', url: consumer.url, districts: null, types: null });
    const delivery = await insertDelivery(db, webhook.id, 1, 'raised', clock.now());
    const sender = dispatcher({ nowMs: clock.now, settings: { ...SETTINGS, timeoutMs: 200 } });
    await sender.runOnce();
    expect(await deliveryRow(db, delivery.id)).toMatchObject({
      state: 'pending',
      attempts: 1,
      last_status: null,
      last_error: 'timeout after 200 ms',
    });
    clock.advance(1100);
    await sender.runOnce();
    expect(await deliveryRow(db, delivery.id)).toMatchObject({ state: 'delivered', attempts: 2, last_status: 200 });
  });

  it('polls once started and stops on close, which may be called twice', async () => {
    let delivered!: () => void;
    const arrived = new Promise<void>((resolve) => (delivered = resolve));
    const consumer = await receiver({ answer: () => (delivered(), 200) });
    const { webhook } = await repo.create({ name: 'polled', url: consumer.url, districts: null, types: null });
    const sender = dispatcher({ nowMs: Date.now });
    sender.start();
    await insertDelivery(db, webhook.id, 1);
    await Promise.race([
      arrived,
      new Promise((_r, reject) => setTimeout(() => reject(new Error('no delivery within 5 s')), 5000)),
    ]);
    await sender.close();
    await sender.close();
    await insertDelivery(db, webhook.id, 2);
    expect(await sender.runOnce()).toBe(0); // closed: sends nothing more
    expect(consumer.received).toHaveLength(1);
  });

  it('holds the deliveries of a disabled webhook until it is enabled again', async () => {
    const consumer = await receiver();
    const { webhook } = await repo.create({
      name: 'paused',
      url: consumer.url,
      districts: null,
      types: null,
      enabled: false,
    });
    const row = await insertDelivery(db, webhook.id, 1);
    const sender = dispatcher({ nowMs: Date.now });
    expect(await sender.runOnce()).toBe(0);
    await repo.update(webhook.id, { enabled: true });
    expect(await sender.runOnce()).toBe(1);
    expect(consumer.received.map((r) => r.deliveryId)).toEqual([row.id]);
  });

  it('lets a row claimed by a dispatcher that died come back when its lease ends, not before', async () => {
    const clock = simulatedClock();
    const { webhook } = await repo.create({
      name: 'lease',
      url: 'http://127.0.0.1:9/hook',
      districts: null,
      types: null,
    });
    const row = await insertDelivery(db, webhook.id, 1, 'raised', clock.now());
    expect((await repo.claimDue(clock.now(), 10, 30_000)).map((c) => c.id)).toEqual([row.id]);
    clock.advance(29_000);
    expect(await repo.claimDue(clock.now(), 10, 30_000)).toEqual([]);
    clock.advance(2_000);
    expect((await repo.claimDue(clock.now(), 10, 30_000)).map((c) => c.id)).toEqual([row.id]);
    await repo.markFailed(row.id, 1, null, 'test done');
  });
});
