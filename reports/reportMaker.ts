// Makes one report: reads its figures, renders the PDF and CSV, hashes them and archives them once per
// kind, scope and period, announcing it ("report ready") to webhooks and MQTT through their outboxes in the
// same transaction. A report already archived is answered as it is, never made again nor announced twice.
import { createHash } from 'node:crypto';
import type { Pool } from 'pg';
import type { Config } from '../core/config.ts';
import type { ReportPeriod } from '../core/reportPeriod.ts';
import { enqueueReportReady } from '../store/reportEvents.ts';
import { ReportRepository, type ReportMeta } from '../store/reports.ts';
import { readReportFigures } from './reportCongestion.ts';
import { renderReportCsv } from './reportCsv.ts';
import type { ReportLanguage } from './reportPhrases.ts';
import { ReportPdfRenderer } from './reportPdfRenderer.ts';

export type ReportSettings = Config['reports'];

export interface MakeReportInput {
  period: ReportPeriod;
  /** null = the whole province. */
  district: string | null;
  /** 'scheduler', or the user / API key that asked. */
  madeBy: string;
  /** Vietnamese by default. */
  language?: ReportLanguage;
  nowMs: number;
}

const sha256 = (body: Buffer) => createHash('sha256').update(body).digest('hex');

export class ReportMaker {
  readonly repository: ReportRepository;
  private readonly pdfRenderer = new ReportPdfRenderer();

  constructor(
    private readonly pool: Pool,
    private readonly settings: ReportSettings,
  ) {
    this.repository = new ReportRepository(pool);
  }

  async make(input: MakeReportInput): Promise<{ meta: ReportMeta; created: boolean }> {
    const language = input.language ?? 'vi';
    const existing = await this.repository.find(input.period.kind, input.district, input.period.fromMs, language);
    if (existing) return { meta: existing, created: false };
    const summary = await readReportFigures(this.pool, input.period, input.district);
    const pdf = await this.pdfRenderer.render({
      summary,
      madeBy: input.madeBy,
      madeAtMs: input.nowMs,
      fontDir: this.settings.fontDir,
      issuer: this.settings.issuer,
      language,
    });
    const csv = renderReportCsv(summary, language);
    return this.repository.insertOnce(
      {
        kind: input.period.kind,
        district: input.district,
        periodFromMs: input.period.fromMs,
        periodToMs: input.period.toMs,
        language,
        madeBy: input.madeBy,
        summary,
        pdf,
        pdfSha256: sha256(pdf),
        csv,
        csvSha256: sha256(csv),
      },
      enqueueReportReady,
    );
  }

  /** Ends the PDF thread (it also goes by itself when idle). */
  close(): Promise<void> {
    return this.pdfRenderer.close();
  }
}
