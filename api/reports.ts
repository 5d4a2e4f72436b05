// /api/reports: archived daily, weekly and monthly reports, listed and downloaded (PDF, CSV) within the
// reader's districts (another district's report is 404), and made on demand for a period that has ended.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { seesDistrict } from '../core/access.ts';
import { ForbiddenError, ValidationError } from '../core/errors.ts';
import { periodContaining, REPORT_KINDS, VIETNAM_OFFSET_MS, type ReportKind } from '../core/reportPeriod.ts';
import type { ReportMaker } from '../reports/reportMaker.ts';
import { REPORT_LANGUAGES, type ReportLanguage } from '../reports/reportPhrases.ts';
import type { ReportMeta } from '../store/reports.ts';
import { principalOf } from './authenticate.ts';
import { ErrorBody, IdParams } from './schemas/common.ts';

export interface ReportsPluginOptions {
  maker: ReportMaker;
  /** The clock that says whether a period has ended; Date.now by default. */
  nowMs?: () => number;
}

const Kind = Type.String({ enum: [...REPORT_KINDS] });

const ReportBody = Type.Object({
  id: Type.String({ format: 'uuid' }),
  kind: Kind,
  district: Type.Union([Type.String(), Type.Null()], { description: 'null = the whole province' }),
  periodFrom: Type.String({ format: 'date-time', description: 'Data range start (inclusive), UTC' }),
  periodTo: Type.String({ format: 'date-time', description: 'Data range end (exclusive), UTC' }),
  language: Type.String({ description: 'Language of the documents: vi or en' }),
  madeBy: Type.String({ description: "'scheduler', or the user or API key that asked" }),
  madeAt: Type.String({ format: 'date-time' }),
  pdfSha256: Type.String(),
  csvSha256: Type.String(),
  pdfBytes: Type.Integer(),
  csvBytes: Type.Integer(),
});

const ListQuery = Type.Object(
  {
    kind: Type.Optional(Kind),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 })),
  },
  { additionalProperties: false },
);

const Language = Type.String({ enum: [...REPORT_LANGUAGES], description: 'vi (default) or en' });

const MakeBody = Type.Object(
  {
    kind: Kind,
    language: Type.Optional(Language),
    date: Type.String({
      pattern: '^\\d{4}-\\d{2}-\\d{2}$',
      description: 'Any local date (Asia/Ho_Chi_Minh) within the period, YYYY-MM-DD',
    }),
    district: Type.Union([Type.String({ minLength: 1, maxLength: 100 }), Type.Null()], {
      description: 'null = the whole province',
    }),
  },
  { additionalProperties: false },
);

const toBody = (m: ReportMeta) => ({
  ...m,
  periodFrom: m.periodFrom.toISOString(),
  periodTo: m.periodTo.toISOString(),
  madeAt: m.madeAt.toISOString(),
});

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };

export const reportsPlugin: FastifyPluginAsyncTypebox<ReportsPluginOptions> = async (app, options) => {
  const repository = options.maker.repository;
  const nowMs = options.nowMs ?? Date.now;

  app.get(
    '/',
    {
      config: { access: 'reports:read' },
      schema: {
        tags: ['reports'],
        summary: "Archived reports of the reader's districts, newest period first",
        querystring: ListQuery,
        response: { 200: Type.Object({ items: Type.Array(ReportBody), total: Type.Integer() }), ...errors },
      },
    },
    async (request) => {
      const q = request.query;
      const list = await repository.list(principalOf(request).districts, {
        kind: q.kind as ReportKind | undefined,
        limit: q.limit ?? 50,
        offset: q.offset ?? 0,
      });
      return { items: list.items.map(toBody), total: list.total };
    },
  );

  app.get(
    '/:id',
    {
      config: { access: 'reports:read' },
      schema: {
        tags: ['reports'],
        summary: "One report's record: range, maker, sha256 of its files",
        params: IdParams,
        response: { 200: ReportBody, ...errors },
      },
    },
    async (request) => toBody((await repository.file(request.params.id, principalOf(request).districts, 'csv')).meta),
  );

  // One route per format (not a :format parameter), so no value of a path parameter can name the list.
  for (const format of ['pdf', 'csv'] as const) {
    app.get(
      `/:id/${format}`,
      {
        config: { access: 'reports:read' },
        schema: {
          tags: ['reports'],
          summary: `The report as ${format.toUpperCase()}, as archived (its sha256 is in the record)`,
          params: IdParams,
          response: {
            200: { content: { [format === 'pdf' ? 'application/pdf' : 'text/csv']: { schema: Type.String() } } },
            ...errors,
          },
        },
      },
      async (request, reply) => {
        const { meta, body } = await repository.file(request.params.id, principalOf(request).districts, format);
        const name = (
          meta.language === 'en'
            ? `report-${meta.kind}-${meta.district ?? 'province'}-${meta.periodFrom.toISOString().slice(0, 10)}-en.${format}`
            : `bao-cao-${meta.kind}-${meta.district ?? 'toan-tinh'}-${meta.periodFrom.toISOString().slice(0, 10)}.${format}`
        ).replace(/[^A-Za-z0-9._-]/g, '_');
        return reply
          .type(format === 'pdf' ? 'application/pdf' : 'text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="${name}"`)
          .header('x-content-sha256', format === 'pdf' ? meta.pdfSha256 : meta.csvSha256)
          .send(body as never);
      },
    );
  }

  app.post(
    '/',
    {
      config: { access: 'reports:make' },
      schema: {
        tags: ['reports'],
        summary: 'Make (or answer the archived) report of a period that has ended',
        body: MakeBody,
        response: { 200: ReportBody, 201: ReportBody, ...errors },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const { kind, date, district } = request.body;
      const language = (request.body.language ?? 'vi') as ReportLanguage;
      if (district === null ? principal.districts !== null : !seesDistrict(principal, district)) {
        throw new ForbiddenError(
          district === null
            ? 'a province report needs access to the whole province'
            : `no access to district ${district}`,
          { field: 'district' },
        );
      }
      const dayMs = Date.parse(`${date}T00:00:00Z`) - VIETNAM_OFFSET_MS;
      if (Number.isNaN(dayMs)) throw new ValidationError('date is not a calendar date', { field: 'date' });
      const period = periodContaining(kind as ReportKind, dayMs);
      if (period.toMs > nowMs()) throw new ValidationError('the period has not ended yet', { field: 'date' });
      const made = await options.maker.make({ period, district, language, madeBy: principal.name, nowMs: nowMs() });
      return reply.status(made.created ? 201 : 200).send(toBody(made.meta));
    },
  );
};
