// Alerts as the API speaks them: the alert, its history and webhook deliveries, the list query and the
// bodies of the lifecycle actions. The alert, its history and deliveries are core/alerts.ts's schemas.
import Type from 'typebox';
import { CameraAlertRulesSchema } from '../../core/alertRules.ts';
import {
  ALERT_STATES,
  ALERT_TYPES,
  AlertDeliveryStateSchema,
  AlertHistoryEntrySchema,
  AlertSchema,
  SEVERITIES,
} from '../../core/alerts.ts';

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
    days: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 3650,
        description: 'Alerts started in the last N days; default all. Not with from/to',
      }),
    ),
    from: Type.Optional(
      Type.String({ format: 'date-time', description: "Alerts started at or after this (a report's period start)" }),
    ),
    to: Type.Optional(
      Type.String({ format: 'date-time', description: "Alerts started before this (a report's period end)" }),
    ),
    limit: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 10000,
        default: 1000,
        description: 'At most this many camera × rule rows, by camera name',
      }),
    ),
  },
  { additionalProperties: false },
);

const LangParam = Type.String({ enum: ['vi', 'en'], description: 'Language of messages and captions; default vi' });

/** The stored alert's own schema (core/alerts.ts), not a copy: the store's type and this response cannot drift. */
export const AlertBody = AlertSchema;

export const AlertDetailBody = Type.Object({
  alert: AlertBody,
  history: Type.Array(AlertHistoryEntrySchema),
  deliveries: Type.Array(AlertDeliveryStateSchema),
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
    from: Type.Optional(
      Type.String({
        format: 'date-time',
        description: 'Alerts started at or after (ISO 8601 with zone); default 24 h before to',
      }),
    ),
    to: Type.Optional(
      Type.String({
        format: 'date-time',
        description: 'Alerts started before; default now. At most 31 days after from',
      }),
    ),
    state: csvOf(ALERT_STATES, `Comma-separated states: ${ALERT_STATES.join(', ')}`),
    type: csvOf(ALERT_TYPES, `Comma-separated types: ${ALERT_TYPES.join(', ')}`),
    severity: csvOf(SEVERITIES, `Comma-separated severities: ${SEVERITIES.join(', ')}`),
    cameraId: Type.Optional(
      Type.String({ maxLength: 2000, pattern: `^${UUID}(,${UUID})*$`, description: 'Comma-separated camera ids' }),
    ),
    district: Type.Optional(
      Type.String({
        maxLength: 2000,
        pattern: '^[^,]+(,[^,]+)*$',
        description: 'Comma-separated districts (within yours)',
      }),
    ),
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
  {
    reason: Type.String({
      minLength: 1,
      maxLength: 2000,
      pattern: '\\S',
      description: 'Why this is a false alarm (required)',
    }),
  },
  { additionalProperties: false },
);
export const AlertAssignBody = Type.Object(
  {
    assignee: Type.Union([Type.String({ minLength: 1, maxLength: 120, pattern: '\\S' }), Type.Null()], {
      description: 'Who handles it; null to unassign',
    }),
  },
  { additionalProperties: false },
);

/**
 * One schema per rule type (core/alertRules.ts), so /docs describes each type's fields. The route checks a body
 * with it through alerts/ruleShape.ts (messages naming `rules[2].zoneId`), then against the camera's zones and lines.
 */
export const AlertRulesBody = CameraAlertRulesSchema;
