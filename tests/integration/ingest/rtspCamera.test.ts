// A real looping RTSP camera (GStreamer) ingested by a real ffmpeg: HLS copy at source resolution, frames at
// the sample rate, a camera that drops off the network for 10 s and comes back, credentials never logged.
import { readdirSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IngestManager } from '../../../ingest/ingestManager.ts';
import { readHlsPlaylist } from '../../../ingest/hlsPlaylist.ts';
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

const PASSWORD = 's3cret';
const SAMPLE_FPS = 5;

describe('ingest of a looping RTSP camera', () => {
  const config = ingestTestConfig();
  const hlsRoot = tempHlsRoot();
  const captured = captureLogger('debug');
  const healthLog = new HealthLog();
  const sinks = new Map<string, RecordingSink>();
  let server: RtspServer;
  let manager: IngestManager;

  beforeAll(async () => {
    server = await startRtspServer({ mounts: { cam: assetPath(config, 'video/vn_traffic.mp4') } });
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

  it('writes an H.264-copied HLS playlist within 10 s and samples frames at sampleFps with increasing seq', async () => {
    const mainUrl = server.url('cam', { user: 'admin', password: PASSWORD });
    await manager.reconcile([testCamera('hanoi-1', { mainUrl, sampleFps: SAMPLE_FPS })]);
    const hlsDir = manager.hlsDirOf('hanoi-1');

    await waitFor(
      async () => {
        const p = await readHlsPlaylist(hlsDir);
        return p && p.segments.length > 0 ? p : null;
      },
      10_000,
      'the first HLS segment',
    );
    expect(await probeNewestSegment(hlsDir)).toEqual({ codec: 'h264', widthPx: 1920, heightPx: 1080 });
    expect((await healthLog.waitForState('hanoi-1', 'live', 10_000)).hlsMode).toBe('copy');

    // Rate over a 20 s window that starts after the first frames (the server's pre-roll burst).
    const sink = sinks.get('hanoi-1')!;
    await waitFor(() => sink.frames.length >= 5, 10_000, 'five frames');
    const first = sink.frames.at(-1)!;
    const last = await waitFor(
      () => {
        const newest = sink.frames.at(-1)!;
        return newest.capturedAtMs - first.capturedAtMs >= 20_000 ? newest : null;
      },
      40_000,
      '20 s of frames',
    );
    const rateFps = ((last.seq - first.seq) * 1000) / (last.capturedAtMs - first.capturedAtMs);
    expect(rateFps).toBeGreaterThanOrEqual(SAMPLE_FPS * 0.9);
    expect(rateFps).toBeLessThanOrEqual(SAMPLE_FPS * 1.1);

    const seqs = sink.frames.map((f) => f.seq);
    expect(seqs.every((seq, i) => i === 0 || seq > seqs[i - 1]!)).toBe(true);
    expect(sink.frames.every((f) => f.widthPx === config.ingest.frameWidthPx && f.heightPx === 540)).toBe(true);
    expect(sink.lastJpeg!.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
    // The frame stream continued past the clip's 10.4 s loop point without a restart.
    expect(healthLog.latest('hanoi-1')!.restarts).toBe(0);
  });

  it('goes reconnecting → live by itself when the camera is gone for 10 s, leaving one ffmpeg per live camera', async () => {
    const sink = sinks.get('hanoi-1')!;
    const fromIndex = healthLog.history.length;
    await server.kill();
    const reconnecting = await healthLog.waitForState('hanoi-1', 'reconnecting', 15_000, fromIndex);
    const reconnectingIndex = healthLog.history.indexOf(reconnecting);
    await delay(10_000); // the outage itself
    const seqBeforeOutageEnd = sink.frames.at(-1)!.seq;
    await server.restart();
    expect(server.port).toBeGreaterThan(0);

    const back = await healthLog.waitForState('hanoi-1', 'live', 30_000, reconnectingIndex + 1);
    expect(back.restarts).toBeGreaterThan(0);
    await waitFor(() => sink.frames.at(-1)!.seq > seqBeforeOutageEnd + 3, 10_000, 'frames after the outage');
    const seqs = sink.frames.map((f) => f.seq);
    expect(seqs.every((seq, i) => i === 0 || seq > seqs[i - 1]!)).toBe(true); // seq continues across the reconnect

    const liveCameras = manager.health().filter((h) => h.state === 'live').length;
    expect(liveCameras).toBe(1);
    expect(childProcessPids('ffmpeg')).toHaveLength(liveCameras);
    // The playlist kept its segment numbering going (append_list), so a player carries on.
    expect(readdirSync(manager.hlsDirOf('hanoi-1')).some((name) => name.endsWith('.ts'))).toBe(true);
  });

  it('never logs the password of a source URL', async () => {
    await manager.reconcile([]);
    const text = captured.text();
    expect(text).toContain('***:***@127.0.0.1'); // the URL was logged, redacted
    expect(text).toContain('ffmpeg stream mapping');
    expect(text).not.toContain(PASSWORD);
  });
});
