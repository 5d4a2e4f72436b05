// A migrated PostgreSQL schema of its own for one test file, dropped afterwards.
import { loadConfig } from '../../core/config.ts';
import { openDatabase, type Database } from '../../store/database.ts';
import { createLogger } from '../../core/logger.ts';
import { dropScratchSchema, SCRATCH_DATABASE_URL, uniqueName } from '../../harness/scratchDatabase.ts';

export { uniqueName };
export const TEST_DATABASE_URL = SCRATCH_DATABASE_URL;

export type DatabaseEngine = 'postgresql' | 'timescaledb';

/**
 * The engine the store tests are written for in this run: plain PostgreSQL here, `timescaledb` when
 * IOC_TEST_DATABASE_URL points at a TimescaleDB server. Stated, not detected, so a server that silently
 * fell back to plain tables fails the run instead of passing the wrong engine's tests.
 */
export const EXPECTED_ENGINE: DatabaseEngine = parseEngine(process.env.IOC_TEST_DB_ENGINE ?? 'postgresql');

function parseEngine(value: string): DatabaseEngine {
  if (value === 'postgresql' || value === 'timescaledb') return value;
  throw new Error(`IOC_TEST_DB_ENGINE must be postgresql or timescaledb, got "${value}"`);
}

export async function openTestDatabase(): Promise<Database & { drop(): Promise<void> }> {
  const schema = uniqueName('t');
  const config = loadConfig({ env: {}, overrides: { database: { url: TEST_DATABASE_URL, schema } } });
  const db = await openDatabase(config.database, createLogger({ level: 'silent' }));
  const engine: DatabaseEngine = db.timescale.enabled ? 'timescaledb' : 'postgresql';
  if (engine !== EXPECTED_ENGINE) {
    await db.close();
    await dropTestSchema(schema);
    const why = db.timescale.problem ? ` (${db.timescale.problem})` : '';
    throw new Error(
      `the store tests expect ${EXPECTED_ENGINE} (IOC_TEST_DB_ENGINE) but the server runs ${engine}${why}`,
    );
  }
  return {
    ...db,
    async drop() {
      await db.close();
      await dropTestSchema(schema);
    },
  };
}

/** Drops a test's schema with everything in it, over a connection of its own. */
export function dropTestSchema(schema: string): Promise<void> {
  return dropScratchSchema(schema);
}
