// A camera that cannot do its job says so on the wall: a live tile whose frames are too small, or whose
// analysis found nothing for minutes, shows why (Vietnamese by default, English with ?lang=en) instead of "live".
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { AnalysisActivity } from '../../../core/analysisStatus.ts';
import { startRtspServer, type RtspServer } from '../../../harness/rtspServer.ts';
import { ARTIFACTS_DIR, launchBrowser } from '../../support/browser.ts';
import { startSystem, waitFor, type SystemUnderTest } from '../../support/systemHarness.ts';
import type { Redis } from 'ioredis';
import { createRedis, redisKeys } from '../../../core/redis.ts';

const run = promisify(execFile);

describe('wall tile of a camera that cannot do its job', () => {
  let rtsp: RtspServer;
  let system: SystemUnderTest;
  let browser: Browser;
  let redis: Redis;
  let clipDir: string;
  let tinyId: string;
  let quietId: string;

  beforeAll(async () => {
    system = await startSystem();
    // A real 160×120 camera: the traffic clip scaled down, as an old or misconfigured sub stream sends it.
    clipDir = await mkdtemp(join(tmpdir(), 'ioc-tiny-'));
    const tiny = join(clipDir, 'tiny.mp4');
    const clip = resolve(system.config.assetsDir, 'video/vn_traffic.mp4');
    await run('ffmpeg', [
      '-v',
      'error',
      '-y',
      '-i',
      clip,
      '-t',
      '20',
      '-an',
      '-vf',
      'scale=160:120',
      '-c:v',
      'libx264',
      '-preset',
      'veryfast',
      '-g',
      '25',
      '-bf',
      '0',
      tiny,
    ]);
    rtsp = await startRtspServer({ mounts: { tiny, hanoi: clip } });
    browser = await launchBrowser();
    redis = createRedis(system.config.redis.url, 'request');
  }, 60_000);
  afterAll(async () => {
    await redis?.quit();
    await browser?.close();
    await system?.close();
    await rtsp?.stop();
    if (clipDir) await rm(clipDir, { recursive: true, force: true });
  });

  /** What the camera's analyzer publishes with its checkpoint (analyzer/activityReport.ts). */
  async function publishActivity(cameraId: string, activity: AnalysisActivity): Promise<void> {
    await redis.hset(redisKeys.analysisActivity(system.config.redis.prefix), cameraId, JSON.stringify(activity));
  }

  async function wallPage(viewport: { width: number; height: number }, query = ''): Promise<Page> {
    const page = await browser.newPage({ viewport });
    await system.authenticate(page);
    await page.goto(`${system.api.url}/${query}`);
    return page;
  }

  const badge = (page: Page, id: string) => page.locator(`figure.tile[data-camera-id="${id}"] .tile-state`);

  it('shows "live" until the analysis says otherwise, then why the camera cannot do its job', async () => {
    tinyId = (
      await system.request('POST', '/api/cameras', {
        name: 'Cầu Giấy (camera cũ)',
        mainUrl: rtsp.url('tiny'),
        district: 'Cầu Giấy',
        sampleFps: 1,
      })
    ).json.id;
    quietId = (
      await system.request('POST', '/api/cameras', {
        name: 'Ngã tư Hàng Bài',
        mainUrl: rtsp.url('hanoi'),
        district: 'Hoàn Kiếm',
        sampleFps: 1,
      })
    ).json.id;
    for (const id of [tinyId, quietId]) {
      await waitFor(
        'the camera to be live',
        async () => (await system.request('GET', `/api/cameras/${id}`)).json.health.state === 'live',
        30_000,
      );
    }
    const page = await wallPage({ width: 1920, height: 1080 });
    await expect.poll(() => badge(page, quietId).textContent(), { timeout: 10_000 }).toBe('Trực tiếp');

    const nowMs = Date.now();
    await publishActivity(tinyId, {
      frameWidthPx: 160,
      frameHeightPx: 120,
      runStartedAtMs: nowMs - 6 * 60_000 - 5000,
      lastFrameAtMs: nowMs,
      lastDetectionAtMs: null,
    });
    await publishActivity(quietId, {
      frameWidthPx: 960,
      frameHeightPx: 540,
      runStartedAtMs: nowMs - 3_600_000,
      lastFrameAtMs: nowMs,
      lastDetectionAtMs: nowMs - 6 * 60_000 - 5000,
    });

    await expect
      .poll(() => badge(page, tinyId).textContent(), { timeout: 10_000 })
      .toBe('Khung hình quá nhỏ để phân tích (160×120)');
    await expect
      .poll(() => badge(page, quietId).textContent(), { timeout: 10_000 })
      .toBe('Không nhận dạng được xe, người trong 6 phút');
    expect(await page.locator(`figure.tile[data-camera-id="${tinyId}"]`).getAttribute('data-analysis')).toBe(
      'framesTooSmall',
    );
    expect(await badge(page, quietId).getAttribute('title')).toMatch(
      /^Lần nhận dạng gần nhất: \d\d:\d\d:\d\d \d\d\/12\/2026$/,
    );
    // The tiny camera's video plays on its tile: the wall still shows what the camera sends.
    await page.waitForFunction(
      (id) =>
        (document.querySelector(`figure.tile[data-camera-id="${id}"] video`) as HTMLVideoElement | null)?.currentTime! >
        1,
      tinyId,
      { timeout: 30_000 },
    );
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'wall-camera-health.png') });
    await page.close();

    const phone = await wallPage({ width: 390, height: 844 });
    await expect
      .poll(() => badge(phone, tinyId).textContent(), { timeout: 10_000 })
      .toBe('Khung hình quá nhỏ để phân tích (160×120)');
    await phone.waitForFunction(
      (id) =>
        (document.querySelector(`figure.tile[data-camera-id="${id}"] video`) as HTMLVideoElement | null)?.currentTime! >
        1,
      quietId,
      { timeout: 30_000 },
    );
    await phone.screenshot({ path: join(ARTIFACTS_DIR, 'wall-camera-health-phone.png'), fullPage: true });
    await phone.close();

    const english = await wallPage({ width: 1280, height: 720 }, '?lang=en');
    await expect
      .poll(() => badge(english, tinyId).textContent(), { timeout: 10_000 })
      .toBe('Frames too small to analyse (160×120)');
    await expect
      .poll(() => badge(english, quietId).textContent(), { timeout: 10_000 })
      .toBe('Nothing detected for 6 min');
    await english.close();
  });
});
