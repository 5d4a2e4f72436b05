#!/usr/bin/python3
# RTSP test server: serves the H.264 of MP4/AVI clips as is (no re-encode) on rtsp://127.0.0.1:PORT/<name>,
# looping forever with monotonic timestamps, so integration tests have a camera that never ends.
#
# Run with Debian's /usr/bin/python3 (it has gi + GstRtspServer):
#   /usr/bin/python3 scripts/rtsp-server.py --port 8554 --mount /cam=clip.mp4 [--mount /still=clip.mp4:frozen]
# Prints "READY port=N" on stdout once listening; exits 0 on SIGTERM/SIGINT or when its parent dies.
#
# Why a reader pipeline + appsrc and not a plain launch line: a launch line ends the RTSP session at the
# clip's EOS. Here each client's media holds an appsrc, and a separate reader pipeline
# (filesrc ! demux ! h264parse ! appsink sync=true) paces the clip at real time; at EOS the reader is
# rewound and every buffer is shifted by a running offset, so timestamps keep growing across the loop.
# The ":frozen" mount option repeats the first key frame forever (a camera whose image froze).
import argparse
import os
import signal
import sys

import gi

gi.require_version('Gst', '1.0')
gi.require_version('GstRtspServer', '1.0')
gi.require_version('GstApp', '1.0')
from gi.repository import GLib, Gst, GstApp, GstRtspServer  # noqa: E402,F401

FROZEN_FPS = 10
PARENT_CHECK_MS = 1000
# Smallest DTS step: a whole millisecond survives the 90 kHz RTP clock, 1 ns would round to the same tick.
MIN_STEP_NS = Gst.MSECOND


def demuxer_for(path):
    return 'avidemux' if path.lower().endswith('.avi') else 'qtdemux'


class ClipLooper:
    """Feeds one client's appsrc with the clip's H.264 access units, looping, timestamps kept monotonic."""

    def __init__(self, path, appsrc, media_pipeline, frozen):
        self.appsrc = appsrc
        self.media_pipeline = media_pipeline
        self.frozen = frozen
        self.offset_ns = None  # added to the clip's timestamps; grows at each loop
        self.loop_end_ns = 0  # highest (ts + duration) seen in the current pass, clip time
        self.last_out_ns = -1  # last DTS pushed, to keep output strictly increasing
        self.frozen_frame = None
        self.frozen_timer = 0
        self.closed = False
        self.reader = Gst.parse_launch(
            f'filesrc name=file ! {demuxer_for(path)} ! h264parse config-interval=-1 ! '
            'video/x-h264,stream-format=byte-stream,alignment=au ! '
            'appsink name=sink sync=true emit-signals=true max-buffers=8 drop=false'
        )
        self.reader.get_by_name('file').set_property('location', path)
        self.reader.get_by_name('sink').connect('new-sample', self.on_sample)
        bus = self.reader.get_bus()
        bus.add_signal_watch()
        bus.connect('message', self.on_reader_message)
        self.reader.set_state(Gst.State.PLAYING)

    def media_running_time_ns(self):
        clock = self.media_pipeline.get_clock()
        if clock is None:
            return 0
        return max(0, clock.get_time() - self.media_pipeline.get_base_time())

    def on_sample(self, sink):
        sample = sink.emit('pull-sample')
        if sample is None or self.closed:
            return Gst.FlowReturn.EOS
        if self.appsrc.get_property('caps') is None:
            self.appsrc.set_property('caps', sample.get_caps())
        buf = sample.get_buffer()
        if self.frozen:
            if self.frozen_frame is None and not buf.has_flags(Gst.BufferFlags.DELTA_UNIT):
                self.frozen_frame = buf.copy_deep()
                GLib.idle_add(self.start_frozen_timer)
            return Gst.FlowReturn.EOS if self.frozen_frame is not None else Gst.FlowReturn.OK
        return self.push_shifted(buf)

    def push_shifted(self, buf):
        dts = buf.dts if buf.dts != Gst.CLOCK_TIME_NONE else buf.pts
        pts = buf.pts if buf.pts != Gst.CLOCK_TIME_NONE else dts
        duration = buf.duration if buf.duration != Gst.CLOCK_TIME_NONE else Gst.SECOND // 30
        if self.offset_ns is None:
            # Start at the media pipeline's running time so the RTSP sinks see buffers on time.
            self.offset_ns = self.media_running_time_ns() - dts
        self.loop_end_ns = max(self.loop_end_ns, pts + duration, dts + duration)
        out = buf.copy()
        out_dts = dts + self.offset_ns
        if out_dts < self.last_out_ns + MIN_STEP_NS:  # e.g. two packets with one timestamp (vn_traffic.mp4)
            out_dts = self.last_out_ns + MIN_STEP_NS
        out.dts = out_dts
        out.pts = max(pts + self.offset_ns, out_dts)
        self.last_out_ns = out_dts
        return self.appsrc.emit('push-buffer', out)

    def on_reader_message(self, _bus, message):
        if message.type == Gst.MessageType.EOS and not self.frozen:
            GLib.idle_add(self.rewind)
        elif message.type == Gst.MessageType.ERROR:
            err, _debug = message.parse_error()
            print(f'reader error: {err.message} {_debug}', file=sys.stderr, flush=True)
            self.appsrc.emit('end-of-stream')

    def rewind(self):
        if self.closed:
            return False
        # The next pass starts where this one ended on the clip clock, or at "now" if the rewind lagged,
        # whichever is later: monotonic, and never drifting behind real time.
        next_offset = (self.offset_ns or 0) + self.loop_end_ns
        self.offset_ns = max(next_offset, self.media_running_time_ns())
        self.loop_end_ns = 0
        # A flushing seek keeps qtdemux's pads linked (a NULL/PLAYING cycle would re-create them unlinked)
        # and resets the reader's running time, so appsink keeps pacing the next pass at real time.
        self.reader.seek_simple(Gst.Format.TIME, Gst.SeekFlags.FLUSH | Gst.SeekFlags.KEY_UNIT, 0)
        return False

    def start_frozen_timer(self):
        if not self.closed and self.frozen_timer == 0:
            self.frozen_timer = GLib.timeout_add(1000 // FROZEN_FPS, self.push_frozen)
        return False

    def push_frozen(self):
        if self.closed:
            return False
        out = self.frozen_frame.copy()
        now = self.media_running_time_ns()
        out.pts = out.dts = max(now, self.last_out_ns + MIN_STEP_NS)
        out.duration = Gst.SECOND // FROZEN_FPS
        self.last_out_ns = out.dts
        self.appsrc.emit('push-buffer', out)
        return True

    def close(self):
        if self.closed:
            return
        self.closed = True
        if self.frozen_timer:
            GLib.source_remove(self.frozen_timer)
            self.frozen_timer = 0
        self.reader.get_bus().remove_signal_watch()
        self.reader.set_state(Gst.State.NULL)


class LoopingClipFactory(GstRtspServer.RTSPMediaFactory):
    def __init__(self, path, frozen):
        super().__init__()
        self.path = path
        self.frozen = frozen
        # One media per client: every client starts on the clip's first key frame.
        self.set_shared(False)
        self.set_launch(
            '( appsrc name=src is-live=true format=time do-timestamp=false min-latency=0 '
            'max-bytes=8000000 block=false ! h264parse ! rtph264pay name=pay0 pt=96 config-interval=-1 )'
        )
        self.connect('media-configure', self.on_media_configure)

    def on_media_configure(self, _factory, media):
        element = media.get_element()
        appsrc = element.get_by_name('src')
        # The media's pipeline holds the clock and base time that the RTSP sinks sync against.
        pipeline = element.get_parent() or element
        looper = ClipLooper(self.path, appsrc, pipeline, self.frozen)
        media.connect('unprepared', lambda _m: looper.close())


def parse_mount(spec):
    if '=' not in spec:
        raise argparse.ArgumentTypeError(f'--mount wants /name=FILE[:frozen], got {spec!r}')
    name, path = spec.split('=', 1)
    frozen = path.endswith(':frozen')
    if frozen:
        path = path[: -len(':frozen')]
    if not name.startswith('/'):
        name = '/' + name
    return name, path, frozen


def main():
    parser = argparse.ArgumentParser(description='Looping RTSP server for IOC Vision tests')
    parser.add_argument('--port', type=int, default=8554, help='TCP port, 0 picks a free one')
    parser.add_argument('--host', default='127.0.0.1')
    parser.add_argument('--mount', type=parse_mount, action='append', required=True)
    args = parser.parse_args()

    Gst.init(None)
    server = GstRtspServer.RTSPServer()
    server.set_address(args.host)
    server.set_service(str(args.port))
    mounts = server.get_mount_points()
    for name, path, frozen in args.mount:
        mounts.add_factory(name, LoopingClipFactory(path, frozen))

    loop = GLib.MainLoop()
    if server.attach(None) == 0:
        print(f'cannot listen on {args.host}:{args.port}', file=sys.stderr, flush=True)
        sys.exit(2)
    for signum in (signal.SIGTERM, signal.SIGINT):
        GLib.unix_signal_add(GLib.PRIORITY_HIGH, signum, loop.quit)
    # A test runner killed with SIGKILL cannot stop us: leave when our parent is gone (we get re-parented).
    parent_pid = os.getppid()
    GLib.timeout_add(PARENT_CHECK_MS, lambda: loop.quit() if os.getppid() != parent_pid else True)
    print(f'READY port={server.get_bound_port()}', flush=True)
    loop.run()
    sys.exit(0)


if __name__ == '__main__':
    main()
