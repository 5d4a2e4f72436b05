// Alert changes between processes: the analyzer and every API process publish AlertMessages on the Redis
// alerts channel; one subscription per API process fans them out to the consoles' WebSockets.
import type { Redis } from 'ioredis';
import type { AlertMessage } from '../core/alerts.ts';
import type { Logger } from '../core/logger.ts';
import { createRedis, redisChannels } from '../core/redis.ts';

export type AlertListener = (message: AlertMessage) => void;

export interface AlertFeed {
  subscribe(listener: AlertListener): () => void;
  /** Resolves once this process listens on the channel: a subscriber is told 'subscribed' only then. */
  listening(): Promise<void>;
  /** Announces a change to every console; a Redis outage is logged, never thrown (the change is stored). */
  publish(message: AlertMessage): Promise<void>;
  close(): Promise<void>;
}

export function createAlertFeed(redisUrl: string, redisPrefix: string, logger: Logger): AlertFeed {
  const channel = redisChannels.alerts(redisPrefix);
  // A connection in subscriber mode can't publish: one each, both opened on first use.
  const subscriber = createRedis(redisUrl, 'subscriber', { lazyConnect: true });
  const publisher = createRedis(redisUrl, 'request', { lazyConnect: true });
  subscriber.on('error', (err) => logger.warn({ err }, 'alert feed redis error'));
  publisher.on('error', (err) => logger.warn({ err }, 'alert publisher redis error'));
  const listeners = new Set<AlertListener>();
  let subscribed: Promise<unknown> | null = null;

  subscriber.on('message', (from: string, payload: string) => {
    if (from !== channel || listeners.size === 0) return;
    let message: AlertMessage;
    try {
      message = JSON.parse(payload) as AlertMessage;
    } catch {
      return;
    }
    if (message?.type !== 'alert' || typeof message.alert?.district !== 'string') return;
    for (const listener of listeners) listener(message);
  });

  return {
    subscribe(listener) {
      // Connected on the first subscriber only: an API whose consoles never ask for alerts holds no subscription.
      subscribed ??= subscriber
        .connect()
        .then(() => subscriber.subscribe(channel))
        .catch((err) => logger.warn({ err }, 'alert feed unavailable'));
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    /** Resolves once Redis took the message, so a caller (and a test) knows it is on its way. */
    async publish(message) {
      try {
        await publisher.publish(channel, JSON.stringify(message));
      } catch (err) {
        logger.warn(
          { err, alertId: message.alert.id },
          'could not announce an alert change; consoles see it on their next refresh',
        );
      }
    },
    async listening() {
      await subscribed;
    },
    async close() {
      listeners.clear();
      for (const connection of [subscriber, publisher]) await connection.quit().catch(() => connection.disconnect());
    },
  };
}
