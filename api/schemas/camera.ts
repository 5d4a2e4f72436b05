// Camera bodies in and out. Source URLs are accepted with credentials but always leave redacted.
import Type from 'typebox';

const SOURCE_URL = '^(rtsp|rtsps|rtmp|rtmps)://[^\\s]+$';

const Name = Type.String({ minLength: 1, maxLength: 120, pattern: '\\S' });
const sourceUrl = (description: string) =>
  Type.String({ minLength: 8, maxLength: 2048, pattern: SOURCE_URL, description });
const SourceUrl = sourceUrl('rtsp:// or rtmp:// URL');
const District = Type.String({ minLength: 1, maxLength: 120, pattern: '\\S' });
const Location = Type.Object(
  {
    lat: Type.Number({ minimum: -90, maximum: 90 }),
    lon: Type.Number({ minimum: -180, maximum: 180 }),
  },
  { additionalProperties: false },
);
const SampleFps = Type.Number({
  exclusiveMinimum: 0,
  maximum: 30,
  description: 'Frames per second decoded for analysis',
});

const cameraFields = {
  name: Name,
  mainUrl: sourceUrl(
    'Full-resolution stream, rtsp:// (pulled) or rtmp:// (pushed into the embedded RTMP server). Credentials are write-only.',
  ),
  subUrl: Type.Union([SourceUrl, Type.Null()], { description: 'Optional low-resolution stream decoded for analysis' }),
  district: District,
  location: Type.Union([Location, Type.Null()]),
  enabled: Type.Boolean(),
  sampleFps: SampleFps,
};

export const CameraCreateBody = Type.Object(
  {
    name: cameraFields.name,
    mainUrl: cameraFields.mainUrl,
    subUrl: Type.Optional(cameraFields.subUrl),
    district: cameraFields.district,
    location: Type.Optional(cameraFields.location),
    enabled: Type.Optional(cameraFields.enabled),
    sampleFps: Type.Optional(cameraFields.sampleFps),
  },
  { additionalProperties: false },
);

export const CameraPatchBody = Type.Object(
  {
    name: Type.Optional(cameraFields.name),
    mainUrl: Type.Optional(cameraFields.mainUrl),
    subUrl: Type.Optional(cameraFields.subUrl),
    district: Type.Optional(cameraFields.district),
    location: Type.Optional(cameraFields.location),
    enabled: Type.Optional(cameraFields.enabled),
    sampleFps: Type.Optional(cameraFields.sampleFps),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const CameraHealthBody = Type.Object({
  state: Type.String({ enum: ['starting', 'live', 'reconnecting', 'failed', 'stopped', 'unknown'] }),
  hlsMode: Type.Union([Type.String(), Type.Null()]),
  inputFps: Type.Union([Type.Number(), Type.Null()]),
  bitrateKbps: Type.Union([Type.Number(), Type.Null()]),
  lastFrameAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  restarts: Type.Integer(),
  message: Type.Union([Type.String(), Type.Null()]),
  updatedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});

const isoTime = (description: string) => Type.Union([Type.String({ format: 'date-time', description }), Type.Null()]);

/** Whether the camera can do its job, from what its analysis saw lately (null before it analysed a frame). */
export const AnalysisHealthBody = Type.Object({
  analysedFrameWidthPx: Type.Union([
    Type.Integer({ description: 'Width of the sampled frames the model runs on' }),
    Type.Null(),
  ]),
  analysedFrameHeightPx: Type.Union([Type.Integer(), Type.Null()]),
  lastAnalysedFrameAt: isoTime('Capture time of the newest analysed frame'),
  lastDetectionAt: isoTime('Capture time of the newest analysed frame with a detection'),
  minutesWithoutDetections: Type.Union([
    Type.Integer({
      minimum: 0,
      description: 'Minutes the current run of analysed frames found nothing; null while analysis is not running',
    }),
    Type.Null(),
  ]),
  analysisProblems: Type.Array(Type.String({ enum: ['framesTooSmall', 'noDetections'] }), {
    description:
      'framesTooSmall: sampled frames under 320×180 px (a motorbike is a few pixels); noDetections: frames analysed for 5 minutes or more with nothing found',
  }),
});

/** Ingest's latest health row plus what the camera's analysis reports. */
export const CameraCurrentHealthBody = Type.Object({
  ...CameraHealthBody.properties,
  ...AnalysisHealthBody.properties,
  sceneCuts: Type.Integer({
    description:
      'Frames that did not continue the previous one (clip loop, source restart, gap, picture jump) and ends of the source: every track ended there',
  }),
  lastSceneCutAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  lastSceneCutReason: Type.Union([
    Type.String({ enum: ['timeBackwards', 'timeGap', 'seqRestart', 'imageJump', 'sourceEnded'] }),
    Type.Null(),
  ]),
});

export const CameraBody = Type.Object({
  id: Type.String(),
  name: Type.String(),
  mainUrl: Type.String({ description: 'Redacted: user and password replaced by ***' }),
  subUrl: Type.Union([Type.String(), Type.Null()]),
  hasCredentials: Type.Boolean(),
  district: Type.String(),
  location: Type.Union([Location, Type.Null()]),
  enabled: Type.Boolean(),
  sampleFps: Type.Number(),
  hlsUrl: Type.String({ description: 'Live HLS playlist of the main stream' }),
  health: CameraCurrentHealthBody,
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});

export const CameraList = Type.Object({ items: Type.Array(CameraBody), total: Type.Integer() });
