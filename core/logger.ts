// Structured logging (pino). Every record passes through the credential redactor, so a camera URL
// that slips into a message, an error or ffmpeg's stderr never reaches the log with its password.
import { pino, type Logger, type DestinationStream } from 'pino';
import { redactDeep, redactUrlCredentials } from './redact.ts';

export type { Logger } from 'pino';

export interface LoggerOptions {
  level: string;
  /** Where records go; stdout by default. Tests pass a stream to read what was logged. */
  destination?: DestinationStream;
  name?: string;
}

export function createLogger(options: LoggerOptions): Logger {
  return pino(
    {
      level: options.level,
      name: options.name ?? 'ioc',
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: {
        log: (record) => redactDeep(record) as Record<string, unknown>,
      },
      hooks: {
        logMethod(args, method) {
          const cleaned = args.map((arg) => (typeof arg === 'string' ? redactUrlCredentials(arg) : arg));
          return method.apply(this, cleaned as Parameters<typeof method>);
        },
      },
      serializers: {
        err: (err: unknown) => redactDeep(err),
      },
    },
    options.destination,
  );
}
