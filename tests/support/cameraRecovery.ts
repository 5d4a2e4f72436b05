// Recovery of a camera after a fault is cleared, as the wall sees it: its health says 'live' again AND its
// playlist lists a segment it did not list before. Timed from the moment the fault was cleared.
import type { IngestManager } from '../../ingest/ingestManager.ts';
import { readHlsPlaylist } from '../../ingest/hlsPlaylist.ts';
import { waitFor, type HealthLog } from './ingestHarness.ts';

/** The newest listed segment of a camera ("<media sequence>:<name>"), or null without a playlist. */
export async function newestSegmentKey(manager: IngestManager, cameraId: string): Promise<string | null> {
  const playlist = await readHlsPlaylist(manager.hlsDirOf(cameraId)).catch(() => null);
  const newest = playlist?.segments.at(-1);
  return playlist && newest ? `${playlist.mediaSequence}:${newest.name}` : null;
}

export interface RecoveryWait {
  manager: IngestManager;
  healthLog: HealthLog;
  cameraId: string;
  /** Health entries before this index are from before the fault was cleared. */
  fromIndex: number;
  /** The newest segment before the fault was cleared. */
  baselineSegment: string | null;
  /** When the fault was cleared (Date.now()). */
  clearedAtMs: number;
  timeoutMs: number;
}

/** Resolves with the recovery time in ms: fault cleared → live with a new segment. */
export async function waitForRecovery(wait: RecoveryWait): Promise<number> {
  const { manager, healthLog, cameraId, fromIndex, baselineSegment } = wait;
  await waitFor(
    async () => {
      const liveAgain = healthLog.history.slice(fromIndex).some((h) => h.cameraId === cameraId && h.state === 'live');
      if (!liveAgain) return false;
      const newest = await newestSegmentKey(manager, cameraId);
      return newest !== null && newest !== baselineSegment;
    },
    wait.timeoutMs,
    `${cameraId} live with a new HLS segment`,
  );
  return Date.now() - wait.clearedAtMs;
}
