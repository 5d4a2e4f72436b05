// Makes the reports that are due, on a clock it is given: for each configured kind, the newest period
// due by now (07:00 local after it ends) and up to catchUpPeriods before it, for the province and each
// district, in each configured language. The archive's unique key makes each report once, however often or
// by how many processes this runs, and a report that fell due while the system was down is made at the first
// run after it comes back.
import type { Pool } from 'pg';
import type { Logger } from '../core/logger.ts';
import { PollLoop } from '../core/pollLoop.ts';
import { latestDuePeriod, previousPeriod, type ReportPeriod } from '../core/reportPeriod.ts';
import { CameraRepository } from '../store/cameras.ts';
import type { ReportMeta } from '../store/reports.ts';
import type { ReportMaker, ReportSettings } from './reportMaker.ts';

export interface ReportSchedulerOptions {
  pool: Pool;
  maker: ReportMaker;
  settings: ReportSettings;
  logger: Logger;
  /** The clock that decides what is due; Date.now by default (tests set it). */
  nowMs?: () => number;
}

export const SCHEDULER_MAKER = 'scheduler';

export class ReportScheduler {
  private readonly options: ReportSchedulerOptions;
  private readonly nowMs: () => number;
  private readonly loop: PollLoop;

  constructor(options: ReportSchedulerOptions) {
    this.options = options;
    this.nowMs = options.nowMs ?? Date.now;
    this.loop = new PollLoop({
      round: () => this.runDue(),
      intervalMs: options.settings.checkIntervalMs,
      firstDelayMs: options.settings.startDelayMs,
      logger: options.logger,
      failureMessage: 'scheduled reports not made',
    });
  }

  /** Scopes reported on: the province, then each district that has an enabled camera. */
  private async scopes(): Promise<(string | null)[]> {
    if (!this.options.settings.perDistrict) return [null];
    const cameras = await new CameraRepository(this.options.pool).list({ enabledOnly: true });
    return [null, ...[...new Set(cameras.map((c) => c.district))].sort()];
  }

  /** The periods to have a report of now: per kind, the newest due and catchUpPeriods − 1 before it. */
  duePeriods(nowMs: number): ReportPeriod[] {
    const { kinds, dueHourLocal, catchUpPeriods } = this.options.settings;
    return kinds.flatMap((kind) => {
      const periods = [latestDuePeriod(kind, nowMs, dueHourLocal)];
      while (periods.length < catchUpPeriods) periods.push(previousPeriod(periods.at(-1)!));
      return periods;
    });
  }

  /** Makes every due report not yet archived; answers those made by this run. */
  async runDue(): Promise<ReportMeta[]> {
    const nowMs = this.nowMs();
    const made: ReportMeta[] = [];
    const scopes = await this.scopes();
    for (const period of this.duePeriods(nowMs)) {
      for (const district of scopes) {
        for (const language of this.options.settings.languages) {
          if (this.loop.isClosed) return made;
          const result = await this.options.maker.make({ period, district, language, madeBy: SCHEDULER_MAKER, nowMs });
          if (!result.created) continue;
          made.push(result.meta);
          this.options.logger.info(
            {
              reportId: result.meta.id,
              kind: period.kind,
              district,
              language,
              from: new Date(period.fromMs).toISOString(),
            },
            'report made',
          );
        }
      }
    }
    return made;
  }

  /** Runs after startDelayMs (catching up after downtime), then every checkIntervalMs until close(). */
  start(): void {
    this.loop.start();
  }

  /** Stops; a report being made is finished first. Safe to call twice. */
  close(): Promise<void> {
    return this.loop.close();
  }
}
