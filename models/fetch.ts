// Fetches a model named in the manifest into the model cache: copied from a local directory
// (default `${assetsDir}/models`) or downloaded from its source URL, and kept only if its sha256 matches.
// CLI: npx tsx models/fetch.ts <modelId> [--from-dir DIR | --from-url] [--to DIR]
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { pathToFileURL } from 'node:url';
import { ModelChecksumError, ModelUnavailableError } from '../core/errors.ts';
import { findManifestEntry, MODEL_MANIFEST, type ModelManifestEntry } from './manifest.ts';

export async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(path), hash);
  return hash.digest('hex');
}

export interface FetchModelOptions {
  entry: ModelManifestEntry;
  /** Directory the verified file is written to (the model cache). */
  toDir: string;
  /** Copy from this directory instead of downloading. */
  fromDir?: string;
  /** Download from this URL instead of the manifest's sourceUrl (mirrors, tests). */
  url?: string;
}

/** Copies or downloads the model to `${toDir}/${fileName}`; the file appears only once verified. */
export async function fetchModel(options: FetchModelOptions): Promise<string> {
  const { entry, toDir } = options;
  await mkdir(toDir, { recursive: true });
  const target = join(toDir, entry.fileName);
  const partial = `${target}.${process.pid}.partial`;
  try {
    if (options.fromDir !== undefined) await copyFrom(join(options.fromDir, entry.fileName), partial, entry);
    else await download(options.url ?? entry.sourceUrl, partial, entry);
    const actual = await sha256OfFile(partial);
    if (actual !== entry.sha256) {
      throw new ModelChecksumError(
        `${entry.fileName}: sha256 ${actual} does not match the manifest's ${entry.sha256}; the source holds a different file`,
        { modelId: entry.id },
      );
    }
    await rename(partial, target);
    return target;
  } finally {
    await rm(partial, { force: true });
  }
}

async function copyFrom(source: string, partial: string, entry: ModelManifestEntry): Promise<void> {
  try {
    await stat(source);
  } catch {
    throw new ModelUnavailableError(`${entry.id}: ${source} does not exist`, { modelId: entry.id });
  }
  await pipeline(createReadStream(source), createWriteStream(partial));
}

async function download(url: string, partial: string, entry: ModelManifestEntry): Promise<void> {
  let response: Response;
  try {
    response = await fetch(url, { redirect: 'follow' });
  } catch (err) {
    throw new ModelUnavailableError(`${entry.id}: cannot download ${url}: ${(err as Error).message}`, {
      modelId: entry.id,
    });
  }
  if (!response.ok || !response.body) {
    throw new ModelUnavailableError(`${entry.id}: ${url} answered HTTP ${response.status}`, { modelId: entry.id });
  }
  await pipeline(Readable.fromWeb(response.body as never), createWriteStream(partial));
}

interface CliArgs {
  modelId: string;
  fromDir?: string;
  fromUrl: boolean;
  toDir?: string;
}

function parseArgs(argv: string[]): CliArgs {
  const args: CliArgs = { modelId: '', fromUrl: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--from-dir') args.fromDir = argv[++i];
    else if (arg === '--from-url') args.fromUrl = true;
    else if (arg === '--to') args.toDir = argv[++i];
    else if (!arg.startsWith('--') && !args.modelId) args.modelId = arg;
    else throw new Error(`unknown argument ${arg}`);
  }
  if (!args.modelId) throw new Error('usage: models/fetch.ts <modelId> [--from-dir DIR | --from-url] [--to DIR]');
  return args;
}

async function main(): Promise<void> {
  // The CLI is an entry point: core/config resolves assetsDir and the cache dir the same way the worker does.
  const { loadConfig } = await import('../core/config.ts');
  const config = loadConfig();
  const args = parseArgs(process.argv.slice(2));
  const entry = findManifestEntry(args.modelId);
  if (!entry) {
    throw new ModelUnavailableError(
      `unknown model ${args.modelId}; known: ${MODEL_MANIFEST.map((m) => m.id).join(', ')}`,
    );
  }
  const toDir = resolve(args.toDir ?? config.inference.modelCacheDir);
  const fromDir = args.fromUrl ? undefined : resolve(args.fromDir ?? join(config.assetsDir, 'models'));
  const path = await fetchModel({ entry, toDir, ...(fromDir !== undefined ? { fromDir } : {}) });
  process.stdout.write(`${entry.id}: verified sha256 ${entry.sha256}\n  -> ${path}\n`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((err: unknown) => {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exitCode = 1;
  });
}
