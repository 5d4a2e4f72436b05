// "Report ready": when a report is archived, one webhook delivery per enabled webhook whose districts cover
// it and one MQTT message on the report's topic, written in the archiving transaction (the outboxes then
// deliver through any outage). Its id is the report's, so a subscriber recognises a redelivery.
import { reportTopic } from '../core/mqttTopics.ts';
import type { Queryable } from './alertRows.ts';
import { enqueueMqttMessages, type OutboxMessage } from './mqttMessages.ts';
import type { ReportMeta } from './reports.ts';

export const REPORT_READY_EVENT = 'reportReady';

/** What an integrator needs to fetch and check the files: range, scope, sha256 and the API paths. */
export function reportReadyBody(meta: ReportMeta) {
  return {
    id: meta.id,
    kind: meta.kind,
    district: meta.district,
    periodFrom: meta.periodFrom.toISOString(),
    periodTo: meta.periodTo.toISOString(),
    language: meta.language,
    madeBy: meta.madeBy,
    madeAt: meta.madeAt.toISOString(),
    pdfSha256: meta.pdfSha256,
    csvSha256: meta.csvSha256,
    pdfBytes: meta.pdfBytes,
    csvBytes: meta.csvBytes,
    pdfPath: `/api/reports/${meta.id}/pdf`,
    csvPath: `/api/reports/${meta.id}/csv`,
  };
}

export function reportReadyMessage(meta: ReportMeta): OutboxMessage {
  const id = `${REPORT_READY_EVENT}-${meta.id}`;
  return {
    id,
    topic: reportTopic(meta.district),
    retain: false,
    payload: { id, kind: REPORT_READY_EVENT, district: meta.district, report: reportReadyBody(meta) },
  };
}

/**
 * A province report goes to webhooks of every district (districts null) only; a district's to those and
 * the webhooks naming it. Alert types and min_severity filter alerts, not reports. Returns deliveries queued.
 */
export async function enqueueReportReady(db: Queryable, meta: ReportMeta): Promise<number> {
  const result = await db.query(
    `INSERT INTO webhook_deliveries (webhook_id, report_id, event, payload, state, next_attempt_at)
     SELECT w.id, $1, $2, $3::jsonb, 'pending', now()
       FROM webhooks w
      WHERE w.enabled AND (w.districts IS NULL OR ($4::text IS NOT NULL AND $4 = ANY (w.districts)))
     ON CONFLICT (webhook_id, report_id) WHERE report_id IS NOT NULL DO NOTHING`,
    [
      meta.id,
      REPORT_READY_EVENT,
      JSON.stringify({ event: REPORT_READY_EVENT, report: reportReadyBody(meta) }),
      meta.district,
    ],
  );
  await enqueueMqttMessages(db, [reportReadyMessage(meta)]);
  return result.rowCount ?? 0;
}
