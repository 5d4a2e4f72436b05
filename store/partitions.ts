// Plain PostgreSQL keeps time-series tables partitioned by month; partitions are created ahead of
// time so writes land in them (the default partition only catches stragglers). Timescale does this itself.
import type { Pool } from 'pg';
import type { Logger } from '../core/logger.ts';

const PARTITIONED_TABLES = ['traffic_counts', 'zone_stats'] as const;

function monthStart(date: Date, offsetMonths: number): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + offsetMonths, 1));
}

function partitionName(table: string, start: Date): string {
  return `${table}_${start.getUTCFullYear()}${String(start.getUTCMonth() + 1).padStart(2, '0')}`;
}

/** Creates the monthly partitions from the month of `now` to `monthsAhead` months later. */
export async function ensureMonthlyPartitions(
  pool: Pool,
  logger: Logger,
  now: Date,
  monthsAhead = 2,
): Promise<string[]> {
  const timescale = await pool.query("SELECT 1 FROM pg_extension WHERE extname = 'timescaledb'");
  if (timescale.rowCount) return [];
  const created: string[] = [];
  for (const table of PARTITIONED_TABLES) {
    for (let offset = 0; offset <= monthsAhead; offset++) {
      const start = monthStart(now, offset);
      const end = monthStart(now, offset + 1);
      const name = partitionName(table, start);
      const exists = await pool.query(
        'SELECT 1 FROM pg_class WHERE relname = $1 AND relnamespace = current_schema()::regnamespace',
        [name],
      );
      if (exists.rowCount) continue;
      try {
        await pool.query(
          `CREATE TABLE ${name} PARTITION OF ${table} FOR VALUES FROM ('${start.toISOString()}') TO ('${end.toISOString()}')`,
        );
        created.push(name);
      } catch (err) {
        // Rows for that month already sit in the default partition: they stay there, still queried.
        logger.warn({ err, partition: name }, 'could not create partition; rows stay in the default partition');
      }
    }
  }
  return created;
}
