// Publishes the MQTT outbox at QoS 1: claims due rows in order, publishes them, marks each published once the
// broker's PUBACK arrives, and backs off the rest to retry. Its own retained status topic says online, and
// the connection's last will says offline, so a subscriber sees a dead publisher without waiting for data.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import mqtt, { type MqttClient } from 'mqtt';
import type { Config } from '../core/config.ts';
import type { Logger } from '../core/logger.ts';
import { publisherStatusTopic } from '../core/mqttTopics.ts';
import { PollLoop } from '../core/pollLoop.ts';
import type { ClaimedMqttMessage, MqttOutboxRepository } from '../store/mqttOutbox.ts';
import { webhookBackoffMs } from './webhookDispatcher.ts';

export type MqttSettings = Config['mqtt'];

export interface MqttPublisherOptions {
  outbox: MqttOutboxRepository;
  settings: MqttSettings;
  logger: Logger;
  /** Clock of due times and backoff; Date.now by default. */
  nowMs?: () => number;
}

/** How long a claimed row stays out of other publishers' claims: longer than any publish round. */
const LEASE_MARGIN_MS = 30_000;
const PRUNE_EVERY_MS = 10 * 60 * 1000;

function statusBody(clientId: string, online: boolean): string {
  return JSON.stringify({ kind: 'publisherStatus', clientId, online });
}

function withTimeout<T>(promise: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no PUBACK within ${timeoutMs} ms`)), timeoutMs);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export class MqttPublisher {
  readonly clientId: string;
  private readonly outbox: MqttOutboxRepository;
  private readonly settings: MqttSettings;
  private readonly logger: Logger;
  private readonly nowMs: () => number;
  private client: MqttClient | null = null;
  private readonly loop: PollLoop;
  private lastPruneMs = 0;
  private closing: Promise<void> | null = null;

  constructor(options: MqttPublisherOptions) {
    this.outbox = options.outbox;
    this.settings = options.settings;
    this.logger = options.logger;
    this.nowMs = options.nowMs ?? Date.now;
    // Random part: two publishers of one process (tests run several analyzers) must not take each other's session over.
    this.clientId =
      options.settings.clientId ||
      `ioc-${hostname().replace(/[^A-Za-z0-9_.-]/g, '-')}-${process.pid}-${randomBytes(3).toString('hex')}`;
    this.loop = new PollLoop({
      round: () => this.runOnce(),
      intervalMs: options.settings.pollMs,
      logger: options.logger,
      failureMessage: 'mqtt publish round failed',
    });
  }

  /** Connects (reconnecting by itself for ever) and polls the outbox every pollMs until close(). */
  start(): void {
    if (this.loop.isClosed || this.client) return;
    const statusTopic = publisherStatusTopic(this.clientId);
    const client = mqtt.connect(this.settings.url, {
      clientId: this.clientId,
      username: this.settings.username || undefined,
      password: this.settings.password || undefined,
      reconnectPeriod: 1000,
      connectTimeout: 10_000,
      will: { topic: statusTopic, payload: Buffer.from(statusBody(this.clientId, false)), qos: 1, retain: true },
    });
    client.on('connect', () => {
      this.logger.info({ clientId: this.clientId }, 'mqtt connected');
      client.publish(statusTopic, statusBody(this.clientId, true), { qos: 1, retain: true });
    });
    client.on('error', (err) => this.logger.warn({ err: err.message }, 'mqtt error'));
    client.on('offline', () => this.logger.warn({ clientId: this.clientId }, 'mqtt broker unreachable'));
    this.client = client;
    this.loop.start();
  }

  get connected(): boolean {
    return this.client?.connected ?? false;
  }

  /** Publishes every due row while the broker is there; returns how many were acknowledged. */
  async runOnce(): Promise<number> {
    let published = 0;
    while (!this.loop.isClosed && this.connected) {
      const claimed = await this.outbox.claimDue(
        this.nowMs(),
        this.settings.batchSize,
        this.settings.publishTimeoutMs + LEASE_MARGIN_MS,
      );
      if (claimed.length === 0) break;
      const acked = await this.publishBatch(claimed);
      published += acked;
      if (acked < claimed.length) break; // the broker went away mid-batch: wait for the next round
    }
    await this.pruneNow();
    return published;
  }

  /** Sends the batch in order (MQTT.js writes in call order) and settles each row by its own PUBACK. */
  private async publishBatch(claimed: readonly ClaimedMqttMessage[]): Promise<number> {
    const client = this.client!;
    const results = await Promise.allSettled(
      claimed.map((m) =>
        withTimeout(client.publishAsync(m.topic, m.body, { qos: 1, retain: m.retain }), this.settings.publishTimeoutMs),
      ),
    );
    let acked = 0;
    for (const [i, result] of results.entries()) {
      const message = claimed[i]!;
      if (result.status === 'fulfilled') {
        await this.outbox.markPublished(message.rowId, this.nowMs());
        acked += 1;
        continue;
      }
      const attempts = message.attempts + 1;
      const error = (result.reason as Error).message ?? String(result.reason);
      await this.outbox.markRetry(
        message.rowId,
        attempts,
        this.nowMs() + webhookBackoffMs(attempts, this.settings),
        error,
      );
      this.logger.info(
        { messageId: message.messageId, topic: message.topic, attempts, error },
        'mqtt publish will be retried',
      );
    }
    return acked;
  }

  private async pruneNow(): Promise<void> {
    const nowMs = this.nowMs();
    if (nowMs - this.lastPruneMs < PRUNE_EVERY_MS) return;
    this.lastPruneMs = nowMs;
    await this.outbox.prunePublished(nowMs - this.settings.keepPublishedHours * 3_600_000);
  }

  /** Stops polling, says offline on the status topic, and disconnects. Safe to call twice. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.loop.close();
      const client = this.client;
      if (!client) return;
      if (client.connected) {
        await withTimeout(
          client.publishAsync(publisherStatusTopic(this.clientId), statusBody(this.clientId, false), {
            qos: 1,
            retain: true,
          }),
          2000,
        ).catch(() => undefined);
      }
      await client.endAsync(true).catch(() => undefined);
    })();
    return this.closing;
  }
}
