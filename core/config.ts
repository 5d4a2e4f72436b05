// One configuration schema, validated once at start. Sources, later wins: defaults, the JSON file named
// by IOC_CONFIG, IOC_* environment variables, then explicit overrides (tests, CLI flags).
// A bad or unknown key stops start-up with a message naming it. This is the only reader of process.env.
import { readFileSync } from 'node:fs';
import Type, { type Static, type TSchema } from 'typebox';
import Value from 'typebox/value';
import { ConfigInvalidError } from './errors.ts';
import { strict } from './config/strict.ts';
import { HttpConfigSchema } from './config/http.ts';
import { DatabaseConfigSchema } from './config/database.ts';
import { RedisConfigSchema } from './config/redis.ts';
import { MediaConfigSchema } from './config/media.ts';
import { IngestConfigSchema } from './config/ingest.ts';
import { RtmpConfigSchema } from './config/rtmp.ts';
import { InferenceConfigSchema } from './config/inference.ts';
import { QueueConfigSchema } from './config/queue.ts';
import { AuthConfigSchema } from './config/auth.ts';
import { AnalyzerConfigSchema } from './config/analyzer.ts';
import { AlertsConfigSchema } from './config/alerts.ts';
import { MqttConfigSchema } from './config/mqtt.ts';
import { ReportsConfigSchema } from './config/reports.ts';
import { MotionConfigSchema } from './config/motion.ts';

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
    http: HttpConfigSchema,
    database: DatabaseConfigSchema,
    redis: RedisConfigSchema,
    media: MediaConfigSchema,
    ingest: IngestConfigSchema,
    rtmp: RtmpConfigSchema,
    inference: InferenceConfigSchema,
    queue: QueueConfigSchema,
    motion: MotionConfigSchema,
    auth: AuthConfigSchema,
    analyzer: AnalyzerConfigSchema,
    alerts: AlertsConfigSchema,
    mqtt: MqttConfigSchema,
    reports: ReportsConfigSchema,
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
