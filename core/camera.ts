// The camera as every room sees it. The URL fields carry credentials and must be redacted
// (core/redact.ts) before leaving the process.

export type CameraState = 'starting' | 'live' | 'reconnecting' | 'failed' | 'stopped';

/** How the HLS output is produced: copied H.264 (normal), or re-encoded when copy is not possible. */
export type HlsMode = 'copy' | 'transcode';

export interface Camera {
  id: string;
  name: string;
  /** Full-resolution stream, rtsp:// pull or rtmp:// (pushed into the embedded media server). Remuxed for the wall. */
  mainUrl: string;
  /** Optional low-resolution stream decoded for analysis; when absent the main stream serves both. */
  subUrl: string | null;
  district: string;
  location: { lat: number; lon: number } | null;
  enabled: boolean;
  sampleFps: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface CameraHealth {
  cameraId: string;
  state: CameraState;
  hlsMode: HlsMode;
  inputFps: number | null;
  bitrateKbps: number | null;
  lastFrameAt: Date | null;
  restarts: number;
  /** Why the camera is in this state (last ffmpeg error, fallback reason); credentials redacted. */
  message: string | null;
  updatedAt: Date;
}
