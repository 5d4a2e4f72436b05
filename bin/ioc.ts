// The one entry point: `ioc <role>` runs one process of the system (api, ingest, worker, analyzer),
// `ioc start` runs them all on one box, `ioc migrate` only prepares the database.
// Config is validated here, once, before anything starts; a bad key stops start-up naming it.
import { loadConfig, type Config } from '../core/config.ts';
import { isIocError } from '../core/errors.ts';
import { createLogger, type Logger } from '../core/logger.ts';
import { runRole, ROLES, type Role } from './roles.ts';
import { startAll } from './start.ts';
import { parseStartFlags, type StartOptions } from './startFlags.ts';

const USAGE = `usage: ioc <command> [--demo] [--workers N]
  start [--demo] [--workers N]
                   every process on this box (api, ingest, N workers, analyzer); --demo adds a sample
                   camera (a real RTSP server looping the Hà Nội intersection clip from the assets)
  ${ROLES.join(' | ')}   one process of the system
  migrate          apply database migrations and exit
Configuration: IOC_* environment variables or a JSON file named by IOC_CONFIG (see README).`;

function fail(message: string): never {
  process.stderr.write(`ioc: ${message}\n`);
  process.exit(2);
}

async function main(argv: string[]): Promise<void> {
  const [command, ...flags] = argv;
  if (!command || command === '--help' || command === '-h') {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  let config: Readonly<Config>;
  try {
    config = loadConfig();
  } catch (err) {
    fail((err as Error).message);
  }
  const logger: Logger = createLogger({ level: config.logLevel, name: `ioc-${command}` });
  if (command === 'start') {
    let options: StartOptions;
    try {
      options = parseStartFlags(flags);
    } catch (err) {
      fail(`${(err as Error).message}\n${USAGE}`);
    }
    return startAll(config, logger, options);
  }
  if ((ROLES as readonly string[]).includes(command) || command === 'migrate') {
    return runRole(command as Role | 'migrate', config, logger);
  }
  fail(`unknown command "${command}"\n${USAGE}`);
}

main(process.argv.slice(2)).catch((err: unknown) => {
  process.stderr.write(
    `ioc: ${isIocError(err) ? `${err.code}: ${err.message}` : ((err as Error).stack ?? String(err))}\n`,
  );
  process.exit(1);
});
