// An RTSP camera whose H.264 has B-frames (vn_wrong_way.mp4: High profile, 2 reordered frames): its first
// access units arrive without timestamps. The HLS copy must go on (no re-encode), every segment decoding.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IngestManager } from '../../../ingest/ingestManager.ts';
import { readHlsPlaylist } from '../../../ingest/hlsPlaylist.ts';
import { captureLogger } from '../../support/logCapture.ts';
import { childProcessPids } from '../../support/media.ts';
import { startRtspServer, type RtspServer } from '../../../harness/rtspServer.ts';
import {
  assetPath,
  HealthLog,
  ingestTestConfig,
  probeNewestSegment,
  RecordingSink,
  tempHlsRoot,
  testCamera,
  waitFor,
} from '../../support/ingestHarness.ts';

const execFileAsync = promisify(execFile);

describe('ingest of an RTSP camera with B-frames', () => {
  const config = ingestTestConfig();
  const hlsRoot = tempHlsRoot();
  const healthLog = new HealthLog();
  let server: RtspServer;
  let manager: IngestManager;

  beforeAll(async () => {
    server = await startRtspServer({ mounts: { bframes: assetPath(config, 'video/vn_wrong_way.mp4') } });
    manager = new IngestManager({
      config,
      hlsRoot: hlsRoot.path,
      logger: captureLogger('info').logger,
      onHealth: healthLog.onHealth,
      frameSinkFor: () => new RecordingSink(),
    });
  });

  afterAll(async () => {
    await manager?.close();
    await server?.stop();
    hlsRoot.remove();
    expect(childProcessPids('ffmpeg')).toEqual([]);
  });

  it('copies its H.264 into HLS without falling back to a re-encode, and every segment decodes', async () => {
    const { stdout } = await execFileAsync('ffprobe', [
      '-v',
      'error',
      '-select_streams',
      'v:0',
      '-show_entries',
      'stream=has_b_frames',
      '-of',
      'csv=p=0',
      assetPath(config, 'video/vn_wrong_way.mp4'),
    ]);
    expect(Number(stdout.trim())).toBeGreaterThan(0);

    await manager.reconcile([testCamera('bframes', { mainUrl: server.url('bframes'), sampleFps: 2 })]);
    const hlsDir = manager.hlsDirOf('bframes');
    expect((await healthLog.waitForState('bframes', 'live', 20_000)).hlsMode).toBe('copy');
    expect(await probeNewestSegment(hlsDir)).toEqual({ codec: 'h264', widthPx: 1568, heightPx: 778 });

    // Three segments (the clip has a key frame every ~7 s, so ~20 s), still copied, never restarted.
    const playlist = await waitFor(
      async () => {
        const p = await readHlsPlaylist(hlsDir);
        return p && p.segments.length >= 3 ? p : null;
      },
      40_000,
      'three HLS segments',
    );
    expect(
      healthLog.history
        .filter((h) => h.cameraId === 'bframes' && (h.hlsMode !== 'copy' || h.state !== 'live'))
        .map((h) => `${h.state}/${h.hlsMode}/${h.message ?? ''}`),
    ).toEqual(['starting/copy/']);
    expect(healthLog.latest('bframes')!.restarts).toBe(0);
    for (const segment of playlist.segments) {
      const decoded = await execFileAsync('ffmpeg', [
        '-v',
        'error',
        '-i',
        join(hlsDir, segment.name),
        '-f',
        'null',
        '-',
      ]);
      // The null muxer may note the first packets' adjusted decode times; no decoder error is allowed.
      expect(
        decoded.stderr
          .split('\n')
          .filter((line) => line && !/non monotonically increasing dts|Last message repeated/.test(line)),
      ).toEqual([]);
    }
  }, 90_000);
});
