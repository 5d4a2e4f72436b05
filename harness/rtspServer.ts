// Starts scripts/rtsp-server.py (GStreamer, looping clips as live RTSP cameras) for the demo camera, the
// bench and the tests, and makes sure it never outlives its user: stop/kill/restart on demand, and a
// SIGKILL on process exit as a last resort.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const SCRIPT = fileURLToPath(new URL('../scripts/rtsp-server.py', import.meta.url));
/** Debian's interpreter: it has gi + GstRtspServer, the python3 first on PATH may not. */
const PYTHON = '/usr/bin/python3';
const READY_TIMEOUT_MS = 15_000;
const STOP_GRACE_MS = 3_000;

export interface RtspServerOptions {
  /** Mount name (without the slash) → clip path. Append ':frozen' to a path to repeat its first key frame. */
  mounts: Record<string, string>;
  /** 0 or absent: a free port picked by the server. */
  port?: number;
}

export interface RtspServer {
  readonly port: number;
  url(name: string, credentials?: { user: string; password: string }): string;
  /** SIGTERM and wait for the exit. */
  stop(): Promise<void>;
  /** SIGKILL and wait for the exit (a camera that drops off the network). */
  kill(): Promise<void>;
  /** Start again on the same port (after stop/kill; stops first if still running). */
  restart(): Promise<void>;
  /** SIGSTOP: connections stay open but no byte flows (a hung camera); resume() with SIGCONT. */
  pause(): void;
  resume(): void;
}

const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

export async function startRtspServer(options: RtspServerOptions): Promise<RtspServer> {
  const mountArgs = Object.entries(options.mounts).flatMap(([name, path]) => ['--mount', `/${name}=${path}`]);
  let child: ChildProcess | null = null;
  let port = options.port ?? 0;

  async function launch(): Promise<void> {
    const { proc, boundPort } = await spawnServer(['--port', String(port), ...mountArgs]);
    child = proc;
    port = boundPort;
  }

  async function end(signal: NodeJS.Signals): Promise<void> {
    const proc = child;
    child = null;
    if (proc) await terminate(proc, signal);
  }

  await launch();
  return {
    get port() {
      return port;
    },
    url(name, credentials) {
      const auth = credentials
        ? `${encodeURIComponent(credentials.user)}:${encodeURIComponent(credentials.password)}@`
        : '';
      return `rtsp://${auth}127.0.0.1:${port}/${name}`;
    },
    stop: () => end('SIGTERM'),
    kill: () => end('SIGKILL'),
    async restart() {
      await end('SIGTERM');
      await launch();
    },
    pause() {
      child?.kill('SIGSTOP');
    },
    resume() {
      child?.kill('SIGCONT');
    },
  };
}

function spawnServer(args: string[]): Promise<{ proc: ChildProcess; boundPort: number }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(PYTHON, [SCRIPT, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    live.add(proc);
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(
      () => fail(new Error(`rtsp-server not ready in ${READY_TIMEOUT_MS} ms: ${stderr}`)),
      READY_TIMEOUT_MS,
    );
    function fail(err: Error) {
      clearTimeout(timer);
      void terminate(proc, 'SIGKILL').then(() => reject(err));
    }
    proc.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      const ready = /READY port=(\d+)/.exec(stdout);
      if (ready) {
        clearTimeout(timer);
        resolve({ proc, boundPort: Number(ready[1]) });
      }
    });
    proc.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-4000);
    });
    proc.once('exit', (code, signal) => {
      live.delete(proc);
      fail(new Error(`rtsp-server exited (${code ?? signal}) before ready: ${stderr}`));
    });
  });
}

async function terminate(proc: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) {
    live.delete(proc);
    return;
  }
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  proc.kill(signal);
  proc.kill('SIGCONT'); // a paused (SIGSTOPped) server handles SIGTERM only once it runs again
  const escalate = setTimeout(() => proc.kill('SIGKILL'), STOP_GRACE_MS);
  await exited;
  clearTimeout(escalate);
  live.delete(proc);
}
