// TimescaleDB is used where the server offers it and PostgreSQL runs plain otherwise; the same
// SQL (date_bin) answers queries on both. Detection happens once, before migrations.
import type { Pool } from 'pg';

export interface TimescaleStatus {
  available: boolean;
  enabled: boolean;
  version: string | null;
}

export async function enableTimescaleIfAvailable(pool: Pool): Promise<TimescaleStatus> {
  const available = await pool.query<{ default_version: string }>(
    "SELECT default_version FROM pg_available_extensions WHERE name = 'timescaledb'",
  );
  if (available.rowCount === 0) return { available: false, enabled: false, version: null };
  await pool.query('CREATE EXTENSION IF NOT EXISTS timescaledb WITH SCHEMA public');
  const installed = await pool.query<{ extversion: string }>(
    "SELECT extversion FROM pg_extension WHERE extname = 'timescaledb'",
  );
  return { available: true, enabled: installed.rowCount === 1, version: installed.rows[0]?.extversion ?? null };
}
