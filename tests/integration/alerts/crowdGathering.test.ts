// Crowd gathering on real footage: pedestrians_concourse.avi replayed through a real worker and analyzer,
// a zone drawn around the group that stands together at the left of the concourse while others walk by.
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../core/config.ts';
import type { CameraAnalysis } from '../../../core/cameraAnalysis.ts';
import { replayWithAlerts } from '../../../harness/clipReplay.ts';

const config = loadConfig({ env: { IOC_ASSETS: process.env.IOC_ASSETS } });
const clipPath = resolve(config.assetsDir, 'video/pedestrians_concourse.avi');

// Drawn on the 1280×720 frame: the group's feet are at about x 240–325, y 405–445 for the whole clip;
// YOLOX-Nano finds 3 to 5 of its people in every frame (4 most of the time).
const ANALYSIS: CameraAnalysis = {
  widthPx: 1280,
  heightPx: 720,
  lines: [],
  zones: [
    {
      id: 'nhom-dung',
      name: 'Nhóm đứng',
      polygon: [
        { x: 190, y: 340 },
        { x: 360, y: 340 },
        { x: 360, y: 460 },
        { x: 190, y: 460 },
      ],
    },
  ],
  calibration: null,
};

describe('crowd gathering on pedestrians_concourse.avi', () => {
  it('raises exactly one alert for the standing group, which ends when the footage does', async () => {
    const { alerts } = await replayWithAlerts({
      clipPath,
      analysis: ANALYSIS,
      sampleFps: 5,
      frameWidthPx: 1280,
      startMs: Date.parse('2026-11-25T02:00:00Z'),
      alertRules: [{ id: 'tu-tap', type: 'crowd', zoneId: 'nhom-dung', minPeople: 3, minDurationS: 3 }],
    });
    const crowd = alerts.filter((a) => a.type === 'crowd');
    // Deduplicated: the group stays the whole clip, its count dipping and rising, and is one incident.
    expect(crowd).toHaveLength(1);
    const [alert] = crowd;
    expect(alert!.subject).toBe('zone:nhom-dung');
    // Raised once the group had stood for minDurationS (from the clip's start), and ended by the camera going quiet.
    expect(alert!.startedAtMs).toBeGreaterThanOrEqual(Date.parse('2026-11-25T02:00:00Z'));
    expect(alert!.active).toBe(false);
    expect(alert!.endedAtMs).not.toBeNull();
    expect(Number(alert!.details.people ?? alert!.details.peakPeople)).toBeGreaterThanOrEqual(3);
    // The snapshot of the triggering frame was made (the worker kept the frame; the analyzer drew the boxes).
    expect(alert!.hasSnapshot).toBe(true);
    // Nothing else fired: no camera problem on a clean replay.
    expect(alerts.filter((a) => a.type !== 'crowd')).toEqual([]);
  }, 240_000);
});
