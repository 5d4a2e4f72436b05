// /api/webhooks: province-wide admins subscribe other systems to alerts by webhook, rotate their signing
// secret and read how deliveries went. The secret is answered at creation and rotation only, never audited.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { publicWebhookUrl } from '../core/webhookUrl.ts';
import type { Webhook, WebhookDelivery, WebhookRepository } from '../store/webhooks.ts';
import type { AuditTrail } from './auditTrail.ts';
import { ErrorBody, IdParams, PageQuery } from './schemas/common.ts';
import {
  DeliveryList,
  DeliveryQuery,
  WebhookBody,
  WebhookCreateBody,
  WebhookList,
  WebhookPatchBody,
  WebhookWithSecret,
} from './schemas/webhook.ts';

export interface WebhooksPluginOptions {
  webhooks: WebhookRepository;
  audit: AuditTrail;
}

export function toWebhookBody(webhook: Webhook) {
  return {
    id: webhook.id,
    name: webhook.name,
    url: webhook.url,
    districts: webhook.districts,
    types: webhook.types,
    minSeverity: webhook.minSeverity,
    enabled: webhook.enabled,
    createdAt: webhook.createdAt.toISOString(),
    updatedAt: webhook.updatedAt.toISOString(),
  };
}

function toDeliveryBody(delivery: WebhookDelivery) {
  return {
    id: delivery.id,
    alertId: delivery.alertId,
    reportId: delivery.reportId,
    event: delivery.event,
    state: delivery.state,
    attempts: delivery.attempts,
    nextAttemptAt: delivery.nextAttemptAt.toISOString(),
    lastStatus: delivery.lastStatus,
    lastError: delivery.lastError,
    deliveredAt: delivery.deliveredAt?.toISOString() ?? null,
    createdAt: delivery.createdAt.toISOString(),
  };
}

/** What an audit entry says of a subscription: its URL without the query string, where consumers keep tokens. */
function auditDetail(webhook: Webhook) {
  return {
    name: webhook.name,
    url: publicWebhookUrl(webhook.url),
    districts: webhook.districts,
    types: webhook.types,
    minSeverity: webhook.minSeverity,
    enabled: webhook.enabled,
  };
}

export const webhooksPlugin: FastifyPluginAsyncTypebox<WebhooksPluginOptions> = async (app, { webhooks, audit }) => {
  const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
  const config = { access: 'webhooks' as const };
  const tags = ['webhooks'];

  app.get(
    '/',
    {
      config,
      schema: {
        tags,
        summary: 'List webhook subscriptions (never their secrets)',
        querystring: PageQuery,
        response: { 200: WebhookList, ...errors },
      },
    },
    async (request) => {
      const page = await webhooks.list(request.query.limit ?? 100, request.query.offset ?? 0);
      return { items: page.items.map(toWebhookBody), total: page.total };
    },
  );

  app.post(
    '/',
    {
      config,
      schema: {
        tags,
        summary: 'Subscribe a URL to alerts; the signing secret is in this answer only',
        body: WebhookCreateBody,
        response: { 201: WebhookWithSecret, ...errors },
      },
    },
    async (request, reply) => {
      const { name, url, districts, types, minSeverity, enabled } = request.body;
      const { webhook, secret } = await webhooks.create({
        name,
        url,
        districts: districts ?? null,
        types: types ?? null,
        minSeverity,
        enabled,
      });
      await audit.record(request, {
        action: 'webhook.create',
        target: `webhook:${webhook.id}`,
        outcome: 'success',
        detail: auditDetail(webhook),
      });
      return reply.status(201).send({ ...toWebhookBody(webhook), secret });
    },
  );

  app.get(
    '/:id',
    {
      config,
      schema: {
        tags,
        summary: 'One webhook subscription',
        params: IdParams,
        response: { 200: WebhookBody, ...errors },
      },
    },
    async (request) => toWebhookBody(await webhooks.get(request.params.id)),
  );

  app.patch(
    '/:id',
    {
      config,
      schema: {
        tags,
        summary: 'Change a subscription: name, URL, filters, enabled',
        params: IdParams,
        body: WebhookPatchBody,
        response: { 200: WebhookBody, ...errors },
      },
    },
    async (request) => {
      const webhook = await webhooks.update(request.params.id, request.body);
      await audit.record(request, {
        action: 'webhook.update',
        target: `webhook:${webhook.id}`,
        outcome: 'success',
        detail: { fields: Object.keys(request.body), ...auditDetail(webhook) },
      });
      return toWebhookBody(webhook);
    },
  );

  app.delete(
    '/:id',
    {
      config,
      schema: {
        tags,
        summary: 'Remove a subscription and its pending deliveries',
        params: IdParams,
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (request, reply) => {
      const webhook = await webhooks.delete(request.params.id);
      await audit.record(request, {
        action: 'webhook.delete',
        target: `webhook:${webhook.id}`,
        outcome: 'success',
        detail: { name: webhook.name },
      });
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/:id/rotate-secret',
    {
      config,
      schema: {
        tags,
        summary: 'Replace the signing secret at once; the new one is in this answer only',
        params: IdParams,
        response: { 200: WebhookWithSecret, ...errors },
      },
    },
    async (request) => {
      const { webhook, secret } = await webhooks.rotateSecret(request.params.id);
      await audit.record(request, {
        action: 'webhook.rotate',
        target: `webhook:${webhook.id}`,
        outcome: 'success',
        detail: { name: webhook.name },
      });
      return { ...toWebhookBody(webhook), secret };
    },
  );

  app.get(
    '/:id/deliveries',
    {
      config,
      schema: {
        tags,
        summary: 'Deliveries of a subscription, newest first',
        params: IdParams,
        querystring: DeliveryQuery,
        response: { 200: DeliveryList, ...errors },
      },
    },
    async (request) => {
      const { state, limit, offset } = request.query;
      const page = await webhooks.listDeliveries(request.params.id, {
        state,
        limit: limit ?? 100,
        offset: offset ?? 0,
      });
      return { items: page.items.map(toDeliveryBody), total: page.total };
    },
  );
};
