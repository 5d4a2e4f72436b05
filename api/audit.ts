// /api/audit: the audit log for province-wide admins, newest first, by time range (at most 92 days per
// query) with paging, optionally one action or one actor.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ValidationError } from '../core/errors.ts';
import type { AccessServices } from './accessServices.ts';
import { ErrorBody } from './schemas/common.ts';
import { AuditList, AuditQuerySchema } from './schemas/access.ts';

const MAX_RANGE_MS = 92 * 86_400_000;
const DEFAULT_RANGE_MS = 86_400_000;

export const auditPlugin: FastifyPluginAsyncTypebox<{ services: AccessServices }> = async (app, { services }) => {
  app.get(
    '/',
    {
      config: { access: 'audit' },
      schema: {
        tags: ['users'],
        summary: 'Audit entries: who did what, when, from where',
        querystring: AuditQuerySchema,
        response: { 200: AuditList, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody },
      },
    },
    async (request) => {
      const toMs = request.query.to ? Date.parse(request.query.to) : Date.now();
      const fromMs = request.query.from ? Date.parse(request.query.from) : toMs - DEFAULT_RANGE_MS;
      if (!(toMs > fromMs)) throw new ValidationError('to must be after from', { field: 'to' });
      if (toMs - fromMs > MAX_RANGE_MS) throw new ValidationError('the range is limited to 92 days', { field: 'from' });
      const page = await services.auditLog.query({
        fromMs,
        toMs,
        limit: request.query.limit ?? 100,
        offset: request.query.offset ?? 0,
        action: request.query.action,
        actorName: request.query.actor,
      });
      return { total: page.total, items: page.items.map((e) => ({ ...e, at: e.at.toISOString() })) };
    },
  );
};
