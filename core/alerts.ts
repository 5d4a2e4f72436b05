// Alerts as every room sees them: the rules an operator sets per camera, the signals the analyzer's rule
// engine emits, the stored alert with its lifecycle, and the message alerts travel in. Declared once.
import type { TrafficClass } from './detections.ts';
import type { PointPx } from './geometry.ts';

export const ALERT_TYPES = [
  'crowd', // people in a zone ≥ N for ≥ T s, or density ≥ D
  'intrusion', // a person or vehicle in a restricted zone
  'wrongWay', // crossing a one-way line against its direction, or moving against a lane for ≥ L m
  'stoppedVehicle', // a vehicle stationary in a no-stopping zone ≥ T s
  'congestion', // zone congestion level ≥ X for ≥ T s
  'cameraOffline', // no live video for ≥ T s (from ingest's camera health)
  'cameraFrozen', // the image does not change for ≥ T s
  'cameraBlack', // black or covered lens (dark, or uniform) for ≥ T s
  'cameraViewChanged', // the view differs from its learnt reference for ≥ T s (moved, knocked)
] as const;
export type AlertType = (typeof ALERT_TYPES)[number];

export const CAMERA_PROBLEM_TYPES: readonly AlertType[] = ['cameraOffline', 'cameraFrozen', 'cameraBlack', 'cameraViewChanged'];

export const SEVERITIES = ['info', 'warning', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** new → acknowledged → resolved; or dismissed (false alarm, with a reason) from new or acknowledged. */
export const ALERT_STATES = ['new', 'acknowledged', 'resolved', 'dismissed'] as const;
export type AlertState = (typeof ALERT_STATES)[number];

/**
 * When a rule is active, in local time of the deployment (alerts.timeZone, Asia/Ho_Chi_Minh by default).
 * A window whose `to` is before its `from` runs past midnight (22:00–05:00). Days: 0 = Sunday … 6.
 */
export interface ScheduleWindow {
  from: string; // 'HH:MM'
  to: string; // 'HH:MM'
  days?: number[];
}

interface RuleBase {
  /** Unique within the camera: [a-z0-9-]{1,64}. */
  id: string;
  name?: string;
  enabled?: boolean; // default true
  severity?: Severity; // default per type (core ALERT_DEFAULT_SEVERITY)
  /** After an alert of this rule and subject ends, the same condition within this time re-opens it. Default 60. */
  cooldownS?: number;
  /** Absent or empty: always active. */
  schedule?: ScheduleWindow[];
}

export interface CrowdRule extends RuleBase {
  type: 'crowd';
  zoneId: string;
  /** People in the zone at or above which the condition holds. */
  minPeople?: number;
  /** Or: people per m² (needs the zone's areaM2). At least one of minPeople / minDensityPerM2. */
  minDensityPerM2?: number;
  /** The condition must hold this long. Default 10. */
  minDurationS?: number;
}

export interface IntrusionRule extends RuleBase {
  type: 'intrusion';
  zoneId: string;
  /** Classes that intrude; default every class. */
  classes?: TrafficClass[];
  /** Inside this long before it counts (filters a box flickering on the edge). Default 1. */
  minDurationS?: number;
}

export interface WrongWayRule extends RuleBase {
  type: 'wrongWay';
  /** One-way line: crossing it in `forbiddenDirection` (one of the line's direction names) raises. */
  lineId?: string;
  forbiddenDirection?: string;
  /**
   * Or a lane: a zone and its direction of travel (from → to, image px); a track inside the zone moving
   * against it for ≥ minDistanceM (ground metres with calibration, else px of the frame) raises.
   */
  zoneId?: string;
  laneDirection?: { from: PointPx; to: PointPx };
  minDistanceM?: number;
  /** Classes checked; default the vehicle classes. */
  classes?: TrafficClass[];
}

export interface StoppedVehicleRule extends RuleBase {
  type: 'stoppedVehicle';
  zoneId: string;
  /** Stationary this long. Default 60. */
  minStoppedS?: number;
  /** A vehicle moving less than this (box-height fractions per second, or km/h with calibration) is stationary. */
  maxSpeedKmh?: number;
  classes?: TrafficClass[];
}

export interface CongestionRule extends RuleBase {
  type: 'congestion';
  zoneId: string;
  /** Vehicles the zone holds when full. */
  capacityVehicles: number;
  /** 1 light … 4 jammed (analytics/congestion.ts). Default 3. */
  minLevel?: 1 | 2 | 3 | 4;
  /** Default 120. */
  minDurationS?: number;
}

export interface CameraProblemRule extends RuleBase {
  type: 'cameraOffline' | 'cameraFrozen' | 'cameraBlack' | 'cameraViewChanged';
  /** The problem must last this long. Defaults: offline 10, frozen 20, black 20, view changed 60. */
  minDurationS?: number;
}

export type AlertRule = CrowdRule | IntrusionRule | WrongWayRule | StoppedVehicleRule | CongestionRule | CameraProblemRule;

/** Rules of one camera. Camera-problem types absent here apply with their defaults; `enabled: false` turns one off. */
export interface CameraAlertRules {
  rules: AlertRule[];
}

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
export interface ImageStats {
  /** Mean luma 0..255. */
  meanLuma: number;
  /** Standard deviation of luma over the image (low = uniform: covered, black, fog). */
  stdLuma: number;
  /** 16×16 grayscale thumbnail, row-major, base64 of 256 bytes (frozen and view-change comparisons). */
  thumb: string;
}

export interface AlertDeliveryState {
  webhookId: string;
  webhookName: string;
  state: 'pending' | 'delivered' | 'failed';
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
  deliveredAt: string | null;
}

/** An alert as the API returns it (and as WebSocket and webhooks carry it). */
export interface Alert {
  id: string;
  cameraId: string;
  cameraName: string;
  district: string;
  ruleId: string;
  type: AlertType;
  severity: Severity;
  subject: string;
  /** English line written when it was raised (kept for old clients and logs); `message` is what people read. */
  summary: string;
  /** The facts rendered in the reader's language (Vietnamese unless asked otherwise): core/alertMessage.ts. */
  message: string;
  /** Facts: className, trackId, lineId/lineName, zoneId/zoneName, direction/directionName, speedKmh, durations… */
  details: Record<string, string | number | boolean | null>;
  state: AlertState;
  /** The condition still holds (false once the engine ended it). */
  active: boolean;
  startedAt: string;
  lastSeenAt: string;
  endedAt: string | null;
  /** When it was stored (wall clock): startedAt → raisedAt is the detection latency. */
  raisedAt: string;
  /**
   * Capture time of the frame whose analysis raised it (its evidence frame): startedAt for an instant event
   * seen at once, later for a condition that had to last, or a line crossing held until its track was
   * confirmed. Null for alerts raised from camera health (offline), which no frame triggers.
   */
  triggeredAt: string | null;
  /** Times the condition re-opened within the cooldown. */
  occurrences: number;
  assignee: string | null;
  resolutionNote: string | null;
  hasSnapshot: boolean;
  clipState: 'pending' | 'ready' | 'unavailable';
  updatedAt: string;
}

/** Who changed an alert and how: the alert's audit trail. */
export interface AlertHistoryEntry {
  at: string;
  actor: string;
  actorKind: 'system' | 'user' | 'apiKey';
  action: 'raised' | 'updated' | 'ended' | 'reopened' | 'acknowledged' | 'assigned' | 'noted' | 'resolved' | 'dismissed' | 'snapshotViewed' | 'clipViewed';
  note: string | null;
}

/** What core/redis.ts redisChannels.alerts carries: every stored alert change. */
export interface AlertMessage {
  type: 'alert';
  event: 'raised' | 'updated' | 'ended' | 'stateChanged';
  alert: Alert;
}
