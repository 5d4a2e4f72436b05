// How a camera supervisor behaves when things go wrong: a camera that hangs without closing the connection
// (the watchdog restarts ffmpeg), an ffmpeg binary that is missing, a refused source with credentials.
import { afterAll, describe, expect, it } from 'vitest';
import type { Config } from '../../../core/config.ts';
import { CameraSupervisor } from '../../../ingest/cameraSupervisor.ts';
import { captureLogger } from '../../support/logCapture.ts';
import { childProcessPids } from '../../support/media.ts';
import { freePort } from '../../../harness/freePort.ts';
import { startRtspServer, type RtspServer } from '../../../harness/rtspServer.ts';
import { assetPath, HealthLog, ingestTestConfig, RecordingSink, tempHlsRoot } from '../../support/ingestHarness.ts';

const base = ingestTestConfig();

function supervisor(
  mainUrl: string,
  hlsDir: string,
  healthLog: HealthLog,
  config: Pick<Config, 'media' | 'ingest'> = base,
) {
  const captured = captureLogger('debug');
  const camera = new CameraSupervisor({
    camera: { id: 'cam', mainUrl, subUrl: null, sampleFps: 2 },
    hlsDir,
    config,
    frameSink: new RecordingSink(),
    logger: captured.logger,
    onHealth: healthLog.onHealth,
  });
  return { camera, captured };
}

describe('CameraSupervisor failures', () => {
  const hlsRoot = tempHlsRoot();
  let server: RtspServer | null = null;

  afterAll(async () => {
    await server?.stop();
    hlsRoot.remove();
    expect(childProcessPids('ffmpeg')).toEqual([]);
  });

  it('restarts ffmpeg when a hung camera sends nothing for stallTimeoutMs, and goes live when it recovers', async () => {
    server = await startRtspServer({ mounts: { cam: assetPath(base, 'video/vn_traffic.mp4') } });
    // The source timeout is longer than the stall timeout, so only the watchdog can notice the hang.
    const config = { ...base, ingest: { ...base.ingest, stallTimeoutMs: 3000, sourceTimeoutMs: 30_000 } };
    const healthLog = new HealthLog();
    const { camera } = supervisor(server.url('cam'), hlsRoot.path, healthLog, config);
    camera.start();
    try {
      await healthLog.waitForState('cam', 'live', 15_000);
      const fromIndex = healthLog.history.length;
      server.pause();
      const stalled = await healthLog.waitForState('cam', 'reconnecting', 15_000, fromIndex);
      expect(stalled.message).toMatch(/no frame and no HLS segment for 3000 ms/);
      expect(childProcessPids('ffmpeg').length).toBeLessThanOrEqual(1); // the hung one was killed, not leaked
      server.resume();
      await healthLog.waitForState('cam', 'live', 30_000, fromIndex);
    } finally {
      server.resume();
      await camera.stop();
    }
    expect(childProcessPids('ffmpeg')).toEqual([]);
  });

  it('reports failed when ffmpeg cannot be started, and still stops cleanly', async () => {
    const config = { ...base, media: { ...base.media, ffmpegPath: '/nonexistent/ffmpeg' } };
    const healthLog = new HealthLog();
    const { camera } = supervisor('rtsp://127.0.0.1:9/cam', hlsRoot.path, healthLog, config);
    camera.start();
    const failed = await healthLog.waitForState('cam', 'failed', 10_000);
    expect(failed.message).toContain('/nonexistent/ffmpeg');
    await camera.stop();
    expect(camera.health().state).toBe('stopped');
  });

  it('keeps retrying a refused source, with the password out of health and logs', async () => {
    const port = await freePort(); // nobody listens there
    const healthLog = new HealthLog();
    const { camera, captured } = supervisor(`rtsp://admin:hunter2@127.0.0.1:${port}/cam`, hlsRoot.path, healthLog);
    camera.start();
    const first = await healthLog.waitForState('cam', 'reconnecting', 15_000);
    await healthLog.waitFor('cam', (h) => h.state === 'reconnecting' && h.restarts >= 1, 15_000);
    await camera.stop();
    expect(first.message).toMatch(/refused|Connection/i);
    const everything = JSON.stringify(healthLog.history) + captured.text();
    expect(everything).not.toContain('hunter2');
    expect(childProcessPids('ffmpeg')).toEqual([]);
  });
});
