// Flags of `ioc start`: --demo adds the sample camera, --workers N runs N worker processes (one
// onnxruntime session each by default; on two cores the bench's sweep found two carry twice the cameras).
import { ValidationError } from '../core/errors.ts';

export interface StartOptions {
  demo: boolean;
  /** Worker processes to run on this box. */
  workers: number;
}

const MAX_WORKERS = 32;

export function parseStartFlags(flags: readonly string[]): StartOptions {
  const options: StartOptions = { demo: false, workers: 1 };
  for (let i = 0; i < flags.length; i++) {
    const flag = flags[i]!;
    if (flag === '--demo') {
      options.demo = true;
      continue;
    }
    if (flag !== '--workers' && !flag.startsWith('--workers='))
      throw new ValidationError(`unknown flag "${flag}"`, { field: flag });
    const workers = flag === '--workers' ? (flags[++i] ?? '') : flag.slice('--workers='.length);
    const count = workers === '' ? NaN : Number(workers);
    if (!Number.isInteger(count) || count < 1 || count > MAX_WORKERS) {
      throw new ValidationError(`--workers must be a whole number from 1 to ${MAX_WORKERS}, not "${workers}"`, {
        field: '--workers',
      });
    }
    options.workers = count;
  }
  return options;
}
