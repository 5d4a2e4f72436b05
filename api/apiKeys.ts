// /api/keys: API keys for machine clients (other provincial systems), with the same role and district
// scope as a person. The key is answered once at creation; only its sha256 is stored.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { ApiKeyInfo } from '../store/sessions.ts';
import type { AccessServices } from './accessServices.ts';
import { API_KEY_PREFIX, hashSecret, newSecret, principalOf } from './authenticate.ts';
import { ErrorBody, IdParams, PageQuery } from './schemas/common.ts';
import { ApiKeyCreateBody, ApiKeyCreated, ApiKeyList } from './schemas/access.ts';

function toKeyBody(key: ApiKeyInfo) {
  return {
    id: key.id,
    name: key.name,
    role: key.role,
    districts: key.districts,
    createdAt: key.createdAt.toISOString(),
    lastUsedAt: key.lastUsedAt?.toISOString() ?? null,
    revoked: key.revoked,
  };
}

export const apiKeysPlugin: FastifyPluginAsyncTypebox<{ services: AccessServices }> = async (app, { services }) => {
  const { sessions, audit } = services;
  const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };
  const config = { access: 'apiKeys' as const };

  app.get(
    '/',
    {
      config,
      schema: {
        tags: ['users'],
        summary: 'List API keys (never the keys themselves)',
        querystring: PageQuery,
        response: { 200: ApiKeyList, ...errors },
      },
    },
    async (request) => {
      const page = await sessions.listApiKeys(request.query.limit ?? 100, request.query.offset ?? 0);
      return { items: page.items.map(toKeyBody), total: page.total };
    },
  );

  app.post(
    '/',
    {
      config,
      schema: {
        tags: ['users'],
        summary: 'Create an API key; the key is in this answer only',
        body: ApiKeyCreateBody,
        response: { 201: ApiKeyCreated, ...errors },
      },
    },
    async (request, reply) => {
      const key = newSecret(API_KEY_PREFIX);
      const creator = principalOf(request);
      const info = await sessions.createApiKey({
        ...request.body,
        keyHash: hashSecret(key),
        createdBy: creator.kind === 'user' ? creator.id : null,
      });
      await audit.record(request, {
        action: 'apikey.create',
        target: `apikey:${info.id}`,
        outcome: 'success',
        detail: { name: info.name, role: info.role, districts: info.districts },
      });
      return reply.status(201).send({ ...toKeyBody(info), key });
    },
  );

  app.delete(
    '/:id',
    {
      config,
      schema: {
        tags: ['users'],
        summary: 'Revoke an API key at once',
        params: IdParams,
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (request, reply) => {
      const info = await sessions.revokeApiKey(request.params.id);
      await audit.record(request, {
        action: 'apikey.revoke',
        target: `apikey:${info.id}`,
        outcome: 'success',
        detail: { name: info.name },
      });
      return reply.status(204).send(null);
    },
  );
};
