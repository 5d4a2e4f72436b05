// /api/alerts: the alert feed of the caller's districts, one alert with its history and webhook deliveries,
// and the lifecycle actions. Every action is written to the audit log and the alert's history, and announced
// on the alerts channel so every open console updates at once.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import type { TSchema } from 'typebox';
import type { Alert, AlertState, AlertType, Severity } from '../core/alerts.ts';
import { alertMessage, langOf, type AlertLang } from '../core/alertMessage.ts';
import { ValidationError } from '../core/errors.ts';
import type { AlertAction, AlertStore, TransitionInput } from '../store/alerts.ts';
import type { AlertFeed } from './alertFeed.ts';
import { actorOf, visibleAlert } from './alertScope.ts';
import type { AuditTrail } from './auditTrail.ts';
import { principalOf } from './authenticate.ts';
import {
  AlertAssignBody,
  AlertBody,
  AlertDetailBody,
  AlertDismissBody,
  AlertList,
  AlertListQuery,
  AlertNoteBody,
  LangQuery,
  PrecisionQuery,
  RulePrecisionList,
  AlertNoteOptionalBody,
} from './schemas/alert.ts';
import { ErrorBody, IdParams } from './schemas/common.ts';

export interface AlertsPluginOptions {
  alerts: AlertStore;
  /** Where changes are announced; without it consoles see them on their next refresh. */
  feed?: AlertFeed;
  audit: AuditTrail;
}

const DAY_MS = 86_400_000;
const MAX_RANGE_DAYS = 31;

type ListQuery = {
  from?: string;
  to?: string;
  state?: string;
  type?: string;
  severity?: string;
  cameraId?: string;
  district?: string;
  active?: boolean;
  limit?: number;
  offset?: number;
};

const list = (value: string | undefined) =>
  value
    ?.split(',')
    .map((v) => v.trim())
    .filter(Boolean);

/** The list query, its range checked and its districts narrowed to the caller's: another district finds none. */
function alertQuery(request: FastifyRequest) {
  const raw = request.query as ListQuery;
  const toMs = raw.to ? Date.parse(raw.to) : Date.now();
  const fromMs = raw.from ? Date.parse(raw.from) : toMs - DAY_MS;
  if (!(toMs > fromMs)) throw new ValidationError('to must be after from', { field: 'to' });
  if (toMs - fromMs > MAX_RANGE_DAYS * DAY_MS)
    throw new ValidationError(`the range is limited to ${MAX_RANGE_DAYS} days`, { field: 'from' });
  const own = principalOf(request).districts;
  const asked = list(raw.district);
  const districts = own === null ? (asked ?? null) : asked ? asked.filter((d) => own.includes(d)) : [...own];
  return {
    fromMs,
    toMs,
    districts,
    limit: raw.limit ?? 100,
    offset: raw.offset ?? 0,
    states: list(raw.state) as AlertState[] | undefined,
    types: list(raw.type) as AlertType[] | undefined,
    severities: list(raw.severity) as Severity[] | undefined,
    cameraIds: list(raw.cameraId),
    active: raw.active,
  };
}

interface ActionRoute {
  path: string;
  action: AlertAction;
  summary: string;
  body: TSchema;
  input(body: Record<string, unknown>): TransitionInput;
}

const ACTIONS: ActionRoute[] = [
  {
    path: 'acknowledge',
    action: 'acknowledge',
    summary: 'Acknowledge a new alert (someone is on it)',
    body: AlertNoteOptionalBody,
    input: (b) => ({ note: b.note as string | undefined }),
  },
  {
    path: 'resolve',
    action: 'resolve',
    summary: 'Resolve an open alert, with an optional note; final',
    body: AlertNoteOptionalBody,
    input: (b) => ({ note: b.note as string | undefined }),
  },
  {
    path: 'dismiss',
    action: 'dismiss',
    summary: 'Dismiss an open alert as a false alarm, with a reason; final',
    body: AlertDismissBody,
    input: (b) => ({ note: b.reason as string }),
  },
  {
    path: 'assign',
    action: 'assign',
    summary: 'Assign an open alert to a person (null to unassign)',
    body: AlertAssignBody,
    input: (b) => ({ assignee: b.assignee as string | null }),
  },
  {
    path: 'notes',
    action: 'note',
    summary: 'Add a note to an open alert',
    body: AlertNoteBody,
    input: (b) => ({ note: b.note as string }),
  },
];

/** The alert with its message in `lang` (the store renders Vietnamese). */
function inLanguage(alert: Alert, lang: AlertLang): Alert {
  return lang === 'vi' ? alert : { ...alert, message: alertMessage(alert, lang) };
}

export const alertsPlugin: FastifyPluginAsyncTypebox<AlertsPluginOptions> = async (app, options) => {
  const { alerts, audit } = options;
  const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };

  app.get(
    '/',
    {
      config: { access: 'alerts:read' },
      schema: {
        tags: ['alerts'],
        summary: 'Alerts of your districts started within a time range, newest first',
        querystring: AlertListQuery,
        response: { 200: AlertList, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody },
      },
    },
    async (request) => {
      const page = await alerts.list(alertQuery(request));
      const lang = langOf((request.query as { lang?: string }).lang);
      return lang === 'vi' ? page : { ...page, items: page.items.map((alert) => inLanguage(alert, lang)) };
    },
  );

  app.get(
    '/precision',
    {
      config: { access: 'alerts:read' },
      schema: {
        tags: ['alerts'],
        summary:
          'Per camera and rule of your districts: alerts confirmed (acknowledged, resolved) vs dismissed as a false alarm',
        querystring: PrecisionQuery,
        response: { 200: RulePrecisionList, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody },
      },
    },
    async (request) => {
      const { days, from, to } = request.query;
      if (days && (from || to)) throw new ValidationError('days cannot be combined with from or to', { field: 'days' });
      const fromMs = from ? Date.parse(from) : days ? Date.now() - days * DAY_MS : 0;
      const toMs = to ? Date.parse(to) : undefined;
      if (toMs !== undefined && !(toMs > fromMs)) throw new ValidationError('to must be after from', { field: 'to' });
      return {
        items: await alerts.precision({
          districts: principalOf(request).districts,
          fromMs,
          toMs,
          limit: request.query.limit,
        }),
      };
    },
  );

  app.get(
    '/:id',
    {
      config: { access: 'alerts:read' },
      schema: {
        tags: ['alerts'],
        summary: 'One alert with its history and webhook deliveries',
        params: IdParams,
        querystring: LangQuery,
        response: { 200: AlertDetailBody, ...errors },
      },
    },
    async (request) => {
      const alert = await visibleAlert(alerts, request, request.params.id);
      const [history, deliveries] = await Promise.all([alerts.history(alert.id), alerts.deliveries(alert.id)]);
      return { alert: inLanguage(alert, langOf(request.query.lang)), history, deliveries };
    },
  );

  for (const route of ACTIONS) {
    app.post(
      `/:id/${route.path}`,
      {
        config: { access: 'alerts:write' },
        schema: {
          tags: ['alerts'],
          summary: route.summary,
          params: IdParams,
          body: route.body,
          response: { 200: AlertBody, ...errors, 409: ErrorBody },
        },
      },
      async (request) => {
        const current = await visibleAlert(alerts, request, request.params.id);
        const { alert, stateChanged } = await alerts.transition(
          current.id,
          route.action,
          actorOf(request),
          route.input(request.body as Record<string, unknown>),
        );
        await audit.record(request, {
          action: `alert.${route.action}`,
          target: `alert:${alert.id}`,
          outcome: 'success',
          detail: {
            from: current.state,
            state: alert.state,
            stateChanged,
            ...(route.action === 'assign' ? { assignee: alert.assignee } : {}),
          },
        });
        // Assignments and notes go out as stateChanged too: the consoles show who holds the alert.
        await options.feed?.publish({ type: 'alert', event: 'stateChanged', alert });
        return alert;
      },
    );
  }
};
