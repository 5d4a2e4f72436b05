// The alert rules an operator sets per camera, as one TypeBox schema per rule type joined on `type`: the
// TypeScript types, the API's validation and OpenAPI, and the analyzer's rules all come from these.
import Type, { type Static, type TObject } from 'typebox';
import { TRAFFIC_CLASSES } from './detections.ts';
import { StringEnum } from './stringEnum.ts';

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

export const SEVERITIES = ['info', 'warning', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const MAX_RULES_PER_CAMERA = 100;
const DAY_S = 86_400;

/** Patterns with the words a person reads when a value does not match (alerts/ruleShape.ts). */
export const RULE_ID_PATTERN = '^[a-z0-9-]{1,64}$';
export const HH_MM_PATTERN = '^([01]\\d|2[0-3]):[0-5]\\d$';
export const NOT_BLANK_PATTERN = '\\S';
export const PATTERN_WORDS: Record<string, string> = {
  [RULE_ID_PATTERN]: 'must be 1–64 characters of a-z, 0-9 and -',
  [HH_MM_PATTERN]: "must be a time 'HH:MM' (00:00–23:59)",
  [NOT_BLANK_PATTERN]: 'must not be blank',
};

const Seconds = (description: string, minimum = 0) => Type.Number({ minimum, maximum: DAY_S, description });
const GeometryId = (description: string) => Type.String({ minLength: 1, maxLength: 64, description });
const Classes = (description: string) =>
  Type.Array(StringEnum(TRAFFIC_CLASSES), { minItems: 1, maxItems: 20, description });

/**
 * When a rule is active, in local time of the deployment (alerts.timeZone, Asia/Ho_Chi_Minh by default).
 * A window whose `to` is before its `from` runs past midnight (22:00–05:00). Days: 0 = Sunday … 6.
 */
export const ScheduleWindowSchema = Type.Object(
  {
    from: Type.String({ pattern: HH_MM_PATTERN, description: 'HH:MM local time' }),
    to: Type.String({ pattern: HH_MM_PATTERN, description: 'HH:MM local time; before from: runs past midnight' }),
    days: Type.Optional(
      Type.Array(Type.Integer({ minimum: 0, maximum: 6 }), {
        minItems: 1,
        maxItems: 7,
        description: '0 = Sunday … 6; absent: every day',
      }),
    ),
  },
  { additionalProperties: false },
);
export type ScheduleWindow = Static<typeof ScheduleWindowSchema>;

/** Fields every rule has, then `type` and the type's own fields. */
function ruleSchema<const T extends AlertType, P extends Parameters<typeof Type.Object>[0]>(
  type: T,
  description: string,
  properties: P,
) {
  return Type.Object(
    {
      id: Type.String({
        pattern: RULE_ID_PATTERN,
        description: 'Unique within the camera: 1–64 characters of a-z, 0-9 and -',
      }),
      type: Type.Literal(type),
      name: Type.Optional(Type.String({ minLength: 1, maxLength: 200, pattern: NOT_BLANK_PATTERN })),
      enabled: Type.Optional(Type.Boolean({ description: 'Default true' })),
      severity: Type.Optional(StringEnum(SEVERITIES, { description: 'Default per type' })),
      cooldownS: Type.Optional(
        Seconds(
          'After an alert of this rule and subject ends, the same condition within this time re-opens it. Default 60',
        ),
      ),
      schedule: Type.Optional(
        Type.Array(ScheduleWindowSchema, { maxItems: 20, description: 'Absent or empty: always active' }),
      ),
      ...properties,
    },
    { additionalProperties: false, title: type, description },
  );
}

export const CrowdRuleSchema = ruleSchema('crowd', 'People in a zone at or above a count (or a density) for a time', {
  zoneId: GeometryId('The zone watched'),
  minPeople: Type.Optional(
    Type.Integer({
      minimum: 1,
      maximum: 100_000,
      description: 'People in the zone at or above which the condition holds',
    }),
  ),
  minDensityPerM2: Type.Optional(
    Type.Number({
      exclusiveMinimum: 0,
      maximum: 100,
      description: "Or people per m² (needs the zone's areaM2). At least one of minPeople / minDensityPerM2",
    }),
  ),
  minDurationS: Type.Optional(Seconds('The condition must hold this long. Default 10')),
});

export const IntrusionRuleSchema = ruleSchema('intrusion', 'A person or vehicle in a restricted zone', {
  zoneId: GeometryId('The restricted zone'),
  classes: Type.Optional(Classes('Classes that intrude; default every class')),
  minDurationS: Type.Optional(
    Seconds('Inside this long before it counts (filters a box flickering on the edge). Default 1'),
  ),
});

const PointSchema = Type.Object(
  { x: Type.Number({ minimum: 0, maximum: 100_000 }), y: Type.Number({ minimum: 0, maximum: 100_000 }) },
  { additionalProperties: false, description: 'Image px of the analysed frame' },
);

export const WrongWayRuleSchema = ruleSchema(
  'wrongWay',
  'Against a one-way line (lineId, forbiddenDirection) or against a lane (zoneId, laneDirection), one of the two',
  {
    lineId: Type.Optional(GeometryId('One-way line: crossing it in forbiddenDirection raises')),
    forbiddenDirection: Type.Optional(
      Type.String({ minLength: 1, maxLength: 120, description: "One of the line's direction names" }),
    ),
    zoneId: Type.Optional(GeometryId('Or a lane: a track inside this zone moving against laneDirection raises')),
    laneDirection: Type.Optional(
      Type.Object(
        { from: PointSchema, to: PointSchema },
        { additionalProperties: false, description: 'Direction of travel of the lane (from → to)' },
      ),
    ),
    minDistanceM: Type.Optional(
      Type.Number({
        exclusiveMinimum: 0,
        maximum: 10_000,
        description: 'Lane mode: distance against the lane (ground metres with calibration, else px)',
      }),
    ),
    classes: Type.Optional(Classes('Classes checked; default the vehicle classes')),
  },
);

export const StoppedVehicleRuleSchema = ruleSchema(
  'stoppedVehicle',
  'A vehicle stationary in a no-stopping zone for a time',
  {
    zoneId: GeometryId('The no-stopping zone'),
    minStoppedS: Type.Optional(Seconds('Stationary this long. Default 60', 1)),
    maxSpeedKmh: Type.Optional(
      Type.Number({
        exclusiveMinimum: 0,
        maximum: 200,
        description:
          'A vehicle moving less than this (box-height fractions per second, or km/h with calibration) is stationary',
      }),
    ),
    classes: Type.Optional(Classes('Classes checked; default the vehicle classes')),
  },
);

export const CongestionRuleSchema = ruleSchema('congestion', 'Zone congestion level at or above a level for a time', {
  zoneId: GeometryId('The zone watched'),
  capacityVehicles: Type.Integer({ minimum: 1, maximum: 10_000, description: 'Vehicles the zone holds when full' }),
  minLevel: Type.Optional(
    Type.Unsafe<1 | 2 | 3 | 4>(Type.Integer({ minimum: 1, maximum: 4, description: '1 light … 4 jammed. Default 3' })),
  ),
  minDurationS: Type.Optional(Seconds('Default 120')),
});

const cameraProblem = <const T extends AlertType>(type: T, description: string) =>
  ruleSchema(type, description, {
    minDurationS: Type.Optional(
      Seconds('The problem must last this long. Defaults: offline 10, frozen 20, black 20, view changed 60'),
    ),
  });
export const CameraOfflineRuleSchema = cameraProblem('cameraOffline', 'No live video for a time');
export const CameraFrozenRuleSchema = cameraProblem('cameraFrozen', 'The image does not change for a time');
export const CameraBlackRuleSchema = cameraProblem('cameraBlack', 'Black or covered lens for a time');
export const CameraViewChangedRuleSchema = cameraProblem(
  'cameraViewChanged',
  'The view differs from its learnt reference for a time',
);

/** One schema per rule type, by type: the checker picks the branch by `type`, the docs test walks them all. */
export const RULE_SCHEMAS = {
  crowd: CrowdRuleSchema,
  intrusion: IntrusionRuleSchema,
  wrongWay: WrongWayRuleSchema,
  stoppedVehicle: StoppedVehicleRuleSchema,
  congestion: CongestionRuleSchema,
  cameraOffline: CameraOfflineRuleSchema,
  cameraFrozen: CameraFrozenRuleSchema,
  cameraBlack: CameraBlackRuleSchema,
  cameraViewChanged: CameraViewChangedRuleSchema,
} as const satisfies Record<AlertType, TObject>;

export const AlertRuleSchema = Type.Union(
  ALERT_TYPES.map((type) => RULE_SCHEMAS[type]) as unknown as [
    typeof CrowdRuleSchema,
    typeof IntrusionRuleSchema,
    typeof WrongWayRuleSchema,
    typeof StoppedVehicleRuleSchema,
    typeof CongestionRuleSchema,
    typeof CameraOfflineRuleSchema,
    typeof CameraFrozenRuleSchema,
    typeof CameraBlackRuleSchema,
    typeof CameraViewChangedRuleSchema,
  ],
  { description: 'An alert rule: its fields depend on its type' },
);

/** Rules of one camera. Camera-problem types absent here apply with their defaults; `enabled: false` turns one off. */
export const CameraAlertRulesSchema = Type.Object(
  {
    rules: Type.Array(AlertRuleSchema, {
      maxItems: MAX_RULES_PER_CAMERA,
      description: "Each checked against the camera's zones and lines too",
    }),
  },
  { additionalProperties: false },
);

export type CrowdRule = Static<typeof CrowdRuleSchema>;
export type IntrusionRule = Static<typeof IntrusionRuleSchema>;
export type WrongWayRule = Static<typeof WrongWayRuleSchema>;
export type StoppedVehicleRule = Static<typeof StoppedVehicleRuleSchema>;
export type CongestionRule = Static<typeof CongestionRuleSchema>;
export type CameraProblemRule =
  | Static<typeof CameraOfflineRuleSchema>
  | Static<typeof CameraFrozenRuleSchema>
  | Static<typeof CameraBlackRuleSchema>
  | Static<typeof CameraViewChangedRuleSchema>;
export type AlertRule = Static<typeof AlertRuleSchema>;
export type CameraAlertRules = Static<typeof CameraAlertRulesSchema>;
