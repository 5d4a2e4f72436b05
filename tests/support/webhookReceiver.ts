// A real HTTP consumer of webhooks (node:http on 127.0.0.1) that records every POST with its headers and
// body and answers what the test says: the other end of the dispatcher, without mocking fetch.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { freePort } from '../../harness/freePort.ts';

export interface ReceivedWebhook {
  deliveryId: string;
  event: string;
  signature: string;
  body: string;
  /** What the receiver answered. */
  status: number;
  path: string;
}

export interface WebhookReceiver {
  port: number;
  url: string;
  received: ReceivedWebhook[];
  /** Requests being answered right now, per delivery header (to see overlapping sends). */
  inFlight: number;
  maxInFlight: number;
  close(): Promise<void>;
}

export interface WebhookReceiverOptions {
  /** Listen on this port (a consumer coming back where it was); a free one by default. */
  port?: number;
  /** Status to answer the n-th request (0-based); 200 by default. May wait, to hold a send open. */
  answer?: (request: Omit<ReceivedWebhook, 'status'>, index: number) => number | Promise<number>;
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

export async function startWebhookReceiver(options: WebhookReceiverOptions = {}): Promise<WebhookReceiver> {
  const port = options.port ?? (await freePort());
  let index = 0;
  const receiver: WebhookReceiver = {
    port,
    url: `http://127.0.0.1:${port}/hook`,
    received: [],
    inFlight: 0,
    maxInFlight: 0,
    close: async () => undefined,
  };
  const server: Server = createServer(async (request, response) => {
    receiver.inFlight += 1;
    receiver.maxInFlight = Math.max(receiver.maxInFlight, receiver.inFlight);
    try {
      const seen = {
        deliveryId: String(request.headers['x-ioc-delivery'] ?? ''),
        event: String(request.headers['x-ioc-event'] ?? ''),
        signature: String(request.headers['x-ioc-signature'] ?? ''),
        body: await readBody(request),
        path: request.url ?? '',
      };
      const status = options.answer ? await options.answer(seen, index++) : 200;
      receiver.received.push({ ...seen, status });
      response.writeHead(status, { 'content-type': 'text/plain' }).end('ok');
    } finally {
      receiver.inFlight -= 1;
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  receiver.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return receiver;
}
