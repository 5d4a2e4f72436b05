// Reads ffmpeg's stderr line by line: the input streams it found (codec, size, fps), the once-a-second
// stats line, and the errors worth showing in a camera's health. Pure: no process, no clock.

export interface InputVideoStream {
  inputIndex: number;
  codec: string;
  widthPx: number | null;
  heightPx: number | null;
  fps: number | null;
}

export interface FfmpegStats {
  /** Frames through the first output (the HLS one) since start. */
  frames: number;
  fps: number | null;
  /** Output time reached, seconds. */
  timeSec: number | null;
  speed: number | null;
}

export type StderrEvent =
  | { kind: 'input'; stream: InputVideoStream }
  | { kind: 'stats'; stats: FfmpegStats }
  | { kind: 'error'; text: string; hlsCopyFailure: boolean }
  /** "Stream #0:0 -> #0:0 (copy)": how each input stream reaches each output; proves what is decoded. */
  | { kind: 'mapping'; text: string };

const INPUT_HEADER = /^Input #(\d+),/;
const OUTPUT_HEADER = /^Output #(\d+),|^Stream mapping:/;
const VIDEO_STREAM = /^\s*Stream #(\d+):\d+.*?: Video: ([A-Za-z0-9_]+)/;
const SIZE = /, (\d{2,5})x(\d{2,5})\b/;
const FPS = /, (\d+(?:\.\d+)?) fps\b/;
const TBR = /, (\d+(?:\.\d+)?) tbr\b/;
const MAPPING = /^\s*Stream #\d+:\d+ -> #\d+:\d+/;
const STATS = /^frame=\s*(\d+)\s+fps=\s*([\d.]+)?.*?time=\s*(-?[\d:.]+|N\/A).*?speed=\s*([\d.]+x|N\/A)/;
// Lines that say something went wrong, as opposed to ffmpeg's banner and info chatter.
const ERROR_WORDS =
  /error|failed|refused|not found|unauthorized|forbidden|timed out|timeout|invalid|no route|unreachable|broken pipe|end of file|could not|unable|must be set/i;
// The HLS copy path's fatal failures: the MPEG-TS muxer (or its h264_mp4toannexb filter) rejecting copied
// packets, e.g. a file whose first packets share a timestamp, or RTSP H.264 with B-frames whose first
// packets carry no DTS ("first pts and dts value must be set"). Non-monotonic DTS warnings are not fatal.
const HLS_COPY_FAILURE =
  /\[(?:mpegts|hls) @ [^\]]+\] (?:.*error|.*must be set)|h264_mp4toannexb|av_interleaved_write_frame\(\): (?!Broken pipe)/i;

/** Stateful only to know whether a "Stream #…" line belongs to an input or an output section. */
export class FfmpegStderrParser {
  private section: 'input' | 'output' | 'none' = 'none';

  feed(line: string): StderrEvent | null {
    if (line.trim() === '') return null;
    if (INPUT_HEADER.test(line)) {
      this.section = 'input';
      return null;
    }
    if (OUTPUT_HEADER.test(line)) {
      this.section = 'output';
      return null;
    }
    const stats = parseStatsLine(line);
    if (stats) return { kind: 'stats', stats };
    if (MAPPING.test(line)) return { kind: 'mapping', text: line.trim() };
    if (this.section === 'input') {
      const stream = parseInputVideoStream(line);
      if (stream) return { kind: 'input', stream };
    }
    if (ERROR_WORDS.test(line)) {
      return { kind: 'error', text: line.trim(), hlsCopyFailure: HLS_COPY_FAILURE.test(line) };
    }
    return null;
  }
}

export function parseStatsLine(line: string): FfmpegStats | null {
  const match = STATS.exec(line.trim());
  if (!match) return null;
  return {
    frames: Number(match[1]),
    fps: match[2] !== undefined ? Number(match[2]) : null,
    timeSec: match[3] && match[3] !== 'N/A' ? parseClock(match[3]) : null,
    speed: match[4] && match[4] !== 'N/A' ? Number.parseFloat(match[4]) : null,
  };
}

export function parseInputVideoStream(line: string): InputVideoStream | null {
  const match = VIDEO_STREAM.exec(line);
  if (!match) return null;
  const size = SIZE.exec(line);
  const fps = FPS.exec(line) ?? TBR.exec(line);
  return {
    inputIndex: Number(match[1]),
    codec: match[2]!.toLowerCase(),
    widthPx: size ? Number(size[1]) : null,
    heightPx: size ? Number(size[2]) : null,
    fps: fps ? Number(fps[1]) : null,
  };
}

function parseClock(text: string): number | null {
  const negative = text.startsWith('-');
  const parts = text.replace('-', '').split(':').map(Number);
  if (parts.some((p) => !Number.isFinite(p))) return null;
  const seconds = parts.reduce((total, part) => total * 60 + part, 0);
  return negative ? -seconds : seconds;
}
