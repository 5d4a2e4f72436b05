// What the MQTT outbox holds: messages built from an alert change, minute counts, zone statistics or a
// camera's availability, each with a content-derived id, and written in the caller's transaction.
import { createHash } from 'node:crypto';
import type { Alert } from '../core/alerts.ts';
import { cameraTopic, type MqttAlertEvent, type MqttMessageKind, type MqttPayloadKind } from '../core/mqttTopics.ts';
import type { Queryable } from './alertRows.ts';
import type { MinuteCount, MinuteZoneStat } from './minuteRows.ts';

export interface OutboxMessage {
  id: string;
  topic: string;
  retain: boolean;
  payload: { id: string; kind: MqttPayloadKind } & Record<string, unknown>;
}

/** The same content on the same topic always gets the same id: a replayed write is one message, not two. */
function messageId(kind: MqttMessageKind, topic: string, content: unknown): string {
  return `${kind}-${createHash('sha256').update(topic).update('\n').update(JSON.stringify(content)).digest('hex').slice(0, 32)}`;
}

function message(
  kind: MqttMessageKind,
  district: string,
  cameraId: string,
  content: Record<string, unknown>,
  retain = false,
): OutboxMessage {
  const topic = cameraTopic(kind, district, cameraId);
  const id = messageId(kind, topic, content);
  return { id, topic, retain, payload: { id, kind, district, cameraId, ...content } };
}

/** Writes messages; one whose id is already in the outbox (a replay) is skipped. Returns how many were new. */
export async function enqueueMqttMessages(db: Queryable, messages: readonly OutboxMessage[]): Promise<number> {
  if (messages.length === 0) return 0;
  const result = await db.query(
    `INSERT INTO mqtt_outbox (message_id, topic, payload, retain)
     SELECT * FROM unnest($1::text[], $2::text[], $3::jsonb[], $4::boolean[])
     ON CONFLICT (message_id) DO NOTHING`,
    [
      messages.map((m) => m.id),
      messages.map((m) => m.topic),
      messages.map((m) => JSON.stringify(m.payload)),
      messages.map((m) => m.retain),
    ],
  );
  return result.rowCount ?? 0;
}

/** A state change is named by the state reached; back to new (a camera problem returning) is 'reopened'. */
export function mqttAlertEvent(event: 'raised' | 'ended' | 'stateChanged', alert: Alert): MqttAlertEvent {
  if (event !== 'stateChanged') return event;
  return alert.state === 'new' ? 'reopened' : alert.state;
}

export function mqttAlertMessage(event: 'raised' | 'ended' | 'stateChanged', alert: Alert): OutboxMessage {
  return message('alert', alert.district, alert.cameraId, {
    event: mqttAlertEvent(event, alert),
    at: alert.updatedAt,
    alert,
  });
}

async function districtsOf(db: Queryable, cameraIds: readonly string[]): Promise<Map<string, string>> {
  const rows = await db.query<{ id: string; district: string }>(
    'SELECT id, district FROM cameras WHERE id = ANY($1::uuid[])',
    [[...new Set(cameraIds)]],
  );
  return new Map(rows.rows.map((r) => [r.id, r.district]));
}

function groupBy<T>(rows: readonly T[], key: (row: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const k = key(row);
    const list = groups.get(k);
    if (list) list.push(row);
    else groups.set(k, [row]);
  }
  return groups;
}

/** One message per camera, line and minute, with every direction and class of it. A removed camera's rows are not published. */
export async function countMessages(db: Queryable, rows: readonly MinuteCount[]): Promise<OutboxMessage[]> {
  const districts = await districtsOf(
    db,
    rows.map((r) => r.cameraId),
  );
  const messages: OutboxMessage[] = [];
  for (const group of groupBy(rows, (r) => `${r.cameraId}|${r.lineId}|${r.minute.toISOString()}`).values()) {
    const first = group[0]!;
    const district = districts.get(first.cameraId);
    if (district === undefined) continue;
    const counts = group
      .map((r) => ({
        direction: r.direction,
        class: r.className,
        count: r.count,
        meanSpeedKmh: r.speedSamples > 0 ? r.speedSumKmh / r.speedSamples : null,
      }))
      .sort((a, b) => `${a.direction}|${a.class}`.localeCompare(`${b.direction}|${b.class}`));
    messages.push(
      message('counts', district, first.cameraId, {
        lineId: first.lineId,
        minute: first.minute.toISOString(),
        total: counts.reduce((sum, c) => sum + c.count, 0),
        counts,
      }),
    );
  }
  return messages;
}

/** One message per camera, zone and minute, with every class of it. */
export async function zoneMessages(db: Queryable, rows: readonly MinuteZoneStat[]): Promise<OutboxMessage[]> {
  const districts = await districtsOf(
    db,
    rows.map((r) => r.cameraId),
  );
  const messages: OutboxMessage[] = [];
  for (const group of groupBy(rows, (r) => `${r.cameraId}|${r.zoneId}|${r.minute.toISOString()}`).values()) {
    const first = group[0]!;
    const district = districts.get(first.cameraId);
    if (district === undefined) continue;
    const classes = group
      .map((r) => ({
        class: r.className,
        occupancyAvg: r.occupancySum / r.samples,
        occupancyMax: r.occupancyMax,
        densityAvg: r.densitySum === null ? null : r.densitySum / r.samples,
      }))
      .sort((a, b) => a.class.localeCompare(b.class));
    messages.push(
      message('zones', district, first.cameraId, { zoneId: first.zoneId, minute: first.minute.toISOString(), classes }),
    );
  }
  return messages;
}

/** A camera's availability, retained so a subscriber learns every camera's state on connect. */
export function statusMessage(district: string, cameraId: string, state: string, at: Date): OutboxMessage {
  return message('status', district, cameraId, { state, online: state === 'live', at: at.toISOString() }, true);
}
