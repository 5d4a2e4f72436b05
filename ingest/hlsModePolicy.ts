// Decides, run after run, whether a camera's HLS is stream-copied or re-encoded: copy by default, transcode
// when the source is not H.264 or when the copy keeps failing while decoding works. Pure, no clock.
import type { HlsMode } from '../core/camera.ts';

/** Why a run of ffmpeg ended. */
export type RunEnd = 'exited' | 'stalled' | 'hls-stalled' | 'needs-transcode' | 'stopped';

export interface RunOutcome {
  end: RunEnd;
  endedAtMs: number;
  /** When the MPEG-TS/HLS muxer last rejected copied packets in this run, if it did. */
  copyFailureAtMs: number | null;
  /** The muxer's words about it, for the health message. */
  copyFailureText: string | null;
  segmentsInRun: number;
}

/** A muxer error this close before ffmpeg exits by itself is what killed it. */
const COPY_FAILURE_EXIT_WINDOW_MS = 3000;

export class HlsModePolicy {
  private currentMode: HlsMode = 'copy';
  private currentReason: string | null = null;
  private consecutiveCopyFailures = 0;

  constructor(private readonly copyFailuresBeforeTranscode: number) {}

  get mode(): HlsMode {
    return this.currentMode;
  }

  /** Why HLS is re-encoded (null in copy mode). */
  get reason(): string | null {
    return this.currentReason;
  }

  /** The main stream's codec as ffmpeg reported it; true when this switches to transcode (restart ffmpeg). */
  onMainCodec(codec: string): boolean {
    // hls.js plays H.264; anything else (HEVC, MJPEG…) must be re-encoded for the wall.
    if (codec === 'h264') return false;
    return this.switchToTranscode(`source codec ${codec} is not H.264: HLS is re-encoded`);
  }

  /** Counts copy failures; true when this run's end switched the camera to transcode. */
  onRunEnded(outcome: RunOutcome): boolean {
    if (this.currentMode !== 'copy') return false;
    if (isCopyFailure(outcome)) {
      this.consecutiveCopyFailures++;
      if (this.consecutiveCopyFailures >= this.copyFailuresBeforeTranscode) {
        const detail = outcome.copyFailureText ?? `no HLS segment while frames kept coming`;
        return this.switchToTranscode(
          `HLS stream copy failed ${this.consecutiveCopyFailures} times while decoding worked (${detail}): HLS is re-encoded`,
        );
      }
    } else if (outcome.segmentsInRun > 0) {
      this.consecutiveCopyFailures = 0; // a run that segmented fine: earlier failures were not a pattern
    }
    return false;
  }

  private switchToTranscode(reason: string): boolean {
    if (this.currentMode === 'transcode') return false;
    this.currentMode = 'transcode';
    this.currentReason = reason;
    return true;
  }
}

/**
 * The copy path failed when the watchdog saw segments stop while frames went on, or when ffmpeg exited by
 * itself right after the muxer rejected copied packets. A hung or vanished source ('stalled', or an exit
 * without a muxer error) is not the copy's fault and never pushes a camera into transcoding.
 */
export function isCopyFailure(outcome: RunOutcome): boolean {
  if (outcome.end === 'hls-stalled') return true;
  return (
    outcome.end === 'exited' &&
    outcome.copyFailureAtMs !== null &&
    outcome.endedAtMs - outcome.copyFailureAtMs <= COPY_FAILURE_EXIT_WINDOW_MS
  );
}
