// /api/live (WebSocket): a client sends {"type":"subscribe","cameraIds":[…]} and receives the latest
// tracks of those cameras as the analyzer publishes them, for the wall's detection overlay.
import type { FastifyPluginAsync } from 'fastify';
import type { CameraRepository } from '../store/cameras.ts';
import type { LiveFeed } from './liveFeed.ts';

export interface LivePluginOptions {
  feed: LiveFeed;
  cameras: CameraRepository;
}

const MAX_CAMERAS_PER_SOCKET = 64;
const MAX_MESSAGE_BYTES = 16 * 1024;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface SubscribeMessage {
  type: 'subscribe';
  cameraIds: string[];
}

function parseSubscribe(raw: string): SubscribeMessage | string {
  if (raw.length > MAX_MESSAGE_BYTES) return 'message too large';
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return 'message is not JSON';
  }
  const v = value as Partial<SubscribeMessage>;
  if (v?.type !== 'subscribe') return 'type must be "subscribe"';
  if (!Array.isArray(v.cameraIds) || v.cameraIds.length > MAX_CAMERAS_PER_SOCKET) {
    return `cameraIds must be an array of at most ${MAX_CAMERAS_PER_SOCKET} ids`;
  }
  if (!v.cameraIds.every((id) => typeof id === 'string' && UUID.test(id))) return 'cameraIds must be camera ids';
  return { type: 'subscribe', cameraIds: v.cameraIds };
}

export const livePlugin: FastifyPluginAsync<LivePluginOptions> = async (app, options) => {
  app.get('/live', { websocket: true, schema: { hide: true } }, (socket) => {
    let unsubscribers: Array<() => void> = [];
    const dropAll = () => {
      for (const unsubscribe of unsubscribers) unsubscribe();
      unsubscribers = [];
    };
    socket.on('message', async (data: Buffer) => {
      const request = parseSubscribe(data.toString('utf8'));
      if (typeof request === 'string') {
        socket.send(JSON.stringify({ type: 'error', code: 'IOC_VALIDATION_FAILED', field: 'cameraIds', message: request }));
        return;
      }
      // Only cameras that exist are followed; the district filter of the access-control issue goes here too.
      const known = new Set((await options.cameras.list()).map((c) => c.id));
      dropAll();
      for (const cameraId of request.cameraIds.filter((id) => known.has(id))) {
        unsubscribers.push(
          options.feed.subscribe(cameraId, (message) => {
            // A slow client is skipped rather than buffered without bound.
            if (socket.readyState === socket.OPEN && socket.bufferedAmount < 1_000_000) socket.send(JSON.stringify(message));
          }),
        );
      }
      socket.send(JSON.stringify({ type: 'subscribed', cameraIds: request.cameraIds.filter((id) => known.has(id)) }));
    });
    socket.on('close', dropAll);
  });
};
