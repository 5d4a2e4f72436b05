// Watches PostgreSQL for the analyzer's minute rows (traffic_counts, zone_stats) and notes when each
// camera-minute first appeared: the latency from a minute's end to its row, the store's end of the pipeline.
import pg from 'pg';
import type { Config } from '../core/config.ts';
import { summariseLatencies, type LatencySummary } from '../harness/stats.ts';

const MINUTE_MS = 60_000;

export class MinuteRowProbe {
  /** "camera|minuteMs" → first time a row of it was seen (its written_at). */
  private readonly firstWrittenMs = new Map<string, number>();
  private readonly client: pg.Client;
  private timer: NodeJS.Timeout | null = null;
  private polling: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    database: Config['database'],
    private readonly intervalMs = 1000,
  ) {
    this.client = new pg.Client({
      connectionString: database.url,
      options: `-c search_path=${database.schema},public`,
    });
  }

  async start(): Promise<void> {
    await this.client.connect();
    const loop = () => {
      if (this.stopped) return;
      this.polling = this.poll()
        .catch(() => undefined)
        .finally(() => {
          if (!this.stopped) this.timer = setTimeout(loop, this.intervalMs);
        });
    };
    loop();
  }

  private async poll(): Promise<void> {
    const { rows } = await this.client.query<{ camera_id: string; minute: Date; written_at: Date }>(
      `SELECT camera_id, minute, min(written_at) AS written_at FROM (
         SELECT camera_id, minute, written_at FROM traffic_counts UNION ALL SELECT camera_id, minute, written_at FROM zone_stats
       ) rows GROUP BY camera_id, minute`,
    );
    for (const row of rows) {
      const key = `${row.camera_id}|${row.minute.getTime()}`;
      // A later re-write (late crossing) moves written_at; the first sighting is when the minute landed.
      if (!this.firstWrittenMs.has(key)) this.firstWrittenMs.set(key, row.written_at.getTime());
    }
  }

  /** Minute end → first row, for minutes that ended inside [startMs, endMs). */
  latency(startMs: number, endMs: number): LatencySummary {
    const values: number[] = [];
    for (const [key, writtenMs] of this.firstWrittenMs) {
      const minuteEndMs = Number(key.split('|')[1]) + MINUTE_MS;
      if (minuteEndMs >= startMs && minuteEndMs < endMs) values.push(writtenMs - minuteEndMs);
    }
    return summariseLatencies(values);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.polling;
    await this.client.end().catch(() => undefined);
  }
}
