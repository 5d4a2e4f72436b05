// Scratch PostgreSQL schemas and Redis prefixes for a test or a harness run: unique names, dropped after.
import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * The local PostgreSQL every developer and CI machine runs (trust auth, database `test`);
 * IOC_TEST_DATABASE_URL points the tests at another server, e.g. a TimescaleDB one.
 */
export const SCRATCH_DATABASE_URL = process.env.IOC_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export function uniqueName(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
}

/** Drops a scratch schema with everything in it, over a connection of its own. */
export async function dropScratchSchema(schema: string, url = SCRATCH_DATABASE_URL): Promise<void> {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await admin.end();
  }
}
