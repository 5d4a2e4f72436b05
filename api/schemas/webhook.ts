// Webhook subscription bodies in and out. The HMAC secret goes out twice only: in the answer to create and
// to rotate-secret; every other answer carries the subscription without it.
import Type from 'typebox';
import { ALERT_TYPES, SEVERITIES } from '../../core/alerts.ts';
import { WEBHOOK_URL_MAX_CHARS } from '../../core/webhookUrl.ts';

const Name = Type.String({ minLength: 1, maxLength: 120, pattern: '^[^\\u0000-\\u001f]*\\S[^\\u0000-\\u001f]*$' });
const Url = Type.String({
  minLength: 1,
  maxLength: WEBHOOK_URL_MAX_CHARS,
  description: 'http:// or https:// URL the alerts are POSTed to; no user:password@',
});
const District = Type.String({ minLength: 1, maxLength: 120, pattern: '^[^\\u0000-\\u001f]+$' });
const Districts = Type.Union([Type.Array(District, { minItems: 1, maxItems: 200, uniqueItems: true }), Type.Null()], {
  description: 'Alerts of these districts only; null = every district',
});
const Types = Type.Union([Type.Array(Type.Enum([...ALERT_TYPES]), { minItems: 1, uniqueItems: true }), Type.Null()], {
  description: 'Alerts of these types only; null = every type',
});
const MinSeverity = Type.Enum([...SEVERITIES], { description: 'Alerts at or above this severity' });

export const WebhookBody = Type.Object({
  id: Type.String(),
  name: Type.String(),
  url: Type.String(),
  districts: Type.Union([Type.Array(Type.String()), Type.Null()]),
  types: Type.Union([Type.Array(Type.String()), Type.Null()]),
  minSeverity: Type.String(),
  enabled: Type.Boolean(),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});
export const WebhookWithSecret = Type.Object({
  ...WebhookBody.properties,
  secret: Type.String({ description: 'HMAC-SHA256 key of the X-IOC-Signature header; shown only in this answer' }),
});
export const WebhookList = Type.Object({ items: Type.Array(WebhookBody), total: Type.Integer() });

export const WebhookCreateBody = Type.Object(
  {
    name: Name,
    url: Url,
    districts: Type.Optional(Districts),
    types: Type.Optional(Types),
    minSeverity: Type.Optional(MinSeverity),
    enabled: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export const WebhookPatchBody = Type.Object(
  {
    name: Type.Optional(Name),
    url: Type.Optional(Url),
    districts: Type.Optional(Districts),
    types: Type.Optional(Types),
    minSeverity: Type.Optional(MinSeverity),
    enabled: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const DeliveryBody = Type.Object({
  id: Type.String({ description: 'Also the X-IOC-Delivery header: the same on every retry' }),
  alertId: Type.Union([Type.String(), Type.Null()], {
    description: "The alert delivered; null for a report's delivery",
  }),
  reportId: Type.Union([Type.String(), Type.Null()], {
    description: "The report announced (event reportReady); null for an alert's delivery",
  }),
  event: Type.String({ description: 'raised, stateChanged, ended (an alert) or reportReady (a report archived)' }),
  state: Type.String({ enum: ['pending', 'delivered', 'failed'] }),
  attempts: Type.Integer(),
  nextAttemptAt: Type.String({ format: 'date-time' }),
  lastStatus: Type.Union([Type.Integer(), Type.Null()]),
  lastError: Type.Union([Type.String(), Type.Null()]),
  deliveredAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
});
export const DeliveryList = Type.Object({ items: Type.Array(DeliveryBody), total: Type.Integer() });
export const DeliveryQuery = Type.Object(
  {
    state: Type.Optional(Type.Enum(['pending', 'delivered', 'failed'])),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 })),
  },
  { additionalProperties: false },
);
