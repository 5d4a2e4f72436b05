// TimescaleDB is used where the server offers it and PostgreSQL runs plain otherwise; the same
// SQL (date_bin) answers queries on both. Detection happens once, before migrations.
//
// A common fresh install has the extension's files but not `timescaledb` in shared_preload_libraries:
// CREATE EXTENSION then fails with a FATAL that drops the connection. We look before we leap and run
// on plain PostgreSQL with a problem that names the fix.
import type { Pool } from 'pg';

export interface TimescaleStatus {
  available: boolean;
  enabled: boolean;
  version: string | null;
  /** Why an available extension is not used, with the fix; null when nothing is wrong. */
  problem: string | null;
}

export interface TimescaleFacts {
  /** The server has the extension's files (pg_available_extensions). */
  available: boolean;
  /** shared_preload_libraries as the server reports it. */
  preloadLibraries: string;
  /** The extension is already created in this database. */
  installed: boolean;
}

export type TimescaleDecision = { action: 'plain'; problem: string | null } | { action: 'enable' };

export const TIMESCALE_PRELOAD_FIX =
  "add 'timescaledb' to shared_preload_libraries in postgresql.conf and restart PostgreSQL";

/** What to do with the extension, from what the server says; pure so each case is tested. */
export function decideTimescale(facts: TimescaleFacts): TimescaleDecision {
  if (!facts.available) return { action: 'plain', problem: null };
  const preloaded = facts.preloadLibraries
    .split(',')
    .map((name) => name.trim().replace(/^"|"$/g, ''))
    .some((name) => name === 'timescaledb' || name.endsWith('/timescaledb'));
  if (preloaded) return { action: 'enable' };
  const problem = facts.installed
    ? `TimescaleDB is created in this database but not preloaded, so its functions fail: ${TIMESCALE_PRELOAD_FIX}`
    : `TimescaleDB is installed on the server but not preloaded; running on plain PostgreSQL: ${TIMESCALE_PRELOAD_FIX}`;
  return { action: 'plain', problem };
}

export async function enableTimescaleIfAvailable(pool: Pool): Promise<TimescaleStatus> {
  const facts = await readTimescaleFacts(pool);
  const decision = decideTimescale(facts);
  if (decision.action === 'plain') {
    return { available: facts.available, enabled: false, version: null, problem: decision.problem };
  }
  await pool.query('CREATE EXTENSION IF NOT EXISTS timescaledb WITH SCHEMA public');
  const installed = await pool.query<{ extversion: string }>(
    "SELECT extversion FROM pg_extension WHERE extname = 'timescaledb'",
  );
  return {
    available: true,
    enabled: installed.rowCount === 1,
    version: installed.rows[0]?.extversion ?? null,
    problem: null,
  };
}

async function readTimescaleFacts(pool: Pool): Promise<TimescaleFacts> {
  const { rows } = await pool.query<{ available: boolean; preload: string | null; installed: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb') AS available,
            current_setting('shared_preload_libraries', true) AS preload,
            EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb') AS installed`,
  );
  const row = rows[0]!;
  return { available: row.available, preloadLibraries: row.preload ?? '', installed: row.installed };
}
