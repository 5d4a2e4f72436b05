// A migrated PostgreSQL schema of its own for one test file, dropped afterwards.
import { loadConfig } from '../../core/config.ts';
import { openDatabase, type Database } from '../../store/database.ts';
import { createLogger } from '../../core/logger.ts';
import { dropScratchSchema, SCRATCH_DATABASE_URL, uniqueName } from '../../harness/scratchDatabase.ts';

export { uniqueName };
export const TEST_DATABASE_URL = SCRATCH_DATABASE_URL;

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
export function dropTestSchema(schema: string): Promise<void> {
  return dropScratchSchema(schema);
}
