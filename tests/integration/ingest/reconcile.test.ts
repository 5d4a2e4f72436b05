// IngestManager against a real RTSP server with two mounts: a camera with main + sub streams decodes only
// the sub stream, and reconcile() starts, stops (ffmpeg gone within 5 s) and restarts supervisors.
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readHlsPlaylist } from '../../../ingest/hlsPlaylist.ts';
import { IngestManager } from '../../../ingest/ingestManager.ts';
import { captureLogger } from '../../support/logCapture.ts';
import { childProcessPids } from '../../support/media.ts';
import { startRtspServer, type RtspServer } from '../../../harness/rtspServer.ts';
import {
  assetPath,
  HealthLog,
  probeNewestSegment,
  ingestTestConfig,
  RecordingSink,
  tempHlsRoot,
  testCamera,
  waitFor,
} from '../../support/ingestHarness.ts';

describe('IngestManager.reconcile', () => {
  const config = ingestTestConfig();
  const hlsRoot = tempHlsRoot();
  const captured = captureLogger('debug');
  const healthLog = new HealthLog();
  const sinks = new Map<string, RecordingSink>();
  let server: RtspServer;
  let manager: IngestManager;

  beforeAll(async () => {
    server = await startRtspServer({
      mounts: {
        main: assetPath(config, 'video/vn_traffic.mp4'), // 1920x1080
        sub: assetPath(config, 'video/vn_wrong_way.mp4'), // 1568x778: another aspect ratio, so frames show their source
        other: assetPath(config, 'video/vn_traffic.mp4'),
      },
    });
    manager = new IngestManager({
      config,
      hlsRoot: hlsRoot.path,
      logger: captured.logger,
      onHealth: healthLog.onHealth,
      frameSinkFor: (camera) => {
        const sink = new RecordingSink();
        sinks.set(camera.id, sink);
        return sink;
      },
    });
  });

  afterAll(async () => {
    await manager?.close();
    await server?.stop();
    hlsRoot.remove();
    expect(childProcessPids('ffmpeg')).toEqual([]);
  });

  const dual = () => testCamera('dual', { mainUrl: server.url('main'), subUrl: server.url('sub'), sampleFps: 2 });
  const other = () => testCamera('other', { mainUrl: server.url('other'), sampleFps: 2 });

  it('remuxes the main stream into HLS and decodes only the sub stream for frames', async () => {
    await manager.reconcile([dual(), other()]);
    await waitFor(() => childProcessPids('ffmpeg').length === 2, 10_000, 'two ffmpeg processes');
    const hlsDir = manager.hlsDirOf('dual');
    await waitFor(
      async () => {
        const p = await readHlsPlaylist(hlsDir);
        return p && p.segments.length > 0 ? p : null;
      },
      15_000,
      'the first HLS segment of the dual camera',
    );
    expect(await probeNewestSegment(hlsDir)).toEqual({ codec: 'h264', widthPx: 1920, heightPx: 1080 });

    const sink = sinks.get('dual')!;
    await waitFor(() => sink.frames.length >= 3, 15_000, 'frames of the dual camera');
    // 1568x778 scaled to 960 wide is 960x476; the main stream would give 960x540.
    expect(sink.frames.every((f) => f.widthPx === 960 && f.heightPx === 476)).toBe(true);

    const mappings = captured.lines.filter(
      (l) => l.includes('"cameraId":"dual"') && l.includes('ffmpeg stream mapping'),
    );
    expect(mappings.some((l) => l.includes('Stream #0:0 -> #0:0 (copy)'))).toBe(true);
    expect(mappings.some((l) => /Stream #1:0 -> #1:0 \(h264 \(native\) -> mjpeg/.test(l))).toBe(true);
    expect(mappings.some((l) => /Stream #0:0 -> #1:0/.test(l))).toBe(false); // main never reaches the decoder
    await waitFor(() => (sinks.get('other')?.frames.length ?? 0) >= 3, 15_000, 'frames of the other camera');
  });

  it('stops a disabled camera within 5 s and removes its HLS folder, leaving the others running', async () => {
    const otherDir = manager.hlsDirOf('other');
    const before = childProcessPids('ffmpeg');
    const startedMs = Date.now();
    await manager.reconcile([dual(), { ...other(), enabled: false }]);
    const stoppedInMs = Date.now() - startedMs;
    expect(stoppedInMs).toBeLessThan(5_000);
    const after = childProcessPids('ffmpeg');
    expect(after).toHaveLength(1);
    expect(before).toEqual(expect.arrayContaining(after)); // the dual camera's ffmpeg was not touched
    expect(existsSync(otherDir)).toBe(false);
    expect(sinks.get('other')!.closed).toBe(true);
    expect(manager.cameraIds()).toEqual(['dual']);
  });

  it('restarts a camera whose sample rate changed, and starts an added one', async () => {
    const dualPidBefore = childProcessPids('ffmpeg');
    await manager.reconcile([
      { ...dual(), sampleFps: 4 },
      testCamera('late', { mainUrl: server.url('other'), sampleFps: 1 }),
    ]);
    const pids = await waitFor(
      () => {
        const now = childProcessPids('ffmpeg');
        return now.length === 2 ? now : null;
      },
      10_000,
      'two ffmpeg processes',
    );
    expect(pids).not.toEqual(expect.arrayContaining(dualPidBefore)); // the dual camera got a new ffmpeg
    await waitFor(() => (sinks.get('late')?.frames.length ?? 0) >= 2, 15_000, 'frames of the added camera');
    await healthLog.waitForState('late', 'live', 15_000);
  });

  it('removes every camera', async () => {
    const startedMs = Date.now();
    await manager.reconcile([]);
    expect(Date.now() - startedMs).toBeLessThan(5_000);
    expect(childProcessPids('ffmpeg')).toEqual([]);
    expect(manager.health()).toEqual([]);
  });
});
