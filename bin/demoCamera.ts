// The embedded default's sample camera: a real RTSP server looping the Hà Nội intersection clip from
// the assets, registered as a camera (with a counting line across the lanes) if it is not there yet.
// Like an IP camera it serves two streams: the 1080p main one (the wall's HLS, copied as is) and a sub stream
// at the analysed frame width, so ingest decodes a quarter of the pixels for the frames it samples.
import { access } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Pool } from 'pg';
import type { Config } from '../core/config.ts';
import type { CameraAnalysis } from '../core/cameraAnalysis.ts';
import { ConfigInvalidError } from '../core/errors.ts';
import type { Logger } from '../core/logger.ts';
import { CameraAnalysisRepository } from '../store/cameraAnalysis.ts';
import { CameraRepository } from '../store/cameras.ts';
import { AlertRulesRepository } from '../store/alertRules.ts';
import type { AlertRule } from '../core/alerts.ts';
import { startRtspServer } from '../harness/rtspServer.ts';
import { subStreamClip } from '../harness/subStreamClip.ts';

export const DEMO_CAMERA_NAME = 'Demo · Ngã tư Hà Nội';
const DEMO_CLIP = 'video/vn_traffic.mp4';
const PREFERRED_RTSP_PORT = 8554;

/** Drawn on the clip's 1920×1080 frame: a line across the lanes the traffic drives up, and the junction box. */
export const DEMO_ANALYSIS: CameraAnalysis = {
  widthPx: 1920,
  heightPx: 1080,
  lines: [
    {
      id: 'ngang-duong',
      name: 'Vạch ngang đường',
      points: [
        { x: 560, y: 540 },
        { x: 1900, y: 540 },
      ],
      directions: { leftToRight: 've-phia-camera', rightToLeft: 'di-xa' },
      directionNames: { leftToRight: 'về phía camera', rightToLeft: 'đi xa camera' },
    },
  ],
  zones: [
    {
      id: 'giao-lo',
      name: 'Giao lộ',
      polygon: [
        { x: 0, y: 620 },
        { x: 1920, y: 620 },
        { x: 1920, y: 1080 },
        { x: 0, y: 1080 },
      ],
      areaM2: 600,
      // The dozen vehicles the congestion rule below takes as full: the panel and the alerts share one capacity.
      capacityVehicles: 12,
    },
  ],
  calibration: null,
};

/**
 * The sample camera's alert rules: its lanes are one-way (traffic drives away from the camera), and the
 * junction box counts as congested when it holds most of the dozen vehicles it takes for a minute.
 */
export const DEMO_ALERT_RULES: AlertRule[] = [
  {
    id: 'nguoc-chieu',
    name: 'Đi ngược chiều',
    type: 'wrongWay',
    lineId: 'ngang-duong',
    forbiddenDirection: 've-phia-camera',
  },
  {
    id: 'un-tac',
    name: 'Ùn tắc giao lộ',
    type: 'congestion',
    zoneId: 'giao-lo',
    capacityVehicles: 12,
    minLevel: 3,
    minDurationS: 60,
  },
];

export interface DemoCamera {
  name: string;
  publicUrl: string;
  stop(): Promise<void>;
}

export async function startDemoCamera(config: Readonly<Config>, pool: Pool, logger: Logger): Promise<DemoCamera> {
  const clip = resolve(join(config.assetsDir, DEMO_CLIP));
  try {
    await access(clip);
  } catch {
    throw new ConfigInvalidError(
      `assetsDir: the demo clip ${clip} is missing (set IOC_ASSETS to the shared assets folder)`,
      {
        field: 'assetsDir',
      },
    );
  }
  const subClip = await subStreamClip(clip, {
    widthPx: config.ingest.frameWidthPx - (config.ingest.frameWidthPx % 2),
    cacheDir: join(config.dataDir, 'sub-streams'),
    ffmpegPath: config.media.ffmpegPath,
  });
  const mounts = { hanoi: clip, 'hanoi-sub': subClip };
  const server = await startRtspServer({ mounts, port: PREFERRED_RTSP_PORT }).catch(() => startRtspServer({ mounts }));
  const url = server.url('hanoi');
  const subUrl = server.url('hanoi-sub');
  const cameras = new CameraRepository(pool);
  const existing = (await cameras.list()).find((c) => c.name === DEMO_CAMERA_NAME);
  const camera = existing
    ? await cameras.update(existing.id, { mainUrl: url, subUrl, enabled: true })
    : await cameras.create({
        name: DEMO_CAMERA_NAME,
        mainUrl: url,
        subUrl,
        district: 'Hoàn Kiếm',
        sampleFps: 5,
        location: { lat: 21.0285, lon: 105.8542 },
      });
  const analysis = new CameraAnalysisRepository(pool);
  const current = await analysis.get(camera.id);
  if (current.lines.length === 0 && current.zones.length === 0) await analysis.set(camera.id, DEMO_ANALYSIS);
  const rules = new AlertRulesRepository(pool);
  if ((await rules.updatedAt(camera.id)) === null) await rules.set(camera.id, { rules: DEMO_ALERT_RULES });
  logger.info({ cameraId: camera.id, url, subUrl }, 'demo camera serving the Hà Nội intersection clip');
  return { name: DEMO_CAMERA_NAME, publicUrl: url, stop: () => server.stop() };
}
