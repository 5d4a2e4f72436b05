// What the analyzer process runs for alerts beside its cameras: the store and rules, announcing changes
// to consoles (Redis pub/sub), evidence making, the webhook and MQTT outbox senders, and the evidence sweeper
// that drops clips and snapshots past their retention.
import type { Redis } from 'ioredis';
import type { Pool } from 'pg';
import type { Alert, AlertMessage } from '../core/alerts.ts';
import type { Config } from '../core/config.ts';
import type { Logger } from '../core/logger.ts';
import { evidenceRootOf, hlsRootOf } from '../core/paths.ts';
import { AlertStore } from '../store/alerts.ts';
import { AlertRulesRepository } from '../store/alertRules.ts';
import { CameraRepository } from '../store/cameras.ts';
import { CameraHealthRepository } from '../store/cameraHealth.ts';
import { WebhookRepository } from '../store/webhooks.ts';
import { WebhookDispatcher } from '../alerts/webhookDispatcher.ts';
import { MqttPublisher } from '../alerts/mqttPublisher.ts';
import { MqttOutboxRepository } from '../store/mqttOutbox.ts';
import { removeExpiredEvidence } from '../alerts/clipKeeper.ts';
import { AlertEvidenceMaker } from './alertEvidence.ts';
import type { AlertContext } from './cameraSession.ts';
import { redisChannels } from '../core/redis.ts';

const SWEEP_MS = 10 * 60 * 1000;

export interface AlertServices {
  context: AlertContext;
  close(): Promise<void>;
}

export function startAlertServices(config: Readonly<Config>, pool: Pool, redis: Redis, logger: Logger): AlertServices {
  const settings = config.alerts;
  const store = new AlertStore(pool, { evidenceRetentionHours: settings.evidenceRetentionHours });
  const channel = redisChannels.alerts(config.redis.prefix);
  let stopped = false;
  const publish = (event: AlertMessage['event'], alert: Alert) => {
    // Evidence finished during shutdown is stored; consoles read it on their next load.
    if (stopped) return;
    const message: AlertMessage = { type: 'alert', event, alert };
    redis
      .publish(channel, JSON.stringify(message))
      .catch((err: unknown) => logger.warn({ err, alertId: alert.id }, 'alert not announced'));
  };
  const evidence = new AlertEvidenceMaker({
    redis,
    redisPrefix: config.redis.prefix,
    store,
    hlsRoot: hlsRootOf(config),
    evidenceRoot: evidenceRootOf(config),
    clipBeforeMs: settings.clipBeforeMs,
    clipAfterMs: settings.clipAfterMs,
    segmentSeconds: config.media.hlsSegmentSeconds,
    logger,
    announce: (alertId) => {
      store
        .get(alertId)
        .then((alert) => alert && publish('updated', alert))
        .catch((err: unknown) => logger.warn({ err, alertId }, 'alert not re-read for announcing'));
    },
  });
  const dispatcher = new WebhookDispatcher({
    webhooks: new WebhookRepository(pool),
    settings: settings.webhooks,
    logger,
  });
  dispatcher.start();
  const mqttPublisher = config.mqtt.enabled
    ? new MqttPublisher({ outbox: new MqttOutboxRepository(pool), settings: config.mqtt, logger })
    : null;
  mqttPublisher?.start();
  // A dead ingest writes no health: its cameras are announced 'unreported' on the MQTT channel.
  const health = new CameraHealthRepository(pool);
  const staleTimer = setInterval(() => {
    health.markStale(Date.now()).catch((err: unknown) => logger.warn({ err }, 'stale camera health not checked'));
  }, settings.healthPollMs);
  staleTimer.unref();

  const sweep = async () => {
    try {
      const expired = await store.expiredEvidence(Date.now());
      if (expired.length === 0) return;
      await removeExpiredEvidence(evidenceRootOf(config), expired);
      // Then the rows: the snapshot goes and the clip reads unavailable, so the next sweep skips them.
      for (const id of expired) await store.dropEvidence(id);
    } catch (err) {
      logger.warn({ err }, 'alert evidence not swept');
    }
  };
  const sweepTimer = setInterval(() => void sweep(), SWEEP_MS);
  sweepTimer.unref();

  const context: AlertContext = {
    health,
    store,
    rules: new AlertRulesRepository(pool),
    cameras: new CameraRepository(pool),
    evidence,
    announce: (changes) => {
      for (const change of changes) publish(change.event, change.alert);
    },
    timeZone: settings.timeZone,
    healthPollMs: settings.healthPollMs,
  };
  let closed: Promise<void> | null = null;
  return {
    context,
    close() {
      closed ??= (async () => {
        clearInterval(sweepTimer);
        clearInterval(staleTimer);
        await Promise.allSettled([dispatcher.close(), evidence.close(), mqttPublisher?.close()]);
        stopped = true;
      })();
      return closed;
    },
  };
}
