// A pino logger whose records are kept in memory, so a test can read every line that was logged.
import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../core/logger.ts';

export interface CapturedLogger {
  logger: Logger;
  lines: string[];
  text(): string;
}

export function captureLogger(level = 'debug'): CapturedLogger {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  return { logger: createLogger({ level, destination }), lines, text: () => lines.join('\n') };
}
