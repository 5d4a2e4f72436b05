// /api/districts: the province's district list (read by anyone logged in, kept by province-wide admins),
// and the check that a camera, user or API key names only listed districts (400 naming the field).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { ValidationError } from '../core/errors.ts';
import type { DistrictRepository } from '../store/districts.ts';
import type { AuditTrail } from './auditTrail.ts';
import { ErrorBody, PageQuery } from './schemas/common.ts';

const DistrictName = Type.String({
  minLength: 1,
  maxLength: 120,
  pattern: '^[^\\u0000-\\u001f]*\\S[^\\u0000-\\u001f]*$',
});
const NameParams = Type.Object({ name: DistrictName }, { additionalProperties: false });

export const districtsPlugin: FastifyPluginAsyncTypebox<{ districts: DistrictRepository; audit: AuditTrail }> = async (
  app,
  { districts, audit },
) => {
  const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
  app.get(
    '/',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['users'],
        summary: 'The districts of the province (empty: names are free text)',
        querystring: PageQuery,
        response: { 200: Type.Object({ items: Type.Array(Type.String()) }), 400: ErrorBody, 401: ErrorBody },
      },
    },
    async (request) => ({ items: await districts.list(request.query.limit ?? 1000, request.query.offset ?? 0) }),
  );

  app.post(
    '/',
    {
      config: { access: 'users' },
      schema: {
        tags: ['users'],
        summary: 'Add a district to the list',
        body: Type.Object({ name: DistrictName }, { additionalProperties: false }),
        response: { 201: Type.Object({ name: Type.String() }), ...errors },
      },
    },
    async (request, reply) => {
      const name = request.body.name.trim();
      await districts.add(name);
      await audit.record(request, { action: 'district.create', target: `district:${name}`, outcome: 'success' });
      return reply.status(201).send({ name });
    },
  );

  app.delete(
    '/:name',
    {
      config: { access: 'users' },
      schema: {
        tags: ['users'],
        summary: 'Remove a district from the list (cameras and users keep their names)',
        params: NameParams,
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (request, reply) => {
      await districts.remove(request.params.name);
      await audit.record(request, {
        action: 'district.delete',
        target: `district:${request.params.name}`,
        outcome: 'success',
      });
      return reply.status(204).send(null);
    },
  );
};

/** Routes whose bodies name districts: cameras (`district`), users and API keys (`districts`). */
const CHECKED = /^\/api\/(cameras|users|keys)(\/:id)?$/;

export function registerDistrictCheck(app: FastifyInstance, districts: DistrictRepository): void {
  app.addHook('preHandler', async (request) => {
    if ((request.method !== 'POST' && request.method !== 'PATCH') || !CHECKED.test(request.routeOptions.url ?? ''))
      return;
    const body = request.body as { district?: unknown; districts?: unknown } | null;
    if (!body || typeof body !== 'object') return;
    if (typeof body.district === 'string') {
      const [unknown] = await districts.unknown([body.district]);
      if (unknown !== undefined)
        throw new ValidationError(`district: "${unknown}" is not in the list of districts (GET /api/districts)`, {
          field: 'district',
        });
    }
    if (Array.isArray(body.districts)) {
      const names = body.districts.filter((d): d is string => typeof d === 'string');
      const [unknown] = await districts.unknown(names);
      if (unknown !== undefined) {
        throw new ValidationError(`districts: "${unknown}" is not in the list of districts (GET /api/districts)`, {
          field: `districts.${names.indexOf(unknown)}`,
        });
      }
    }
  });
}
