// The `ingest` process: supervises one ffmpeg per enabled camera, puts sampled frames on the BullMQ
// frames queue, records camera health in PostgreSQL, and follows camera changes (Redis notice + poll).
import type { Redis } from 'ioredis';
import type { Camera, CameraHealth } from '../core/camera.ts';
import type { Config } from '../core/config.ts';
import type { FrameSink } from '../core/frames.ts';
import type { Logger } from '../core/logger.ts';
import { hlsRootOf } from '../core/paths.ts';
import { BullmqFrameSink } from '../inference/frameSink.ts';
import { IngestManager } from '../ingest/ingestManager.ts';
import { withMotionGating } from '../ingest/motionSink.ts';
import { startMediaServer } from '../ingest/mediaServer.ts';
import { CameraHealthRepository } from '../store/cameraHealth.ts';
import { CameraRepository } from '../store/cameras.ts';
import { openDatabase } from '../store/database.ts';
import { createRedis, redisChannels } from '../core/redis.ts';

const HEALTH_RETENTION_DAYS = 30;

export async function startIngestProcess(
  config: Readonly<Config>,
  logger: Logger,
): Promise<{ close(): Promise<void> }> {
  const log = logger.child({ component: 'ingest' });
  const db = await openDatabase(config.database, log);
  const cameras = new CameraRepository(db.pool);
  const healthStore = new CameraHealthRepository(db.pool);
  const mediaServer = await startMediaServer(config, log);
  // One queue connection for every camera; a camera's stop must not close it.
  // With motion gating, ingest finds what moved in each frame and workers run the model only there.
  const sharedSink = withMotionGating(new BullmqFrameSink(config), config.motion);
  const cameraSink: FrameSink = { push: (frame) => sharedSink.push(frame) };

  // Health that could not be written (PostgreSQL down) waits here, newest per camera, and is retried.
  const unwrittenHealth = new Map<string, CameraHealth>();
  const writeHealth = (health: CameraHealth) => {
    healthStore.record(health).catch((err) => {
      unwrittenHealth.set(health.cameraId, health);
      log.warn({ err, cameraId: health.cameraId }, 'camera health not stored yet; will retry');
    });
  };
  const manager = new IngestManager({
    config,
    hlsRoot: hlsRootOf(config),
    frameSinkFor: (_camera: Camera) => cameraSink,
    logger: log,
    onHealth: writeHealth,
  });

  let closed = false;
  const reconcile = async () => {
    if (closed) return;
    try {
      await manager.reconcile(await cameras.list({ enabledOnly: true }));
      for (const [id, health] of unwrittenHealth) {
        unwrittenHealth.delete(id);
        writeHealth(health);
      }
    } catch (err) {
      // PostgreSQL away: keep the cameras we have running, try again at the next tick.
      log.warn({ err }, 'could not read cameras; keeping the running ones');
    }
  };
  await reconcile();
  const poll = setInterval(() => void reconcile(), config.ingest.reconcileIntervalMs);
  const prune = setInterval(
    () =>
      void healthStore.pruneOlderThan(new Date(Date.now() - HEALTH_RETENTION_DAYS * 86_400_000)).catch(() => undefined),
    3_600_000,
  );

  // A change made through the API is applied at once instead of at the next poll.
  const subscriber = createRedis(config.redis.url, 'subscriber');
  subscriber.on('error', (err) => log.warn({ err }, 'redis subscriber error'));
  subscriber.on('message', () => void reconcile());
  await subscriber
    .subscribe(redisChannels.cameraChanges(config.redis.prefix))
    .catch((err) => log.warn({ err }, 'camera change notices unavailable; polling only'));

  return {
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(poll);
      clearInterval(prune);
      const steps: Array<() => Promise<unknown>> = [
        () => manager.close(),
        () => subscriber.quit(),
        () => sharedSink.close(),
        async () => mediaServer?.close(),
        () => db.close(),
      ];
      for (const step of steps) await step().catch((err) => log.warn({ err }, 'ingest close step failed'));
    },
  };
}
