// The RTSP test server launcher lives in bench/ (the demo camera and the bench use it too).
export { startRtspServer, type RtspServer, type RtspServerOptions } from '../../bench/rtspServer.ts';
