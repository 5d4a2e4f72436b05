// A migrated PostgreSQL schema of its own for one test file, dropped afterwards.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { loadConfig } from '../../core/config.ts';
import { openDatabase, type Database } from '../../store/database.ts';
import { createLogger } from '../../core/logger.ts';

export const TEST_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';

export function uniqueName(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
}

export async function openTestDatabase(): Promise<Database & { drop(): Promise<void> }> {
  const schema = uniqueName('t');
  const config = loadConfig({ env: {}, overrides: { database: { url: TEST_DATABASE_URL, schema } } });
  const db = await openDatabase(config.database, createLogger({ level: 'silent' }));
  return {
    ...db,
    async drop() {
      await db.close();
      await dropTestSchema(schema);
    },
  };
}

/** Drops a test's schema with everything in it, over a connection of its own. */
export async function dropTestSchema(schema: string): Promise<void> {
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  try {
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await admin.end();
  }
}
