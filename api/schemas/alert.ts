// Alerts as the API speaks them: the alert, its history and webhook deliveries, the list query and the
// bodies of the lifecycle actions. The Alert shape is core/alerts.ts's, written once here as a schema.
import Type from 'typebox';
import { ALERT_STATES, ALERT_TYPES, SEVERITIES } from '../../core/alerts.ts';

const Iso = Type.String({ format: 'date-time' });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);

export const RulePrecisionList = Type.Object({
  items: Type.Array(
    Type.Object({
      cameraId: Type.String(),
      cameraName: Type.String(),
      district: Type.String(),
      ruleId: Type.String(),
      type: Type.String({ enum: [...ALERT_TYPES] }),
      confirmed: Type.Integer({ description: 'Acknowledged or resolved' }),
      dismissed: Type.Integer({ description: 'Dismissed as a false alarm' }),
      unjudged: Type.Integer({ description: 'Still new' }),
      precision: Type.Union([Type.Number({ description: 'confirmed / (confirmed + dismissed)' }), Type.Null()]),
    }),
  ),
});

export const PrecisionQuery = Type.Object(
  {
    days: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650, description: 'Alerts started in the last N days; default all. Not with from/to' })),
    from: Type.Optional(Type.String({ format: 'date-time', description: 'Alerts started at or after this (a report\'s period start)' })),
    to: Type.Optional(Type.String({ format: 'date-time', description: 'Alerts started before this (a report\'s period end)' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000, default: 1000, description: 'At most this many camera × rule rows, by camera name' })),
  },
  { additionalProperties: false },
);

const LangParam = Type.String({ enum: ['vi', 'en'], description: 'Language of messages and captions; default vi' });

export const AlertBody = Type.Object({
  id: Type.String({ format: 'uuid' }),
  cameraId: Type.String({ format: 'uuid' }),
  cameraName: Type.String(),
  district: Type.String(),
  ruleId: Type.String(),
  type: Type.String({ enum: [...ALERT_TYPES] }),
  severity: Type.String({ enum: [...SEVERITIES] }),
  subject: Type.String({ description: 'track:<id>, zone:<id>, line:<id>:track:<id> or camera' }),
  summary: Type.String({ description: 'One line in English as written when raised (kept for old clients); read `message`' }),
  message: Type.String({ description: "The alert's facts as a sentence in the reader's language: Vietnamese, or English with ?lang=en" }),
  details: Type.Record(Type.String(), Type.Union([Type.String(), Type.Number(), Type.Boolean(), Type.Null()])),
  state: Type.String({ enum: [...ALERT_STATES] }),
  active: Type.Boolean({ description: 'The condition still holds' }),
  startedAt: Iso,
  lastSeenAt: Iso,
  endedAt: Nullable(Iso),
  raisedAt: Type.String({ format: 'date-time', description: 'When it was stored: startedAt → raisedAt is the detection latency' }),
  triggeredAt: Nullable(Type.String({ format: 'date-time', description: 'Capture time of the frame whose analysis raised it (null for camera-health alerts): triggeredAt → raisedAt is the processing latency' })),
  occurrences: Type.Integer({ description: 'Times the condition re-opened within the cooldown, plus one' }),
  assignee: Nullable(Type.String()),
  resolutionNote: Nullable(Type.String()),
  hasSnapshot: Type.Boolean(),
  clipState: Type.String({ enum: ['pending', 'ready', 'unavailable'] }),
  updatedAt: Iso,
});

export const AlertHistoryBody = Type.Object({
  at: Iso,
  actor: Type.String(),
  actorKind: Type.String({ enum: ['system', 'user', 'apiKey'] }),
  action: Type.String(),
  note: Nullable(Type.String()),
});

export const AlertDeliveryBody = Type.Object({
  webhookId: Type.String(),
  webhookName: Type.String(),
  state: Type.String({ enum: ['pending', 'delivered', 'failed'] }),
  attempts: Type.Integer(),
  lastStatus: Nullable(Type.Integer()),
  lastError: Nullable(Type.String()),
  deliveredAt: Nullable(Iso),
});

export const AlertDetailBody = Type.Object({
  alert: AlertBody,
  history: Type.Array(AlertHistoryBody),
  deliveries: Type.Array(AlertDeliveryBody),
});

export const AlertList = Type.Object({ items: Type.Array(AlertBody), total: Type.Integer() });

/** A comma-separated list of the given words (the pattern is the validation and the documentation). */
function csvOf(words: readonly string[], description: string) {
  const one = `(${words.join('|')})`;
  return Type.Optional(Type.String({ maxLength: 2000, pattern: `^${one}(,${one})*$`, description }));
}

const UUID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';

export const AlertListQuery = Type.Object(
  {
    from: Type.Optional(Type.String({ format: 'date-time', description: 'Alerts started at or after (ISO 8601 with zone); default 24 h before to' })),
    to: Type.Optional(Type.String({ format: 'date-time', description: 'Alerts started before; default now. At most 31 days after from' })),
    state: csvOf(ALERT_STATES, `Comma-separated states: ${ALERT_STATES.join(', ')}`),
    type: csvOf(ALERT_TYPES, `Comma-separated types: ${ALERT_TYPES.join(', ')}`),
    severity: csvOf(SEVERITIES, `Comma-separated severities: ${SEVERITIES.join(', ')}`),
    cameraId: Type.Optional(Type.String({ maxLength: 2000, pattern: `^${UUID}(,${UUID})*$`, description: 'Comma-separated camera ids' })),
    district: Type.Optional(Type.String({ maxLength: 2000, pattern: '^[^,]+(,[^,]+)*$', description: 'Comma-separated districts (within yours)' })),
    active: Type.Optional(Type.Boolean({ description: 'true: the condition still holds; false: it ended' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 })),
    lang: Type.Optional(LangParam),
  },
  { additionalProperties: false },
);

/** `?lang=` of the routes that render alerts (and snapshot captions) for people. */
export const LangQuery = Type.Object({ lang: Type.Optional(LangParam) }, { additionalProperties: false });

const Note = Type.String({ minLength: 1, maxLength: 2000, pattern: '\\S' });

export const AlertNoteOptionalBody = Type.Object({ note: Type.Optional(Note) }, { additionalProperties: false });
export const AlertNoteBody = Type.Object({ note: Note }, { additionalProperties: false });
export const AlertDismissBody = Type.Object(
  { reason: Type.String({ minLength: 1, maxLength: 2000, pattern: '\\S', description: 'Why this is a false alarm (required)' }) },
  { additionalProperties: false },
);
export const AlertAssignBody = Type.Object(
  { assignee: Type.Union([Type.String({ minLength: 1, maxLength: 120, pattern: '\\S' }), Type.Null()], { description: 'Who handles it; null to unassign' }) },
  { additionalProperties: false },
);

/** Rules are checked by alerts/validateRules.ts against the camera's zones and lines (exact field paths). */
export const AlertRulesBody = Type.Object(
  {
    rules: Type.Array(Type.Record(Type.String(), Type.Unknown()), {
      maxItems: 100,
      description: 'AlertRule objects (core/alerts.ts); each checked against the camera\'s zones and lines',
    }),
  },
  { additionalProperties: false },
);
