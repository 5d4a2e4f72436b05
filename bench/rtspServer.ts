// A real RTSP server (GStreamer, scripts/rtsp-server.py) looping clips as live cameras, for the demo,
// the bench and the tests. Implementation lives with the test support it grew from.
export { startRtspServer, type RtspServer, type RtspServerOptions } from '../tests/support/rtspServer.ts';
