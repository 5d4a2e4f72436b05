// Pure builders of the one ffmpeg command per camera: one connection per source stream, output 1 the
// H.264 copied (or, as a fallback, re-encoded) into a rolling HLS playlist, output 2 sampled JPEGs on stdout.
import { join } from 'node:path';
import type { HlsMode } from '../core/camera.ts';

export const HLS_PLAYLIST_NAME = 'index.m3u8';
export const HLS_SEGMENT_PATTERN = 'seg_%d.ts';
/**
 * How long a segment stays on disk after it leaves the live list: an alert's clip keeper links segments
 * as it sees them, and this margin covers a keeper that polls late (and hls.js players a little behind).
 */
export const HLS_KEEP_UNLISTED_MS = 10_000;

export interface IngestCommandOptions {
  /** Full-resolution stream; only remuxed into HLS when subUrl is set. */
  mainUrl: string;
  /** Low-resolution stream decoded for frames; null: the main stream serves both outputs. */
  subUrl: string | null;
  sampleFps: number;
  hlsDir: string;
  hlsMode: HlsMode;
  /** Frame rate of the main stream when known (from a previous run), for the transcode GOP. */
  mainFps: number | null;
  hlsSegmentSeconds: number;
  hlsListSize: number;
  sourceTimeoutMs: number;
  frameWidthPx: number;
  jpegQuality: number;
}

export interface FfmpegInputSpec {
  url: string;
  /** Options placed before this input's -i. */
  options: string[];
}

export interface FfmpegOutputSpec {
  /** A path, or 'pipe:1' for stdout. */
  target: string;
  options: string[];
}

/** The command in the shape fluent-ffmpeg takes it (inputs with their options, outputs with theirs). */
export interface FfmpegCommandSpec {
  globalOptions: string[];
  inputs: FfmpegInputSpec[];
  outputs: FfmpegOutputSpec[];
}

/** The GOP of the transcode fallback when the source frame rate is not known yet. */
const FALLBACK_FPS = 25;

export function buildIngestCommand(options: IngestCommandOptions): FfmpegCommandSpec {
  const inputs = [{ url: options.mainUrl, options: sourceInputOptions(options.mainUrl, options.sourceTimeoutMs) }];
  if (options.subUrl) {
    inputs.push({ url: options.subUrl, options: sourceInputOptions(options.subUrl, options.sourceTimeoutMs) });
  }
  const frameInputIndex = options.subUrl ? 1 : 0;
  return {
    // -stats_period 1: one progress line a second feeds the health's fps and the watchdog.
    globalOptions: ['-hide_banner', '-nostdin', '-loglevel', 'info', '-stats_period', '1'],
    inputs,
    outputs: [hlsOutput(options), frameOutput(options, frameInputIndex)],
  };
}

/** How long ffmpeg reads an RTSP source to learn its streams before it starts (µs). */
const RTSP_PROBE_US = 1_000_000;

/** Per-input options: how to connect, and how long a silent source may block a read. */
export function sourceInputOptions(url: string, sourceTimeoutMs: number): string[] {
  const timeoutUs = String(Math.round(sourceTimeoutMs * 1000));
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url)?.[1]?.toLowerCase();
  switch (scheme) {
    case 'rtsp':
    case 'rtsps':
      // TCP interleaved: no lost UDP packets (smeared frames) through NAT and firewalls. A 1 s probe instead of
      // 5: the SDP already names the codec, and at a sub stream's 5 fps the default probe held the first frame
      // back 6.6 s and then let ~24 out at once, stamped within 150 ms (30 fps streams finish probing sooner).
      return ['-rtsp_transport', 'tcp', '-timeout', timeoutUs, '-analyzeduration', String(RTSP_PROBE_US)];
    case 'rtmp':
    case 'rtmps':
    case 'http':
    case 'https':
      // rtmp's own -timeout means "listen"; rw_timeout is the generic read timeout.
      return ['-rw_timeout', timeoutUs];
    default:
      // A file (tests, demos): read at its native rate and loop, so it behaves like a camera.
      return ['-re', '-stream_loop', '-1'];
  }
}

/**
 * Over RTSP, a source with B-frames hands ffmpeg its first access units without timestamps (they come from
 * the RTP clock, and decode order is only known after the reorder delay); the MPEG-TS muxer then refuses the
 * copy ("first pts and dts value must be set") and the camera would be re-encoded for ever. This fills only
 * the missing ones (PTS from DTS or 0, DTS counting on from the previous) and leaves every timed packet as is.
 */
export const FILL_MISSING_TIMESTAMPS_BSF =
  'setts=pts=if(eq(PTS\\,NOPTS)\\,if(eq(DTS\\,NOPTS)\\,0\\,DTS)\\,PTS)' +
  ':dts=if(eq(DTS\\,NOPTS)\\,if(eq(PREV_OUTDTS\\,NOPTS)\\,if(eq(PTS\\,NOPTS)\\,0\\,PTS)\\,PREV_OUTDTS+1)\\,DTS)';

function hlsOutput(options: IngestCommandOptions): FfmpegOutputSpec {
  const codecOptions =
    options.hlsMode === 'copy' ? ['-c:v', 'copy', '-bsf:v', FILL_MISSING_TIMESTAMPS_BSF] : transcodeOptions(options);
  return {
    target: join(options.hlsDir, HLS_PLAYLIST_NAME),
    options: [
      // Video only: camera audio (G.711, often) is not needed on the wall and not all of it fits HLS.
      '-map',
      '0:v:0',
      '-an',
      '-sn',
      '-dn',
      ...codecOptions,
      '-f',
      'hls',
      '-hls_time',
      formatNumber(options.hlsSegmentSeconds),
      '-hls_list_size',
      String(options.hlsListSize),
      '-hls_delete_threshold',
      String(Math.max(1, Math.ceil(HLS_KEEP_UNLISTED_MS / 1000 / options.hlsSegmentSeconds))),
      // temp_file: a segment appears under its name only once complete (players and the watchdog see
      // whole files); append_list + omit_endlist: a reconnect continues the numbering instead of ending
      // the playlist, so hls.js keeps playing; program_date_time lets alerts find the segments of a moment.
      '-hls_flags',
      'delete_segments+temp_file+append_list+omit_endlist+program_date_time',
      '-hls_segment_filename',
      join(options.hlsDir, HLS_SEGMENT_PATTERN),
    ],
  };
}

/** Re-encode for hls.js: only when the source is not H.264 or its copy into MPEG-TS keeps failing. */
export function transcodeOptions(options: Pick<IngestCommandOptions, 'mainFps' | 'hlsSegmentSeconds'>): string[] {
  const fps = options.mainFps && options.mainFps > 0 ? options.mainFps : FALLBACK_FPS;
  const keyintFrames = String(Math.max(1, Math.round(fps * options.hlsSegmentSeconds)));
  return [
    '-c:v',
    'libx264',
    '-preset',
    'veryfast',
    '-tune',
    'zerolatency',
    '-pix_fmt',
    'yuv420p',
    '-g',
    keyintFrames,
    '-keyint_min',
    keyintFrames,
    '-sc_threshold',
    '0',
    // A key frame at every segment boundary even if the fps guess was wrong.
    '-force_key_frames',
    `expr:gte(t,n_forced*${formatNumber(options.hlsSegmentSeconds)})`,
  ];
}

function frameOutput(options: IngestCommandOptions, inputIndex: number): FfmpegOutputSpec {
  // scale=W:-2 keeps the aspect ratio with an even height (what JPEG chroma subsampling wants). Never wider
  // than the source: scaling up adds no detail and would hide from the analysis that a camera is too small.
  const filter = `fps=${formatNumber(options.sampleFps)},scale=w='min(${options.frameWidthPx},iw)':h=-2:flags=bilinear`;
  return {
    target: 'pipe:1',
    options: [
      '-map',
      `${inputIndex}:v:0`,
      '-an',
      '-sn',
      '-dn',
      '-filter:v',
      filter,
      '-c:v',
      'mjpeg',
      '-q:v',
      String(options.jpegQuality),
      '-pix_fmt',
      'yuvj420p',
      '-f',
      'image2pipe',
    ],
  };
}

/** The argument list ffmpeg receives for a spec, in fluent-ffmpeg's order (inputs, globals, outputs). */
export function commandArgs(spec: FfmpegCommandSpec): string[] {
  return [
    ...spec.inputs.flatMap((input) => [...input.options, '-i', input.url]),
    ...spec.globalOptions,
    ...spec.outputs.flatMap((output) => [...output.options, output.target]),
  ];
}

/** Numbers as ffmpeg reads them: no exponent, no trailing zeros (0.5, 2, 12.5). */
function formatNumber(value: number): string {
  return String(Number(value.toFixed(6)));
}
