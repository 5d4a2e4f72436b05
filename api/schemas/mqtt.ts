// The MQTT channel's payloads as TypeBox schemas: one source for the AsyncAPI document and the tests that
// check published messages against it. Every payload carries `id`, stable per content: duplicates share it.
import Type from 'typebox';
import { MQTT_ALERT_EVENTS } from '../../core/mqttTopics.ts';
import { AlertBody } from './alert.ts';

const Iso = Type.String({ format: 'date-time' });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);
const Envelope = {
  id: Type.String({
    description: 'Stable message id, derived from topic and content: a redelivered message has the same id',
  }),
  district: Type.String({ description: 'District name as stored (Vietnamese); its slug is the topic level' }),
  cameraId: Type.String({ format: 'uuid' }),
};

export const MqttAlertPayload = Type.Object({
  ...Envelope,
  kind: Type.Literal('alert'),
  event: Type.String({
    enum: [...MQTT_ALERT_EVENTS],
    description:
      'raised; acknowledged, resolved, dismissed (people); ended (condition cleared); reopened (a camera problem back)',
  }),
  at: Iso,
  alert: AlertBody,
});

export const MqttCountsPayload = Type.Object(
  {
    ...Envelope,
    kind: Type.Literal('counts'),
    lineId: Type.String(),
    minute: Type.String({ format: 'date-time', description: 'Start of the UTC minute' }),
    total: Type.Integer({ minimum: 0 }),
    counts: Type.Array(
      Type.Object({
        direction: Type.String(),
        class: Type.String({ description: 'person, bicycle, motorbike, car, bus, truck' }),
        count: Type.Integer({ minimum: 0 }),
        meanSpeedKmh: Nullable(Type.Number()),
      }),
    ),
  },
  {
    description:
      "A line's crossings in one minute. A minute re-written later (late frames) is published again with a new id: keep the latest per (cameraId, lineId, minute).",
  },
);

export const MqttZonesPayload = Type.Object({
  ...Envelope,
  kind: Type.Literal('zones'),
  zoneId: Type.String(),
  minute: Type.String({ format: 'date-time' }),
  classes: Type.Array(
    Type.Object({
      class: Type.String(),
      occupancyAvg: Type.Number(),
      occupancyMax: Type.Integer(),
      densityAvg: Nullable(Type.Number()),
    }),
  ),
});

export const MqttStatusPayload = Type.Object(
  {
    ...Envelope,
    kind: Type.Literal('status'),
    state: Type.String({
      enum: ['starting', 'live', 'reconnecting', 'failed', 'stopped', 'unreported'],
      description: "ingest's state; 'unreported' when ingest wrote nothing for 30 s (ingest down)",
    }),
    online: Type.Boolean(),
    at: Iso,
  },
  { description: "Retained: a new subscriber receives every camera's current state at once" },
);

export const MqttPublisherStatusPayload = Type.Object({
  kind: Type.Literal('publisherStatus'),
  clientId: Type.String(),
  online: Type.Boolean({ description: 'false from the last will when the publisher died, or on a clean stop' }),
});

/** A report as announced when archived: the webhook's `report` and the MQTT payload's are the same object. */
export const ReportReadyBody = Type.Object({
  id: Type.String({ format: 'uuid', description: "The report's id (GET /api/reports/{id})" }),
  kind: Type.String({ enum: ['daily', 'weekly', 'monthly'] }),
  district: Nullable(Type.String({ description: 'null: the whole province' })),
  periodFrom: Type.String({
    format: 'date-time',
    description: 'Data range start (inclusive), UTC; a local (UTC+7) midnight',
  }),
  periodTo: Type.String({ format: 'date-time', description: 'Data range end (exclusive), UTC' }),
  language: Type.String({ description: 'Language of the documents: vi (default) or en' }),
  madeBy: Type.String({ description: "'scheduler', or the user or API key that asked" }),
  madeAt: Iso,
  pdfSha256: Type.String({ description: 'sha256 (hex) of the PDF as downloaded' }),
  csvSha256: Type.String({ description: 'sha256 (hex) of the CSV as downloaded' }),
  pdfBytes: Type.Integer({ minimum: 1 }),
  csvBytes: Type.Integer({ minimum: 1 }),
  pdfPath: Type.String({ description: 'GET this path on the IOC API (reports:read) for the PDF' }),
  csvPath: Type.String({ description: 'GET this path on the IOC API (reports:read) for the CSV' }),
});

export const MqttReportReadyPayload = Type.Object(
  {
    id: Type.String({ description: 'reportReady-<report id>: the same on every redelivery' }),
    kind: Type.Literal('reportReady'),
    district: Nullable(
      Type.String({ description: "District name as stored (Vietnamese); null for the province's report" }),
    ),
    report: ReportReadyBody,
  },
  { description: 'A daily, weekly or monthly report archived (on demand or by the schedule), once per report.' },
);
