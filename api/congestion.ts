// /api/congestion: how congested each zone with an operator-set capacity was, per bucket, from the zone
// statistics (vehicles in the zone against its capacity). Same permission, district scope and range limits as /api/zone-stats.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { VEHICLE_CLASSES, zoneCongestionRows } from '../analytics/zoneCongestion.ts';
import type { CameraAnalysisRepository } from '../store/cameraAnalysis.ts';
import type { TrafficCountStore } from '../store/trafficCounts.ts';
import { CountsQuerySchema, scopedQuery } from './counts.ts';
import { ErrorBody } from './schemas/common.ts';

export interface CongestionPluginOptions {
  counts: TrafficCountStore;
  analysis: CameraAnalysisRepository;
}

const DEFAULT_LIMIT = 5_000;
// Each answered row is read from one zone-stat row per vehicle class: the bound keeps that read bounded too.
const MAX_LIMIT = 20_000;

const CongestionQuerySchema = Type.Object(
  {
    from: CountsQuerySchema.properties.from,
    to: CountsQuerySchema.properties.to,
    bucket: CountsQuerySchema.properties.bucket,
    cameraId: CountsQuerySchema.properties.cameraId,
    district: CountsQuerySchema.properties.district,
    limit: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: MAX_LIMIT,
        default: DEFAULT_LIMIT,
        description: 'Most rows answered (bucket × camera × zone)',
      }),
    ),
  },
  { additionalProperties: false },
);

const CongestionRowBody = Type.Object({
  bucket: Type.String({ format: 'date-time', description: 'Start of the bucket (UTC)' }),
  cameraId: Type.String(),
  zoneId: Type.String(),
  zoneName: Type.String({ description: "The zone's name, its id when it has none" }),
  capacityVehicles: Type.Integer({ description: 'Vehicles the zone holds when full, as set on the camera' }),
  vehiclesAvg: Type.Number({ description: 'Mean vehicles in the zone over the bucket (people excluded)' }),
  vehiclesMax: Type.Integer({
    description: "Sum of each vehicle class's peak in the bucket: an upper bound of the most vehicles at once",
  }),
  level: Type.Integer({
    minimum: 0,
    maximum: 4,
    description: 'From vehiclesAvg / capacityVehicles: 0 free, 1 light, 2 moderate, 3 heavy, 4 jammed',
  }),
});

export const congestionPlugin: FastifyPluginAsyncTypebox<CongestionPluginOptions> = async (app, options) => {
  app.get(
    '/congestion',
    {
      config: { access: 'counts' },
      schema: {
        tags: ['traffic'],
        summary: 'Congestion level per bucket, camera and zone with a capacity',
        description:
          'Vehicles in the zone (every class but person, from the zone statistics) against the capacity set on the zone ' +
          "(capacityVehicles in the camera's analysis setup). Zones without a capacity are left out. Zone statistics carry " +
          'no speed, so the level is from occupancy alone: at 20 %, 40 %, 60 % and 80 % of the capacity it reaches 1 to 4.',
        querystring: CongestionQuerySchema,
        response: {
          200: Type.Object({ items: Type.Array(CongestionRowBody) }),
          400: ErrorBody,
          401: ErrorBody,
          403: ErrorBody,
        },
      },
    },
    async (request) => {
      const query = scopedQuery(request);
      const limit = request.query.limit ?? DEFAULT_LIMIT;
      const capacities = await options.analysis.zoneCapacities({
        cameraIds: query.cameraIds,
        districts: query.districts,
      });
      if (capacities.length === 0) return { items: [] };
      // Every sampled minute stores a row for each class (zeros too), so limit × classes rows hold `limit`
      // whole zone-buckets; a cut-off last group is dropped by the slice.
      const stats = await options.counts.zoneStats({
        ...query,
        classes: VEHICLE_CLASSES,
        zoneKeys: capacities,
        limit: limit * VEHICLE_CLASSES.length,
      });
      const rows = zoneCongestionRows(stats, capacities).slice(0, limit);
      return { items: rows.map((row) => ({ ...row, bucket: row.bucket.toISOString() })) };
    },
  );
};
