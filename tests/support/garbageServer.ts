// A TCP server that answers every request with junk and hangs up: a "camera" whose port is open but whose
// RTSP is garbage (a misconfigured device, another service on the port).
import { createServer, type Socket } from 'node:net';

export interface GarbageServer {
  readonly port: number;
  url(path: string, credentials?: { user: string; password: string }): string;
  /** Connections it answered so far (ffmpeg retried this many times). */
  readonly connections: number;
  close(): Promise<void>;
}

/** Not random: the same junk every run, so a failure is reproducible. */
const JUNK = Buffer.concat([
  Buffer.from('\x00\xffGARBAGE/9.9 ???\r\n'),
  Buffer.alloc(512, 0xa5),
  Buffer.from('\r\n\r\n'),
]);

export function startGarbageServer(): Promise<GarbageServer> {
  const sockets = new Set<Socket>();
  let connections = 0;
  let closing: Promise<void> | null = null;
  const server = createServer((socket) => {
    connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined); // ffmpeg hanging up first is normal
    socket.once('data', () => socket.end(JUNK));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      resolve({
        port,
        get connections() {
          return connections;
        },
        url(path, credentials) {
          const auth = credentials ? `${credentials.user}:${credentials.password}@` : '';
          return `rtsp://${auth}127.0.0.1:${port}/${path}`;
        },
        close() {
          closing ??= new Promise<void>((done) => {
            for (const socket of sockets) socket.destroy();
            server.close(() => done());
          });
          return closing;
        },
      });
    });
  });
}
