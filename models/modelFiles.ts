// Finds the manifest entry of the configured model and its file on disk, verified by sha256 at load.
// A missing or altered file stops the worker with an error that says how to fetch the right one.
import { readFileSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import Type from 'typebox';
import Value from 'typebox/value';
import type { Config } from '../core/config.ts';
import { ConfigInvalidError, ModelChecksumError, ModelUnavailableError } from '../core/errors.ts';
import { sha256OfFile } from './fetch.ts';
import { MODEL_MANIFEST, type ModelManifestEntry } from './manifest.ts';

const Triple = Type.Tuple([Type.Number(), Type.Number(), Type.Number()]);
const SizePx = Type.Object(
  { widthPx: Type.Integer({ minimum: 32, maximum: 4096 }), heightPx: Type.Integer({ minimum: 32, maximum: 4096 }) },
  { additionalProperties: false },
);

/** Shape of a user-supplied manifest entry (config inference.extraManifestPath). */
export const ManifestEntrySchema = Type.Object(
  {
    id: Type.String({ pattern: '^[A-Za-z0-9_.-]+$' }),
    fileName: Type.String({ pattern: '^[^/\\\\]+\\.onnx$' }),
    sha256: Type.String({ pattern: '^[0-9a-f]{64}$' }),
    family: Type.Union([Type.Literal('yolox'), Type.Literal('ultralytics'), Type.Literal('picodet')]),
    input: Type.Object(
      {
        name: Type.String({ minLength: 1 }),
        widthPx: Type.Integer({ minimum: 32, maximum: 4096 }),
        heightPx: Type.Integer({ minimum: 32, maximum: 4096 }),
        sizes: Type.Optional(
          Type.Union([
            Type.Object(
              {
                multipleOfPx: Type.Integer({ minimum: 1, maximum: 256 }),
                minPx: Type.Integer({ minimum: 32, maximum: 4096 }),
                maxPx: Type.Integer({ minimum: 32, maximum: 4096 }),
              },
              { additionalProperties: false },
            ),
            Type.Object({ listPx: Type.Array(SizePx, { minItems: 1 }) }, { additionalProperties: false }),
          ]),
        ),
        deploySizePx: Type.Optional(SizePx),
        layout: Type.Literal('NCHW'),
        batch: Type.Union([Type.Integer({ minimum: 1 }), Type.Null()]),
        colourOrder: Type.Union([Type.Literal('RGB'), Type.Literal('BGR')]),
        scale: Type.Number({ exclusiveMinimum: 0 }),
        mean: Triple,
        std: Triple,
        padValue: Type.Integer({ minimum: 0, maximum: 255 }),
      },
      { additionalProperties: false },
    ),
    output: Type.Union([
      Type.Object({ name: Type.String({ minLength: 1 }) }, { additionalProperties: false }),
      Type.Object(
        { names: Type.Array(Type.String({ minLength: 1 }), { minItems: 1 }) },
        { additionalProperties: false },
      ),
    ]),
    spatialReshapeConstants: Type.Optional(Type.Boolean()),
    classNames: Type.Array(Type.String(), { minItems: 1 }),
    licence: Type.String({ minLength: 1 }),
    sourceUrl: Type.String({ minLength: 1 }),
    notes: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

/** Built-in entries plus those of the user's manifest file, if any. */
export function loadManifest(config: Pick<Config, 'inference'>): readonly ModelManifestEntry[] {
  const path = config.inference.extraManifestPath;
  if (!path) return MODEL_MANIFEST;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new ConfigInvalidError(`inference.extraManifestPath: cannot read ${path}: ${(err as Error).message}`, {
      field: 'inference.extraManifestPath',
    });
  }
  const list = Array.isArray(parsed) ? parsed : [parsed];
  for (const [index, item] of list.entries()) {
    const error = [...Value.Errors(ManifestEntrySchema, item)][0];
    if (error) {
      throw new ConfigInvalidError(
        `inference.extraManifestPath: entry ${index} of ${path}: ${error.instancePath || '(root)'} ${error.message}`,
        { field: 'inference.extraManifestPath' },
      );
    }
  }
  return [...MODEL_MANIFEST, ...(list as ModelManifestEntry[])];
}

export function manifestEntryFor(config: Pick<Config, 'inference'>): ModelManifestEntry {
  const entries = loadManifest(config);
  const entry = entries.find((e) => e.id === config.inference.modelId);
  if (!entry) {
    throw new ModelUnavailableError(
      `model ${config.inference.modelId} is not in the manifest; known: ${entries.map((e) => e.id).join(', ')}`,
      { field: 'inference.modelId' },
    );
  }
  return entry;
}

/** Directories searched for model files, in order. */
export function modelSearchDirs(config: Pick<Config, 'assetsDir' | 'inference'>): string[] {
  const absolute = (p: string) => (isAbsolute(p) ? p : resolve(p));
  return [absolute(join(config.assetsDir, 'models')), absolute(config.inference.modelCacheDir)];
}

const verified = new Map<string, string>(); // path → "size:mtimeMs" already hashed in this process

/** Path of the entry's file, verified against the manifest's sha256. */
export async function resolveModelFile(
  config: Pick<Config, 'assetsDir' | 'inference'>,
  entry: ModelManifestEntry,
): Promise<string> {
  const dirs = modelSearchDirs(config);
  const fetchHint = `fetch it with: npx tsx models/fetch.ts ${entry.id} (copies from ${dirs[0]} or --from-dir DIR, or --from-url ${entry.sourceUrl})`;
  for (const dir of dirs) {
    const path = join(dir, entry.fileName);
    let info;
    try {
      info = await stat(path);
    } catch {
      continue;
    }
    const stamp = `${info.size}:${info.mtimeMs}`;
    if (verified.get(path) === stamp) return path;
    const actual = await sha256OfFile(path);
    if (actual !== entry.sha256) {
      throw new ModelChecksumError(
        `${path}: sha256 ${actual} is not the manifest's ${entry.sha256} for ${entry.id}; remove it and ${fetchHint}`,
        { modelId: entry.id, path },
      );
    }
    verified.set(path, stamp);
    return path;
  }
  throw new ModelUnavailableError(`${entry.fileName} (${entry.id}) not found in ${dirs.join(' or ')}; ${fetchHint}`, {
    modelId: entry.id,
  });
}
