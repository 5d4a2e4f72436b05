// /api/geometry-names: the names of the counting lines and zones of the caller's cameras, so the traffic
// panel labels counts keyed by id ("ngang-duong") with the name set on the setup page.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { CameraAnalysisRepository } from '../store/cameraAnalysis.ts';
import { districtFilter } from './cameraScope.ts';
import { ErrorBody, PageQuery } from './schemas/common.ts';

const GeometryName = Type.Object({
  cameraId: Type.String(),
  kind: Type.String({ enum: ['line', 'zone'] }),
  id: Type.String(),
  name: Type.String({ description: 'The name given on the setup page, the id when it has none' }),
});

export const geometryNamesPlugin: FastifyPluginAsyncTypebox<{ analysis: CameraAnalysisRepository }> = async (
  app,
  { analysis },
) => {
  app.get(
    '/geometry-names',
    {
      config: { access: 'counts' },
      schema: {
        tags: ['traffic'],
        summary: 'Names of the counting lines and zones of your cameras',
        querystring: PageQuery,
        response: {
          200: Type.Object({ items: Type.Array(GeometryName) }),
          400: ErrorBody,
          401: ErrorBody,
          403: ErrorBody,
        },
      },
    },
    async (request) => {
      const districts = districtFilter(request);
      return {
        items: await analysis.geometryNames({ districts }, request.query.limit ?? 1000, request.query.offset ?? 0),
      };
    },
  );
};
