// Alerts as every room sees them: the rules an operator sets per camera, the signals the analyzer's rule
// engine emits, the stored alert with its lifecycle, and the message alerts travel in. Declared once.
import Type, { type Static } from 'typebox';
import { ALERT_TYPES, SEVERITIES, type AlertType, type Severity } from './alertRules.ts';
import { StringEnum } from './stringEnum.ts';

// The rules and their vocabulary live in core/alertRules.ts (schemas); every room keeps importing them from here.
export { ALERT_TYPES, SEVERITIES };
export type {
  AlertRule,
  AlertType,
  CameraAlertRules,
  CameraProblemRule,
  CongestionRule,
  CrowdRule,
  IntrusionRule,
  ScheduleWindow,
  Severity,
  StoppedVehicleRule,
  WrongWayRule,
} from './alertRules.ts';

export const CAMERA_PROBLEM_TYPES: readonly AlertType[] = [
  'cameraOffline',
  'cameraFrozen',
  'cameraBlack',
  'cameraViewChanged',
];

/** new → acknowledged → resolved; or dismissed (false alarm, with a reason) from new or acknowledged. */
export const ALERT_STATES = ['new', 'acknowledged', 'resolved', 'dismissed'] as const;
export type AlertState = (typeof ALERT_STATES)[number];

export const ALERT_DEFAULT_SEVERITY: Record<AlertType, Severity> = {
  crowd: 'warning',
  intrusion: 'critical',
  wrongWay: 'warning',
  stoppedVehicle: 'warning',
  congestion: 'info',
  cameraOffline: 'warning',
  cameraFrozen: 'warning',
  cameraBlack: 'warning',
  cameraViewChanged: 'info',
};

/** A box drawn on the evidence snapshot, xyxy in px of the analysed frame. */
export interface EvidenceBox {
  box: [number, number, number, number];
  label: string;
  trackId: number | null;
}

/** What the rule engine saw when it raised: the frame (by seq) and what to draw on it. */
export interface AlertEvidence {
  seq: number | null;
  capturedAtMs: number;
  frameWidthPx: number;
  frameHeightPx: number;
  boxes: EvidenceBox[];
  zoneId: string | null;
  lineId: string | null;
}

/**
 * What the engine emits. `key` is deterministic (camera, rule, subject, start time in event time), so a
 * replay after a crash emits the same keys and the store applies each signal at most once.
 */
export interface AlertSignal {
  kind: 'raise' | 'update' | 'end';
  key: string;
  cameraId: string;
  ruleId: string;
  type: AlertType;
  severity: Severity;
  /** What the alert is about: `track:<id>`, `zone:<id>`, `line:<id>:track:<id>` or `camera`. */
  subject: string;
  /** Event time the condition started (raise) — part of the key. */
  startedAtMs: number;
  /** Event time of this signal. */
  atMs: number;
  /** One line for a duty officer, in English; the console translates by type. */
  summary: string;
  /** Figures of the condition (people, dwellS, speedKmh, level, className…). */
  details: Record<string, string | number | boolean | null>;
  /** Present on 'raise' (and on 'update' when a better frame is worth keeping). */
  evidence?: AlertEvidence;
}

/** Cheap whole-image statistics the worker adds to a result, for the camera-problem rules. */
export const ImageStatsSchema = Type.Object({
  meanLuma: Type.Number({ description: 'Mean luma 0..255' }),
  stdLuma: Type.Number({
    description: 'Standard deviation of luma over the image (low = uniform: covered, black, fog)',
  }),
  thumb: Type.String({
    description: '16×16 grayscale thumbnail, row-major, base64 of 256 bytes (frozen and view-change comparisons)',
  }),
});
export type ImageStats = Static<typeof ImageStatsSchema>;

const Iso = (description?: string) => Type.String({ format: 'date-time', description });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);

export const AlertDeliveryStateSchema = Type.Object({
  webhookId: Type.String(),
  webhookName: Type.String(),
  state: StringEnum(['pending', 'delivered', 'failed']),
  attempts: Type.Integer(),
  lastStatus: Nullable(Type.Integer()),
  lastError: Nullable(Type.String()),
  deliveredAt: Nullable(Iso()),
});
export type AlertDeliveryState = Static<typeof AlertDeliveryStateSchema>;

/** An alert as the API returns it (and as WebSocket and webhooks carry it): the one declaration. */
export const AlertSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  cameraId: Type.String({ format: 'uuid' }),
  cameraName: Type.String(),
  district: Type.String(),
  ruleId: Type.String(),
  type: StringEnum(ALERT_TYPES),
  severity: StringEnum(SEVERITIES),
  subject: Type.String({ description: 'track:<id>, zone:<id>, line:<id>:track:<id> or camera' }),
  summary: Type.String({
    description: 'One line in English as written when raised (kept for old clients and logs); read `message`',
  }),
  message: Type.String({
    description:
      "The alert's facts as a sentence in the reader's language: Vietnamese, or English with ?lang=en (core/alertMessage.ts)",
  }),
  details: Type.Record(Type.String(), Type.Union([Type.String(), Type.Number(), Type.Boolean(), Type.Null()]), {
    description:
      'Facts: className, trackId, lineId/lineName, zoneId/zoneName, direction/directionName, speedKmh, durations…',
  }),
  state: StringEnum(ALERT_STATES),
  active: Type.Boolean({ description: 'The condition still holds (false once the engine ended it)' }),
  startedAt: Iso(),
  lastSeenAt: Iso(),
  endedAt: Nullable(Iso()),
  raisedAt: Iso('When it was stored (wall clock): startedAt → raisedAt is the detection latency'),
  // Later than startedAt for a condition that had to last, or a line crossing held until its track was confirmed.
  triggeredAt: Nullable(
    Iso(
      'Capture time of the frame whose analysis raised it (null for camera-health alerts): triggeredAt → raisedAt is the processing latency',
    ),
  ),
  occurrences: Type.Integer({ description: 'Times the condition re-opened within the cooldown, plus one' }),
  assignee: Nullable(Type.String()),
  resolutionNote: Nullable(Type.String()),
  hasSnapshot: Type.Boolean(),
  clipState: StringEnum(['pending', 'ready', 'unavailable']),
  updatedAt: Iso(),
});
export type Alert = Static<typeof AlertSchema>;

export const ALERT_HISTORY_ACTIONS = [
  'raised',
  'updated',
  'ended',
  'reopened',
  'acknowledged',
  'assigned',
  'noted',
  'resolved',
  'dismissed',
  'snapshotViewed',
  'clipViewed',
] as const;

/** Who changed an alert and how: the alert's audit trail. */
export const AlertHistoryEntrySchema = Type.Object({
  at: Iso(),
  actor: Type.String(),
  actorKind: StringEnum(['system', 'user', 'apiKey']),
  action: StringEnum(ALERT_HISTORY_ACTIONS),
  note: Nullable(Type.String()),
});
export type AlertHistoryEntry = Static<typeof AlertHistoryEntrySchema>;

/** What core/redis.ts redisChannels.alerts carries: every stored alert change. */
export interface AlertMessage {
  type: 'alert';
  event: 'raised' | 'updated' | 'ended' | 'stateChanged';
  alert: Alert;
}
