import { describe, expect, it } from 'vitest';
import {
  buildIngestCommand,
  commandArgs,
  sourceInputOptions,
  type IngestCommandOptions,
} from '../../../ingest/ffmpegArgs.ts';

const base: IngestCommandOptions = {
  mainUrl: 'rtsp://admin:s3cret@10.0.0.5:554/main',
  subUrl: null,
  sampleFps: 5,
  hlsDir: '/var/hls/cam1',
  hlsMode: 'copy',
  mainFps: 30,
  hlsSegmentSeconds: 2,
  hlsListSize: 6,
  sourceTimeoutMs: 10_000,
  frameWidthPx: 960,
  jpegQuality: 4,
};

/** The options of the output whose target is `target`. */
function outputOptions(options: IngestCommandOptions, target: string): string[] {
  const output = buildIngestCommand(options).outputs.find((o) => o.target === target);
  if (!output) throw new Error(`no output ${target}`);
  return output.options;
}

function valueAfter(args: string[], flag: string): string | undefined {
  const index = args.indexOf(flag);
  return index < 0 ? undefined : args[index + 1];
}

describe('ffmpeg ingest command', () => {
  it('opens one RTSP connection over TCP with the socket timeout and a 1 s probe, in microseconds', () => {
    const args = commandArgs(buildIngestCommand(base));
    expect(args.filter((a) => a === '-i')).toHaveLength(1);
    expect(args.slice(0, 8)).toEqual([
      ...['-rtsp_transport', 'tcp', '-timeout', '10000000', '-analyzeduration', '1000000'],
      ...['-i', base.mainUrl],
    ]);
  });

  it('copies the H.264 into a rolling HLS playlist that deletes old segments', () => {
    const hls = outputOptions(base, '/var/hls/cam1/index.m3u8');
    expect(hls.slice(0, 7)).toEqual(['-map', '0:v:0', '-an', '-sn', '-dn', '-c:v', 'copy']);
    expect(valueAfter(hls, '-f')).toBe('hls');
    expect(valueAfter(hls, '-hls_time')).toBe('2');
    expect(valueAfter(hls, '-hls_list_size')).toBe('6');
    expect(valueAfter(hls, '-hls_flags')?.split('+')).toEqual(
      expect.arrayContaining(['delete_segments', 'temp_file', 'program_date_time']),
    );
    // Segments stay on disk 10 s (5 × 2 s) after leaving the list, for alert clips still linking them.
    expect(valueAfter(hls, '-hls_delete_threshold')).toBe('5');
    expect(
      valueAfter(outputOptions({ ...base, hlsSegmentSeconds: 4 }, '/var/hls/cam1/index.m3u8'), '-hls_delete_threshold'),
    ).toBe('3');
    expect(valueAfter(hls, '-hls_segment_filename')).toBe('/var/hls/cam1/seg_%d.ts');
    expect(hls).not.toContain('-filter:v');
    expect(hls).not.toContain('libx264');
  });

  it('decodes frames at sampleFps, scaled to the frame width with an even height, as MJPEG on stdout', () => {
    const frames = outputOptions({ ...base, sampleFps: 2.5 }, 'pipe:1');
    expect(valueAfter(frames, '-map')).toBe('0:v:0');
    expect(valueAfter(frames, '-filter:v')).toBe("fps=2.5,scale=w='min(960,iw)':h=-2:flags=bilinear");
    expect(valueAfter(frames, '-c:v')).toBe('mjpeg');
    expect(valueAfter(frames, '-q:v')).toBe('4');
    expect(valueAfter(frames, '-f')).toBe('image2pipe');
  });

  it('with a sub stream, remuxes the main stream only and decodes the sub stream', () => {
    const spec = buildIngestCommand({ ...base, subUrl: 'rtsp://admin:s3cret@10.0.0.5:554/sub' });
    expect(spec.inputs.map((i) => i.url)).toEqual([base.mainUrl, 'rtsp://admin:s3cret@10.0.0.5:554/sub']);
    const [hls, frames] = spec.outputs;
    // Input 0 (main) reaches only the HLS output, stream-copied: nothing filters or encodes it.
    expect(hls!.options.filter((_, i, all) => all[i - 1] === '-map')).toEqual(['0:v:0']);
    expect(valueAfter(hls!.options, '-c:v')).toBe('copy');
    expect(hls!.options).not.toContain('-filter:v');
    expect(frames!.options.filter((_, i, all) => all[i - 1] === '-map')).toEqual(['1:v:0']);
    const args = commandArgs(spec);
    expect(args).not.toContain('-filter_complex');
    expect(args.filter((a) => a === '-map' || /^\d:v/.test(a)).join(' ')).toBe('-map 0:v:0 -map 1:v:0');
  });

  it('re-encodes for the wall in transcode mode with a key frame at every segment', () => {
    const hls = outputOptions({ ...base, hlsMode: 'transcode', mainFps: 25 }, '/var/hls/cam1/index.m3u8');
    expect(valueAfter(hls, '-c:v')).toBe('libx264');
    expect(valueAfter(hls, '-preset')).toBe('veryfast');
    expect(valueAfter(hls, '-tune')).toBe('zerolatency');
    expect(valueAfter(hls, '-g')).toBe('50');
    expect(valueAfter(hls, '-force_key_frames')).toBe('expr:gte(t,n_forced*2)');
    const unknownFps = outputOptions({ ...base, hlsMode: 'transcode', mainFps: null }, '/var/hls/cam1/index.m3u8');
    expect(valueAfter(unknownFps, '-g')).toBe('50'); // 25 fps assumed until the source told us
  });

  it('reads RTMP with a read timeout (rtmp -timeout would mean listen) and files at native rate, looping', () => {
    expect(sourceInputOptions('rtmp://127.0.0.1:1935/live/cam', 5000)).toEqual(['-rw_timeout', '5000000']);
    expect(sourceInputOptions('/data/clip.mp4', 5000)).toEqual(['-re', '-stream_loop', '-1']);
    expect(sourceInputOptions('RTSP://cam/x', 2000)).toEqual([
      ...['-rtsp_transport', 'tcp', '-timeout', '2000000'],
      ...['-analyzeduration', '1000000'],
    ]);
  });

  it('orders arguments as fluent-ffmpeg does: inputs, global options, outputs', () => {
    const args = commandArgs(buildIngestCommand(base));
    expect(args.indexOf('-i')).toBeLessThan(args.indexOf('-hide_banner'));
    expect(args.indexOf('-nostdin')).toBeLessThan(args.indexOf('-map'));
    expect(args.at(-1)).toBe('pipe:1');
  });
});
