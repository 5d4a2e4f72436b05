import { createReadStream } from 'node:fs';
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelChecksumError, ModelUnavailableError } from '../../../core/errors.ts';
import { createDetector } from '../../../inference/detector.ts';
import { manifestEntryFor, resolveModelFile } from '../../../models/modelFiles.ts';
import { fetchModel } from '../../../models/fetch.ts';
import { findManifestEntry } from '../../../models/manifest.ts';
import { assetPath } from '../../../harness/assetFrame.ts';
import { testConfig } from './helpers.ts';

const entry = findManifestEntry('yolox_nano')!;
const base = testConfig();
let dir: string;
let server: Server;
let serverUrl: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ioc-models-'));
  // A stand-in for the model's public source URL, serving the real file (and a wrong one).
  server = createServer((req, res) => {
    if (req.url === '/yolox_nano.onnx') createReadStream(assetPath(base, 'models/yolox_nano.onnx')).pipe(res);
    else if (req.url === '/wrong.onnx') res.end('not a model');
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  serverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

describe('model files', () => {
  it('resolves the configured model from the assets and verifies its sha256', async () => {
    const path = await resolveModelFile(base, manifestEntryFor(base));
    expect(path).toBe(resolve(base.assetsDir, 'models', 'yolox_nano.onnx'));
  });

  it('says how to fetch a model that is missing', async () => {
    const config = testConfig({
      assetsDir: join(dir, 'no-assets'),
      inference: { modelCacheDir: join(dir, 'no-cache') },
    });
    const error = await createDetector(config).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(ModelUnavailableError);
    expect((error as Error).message).toMatch(/yolox_nano\.onnx .*not found.*npx tsx models\/fetch\.ts yolox_nano/);
  });

  it('refuses a file whose sha256 is not the manifest one', async () => {
    const assets = join(dir, 'bad-assets');
    await fetchModel({ entry, toDir: join(assets, 'models'), fromDir: join(base.assetsDir, 'models') });
    await writeFile(join(assets, 'models', 'yolox_nano.onnx'), 'tampered');
    const config = testConfig({ assetsDir: assets, inference: { modelCacheDir: join(dir, 'no-cache') } });
    const error = await createDetector(config).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(ModelChecksumError);
    expect((error as Error).message).toMatch(/is not the manifest's d39bee73.*models\/fetch\.ts/);
  });

  it('fetch copies from a local directory or downloads from a URL into the cache, keeping only verified files', async () => {
    const cache = join(dir, 'cache');
    const copied = await fetchModel({ entry, toDir: cache, fromDir: join(base.assetsDir, 'models') });
    expect((await stat(copied)).size).toBe((await stat(assetPath(base, 'models/yolox_nano.onnx'))).size);
    await rm(copied);
    const downloaded = await fetchModel({ entry, toDir: cache, url: `${serverUrl}/yolox_nano.onnx` });
    expect(downloaded).toBe(copied);
    // The worker finds it in the cache when the assets directory has no copy.
    const config = testConfig({ assetsDir: join(dir, 'no-assets'), inference: { modelCacheDir: cache } });
    expect(await resolveModelFile(config, entry)).toBe(downloaded);

    const wrongCache = join(dir, 'wrong-cache');
    await expect(fetchModel({ entry, toDir: wrongCache, url: `${serverUrl}/wrong.onnx` })).rejects.toBeInstanceOf(
      ModelChecksumError,
    );
    await expect(fetchModel({ entry, toDir: wrongCache, url: `${serverUrl}/missing.onnx` })).rejects.toThrow(
      /HTTP 404/,
    );
    expect(await readdir(wrongCache)).toEqual([]);
  });
});
