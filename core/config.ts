// One configuration schema, validated once at start. Sources, later wins: defaults, the JSON file named
// by IOC_CONFIG, IOC_* environment variables, then explicit overrides (tests, CLI flags).
// A bad or unknown key stops start-up with a message naming it. This is the only reader of process.env.
import { readFileSync } from 'node:fs';
import Type, { type Static, type TSchema } from 'typebox';
import Value from 'typebox/value';
import { ConfigInvalidError } from './errors.ts';

const strict = { additionalProperties: false } as const;

export const ConfigSchema = Type.Object(
  {
    logLevel: Type.Union(
      [
        Type.Literal('fatal'),
        Type.Literal('error'),
        Type.Literal('warn'),
        Type.Literal('info'),
        Type.Literal('debug'),
        Type.Literal('trace'),
        Type.Literal('silent'),
      ],
      { default: 'info' },
    ),
    /** Where real models, clips and ground truth live (never committed). */
    assetsDir: Type.String({ minLength: 1, default: '../shared/assets' }),
    /** Working data: HLS segments, snapshots, clips. */
    dataDir: Type.String({ minLength: 1, default: 'var' }),
    http: Type.Object(
      {
        host: Type.String({ minLength: 1, default: '127.0.0.1' }),
        port: Type.Integer({ minimum: 0, maximum: 65535, default: 8080 }),
      },
      { ...strict, default: {} },
    ),
    database: Type.Object(
      {
        url: Type.String({ pattern: '^postgres(ql)?://', default: 'postgres://postgres@127.0.0.1:5432/test' }),
        /** PostgreSQL schema holding the project's tables; tests use one per run. */
        schema: Type.String({ pattern: '^[a-z_][a-z0-9_]*$', default: 'ioc' }),
        poolSize: Type.Integer({ minimum: 1, maximum: 100, default: 10 }),
      },
      { ...strict, default: {} },
    ),
    redis: Type.Object(
      {
        url: Type.String({ pattern: '^rediss?://', default: 'redis://127.0.0.1:6379' }),
        /** Prefix of every key and queue, so deployments and tests can share one Redis. */
        prefix: Type.String({ pattern: '^[A-Za-z0-9_.-]+$', default: 'ioc' }),
      },
      { ...strict, default: {} },
    ),
    media: Type.Object(
      {
        ffmpegPath: Type.String({ minLength: 1, default: 'ffmpeg' }),
        ffprobePath: Type.String({ minLength: 1, default: 'ffprobe' }),
        hlsSegmentSeconds: Type.Number({ minimum: 1, maximum: 10, default: 2 }),
        hlsListSize: Type.Integer({ minimum: 3, maximum: 30, default: 6 }),
        /**
         * Most the HLS root may hold, MiB. Above it ingest evicts files no live playlist lists (stale folders
         * first, then live cameras' segments past their window), never a playlist or what it lists. A camera
         * at 4 Mbit/s with the default list keeps about 11 MiB, so the default holds some 350 cameras.
         */
        hlsQuotaMb: Type.Integer({ minimum: 1, maximum: 16777216, default: 4096 }),
        /** How often the HLS root is summed against hlsQuotaMb and the disk's free space. */
        hlsQuotaSweepMs: Type.Integer({ minimum: 200, maximum: 600000, default: 5000 }),
      },
      { ...strict, default: {} },
    ),
    ingest: Type.Object(
      {
        /** Width of analysis frames (a narrower source keeps its own); height follows the aspect ratio. */
        frameWidthPx: Type.Integer({ minimum: 160, maximum: 3840, default: 960 }),
        /** ffmpeg's mjpeg -q:v, 2 (best) … 31. */
        jpegQuality: Type.Integer({ minimum: 2, maximum: 31, default: 4 }),
        /** Socket timeout for RTSP/RTMP reads. */
        sourceTimeoutMs: Type.Integer({ minimum: 1000, maximum: 120000, default: 10000 }),
        /** No progress from ffmpeg (no frame, no segment) for this long means the output stalled. */
        stallTimeoutMs: Type.Integer({ minimum: 2000, maximum: 120000, default: 8000 }),
        backoffInitialMs: Type.Integer({ minimum: 100, maximum: 60000, default: 1000 }),
        backoffMaxMs: Type.Integer({ minimum: 1000, maximum: 600000, default: 30000 }),
        /** How often health is written to the store while live. */
        healthIntervalMs: Type.Integer({ minimum: 500, maximum: 600000, default: 5000 }),
        /** How often ingest re-reads the camera table to start/stop supervisors. */
        reconcileIntervalMs: Type.Integer({ minimum: 200, maximum: 600000, default: 2000 }),
        /** A run that stayed live this long resets the reconnect backoff to backoffInitialMs. */
        stablePeriodMs: Type.Integer({ minimum: 1000, maximum: 600000, default: 30000 }),
        /** stop(): SIGTERM first, SIGKILL if ffmpeg has not exited after this grace. */
        stopGraceMs: Type.Integer({ minimum: 100, maximum: 30000, default: 3000 }),
        /** Consecutive HLS copy failures (stall or mux error while frames still decode) before re-encoding. */
        copyFailuresBeforeTranscode: Type.Integer({ minimum: 1, maximum: 10, default: 2 }),
        /** A JPEG larger than this on ffmpeg's stdout is dropped (bounds the frame splitter's buffer). */
        maxFrameBytes: Type.Integer({ minimum: 65536, maximum: 67108864, default: 8388608 }),
      },
      { ...strict, default: {} },
    ),
    rtmp: Type.Object(
      {
        enabled: Type.Boolean({ default: true }),
        /** Address the embedded RTMP/HTTP-FLV server binds: all interfaces, since cameras push from the network. */
        host: Type.String({ minLength: 1, default: '0.0.0.0' }),
        port: Type.Integer({ minimum: 0, maximum: 65535, default: 1935 }),
        /** node-media-server's HTTP-FLV port (low-latency view of pushed streams). */
        httpPort: Type.Integer({ minimum: 0, maximum: 65535, default: 8000 }),
      },
      { ...strict, default: {} },
    ),
    inference: Type.Object(
      {
        /** Model id from models/manifest.ts (or from extraManifestPath). */
        modelId: Type.String({ pattern: '^[A-Za-z0-9_.-]+$', default: 'yolox_nano' }),
        /** JSON array of extra manifest entries for models a user brings (e.g. an Ultralytics export); '' for none. */
        extraManifestPath: Type.String({ default: '' }),
        /** Where models/fetch.ts copies models; searched after `${assetsDir}/models`. */
        modelCacheDir: Type.String({ minLength: 1, default: 'models/cache' }),
        /**
         * Model input size in pixels, 0 and 0 for the model's default (its export's, 416x416 for yolox_nano). Another
         * size must be one the model's manifest entry accepts (multiples of 32 for yolox_nano and picodet_s): checked
         * at start. Aspect near the camera's pays: 960x544 for 16:9 finds ~2.5x the small motorbikes of 416x416 at
         * ~3x the model time (inference/README.md).
         */
        inputWidthPx: Type.Integer({ minimum: 0, maximum: 4096, default: 0 }),
        inputHeightPx: Type.Integer({ minimum: 0, maximum: 4096, default: 0 }),
        /** Input sizes a worker keeps sessions for at once (the default plus cameras' own sizes); beyond it a camera gets the default. */
        maxInputSizes: Type.Integer({ minimum: 1, maximum: 8, default: 3 }),
        /** onnxruntime sessions per worker process: frames inferred at once. */
        sessions: Type.Integer({ minimum: 1, maximum: 16, default: 1 }),
        /** onnxruntime intra-op threads per session. */
        intraOpThreads: Type.Integer({ minimum: 1, maximum: 64, default: 1 }),
        nmsIouThreshold: Type.Number({ minimum: 0.05, maximum: 0.95, default: 0.45 }),
        /** Across regions/tiles, a box this much inside (intersection over the smaller) another one is the same object. */
        mergeIosThreshold: Type.Number({ minimum: 0.3, maximum: 1, default: 0.7 }),
        /** Candidates under this score never reach NMS, whatever their class. */
        minScore: Type.Number({ minimum: 0.01, maximum: 1, default: 0.1 }),
        /**
         * Person, bicycle and motorbike detections from this score up to their class's threshold are published apart as faint ones: no object
         * on their own (never counted, drawn or starting a track), they only extend a track seen in the previous
         * frame whose predicted box they overlap (ByteTrack's second association). A small cyclist at 960 px
         * scores 0.15-0.33 as a person for frames on end (vn_wrong_way.mp4). 1 publishes none.
         */
        faintMinScore: Type.Number({ minimum: 0.01, maximum: 1, default: 0.1 }),
        /** Score a traffic detection needs to be published, per class. */
        scoreThresholds: Type.Object(
          {
            person: Type.Number({ minimum: 0, maximum: 1, default: 0.35 }),
            bicycle: Type.Number({ minimum: 0, maximum: 1, default: 0.3 }),
            // COCO models under-score motorbikes seen from behind in Vietnamese traffic; 0.2 measured on the asset clips.
            motorbike: Type.Number({ minimum: 0, maximum: 1, default: 0.2 }),
            // At 960x544 YOLOX-Nano scores near, fast cars 0.2-0.35 a frame or two on end (nl_motorway lost 3 of 15 at 0.35).
            car: Type.Number({ minimum: 0, maximum: 1, default: 0.2 }),
            bus: Type.Number({ minimum: 0, maximum: 1, default: 0.35 }),
            truck: Type.Number({ minimum: 0, maximum: 1, default: 0.35 }),
          },
          { ...strict, default: {} },
        ),
        /** How long a worker trusts its copy of a camera's analysis regions before re-reading Redis. */
        regionsRefreshMs: Type.Integer({ minimum: 100, maximum: 600000, default: 2000 }),
      },
      { ...strict, default: {} },
    ),
    queue: Type.Object(
      {
        /** K: frames of one camera waiting at most; the oldest is dropped (and counted) beyond it. */
        maxWaitingPerCamera: Type.Integer({ minimum: 1, maximum: 1000, default: 8 }),
        /** Frames one worker process handles at once; sessions + 1 lets decoding the next frame overlap inference. */
        workerConcurrency: Type.Integer({ minimum: 1, maximum: 64, default: 2 }),
        /** Tries of a frame that failed for a transient reason; a poison frame is never retried. */
        attempts: Type.Integer({ minimum: 1, maximum: 20, default: 3 }),
        backoffMs: Type.Integer({ minimum: 0, maximum: 60000, default: 500 }),
        /**
         * A worker that stops renewing its lock this long (crash, SIGKILL) has its frame taken over, at the
         * next stalled check: within lockDurationMs + stalledIntervalMs. BullMQ renews a held frame's lock every
         * lockDurationMs / 2 while a frame takes ~20–200 ms, so 10 s only expires for a dead or frozen worker.
         */
        lockDurationMs: Type.Integer({ minimum: 1000, maximum: 600000, default: 10000 }),
        stalledIntervalMs: Type.Integer({ minimum: 500, maximum: 600000, default: 5000 }),
        /** Results kept per camera stream (approximate MAXLEN). */
        resultsMaxLen: Type.Integer({ minimum: 10, maximum: 1000000, default: 2000 }),
        /** Failed (rejected) frames kept for inspection: their ids and sizes (the JPEG expires with frameWaitMaxMs). */
        failedKeep: Type.Integer({ minimum: 0, maximum: 10000, default: 100 }),
        /**
         * A queued frame's JPEG is kept in Redis this long for a worker to take it (the job carries only its key);
         * one taken later is counted as dropped. At least lockDurationMs + stalledIntervalMs (checked at load),
         * so a frame taken over from a dead worker still finds its JPEG.
         */
        frameWaitMaxMs: Type.Integer({ minimum: 1000, maximum: 600000, default: 30000 }),
      },
      { ...strict, default: {} },
    ),
    auth: Type.Object(
      {
        /**
         * The first admin, created only when no user exists yet (first start); ignored afterwards, so no
         * configured or default password works once users exist. Start-up refuses an empty store without it.
         */
        bootstrapAdmin: Type.Object(
          {
            username: Type.String({ pattern: '^[a-z0-9][a-z0-9._-]{2,63}$', default: 'admin' }),
            /** Required at first start (env IOC_AUTH_BOOTSTRAP_ADMIN_PASSWORD); '' otherwise. */
            password: Type.String({ maxLength: 256, default: '' }),
          },
          { ...strict, default: {} },
        ),
        /** scrypt N (memory ≈ 128·N·r bytes: 16384 → 16 MiB per hash). Tests lower it; production keeps ≥ 16384. */
        scryptCost: Type.Integer({ minimum: 1024, maximum: 1048576, default: 32768 }),
        /** A session unused this long ends. */
        sessionIdleMinutes: Type.Integer({ minimum: 1, maximum: 1440, default: 30 }),
        /** A session ends this long after login, however active. */
        sessionMaxHours: Type.Integer({ minimum: 1, maximum: 720, default: 12 }),
        /** Secure attribute on the session cookie; off only for plain-http test rigs. */
        cookieSecure: Type.Boolean({ default: true }),
        /** Login attempts per account within loginWindowMs; the next one is refused unchecked and locks the account. */
        loginMaxAttempts: Type.Integer({ minimum: 1, maximum: 1000, default: 10 }),
        loginWindowMs: Type.Integer({ minimum: 1000, maximum: 3600000, default: 60000 }),
        /** How long an account stays locked after too many attempts. */
        lockoutMs: Type.Integer({ minimum: 1000, maximum: 86400000, default: 900000 }),
      },
      { ...strict, default: {} },
    ),
    analyzer: Type.Object(
      {
        /** A camera's lease lives this long unrenewed: a dead analyzer's cameras move within about this. */
        leaseTtlMs: Type.Integer({ minimum: 1000, maximum: 120000, default: 5000 }),
        /** How often the enabled cameras are re-read from PostgreSQL. */
        cameraListIntervalMs: Type.Integer({ minimum: 200, maximum: 600000, default: 3000 }),
        /** How often each camera's analysis (lines, zones) is re-read, to rebuild its pipeline when edited. */
        analysisRefreshMs: Type.Integer({ minimum: 200, maximum: 600000, default: 5000 }),
        /** A minute is written once the newest capture time is this far past its end (late, held crossings). */
        allowedLatenessMs: Type.Integer({ minimum: 0, maximum: 120000, default: 3000 }),
        /**
         * A missing seq is given up once a result this much newer (capture time) is buffered. Seqs dropped or
         * rejected upstream are marked skipped in the stream and never waited for, so this only has to cover
         * a frame whose worker died: at least queue.lockDurationMs + queue.stalledIntervalMs (checked at load).
         */
        reorderMaxWaitMs: Type.Integer({ minimum: 0, maximum: 1200000, default: 20000 }),
        /** Results held at most while waiting for a missing seq: 20 s at 25 fps is 500; results are small. */
        reorderMaxBuffered: Type.Integer({ minimum: 1, maximum: 100000, default: 1000 }),
        /** Results read per XREAD. */
        readBatchSize: Type.Integer({ minimum: 1, maximum: 10000, default: 200 }),
        /** XREAD BLOCK time; also how quickly a stopped camera loop notices. */
        readBlockMs: Type.Integer({ minimum: 10, maximum: 10000, default: 500 }),
        /** State is checkpointed at least this often (wall clock) when nothing is waiting to be written. */
        checkpointIntervalMs: Type.Integer({ minimum: 100, maximum: 600000, default: 5000 }),
        /** Rows kept per camera while PostgreSQL refuses them; reading pauses beyond this. */
        pendingMaxRows: Type.Integer({ minimum: 10, maximum: 1000000, default: 20000 }),
        /** Live tracks are published at most this often per camera. */
        liveIntervalMs: Type.Integer({ minimum: 0, maximum: 60000, default: 200 }),
        /** Margin around each line and zone of the inference crops, px of the analysed frame. */
        cropMarginPx: Type.Integer({ minimum: 0, maximum: 2000, default: 48 }),
        /**
         * Where detection runs on each frame: the whole frame plus a crop around the camera's lines and zones
         * (small objects near them get more model pixels), the whole frame alone, or the whole frame plus
         * 3x2 overlapping tiles. The accuracy-cost table in the README measures each: at 960x544 the crops
         * double the model time and count no better, so the whole frame alone is the default.
         */
        inferenceRegions: Type.Union(
          [Type.Literal('lines-and-zones'), Type.Literal('whole-frame'), Type.Literal('tiles')],
          { default: 'whole-frame' },
        ),
        /**
         * A camera whose stream brings nothing for this long (wall clock) has its open minutes written as
         * they stand, so an offline camera's last minute is not held back until it returns (later frames
         * of that minute still update its row: rows are totals).
         */
        idleFlushMs: Type.Integer({ minimum: 1000, maximum: 3600000, default: 15000 }),
      },
      { ...strict, default: {} },
    ),
    alerts: Type.Object(
      {
        /** Local time zone of rule schedules (IANA name). */
        timeZone: Type.String({ minLength: 1, default: 'Asia/Ho_Chi_Minh' }),
        /** Analysed frames' JPEGs kept in Redis this long, so an alert's snapshot shows its own frame. */
        frameRetentionMs: Type.Integer({ minimum: 0, maximum: 600000, default: 30000 }),
        /** The evidence clip spans this long before and after the triggering frame. */
        clipBeforeMs: Type.Integer({ minimum: 0, maximum: 60000, default: 10000 }),
        clipAfterMs: Type.Integer({ minimum: 0, maximum: 60000, default: 10000 }),
        /** Snapshots and clips are kept this long after their alert is resolved or dismissed. */
        evidenceRetentionHours: Type.Number({ minimum: 0, maximum: 8760, default: 720 }),
        /** Camera health is checked this often for offline alerts. */
        healthPollMs: Type.Integer({ minimum: 200, maximum: 60000, default: 2000 }),
        webhooks: Type.Object(
          {
            /** First retry after this; doubles per attempt up to maxBackoffMs. */
            initialBackoffMs: Type.Integer({ minimum: 10, maximum: 600000, default: 2000 }),
            maxBackoffMs: Type.Integer({ minimum: 10, maximum: 3600000, default: 300000 }),
            /** A delivery still failing this long after the alert is given up (state failed). */
            giveUpAfterMs: Type.Integer({ minimum: 1000, maximum: 604800000, default: 86400000 }),
            timeoutMs: Type.Integer({ minimum: 100, maximum: 60000, default: 5000 }),
            /** Due deliveries are looked for this often. */
            pollMs: Type.Integer({ minimum: 50, maximum: 60000, default: 1000 }),
          },
          { ...strict, default: {} },
        ),
      },
      { ...strict, default: {} },
    ),
    /** The MQTT event channel (README "Integrating with the IOC"): alerts, minute counts, zone statistics, camera availability. */
    mqtt: Type.Object(
      {
        /** Publish the outbox; rows are written either way, so enabling later sends what was missed (within keepPublishedHours). */
        enabled: Type.Boolean({ default: true }),
        url: Type.String({ pattern: '^(mqtts?|wss?)://', default: 'mqtt://127.0.0.1:1883' }),
        /** '' = ioc-<hostname>-<pid>-<random>. Also names the retained publisher status topic and its last will. */
        clientId: Type.String({ pattern: '^[A-Za-z0-9_.-]*$', maxLength: 64, default: '' }),
        username: Type.String({ default: '' }),
        password: Type.String({ default: '' }),
        /** Due outbox rows are looked for this often. */
        pollMs: Type.Integer({ minimum: 20, maximum: 60000, default: 500 }),
        /** Rows claimed per round (published in order, each awaited to its PUBACK). */
        batchSize: Type.Integer({ minimum: 1, maximum: 10000, default: 200 }),
        /** A publish not acknowledged by the broker within this is retried. */
        publishTimeoutMs: Type.Integer({ minimum: 100, maximum: 120000, default: 10000 }),
        initialBackoffMs: Type.Integer({ minimum: 10, maximum: 600000, default: 1000 }),
        maxBackoffMs: Type.Integer({ minimum: 10, maximum: 3600000, default: 60000 }),
        /** Published rows are kept this long (inspection), then pruned. */
        keepPublishedHours: Type.Number({ minimum: 0, maximum: 8760, default: 24 }),
      },
      { ...strict, default: {} },
    ),
    /** Daily, weekly and monthly reports (PDF and CSV), on demand and on a schedule in Vietnam's local time. */
    reports: Type.Object(
      {
        /** Make due reports on schedule (the analyzer process); on-demand reports work either way. */
        scheduleEnabled: Type.Boolean({ default: true }),
        /** A period's report is due at this local hour (Asia/Ho_Chi_Minh) on the first day after it. */
        dueHourLocal: Type.Integer({ minimum: 0, maximum: 23, default: 7 }),
        kinds: Type.Array(Type.Union([Type.Literal('daily'), Type.Literal('weekly'), Type.Literal('monthly')]), {
          default: ['daily', 'weekly', 'monthly'],
        }),
        /** Also one report per district of the enabled cameras, beside the province's. */
        perDistrict: Type.Boolean({ default: true }),
        /** After downtime, periods per kind looked back at (and made if missing), the newest due one included. */
        catchUpPeriods: Type.Integer({ minimum: 1, maximum: 31, default: 3 }),
        /** The first look after start (catching up after downtime) waits this long, so start-up work goes first. */
        startDelayMs: Type.Integer({ minimum: 0, maximum: 3600000, default: 30000 }),
        /** How often the scheduler looks for due reports. */
        checkIntervalMs: Type.Integer({ minimum: 1000, maximum: 3600000, default: 60000 }),
        /** Folder of DejaVuSans.ttf and DejaVuSans-Bold.ttf (Debian fonts-dejavu-core): glyphs for all of Vietnamese. */
        fontDir: Type.String({ minLength: 1, default: '/usr/share/fonts/truetype/dejavu' }),
        /** Languages each scheduled report is made in: Vietnamese (the documents the province files), and English if asked. */
        languages: Type.Array(Type.Union([Type.Literal('vi'), Type.Literal('en')]), {
          minItems: 1,
          maxItems: 2,
          uniqueItems: true,
          default: ['vi'],
        }),
        /** The issuing body printed at the top left of each report. */
        issuer: Type.String({
          minLength: 1,
          maxLength: 200,
          default: 'Trung tâm Giám sát, Điều hành\nđô thị thông minh (IOC)',
        }),
      },
      { ...strict, default: {} },
    ),
  },
  strict,
);

export type Config = Static<typeof ConfigSchema>;

export interface LoadConfigOptions {
  env?: Record<string, string | undefined>;
  overrides?: DeepPartial<Config>;
}

export type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] };

/** Names that are read from the environment but are not config keys. */
const ENV_ALIASES: Record<string, string[]> = { IOC_ASSETS: ['assetsDir'] };
const ENV_NOT_KEYS = new Set(['IOC_CONFIG', 'IOC_ASSETS']);

export function loadConfig(options: LoadConfigOptions = {}): Readonly<Config> {
  const env = options.env ?? process.env;
  let merged: Record<string, unknown> = {};
  const file = env.IOC_CONFIG;
  if (file) merged = deepMerge(merged, readConfigFile(file));
  merged = deepMerge(merged, configFromEnv(env));
  if (options.overrides) merged = deepMerge(merged, options.overrides as Record<string, unknown>);
  return validateConfig(merged);
}

export function validateConfig(input: Record<string, unknown>): Readonly<Config> {
  const withDefaults = Value.Default(ConfigSchema, structuredClone(input));
  const errors = [...Value.Errors(ConfigSchema, withDefaults)];
  if (errors.length > 0) {
    const messages = errors
      .filter((e) => e.keyword !== 'boolean' && e.keyword !== 'anyOf')
      .map((e) => {
        if (e.keyword === 'additionalProperties') {
          const extra = (e.params as { additionalProperties: string[] }).additionalProperties;
          return extra.map((k) => `${keyName(e.instancePath, k)}: unknown key`).join('; ');
        }
        return `${keyName(e.instancePath)}: ${e.message}`;
      });
    const first = errors.find((e) => e.keyword !== 'boolean');
    throw new ConfigInvalidError(`invalid configuration: ${[...new Set(messages)].join('; ')}`, {
      field: first ? keyName(first.instancePath) : undefined,
    });
  }
  checkReorderWait(withDefaults as Config);
  checkFrameWait(withDefaults as Config);
  return deepFreeze(withDefaults as Config);
}

/**
 * A frame held by a worker that dies comes back after at most lock + stall check: an analyzer that gave its
 * seq up sooner would drop the late result, losing that frame's detections (README "Resilience").
 */
function checkReorderWait(config: Config): void {
  const takeoverMs = config.queue.lockDurationMs + config.queue.stalledIntervalMs;
  if (config.analyzer.reorderMaxWaitMs < takeoverMs) {
    throw new ConfigInvalidError(
      `invalid configuration: analyzer.reorderMaxWaitMs (${config.analyzer.reorderMaxWaitMs}) must be at least ` +
        `queue.lockDurationMs + queue.stalledIntervalMs (${takeoverMs}), or a frame taken over from a dead worker is lost`,
      { field: 'analyzer.reorderMaxWaitMs' },
    );
  }
}

/** A frame held by a worker that dies is taken over after at most lock + stall check: its JPEG must outlive that. */
function checkFrameWait(config: Config): void {
  const takeoverMs = config.queue.lockDurationMs + config.queue.stalledIntervalMs;
  if (config.queue.frameWaitMaxMs < takeoverMs) {
    throw new ConfigInvalidError(
      `invalid configuration: queue.frameWaitMaxMs (${config.queue.frameWaitMaxMs}) must be at least ` +
        `queue.lockDurationMs + queue.stalledIntervalMs (${takeoverMs}), or a frame taken over from a dead worker has lost its JPEG`,
      { field: 'queue.frameWaitMaxMs' },
    );
  }
}

function keyName(instancePath: string, child?: string): string {
  const parts = instancePath.split('/').filter(Boolean);
  if (child) parts.push(child);
  return parts.join('.') || '(root)';
}

function readConfigFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigInvalidError(`IOC_CONFIG: cannot read ${path}: ${(err as Error).message}`, { field: 'IOC_CONFIG' });
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not a JSON object');
    return parsed as Record<string, unknown>;
  } catch (err) {
    throw new ConfigInvalidError(`IOC_CONFIG: ${path} is not a JSON object: ${(err as Error).message}`, {
      field: 'IOC_CONFIG',
    });
  }
}

/** The env name of a config path: http.port → IOC_HTTP_PORT, ingest.stallTimeoutMs → IOC_INGEST_STALL_TIMEOUT_MS. */
export function envNameOf(path: string[]): string {
  return 'IOC_' + path.map((p) => p.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase()).join('_');
}

function leafPaths(schema: TSchema, prefix: string[] = []): string[][] {
  const properties = (schema as { properties?: Record<string, TSchema> }).properties;
  if (!properties) return [prefix];
  return Object.entries(properties).flatMap(([key, inner]) => leafPaths(inner, [...prefix, key]));
}

function configFromEnv(env: Record<string, string | undefined>): Record<string, unknown> {
  const byName = new Map<string, string[]>();
  for (const path of leafPaths(ConfigSchema)) byName.set(envNameOf(path), path);
  for (const [alias, path] of Object.entries(ENV_ALIASES)) byName.set(alias, path);

  const result: Record<string, unknown> = {};
  for (const [name, raw] of Object.entries(env)) {
    if (!name.startsWith('IOC_') || raw === undefined) continue;
    const path = byName.get(name);
    if (!path) {
      if (ENV_NOT_KEYS.has(name)) continue;
      throw new ConfigInvalidError(`${name}: unknown configuration variable`, { field: name });
    }
    setPath(result, path, parseEnvValue(raw));
  }
  return result;
}

function parseEnvValue(raw: string): unknown {
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  if (/^-?\d+(\.\d+)?$/.test(raw.trim())) return Number(raw);
  return raw;
}

function setPath(target: Record<string, unknown>, path: string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    node[key] ??= {};
    node = node[key] as Record<string, unknown>;
  }
  node[path[path.length - 1]!] = value;
}

export function deepMerge(base: Record<string, unknown>, extra: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(extra)) {
    const current = out[key];
    out[key] = isPlainObject(current) && isPlainObject(value) ? deepMerge(current, value) : value;
  }
  return out;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
