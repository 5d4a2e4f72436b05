// One role of the product (`node --import tsx bin/ioc.ts <role>`) as a child process, as the bench and the fault
// tests run the real processes: its log lines kept (a tail for a failure's message, listeners for a test
// watching what it says), resolved once it logs that it serves. bin/start.ts is the product's own supervisor.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Config } from '../core/config.ts';

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
const ENTRY = join(REPO_ROOT, 'bin/ioc.ts');

export type RoleName = 'api' | 'ingest' | 'worker' | 'analyzer';

/** What a role logs (pino JSON, level info) once it serves. */
export const SERVING_LINE: Partial<Record<RoleName, string>> = {
  api: 'api listening',
  ingest: 'ingest started',
  worker: 'inference worker started',
  analyzer: 'analyzer started',
};

export interface RoleProcess {
  /** "ingest", "analyzer", "worker-1" … */
  name: string;
  role: RoleName;
  child: ChildProcess;
  /** Its last log lines (stdout and stderr), oldest first. */
  logTail: string[];
  /** Called with every line it logs from now on (a fault watching what the role says). */
  lineListeners: Set<(line: string) => void>;
}

export interface SpawnRoleOptions {
  role: RoleName;
  /** Default: the role. */
  name?: string;
  env: NodeJS.ProcessEnv;
  /** Resolve once a line holds this; null: as soon as it is spawned. Default: SERVING_LINE[role], else null. */
  servingLine?: string | null;
  /** Default 60 s. */
  servingTimeoutMs?: number;
  /** Default 40. */
  logTailLines?: number;
  /** Called with the process before its first line: to track it (for close()) even if it never serves. */
  onSpawn?: (proc: RoleProcess) => void;
  /**
   * Wraps the command, e.g. `ip netns exec <host> …` to run it on a test network's host; the wrapper must exec
   * it in place (same pid, same IPC channel).
   */
  launch?: (command: string, args: readonly string[]) => [string, string[]];
}

export async function spawnRole(options: SpawnRoleOptions): Promise<RoleProcess> {
  const { role, name = role, env, servingTimeoutMs = 60_000, logTailLines = 40 } = options;
  const servingLine = options.servingLine === undefined ? (SERVING_LINE[role] ?? null) : options.servingLine;
  const nodeArgs = ['--import', 'tsx', ENTRY, role];
  const [command, args] = options.launch ? options.launch(process.execPath, nodeArgs) : [process.execPath, nodeArgs];
  const child = spawn(command, args, {
    cwd: REPO_ROOT,
    env,
    // The IPC channel makes the role stop by itself if its parent dies (bin/roles.ts: 'disconnect').
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const proc: RoleProcess = { name, role, child, logTail: [], lineListeners: new Set() };
  options.onSpawn?.(proc);
  let serving: () => void = () => undefined;
  const served = new Promise<void>((resolve) => (serving = resolve));
  const keep = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
      if (servingLine !== null && line.includes(servingLine)) serving();
      proc.logTail.push(line);
      for (const listener of proc.lineListeners) listener(line);
    }
    if (proc.logTail.length > logTailLines) proc.logTail.splice(0, proc.logTail.length - logTailLines);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  if (servingLine === null) return proc;

  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code, signal) =>
      reject(new Error(`${name} exited (${code ?? signal}) before it was ready:\n${proc.logTail.join('\n')}`)),
    ),
  );
  exited.catch(() => undefined); // an exit after it served (or after the timeout) is the caller's to see
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>(
    (_, reject) =>
      (timer = setTimeout(
        () => reject(new Error(`${name} not ready in ${servingTimeoutMs} ms:\n${proc.logTail.join('\n')}`)),
        servingTimeoutMs,
      )),
  );
  try {
    await Promise.race([served, exited, timeout]);
  } finally {
    clearTimeout(timer);
  }
  return proc;
}

/**
 * The environment of a worker role run with `config`'s Redis, model and queue settings (as config's env names), on
 * top of this process's: for benches and tests that build a Config and then start real workers with it.
 */
export function workerRoleEnv(config: Config): NodeJS.ProcessEnv {
  return {
    ...process.env,
    IOC_REDIS_URL: config.redis.url,
    IOC_REDIS_PREFIX: config.redis.prefix,
    IOC_INFERENCE_MODEL_ID: config.inference.modelId,
    IOC_INFERENCE_INPUT_WIDTH_PX: String(config.inference.inputWidthPx),
    IOC_INFERENCE_INPUT_HEIGHT_PX: String(config.inference.inputHeightPx),
    IOC_INFERENCE_SESSIONS: String(config.inference.sessions),
    IOC_INFERENCE_INTRA_OP_THREADS: String(config.inference.intraOpThreads),
    IOC_QUEUE_WORKER_CONCURRENCY: String(config.queue.workerConcurrency),
    IOC_QUEUE_MAX_WAITING_PER_CAMERA: String(config.queue.maxWaitingPerCamera),
    IOC_QUEUE_FRAME_WAIT_MAX_MS: String(config.queue.frameWaitMaxMs),
    IOC_QUEUE_RESULTS_MAX_LEN: String(config.queue.resultsMaxLen),
  };
}
