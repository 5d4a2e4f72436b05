// The report archive: each report's PDF and CSV as made, with sha256, maker and data range. One row per
// kind, scope, period and language (the unique key), so making a report twice stores it once.
import type { Pool } from 'pg';
import type { ReportKind } from '../core/reportPeriod.ts';
import { ReportNotFoundError } from '../core/errors.ts';
import type { Queryable } from './alertRows.ts';
import type { ReportSummary } from './reportData.ts';
import { inTransaction } from './transaction.ts';

export interface ReportMeta {
  id: string;
  kind: ReportKind;
  /** null = the whole province. */
  district: string | null;
  periodFrom: Date;
  periodTo: Date;
  language: string;
  madeBy: string;
  madeAt: Date;
  pdfSha256: string;
  csvSha256: string;
  pdfBytes: number;
  csvBytes: number;
}

export interface NewReport {
  kind: ReportKind;
  district: string | null;
  periodFromMs: number;
  periodToMs: number;
  language: string;
  madeBy: string;
  summary: ReportSummary;
  pdf: Buffer;
  pdfSha256: string;
  csv: Buffer;
  csvSha256: string;
}

const META = `id, kind, district, period_from, period_to, language, made_by, made_at, pdf_sha256, csv_sha256,
  octet_length(pdf) AS pdf_bytes, octet_length(csv) AS csv_bytes`;

interface MetaRow {
  id: string;
  kind: ReportKind;
  district: string | null;
  period_from: Date;
  period_to: Date;
  language: string;
  made_by: string;
  made_at: Date;
  pdf_sha256: string;
  csv_sha256: string;
  pdf_bytes: number;
  csv_bytes: number;
}

function toMeta(r: MetaRow): ReportMeta {
  return {
    id: r.id,
    kind: r.kind,
    district: r.district,
    periodFrom: r.period_from,
    periodTo: r.period_to,
    language: r.language,
    madeBy: r.made_by,
    madeAt: r.made_at,
    pdfSha256: r.pdf_sha256,
    csvSha256: r.csv_sha256,
    pdfBytes: Number(r.pdf_bytes),
    csvBytes: Number(r.csv_bytes),
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const scopeKeyOf = (district: string | null) => district ?? '*';

/** `districts` null = every report; otherwise only reports of those districts (a province report needs null). */
function scopeFilter(districts: readonly string[] | null, params: unknown[]): string {
  if (districts === null) return 'true';
  params.push(districts);
  return `district = ANY($${params.length}::text[])`;
}

export class ReportRepository {
  constructor(private readonly pool: Pool) {}

  /**
   * Stores the report unless one of its kind, scope and period exists; answers the stored one either way.
   * `onCreated` runs in the inserting transaction (the "report ready" outbox rows), so they exist exactly
   * when the report does; a maker that lost the race for the unique key writes none.
   */
  async insertOnce(
    report: NewReport,
    onCreated?: (db: Queryable, meta: ReportMeta) => Promise<unknown>,
  ): Promise<{ meta: ReportMeta; created: boolean }> {
    const created = await inTransaction(this.pool, async (client) => {
      const inserted = await client.query<MetaRow>(
        `INSERT INTO reports (kind, district, scope_key, period_from, period_to, language, made_by, summary, pdf, pdf_sha256, csv, csv_sha256)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
         ON CONFLICT (kind, scope_key, period_from, language) DO NOTHING RETURNING ${META}`,
        [
          report.kind,
          report.district,
          scopeKeyOf(report.district),
          new Date(report.periodFromMs),
          new Date(report.periodToMs),
          report.language,
          report.madeBy,
          JSON.stringify(report.summary),
          report.pdf,
          report.pdfSha256,
          report.csv,
          report.csvSha256,
        ],
      );
      const row = inserted.rows[0];
      if (!row) return null;
      const meta = toMeta(row);
      await onCreated?.(client, meta);
      return meta;
    });
    if (created) return { meta: created, created: true };
    const existing = await this.find(report.kind, report.district, report.periodFromMs, report.language);
    return { meta: existing!, created: false };
  }

  async find(
    kind: ReportKind,
    district: string | null,
    periodFromMs: number,
    language = 'vi',
  ): Promise<ReportMeta | null> {
    const rows = await this.pool.query<MetaRow>(
      `SELECT ${META} FROM reports WHERE kind = $1 AND scope_key = $2 AND period_from = $3 AND language = $4`,
      [kind, scopeKeyOf(district), new Date(periodFromMs), language],
    );
    return rows.rows[0] ? toMeta(rows.rows[0]) : null;
  }

  async list(
    districts: readonly string[] | null,
    query: { kind?: ReportKind; limit: number; offset: number },
  ): Promise<{ items: ReportMeta[]; total: number }> {
    const params: unknown[] = [];
    const where = [scopeFilter(districts, params)];
    if (query.kind) {
      params.push(query.kind);
      where.push(`kind = $${params.length}`);
    }
    const filter = where.join(' AND ');
    const total = await this.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM reports WHERE ${filter}`,
      params,
    );
    const rows = await this.pool.query<MetaRow>(
      `SELECT ${META} FROM reports WHERE ${filter} ORDER BY period_from DESC, kind, scope_key LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, query.limit, query.offset],
    );
    return { items: rows.rows.map(toMeta), total: total.rows[0]!.n };
  }

  /** A report the reader may see, with one of its files; another district's report is not found. */
  async file(
    id: string,
    districts: readonly string[] | null,
    format: 'pdf' | 'csv',
  ): Promise<{ meta: ReportMeta; body: Buffer }> {
    if (!UUID.test(id)) throw new ReportNotFoundError(`report ${id} not found`);
    const params: unknown[] = [id];
    const filter = scopeFilter(districts, params);
    const rows = await this.pool.query<MetaRow & { body: Buffer }>(
      `SELECT ${META}, ${format} AS body FROM reports WHERE id = $1 AND ${filter}`,
      params,
    );
    const row = rows.rows[0];
    if (!row) throw new ReportNotFoundError(`report ${id} not found`);
    return { meta: toMeta(row), body: row.body };
  }
}
