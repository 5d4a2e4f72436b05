// Fans the analyzer's live messages (tracks per camera, Redis pub/sub) out to WebSocket clients: one
// Redis subscription per API process, however many walls are open. The last seconds of each camera are kept for
// whoever subscribes next: a wall draws the tracks of the picture it shows, which runs the HLS latency (~6 s)
// behind the analysis, so without them its overlay stayed empty that long after the page opened or the overlay
// was switched on.
import type { Redis } from 'ioredis';
import type { Logger } from '../core/logger.ts';
import type { LiveTracksMessage } from '../core/liveChannels.ts';
import { createRedis, redisChannels } from '../core/redis.ts';

export type LiveListener = (message: LiveTracksMessage) => void;

/** How much of a camera's latest tracks a new subscriber is sent: more than the wall's picture lags behind. */
const RECENT_MS = 12_000;
/** At most this many messages kept per camera (60 at the 5 fps sample rate over RECENT_MS). */
const RECENT_MAX = 150;

export interface LiveFeed {
  /** Starts following every camera now (else at the first subscription), so the first wall gets recent tracks too. */
  listen(): void;
  subscribe(cameraId: string, listener: LiveListener): () => void;
  /** The camera's messages of the last RECENT_MS received since the feed first subscribed, oldest first. */
  recent(cameraId: string): LiveTracksMessage[];
  close(): Promise<void>;
}

export function createLiveFeed(redisUrl: string, redisPrefix: string, logger: Logger): LiveFeed {
  const subscriber = createRedis(redisUrl, 'subscriber', { lazyConnect: true });
  subscriber.on('error', (err) => logger.warn({ err }, 'live feed redis error'));
  const listeners = new Map<string, Set<LiveListener>>();
  const channelPrefix = redisChannels.liveTracks(redisPrefix, '');
  let subscribed: Promise<unknown> | null = null;
  /** Per camera, the raw payloads of the last RECENT_MS with when they came (parsed only when replayed). */
  const kept = new Map<string, Array<{ atMs: number; payload: string }>>();

  const keep = (cameraId: string, payload: string, nowMs: number) => {
    let list = kept.get(cameraId);
    if (!list) kept.set(cameraId, (list = []));
    list.push({ atMs: nowMs, payload });
    let stale = 0;
    while (stale < list.length && (list[stale]!.atMs < nowMs - RECENT_MS || list.length - stale > RECENT_MAX)) stale++;
    if (stale > 0) list.splice(0, stale);
  };
  const parse = (payload: string): LiveTracksMessage | null => {
    try {
      return JSON.parse(payload) as LiveTracksMessage;
    } catch {
      return null;
    }
  };

  subscriber.on('pmessage', (_pattern: string, channel: string, payload: string) => {
    const cameraId = channel.slice(channelPrefix.length);
    keep(cameraId, payload, Date.now());
    const set = listeners.get(cameraId);
    if (!set?.size) return;
    const message = parse(payload);
    if (!message) return;
    for (const listener of set) listener(message);
  });

  const listen = () => {
    subscribed ??= subscriber
      .connect()
      .then(() => subscriber.psubscribe(redisChannels.liveTracksPattern(redisPrefix)))
      .catch((err) => logger.warn({ err }, 'live feed unavailable'));
  };

  return {
    listen,
    subscribe(cameraId, listener) {
      listen();
      let set = listeners.get(cameraId);
      if (!set) listeners.set(cameraId, (set = new Set()));
      set.add(listener);
      return () => {
        set.delete(listener);
        if (set.size === 0) listeners.delete(cameraId);
      };
    },
    recent(cameraId) {
      const since = Date.now() - RECENT_MS;
      return (kept.get(cameraId) ?? [])
        .filter((entry) => entry.atMs >= since)
        .map((entry) => parse(entry.payload))
        .filter((message): message is LiveTracksMessage => message !== null);
    },
    async close() {
      listeners.clear();
      kept.clear();
      await subscriber.quit().catch(() => subscriber.disconnect());
    },
  };
}
