// A camera with a sub stream, as the demo camera and the bench's `--sub-stream` serve one: the test RTSP server
// serves the clip at 1080p and its sub stream (harness/subStreamClip.ts, made once by ffmpeg); ingest copies
// the main stream into HLS for the wall and samples the analysed frames from the sub stream.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IngestManager } from '../../../ingest/ingestManager.ts';
import { startRtspServer, type RtspServer } from '../../../harness/rtspServer.ts';
import { subStreamClip } from '../../../harness/subStreamClip.ts';
import { captureLogger } from '../../support/logCapture.ts';
import { childProcessPids } from '../../support/media.ts';
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

async function probe(
  path: string,
): Promise<{ codec: string; widthPx: number; heightPx: number; bFrames: number; frameRate: string }> {
  const { stdout } = await execFileAsync('ffprobe', [
    ...['-v', 'error', '-select_streams', 'v:0'],
    ...['-show_entries', 'stream=codec_name,width,height,has_b_frames,r_frame_rate', '-of', 'json', path],
  ]);
  const stream = (JSON.parse(stdout) as { streams: Array<Record<string, string | number>> }).streams[0]!;
  return {
    codec: String(stream.codec_name),
    widthPx: Number(stream.width),
    heightPx: Number(stream.height),
    bFrames: Number(stream.has_b_frames),
    frameRate: String(stream.r_frame_rate),
  };
}

describe('a camera analysed on its sub stream', () => {
  const config = ingestTestConfig();
  const clip = assetPath(config, 'video/vn_traffic.mp4');
  const cacheDir = mkdtempSync(join(tmpdir(), 'ioc-sub-test-'));
  const hlsRoot = tempHlsRoot();
  const healthLog = new HealthLog();
  const sink = new RecordingSink();
  let subClip: string;
  let subClipAtSampleRate: string;
  let server: RtspServer;
  let manager: IngestManager;

  beforeAll(async () => {
    subClip = await subStreamClip(clip, { widthPx: 640, cacheDir });
    subClipAtSampleRate = await subStreamClip(clip, { widthPx: 640, fps: 5, cacheDir });
    server = await startRtspServer({ mounts: { main: clip, sub: subClip, sub5: subClipAtSampleRate } });
    manager = new IngestManager({
      config,
      hlsRoot: hlsRoot.path,
      logger: captureLogger('info').logger,
      onHealth: healthLog.onHealth,
      frameSinkFor: () => sink,
    });
  }, 60_000);

  afterAll(async () => {
    await manager?.close();
    await server?.stop();
    hlsRoot.remove();
    rmSync(cacheDir, { recursive: true, force: true });
    expect(childProcessPids('ffmpeg')).toEqual([]);
  });

  it("makes the sub stream once: the clip's scene at the width asked, H.264 without B-frames", async () => {
    expect(await probe(subClip)).toEqual({
      codec: 'h264',
      widthPx: 640,
      heightPx: 360,
      bFrames: 0,
      frameRate: '30/1',
    });
    const madeAtMs = statSync(subClip).mtimeMs;
    expect(await subStreamClip(clip, { widthPx: 640, cacheDir })).toBe(subClip);
    expect(statSync(subClip).mtimeMs).toBe(madeAtMs);
    await expect(subStreamClip(clip, { widthPx: 641, cacheDir })).rejects.toThrow(/even whole number/);
    await expect(subStreamClip(clip, { widthPx: 640, fps: 2.5, cacheDir })).rejects.toThrow(/sub stream fps 2.5/);
  });

  it('makes a sub stream at a set frame rate beside it, as a camera whose sub stream is set to the sample rate', async () => {
    expect(subClipAtSampleRate).not.toBe(subClip);
    expect(await probe(subClipAtSampleRate)).toEqual({
      codec: 'h264',
      widthPx: 640,
      heightPx: 360,
      bFrames: 0,
      frameRate: '5/1',
    });
  });

  it('copies the 1080p main stream to HLS and samples 640-px frames from the sub stream', async () => {
    await manager.reconcile([
      testCamera('dual', { mainUrl: server.url('main'), subUrl: server.url('sub'), sampleFps: 5 }),
    ]);
    expect((await healthLog.waitForState('dual', 'live', 20_000)).hlsMode).toBe('copy');
    expect(await probeNewestSegment(manager.hlsDirOf('dual'))).toEqual({
      codec: 'h264',
      widthPx: 1920,
      heightPx: 1080,
    });
    await waitFor(async () => (sink.frames.length >= 10 ? true : null), 20_000, 'ten frames');
    expect(new Set(sink.frames.map((f) => `${f.widthPx}x${f.heightPx}`))).toEqual(new Set(['640x360']));
  });

  it('samples every frame of a sub stream sent at the sample rate, at that rate', async () => {
    await manager.reconcile([
      testCamera('slow-sub', { mainUrl: server.url('main'), subUrl: server.url('sub5'), sampleFps: 5 }),
    ]);
    const slowFrames = () => sink.frames.filter((f) => f.cameraId === 'slow-sub');
    await waitFor(async () => (slowFrames().length >= 16 ? true : null), 30_000, 'sixteen frames');
    // The first frames come as fast as the source's start is read; the steady part is the camera's rate.
    const steady = slowFrames().slice(5, 16);
    const spanS = (steady.at(-1)!.capturedAtMs - steady[0]!.capturedAtMs) / 1000;
    expect((steady.length - 1) / spanS).toBeGreaterThan(4);
    expect((steady.length - 1) / spanS).toBeLessThan(6);
    expect(new Set(steady.map((f) => `${f.widthPx}x${f.heightPx}`))).toEqual(new Set(['640x360']));
  });
});
