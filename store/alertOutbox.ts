// The webhook outbox side of an alert change: one pending webhook_deliveries row per enabled webhook that
// wants it, written in the transaction of the change itself so a delivery is never lost nor invented.
import type { Alert, AlertMessage } from '../core/alerts.ts';
import { SEVERITIES } from '../core/alerts.ts';
import type { Queryable } from './alertRows.ts';
import { mqttAlertMessage, enqueueMqttMessages } from './mqttMessages.ts';
import { alertMessage } from '../core/alertMessage.ts';

/**
 * What a webhook receives: the event, the alert (its `message` in Vietnamese, the deployment's language) and
 * the message in each language, so an integrator reads the facts in its own without rendering them.
 */
export function webhookPayload(
  event: OutboxEvent,
  alert: Alert,
): { event: OutboxEvent; alert: Alert; messages: { vi: string; en: string } } {
  return { event, alert, messages: { vi: alertMessage(alert, 'vi'), en: alertMessage(alert, 'en') } };
}

/** Events that reach webhooks; 'updated' (a condition still holding, figures moving) stays inside the IOC. */
export type OutboxEvent = Exclude<AlertMessage['event'], 'updated'>;

/**
 * A webhook matches when its districts and types are null or contain the alert's, and the alert is at
 * least its min_severity (info < warning < critical, the order of core SEVERITIES).
 * Returns how many deliveries were queued.
 */
export async function enqueueDeliveries(db: Queryable, event: OutboxEvent, alert: Alert): Promise<number> {
  const result = await db.query(
    `INSERT INTO webhook_deliveries (webhook_id, alert_id, event, payload, state, next_attempt_at)
     SELECT w.id, $1, $2, $3::jsonb, 'pending', now()
       FROM webhooks w
      WHERE w.enabled
        AND (w.districts IS NULL OR $4 = ANY (w.districts))
        AND (w.types IS NULL OR $5 = ANY (w.types))
        AND array_position($6::text[], w.min_severity) <= array_position($6::text[], $7)`,
    [
      alert.id,
      event,
      JSON.stringify(webhookPayload(event, alert)),
      alert.district,
      alert.type,
      [...SEVERITIES],
      alert.severity,
    ],
  );
  // The MQTT channel carries every change webhooks do, from its own outbox in the same transaction.
  await enqueueMqttMessages(db, [mqttAlertMessage(event, alert)]);
  return result.rowCount ?? 0;
}
