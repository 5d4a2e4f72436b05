// The PostgreSQL pool every process shares: one schema per deployment (or per test run), search_path
// pinned so the SQL names tables without a schema. Opening it also migrates and detects TimescaleDB.
import pg from 'pg';
import type { Config } from '../core/config.ts';
import type { Logger } from '../core/logger.ts';
import { DependencyUnavailableError } from '../core/errors.ts';
import { redactUrlCredentials } from '../core/redact.ts';
import { migrate } from './migrate.ts';
import { enableTimescaleIfAvailable, type TimescaleStatus } from './timescale.ts';

export interface Database {
  pool: pg.Pool;
  schema: string;
  timescale: TimescaleStatus;
  close(): Promise<void>;
}

/**
 * A session whose client went silent inside a transaction is ended by the server after this long. A host cut
 * off mid-write (no FIN, no RST) otherwise leaves its backend idle in transaction, holding the rows it wrote
 * locked until TCP keepalive notices (2 h by default): the analyzer that takes its cameras over then blocks on
 * them (the multi-host test saw it). Every transaction here is a few statements sent back to back.
 */
const IDLE_IN_TRANSACTION_TIMEOUT_MS = 10_000;

export async function openDatabase(config: Config['database'], logger: Logger): Promise<Database> {
  const pool = new pg.Pool({
    connectionString: config.url,
    max: config.poolSize,
    options: `-c search_path=${config.schema},public -c timezone=UTC -c idle_in_transaction_session_timeout=${IDLE_IN_TRANSACTION_TIMEOUT_MS}`,
    connectionTimeoutMillis: 10_000,
    // Probes from this side too, so a connection to a server behind a cut link is found dead, not waited on.
    keepAlive: true,
  });
  // An idle client that loses its server (PostgreSQL restart) must not crash the process.
  pool.on('error', (err) => logger.warn({ err }, 'postgres idle client error'));
  try {
    await pool.query(`CREATE SCHEMA IF NOT EXISTS ${config.schema}`);
    const timescale = await enableTimescaleIfAvailable(pool);
    if (timescale.problem) logger.warn({ schema: config.schema }, timescale.problem);
    const migrations = await migrate(pool);
    logger.info({ schema: config.schema, timescale: timescale.enabled, applied: migrations.applied }, 'database ready');
    let closed = false;
    return {
      pool,
      schema: config.schema,
      timescale,
      async close() {
        if (closed) return;
        closed = true;
        await pool.end();
      },
    };
  } catch (err) {
    await pool.end().catch(() => undefined);
    if ((err as { code?: string }).code === 'ECONNREFUSED') {
      throw new DependencyUnavailableError(`PostgreSQL unreachable at ${redactUrlCredentials(config.url)}`);
    }
    throw err;
  }
}
