// The embedded RTMP server (node-media-server v4) for cameras that push: a camera publishes to
// rtmp://host:port/live/<key>, ingest pulls the same URL like any source, HTTP-FLV gives a low-latency view.
import { createRequire } from 'node:module';
import type { Server } from 'node:net';
import { join, resolve } from 'node:path';
import type { Config } from '../core/config.ts';
import { MediaServerError } from '../core/errors.ts';
import type { Logger } from '../core/logger.ts';

/** The part of node-media-server's (untyped, CommonJS) API used here. */
interface NodeMediaServerInstance {
  run(): Promise<void>;
  stop(): Promise<void>;
  on(event: string, listener: (session: { streamPath?: string }) => void): void;
  rtmpServer: { tcpServer?: Server };
  httpServer: { httpServer?: Server };
}
type NodeMediaServerClass = new (config: Record<string, unknown>, configPath?: string) => NodeMediaServerInstance;

const require = createRequire(import.meta.url);

export interface MediaServerOptions {
  host: string;
  /** 0 is refused: node-media-server treats it as "disabled". */
  rtmpPort: number;
  httpPort: number;
  /** node-media-server keeps a small JSON store (relay tasks, history) here. */
  stateDir: string;
  logger: Logger;
}

/** node-media-server keeps its config in a module-level singleton: one running server per process. */
let running: MediaServer | null = null;

export class MediaServer {
  private closing: Promise<void> | null = null;

  private constructor(
    private readonly nms: NodeMediaServerInstance,
    private readonly options: MediaServerOptions,
    private readonly servers: Server[],
  ) {}

  static async start(options: MediaServerOptions): Promise<MediaServer> {
    if (running) throw new MediaServerError('an embedded RTMP server already runs in this process');
    if (options.rtmpPort <= 0 || options.httpPort <= 0) {
      throw new MediaServerError('rtmp.port and rtmp.httpPort must be real ports (node-media-server treats 0 as off)', {
        field: options.rtmpPort <= 0 ? 'rtmp.port' : 'rtmp.httpPort',
      });
    }
    const NodeMediaServer = require('node-media-server') as NodeMediaServerClass;
    const nms = new NodeMediaServer({
      bind: options.host,
      rtmp: { port: options.rtmpPort },
      http: { port: options.httpPort },
      store: { path: resolve(options.stateDir) },
      record: { auto: false, path: join(resolve(options.stateDir), 'record') },
      notify: { url: '' },
      auth: { play: false, publish: false },
      webadmin: { enable: false },
    });
    quietNodeMediaServerLogs();
    nms.on('postPublish', (session) =>
      options.logger.info({ streamPath: session.streamPath }, 'rtmp stream published'),
    );
    nms.on('donePublish', (session) => options.logger.info({ streamPath: session.streamPath }, 'rtmp stream ended'));

    const runDone = nms.run();
    const servers = [nms.rtmpServer.tcpServer, nms.httpServer.httpServer].filter((s): s is Server => s !== undefined);
    try {
      // node-media-server calls process.exit(1) when a port is taken: take its listen errors over first.
      await Promise.all(servers.map((server) => listening(server)));
      await runDone;
    } catch (err) {
      await nms.stop().catch(() => undefined);
      throw new MediaServerError(`embedded RTMP server cannot listen: ${(err as Error).message}`, {
        field: 'rtmp.port',
      });
    }
    for (const listener of servers) {
      listener.on('error', (err) => options.logger.error({ err }, 'embedded RTMP server socket error'));
    }
    const server = new MediaServer(nms, options, servers);
    running = server;
    options.logger.info({ rtmpPort: options.rtmpPort, httpPort: options.httpPort }, 'embedded RTMP server listening');
    return server;
  }

  /** The URL a camera pushes to, and ingest pulls from (credentials never involved). */
  rtmpUrl(streamKey: string, host = '127.0.0.1'): string {
    return `rtmp://${host}:${this.options.rtmpPort}/live/${encodeURIComponent(streamKey)}`;
  }

  /** Low-latency HTTP-FLV view of a pushed stream. */
  flvUrl(streamKey: string, host = '127.0.0.1'): string {
    return `http://${host}:${this.options.httpPort}/live/${encodeURIComponent(streamKey)}.flv`;
  }

  /** Closes listeners and every connection; idempotent. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      const closed = this.servers.map(
        (server) => new Promise<void>((done) => (server.listening ? server.once('close', () => done()) : done())),
      );
      await this.nms
        .stop()
        .catch((err: unknown) => this.options.logger.error({ err }, 'node-media-server stop failed'));
      await Promise.all(closed);
      if (running === this) running = null;
    })();
    return this.closing;
  }
}

/** Starts the embedded RTMP server from the config's rtmp section; null when rtmp.enabled is false. */
export function startMediaServer(
  config: Pick<Readonly<Config>, 'rtmp' | 'dataDir'>,
  logger: Logger,
): Promise<MediaServer | null> {
  if (!config.rtmp.enabled) return Promise.resolve(null);
  return MediaServer.start({
    host: config.rtmp.host,
    rtmpPort: config.rtmp.port,
    httpPort: config.rtmp.httpPort,
    stateDir: join(config.dataDir, 'media-server'),
    logger,
  });
}

function listening(server: Server): Promise<void> {
  server.removeAllListeners('error');
  return new Promise((resolve, reject) => {
    if (server.listening) return resolve();
    server.once('listening', () => resolve());
    server.once('error', reject);
  });
}

/** node-media-server logs every session to console.log at debug level; keep only its errors. */
function quietNodeMediaServerLogs(): void {
  const nmsLogger = require('node-media-server/src/core/logger.js') as { level: string };
  nmsLogger.level = 'error';
}
