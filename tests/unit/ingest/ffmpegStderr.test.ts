import { describe, expect, it } from 'vitest';
import { FfmpegStderrParser, parseStatsLine } from '../../../ingest/ffmpegStderr.ts';

describe('ffmpeg stderr', () => {
  it('reads input video streams, not output ones', () => {
    const parser = new FfmpegStderrParser();
    const events = [
      "Input #0, rtsp, from 'rtsp://***:***@127.0.0.1:8554/cam':",
      '  Stream #0:0: Video: h264 (High), yuvj420p(pc, bt470bg/bt470bg/smpte170m, progressive), 1920x1080, 30 fps, 30 tbr, 90k tbn',
      "Input #1, rtsp, from 'rtsp://127.0.0.1:8554/sub':",
      '  Stream #1:0: Video: hevc (Main), yuv420p(tv), 640x360, 12.50 tbr, 90k tbn',
      "Output #0, hls, to '/tmp/x/index.m3u8':",
      '  Stream #0:0: Video: h264 (High), yuvj420p, 1920x1080, q=2-31, 30 fps, 30 tbr, 90k tbn',
    ]
      .map((line) => parser.feed(line))
      .filter(Boolean);
    expect(events).toEqual([
      { kind: 'input', stream: { inputIndex: 0, codec: 'h264', widthPx: 1920, heightPx: 1080, fps: 30 } },
      { kind: 'input', stream: { inputIndex: 1, codec: 'hevc', widthPx: 640, heightPx: 360, fps: 12.5 } },
    ]);
  });

  it('reads the stats line', () => {
    expect(parseStatsLine('frame=  483 fps= 32 q=-0.0 Lsize=N/A time=00:00:16.00 bitrate=N/A speed=1.05x    ')).toEqual(
      {
        frames: 483,
        fps: 32,
        timeSec: 16,
        speed: 1.05,
      },
    );
    expect(parseStatsLine('frame=    0 fps=0.0 q=0.0 size=N/A time=N/A bitrate=N/A speed=N/A')).toMatchObject({
      frames: 0,
      timeSec: null,
    });
    expect(parseStatsLine('Press [q] to stop')).toBeNull();
  });

  it('flags the MPEG-TS copy failure apart from other errors', () => {
    const parser = new FfmpegStderrParser();
    expect(
      parser.feed(
        '[mpegts @ 0x55d] Error applying bitstream filters to an output packet for stream #0: Invalid data found when processing input',
      ),
    ).toMatchObject({ kind: 'error', hlsCopyFailure: true });
    expect(parser.feed('[mpegts @ 0x561e] first pts and dts value must be set')).toMatchObject({
      hlsCopyFailure: true,
    });
    expect(parser.feed('av_interleaved_write_frame(): Broken pipe')).toMatchObject({ hlsCopyFailure: false });
    expect(parser.feed("[hls @ 0x5637] Opening '/tmp/hp/seg_0.ts.tmp' for writing")).toBeNull();
    expect(
      parser.feed('[tcp @ 0x56] Connection to tcp://127.0.0.1:8554?timeout=0 failed: Connection refused'),
    ).toMatchObject({
      kind: 'error',
      hlsCopyFailure: false,
    });
    expect(parser.feed('  Metadata:')).toBeNull();
  });

  it('reports the stream mapping', () => {
    const parser = new FfmpegStderrParser();
    expect(parser.feed('  Stream #1:0 -> #1:0 (h264 (native) -> mjpeg (native))')).toEqual({
      kind: 'mapping',
      text: 'Stream #1:0 -> #1:0 (h264 (native) -> mjpeg (native))',
    });
  });
});
