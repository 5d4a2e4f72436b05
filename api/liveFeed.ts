// Fans the analyzer's live messages (tracks per camera, Redis pub/sub) out to WebSocket clients: one
// Redis subscription per API process, however many walls are open.
import type { Redis } from 'ioredis';
import type { Logger } from '../core/logger.ts';
import type { LiveTracksMessage } from '../core/liveChannels.ts';
import { createRedis, redisChannels } from '../core/redis.ts';

export type LiveListener = (message: LiveTracksMessage) => void;

export interface LiveFeed {
  subscribe(cameraId: string, listener: LiveListener): () => void;
  close(): Promise<void>;
}

export function createLiveFeed(redisUrl: string, redisPrefix: string, logger: Logger): LiveFeed {
  const subscriber = createRedis(redisUrl, 'subscriber', { lazyConnect: true });
  subscriber.on('error', (err) => logger.warn({ err }, 'live feed redis error'));
  const listeners = new Map<string, Set<LiveListener>>();
  const channelPrefix = redisChannels.liveTracks(redisPrefix, '');
  let subscribed: Promise<unknown> | null = null;

  subscriber.on('pmessage', (_pattern: string, channel: string, payload: string) => {
    const cameraId = channel.slice(channelPrefix.length);
    const set = listeners.get(cameraId);
    if (!set?.size) return;
    let message: LiveTracksMessage;
    try {
      message = JSON.parse(payload) as LiveTracksMessage;
    } catch {
      return;
    }
    for (const listener of set) listener(message);
  });

  return {
    subscribe(cameraId, listener) {
      subscribed ??= subscriber
        .connect()
        .then(() => subscriber.psubscribe(redisChannels.liveTracksPattern(redisPrefix)))
        .catch((err) => logger.warn({ err }, 'live feed unavailable'));
      let set = listeners.get(cameraId);
      if (!set) listeners.set(cameraId, (set = new Set()));
      set.add(listener);
      return () => {
        set.delete(listener);
        if (set.size === 0) listeners.delete(cameraId);
      };
    },
    async close() {
      listeners.clear();
      await subscriber.quit().catch(() => subscriber.disconnect());
    },
  };
}
