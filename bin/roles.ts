// Runs one role of the system in this process until SIGTERM/SIGINT, then closes it cleanly
// (every connection and child process released) before exiting.
import type { Config } from '../core/config.ts';
import type { Logger } from '../core/logger.ts';
import { startApiServer } from '../api/server.ts';
import { startInferenceWorker } from '../inference/worker.ts';
import { openDatabase } from '../store/database.ts';

export const ROLES = ['api', 'ingest', 'worker', 'analyzer'] as const;
export type Role = (typeof ROLES)[number];

export interface RoleHandle {
  close(): Promise<void>;
}

async function startRole(role: Role, config: Readonly<Config>, logger: Logger): Promise<RoleHandle> {
  switch (role) {
    case 'api': {
      const server = await startApiServer(config, logger);
      logger.info({ url: server.url }, 'api listening');
      return server;
    }
    case 'worker':
      return startInferenceWorker(config, logger);
    case 'ingest': {
      const { startIngestProcess } = await import('./ingestRole.ts');
      const ingest = await startIngestProcess(config, logger);
      logger.info('ingest started');
      return ingest;
    }
    case 'analyzer': {
      const { startAnalyzerProcess } = await import('../analyzer/process.ts');
      return startAnalyzerProcess(config, logger);
    }
  }
}

export async function runRole(role: Role | 'migrate', config: Readonly<Config>, logger: Logger): Promise<void> {
  if (role === 'migrate') {
    const db = await openDatabase(config.database, logger);
    await db.close();
    return;
  }
  const handle = await startRole(role, config, logger);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, `${role} stopping`);
    handle
      .close()
      .then(() => process.exit(0))
      .catch((err) => {
        logger.error({ err }, `${role} did not close cleanly`);
        process.exit(1);
      });
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  // The parent `start` going away must not leave this role running.
  process.on('disconnect', () => stop('parent gone'));
}
