// /api/counts and /api/zone-stats: traffic flow and zone occupancy by time range and bucket, as JSON
// or CSV for transport staff. Ranges are limited per bucket so one query can't scan years of minutes.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type, { type TSchema } from 'typebox';
import { ValidationError } from '../core/errors.ts';
import { TRAFFIC_CLASSES } from '../core/detections.ts';
import { BUCKETS, type Bucket, type CountsQuery, type TrafficCountStore } from '../store/trafficCounts.ts';
import { ErrorBody } from './schemas/common.ts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { principalOf } from './authenticate.ts';

export interface CountsPluginOptions {
  counts: TrafficCountStore;
}

const MAX_RANGE_DAYS: Record<Bucket, number> = { '1m': 2, '5m': 7, '15m': 31, '1h': 92, '1d': 731 };
const DAY_MS = 86_400_000;

const csvList = (description: string) =>
  Type.Optional(Type.String({ maxLength: 2000, pattern: '^[^,]+(,[^,]+)*$', description }));

export const CountsQuerySchema = Type.Object(
  {
    from: Type.String({ format: 'date-time', description: 'Start (inclusive), ISO 8601 with zone' }),
    to: Type.String({ format: 'date-time', description: 'End (exclusive), ISO 8601 with zone' }),
    bucket: Type.Optional(Type.String({ enum: [...BUCKETS], default: '15m' })),
    cameraId: csvList('Comma-separated camera ids'),
    lineId: csvList('Comma-separated line (or zone) ids'),
    district: csvList('Comma-separated districts'),
    class: csvList(`Comma-separated classes: ${TRAFFIC_CLASSES.join(', ')}`),
    format: Type.Optional(Type.String({ enum: ['json', 'csv'], default: 'json' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000, default: 10_000 })),
  },
  { additionalProperties: false },
);

const CountRowBody = Type.Object({
  bucket: Type.String({ format: 'date-time' }),
  cameraId: Type.String(),
  lineId: Type.String(),
  direction: Type.String(),
  class: Type.String(),
  count: Type.Integer(),
  meanSpeedKmh: Type.Union([Type.Number(), Type.Null()]),
});

const ZoneRowBody = Type.Object({
  bucket: Type.String({ format: 'date-time' }),
  cameraId: Type.String(),
  zoneId: Type.String(),
  class: Type.String(),
  occupancyAvg: Type.Number(),
  occupancyMax: Type.Integer(),
  densityAvg: Type.Union([Type.Number(), Type.Null()]),
});

type RawQuery = {
  from: string;
  to: string;
  bucket?: string;
  cameraId?: string;
  lineId?: string;
  district?: string;
  class?: string;
  limit?: number;
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function parseCountsQuery(raw: RawQuery): CountsQuery {
  const fromMs = Date.parse(raw.from);
  const toMs = Date.parse(raw.to);
  if (!(toMs > fromMs)) throw new ValidationError('to must be after from', { field: 'to' });
  const bucket = (raw.bucket ?? '15m') as Bucket;
  if (toMs - fromMs > MAX_RANGE_DAYS[bucket] * DAY_MS) {
    throw new ValidationError(`the range is limited to ${MAX_RANGE_DAYS[bucket]} days for bucket ${bucket}`, {
      field: 'from',
    });
  }
  const list = (value: string | undefined) =>
    value
      ?.split(',')
      .map((v) => v.trim())
      .filter(Boolean);
  const cameraIds = list(raw.cameraId);
  if (cameraIds?.some((id) => !UUID.test(id)))
    throw new ValidationError('cameraId must be camera ids', { field: 'cameraId' });
  const classes = list(raw.class);
  const unknown = classes?.find((c) => !(TRAFFIC_CLASSES as readonly string[]).includes(c));
  if (unknown)
    throw new ValidationError(`class ${unknown} is not one of ${TRAFFIC_CLASSES.join(', ')}`, { field: 'class' });
  return {
    fromMs,
    toMs,
    bucket,
    cameraIds,
    classes,
    lineIds: list(raw.lineId),
    districts: list(raw.district),
    limit: raw.limit ?? 10_000,
  };
}

/** The query narrowed to the caller's districts: asking for another district's counts finds none. */
export function scopedQuery(request: FastifyRequest): CountsQuery {
  const query = parseCountsQuery(request.query as RawQuery);
  const own = principalOf(request).districts;
  if (own === null) return query;
  return { ...query, districts: query.districts ? query.districts.filter((d) => own.includes(d)) : [...own] };
}

function csvCell(value: unknown): string {
  const text = value instanceof Date ? value.toISOString() : value === null || value === undefined ? '' : String(value);
  // Quote always and neutralise spreadsheet formulas: exported files are opened in Excel.
  const safe = /^[=+\-@]/.test(text) ? `'${text}` : text;
  return `"${safe.replace(/"/g, '""')}"`;
}

export function toCsv(columns: readonly string[], rows: readonly Record<string, unknown>[]): string {
  const lines = [columns.join(',')];
  for (const row of rows) lines.push(columns.map((c) => csvCell(row[c])).join(','));
  return lines.join('\r\n') + '\r\n';
}

/** Both tables answer as JSON ({ items }) or as a CSV download of the same columns. */
function tableResponses(rowBody: TSchema) {
  return {
    200: {
      content: {
        'application/json': { schema: Type.Object({ items: Type.Array(rowBody) }) },
        'text/csv': { schema: Type.String() },
      },
    },
    400: ErrorBody,
    401: ErrorBody,
    403: ErrorBody,
  };
}

function sendTable(
  reply: FastifyReply,
  format: string | undefined,
  fileName: string,
  rowBody: TSchema,
  rows: Record<string, unknown>[],
) {
  if (format !== 'csv') return { items: rows };
  const columns = Object.keys((rowBody as { properties: Record<string, unknown> }).properties);
  return reply
    .type('text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${fileName}"`)
    .send(toCsv(columns, rows));
}

export const countsPlugin: FastifyPluginAsyncTypebox<CountsPluginOptions> = async (app, options) => {
  app.get(
    '/counts',
    {
      config: { access: 'counts' },
      schema: {
        tags: ['traffic'],
        summary: 'Vehicles and people crossing counting lines, per bucket, line, direction and class',
        querystring: CountsQuerySchema,
        response: tableResponses(CountRowBody),
      },
    },
    async (request, reply) => {
      const rows = (await options.counts.counts(scopedQuery(request))).map((r) => ({
        bucket: r.bucket.toISOString(),
        cameraId: r.cameraId,
        lineId: r.lineId,
        direction: r.direction,
        class: r.className,
        count: r.count,
        meanSpeedKmh: r.meanSpeedKmh,
      }));
      return sendTable(reply, request.query.format, 'traffic-counts.csv', CountRowBody, rows);
    },
  );

  app.get(
    '/zone-stats',
    {
      config: { access: 'counts' },
      schema: {
        tags: ['traffic'],
        summary: 'Zone occupancy (average, peak) and crowd density per bucket, zone and class',
        querystring: CountsQuerySchema,
        response: tableResponses(ZoneRowBody),
      },
    },
    async (request, reply) => {
      const rows = (await options.counts.zoneStats(scopedQuery(request))).map((r) => ({
        bucket: r.bucket.toISOString(),
        cameraId: r.cameraId,
        zoneId: r.zoneId,
        class: r.className,
        occupancyAvg: r.occupancyAvg,
        occupancyMax: r.occupancyMax,
        densityAvg: r.densityAvg,
      }));
      return sendTable(reply, request.query.format, 'zone-stats.csv', ZoneRowBody, rows);
    },
  );
};
