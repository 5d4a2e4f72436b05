import { describe, expect, it } from 'vitest';
import { importViolations, redisConstructionViolations } from '../../../scripts/roomRules.ts';

// Built from pieces so that this file itself holds no client construction for the rule (or a grep) to find.
const construct = (name: string, args: string) => `new ${name}${args}`;

describe('room import rules', () => {
  it('refuses analyzer/ and api/ reaching into inference/, Redis helpers or any other module', () => {
    const violations = importViolations({
      'analyzer/process.ts': ['inference/analysisPlans.ts', 'core/redis.ts'],
      'api/metrics.ts': ['inference/frameSink.ts', 'models/modelFiles.ts'],
    });
    expect(violations).toEqual([
      'analyzer/process.ts imports inference/analysisPlans.ts: analyzer/ may not import inference/',
      'api/metrics.ts imports inference/frameSink.ts: api/ may not import inference/',
    ]);
  });

  it('lets analyzer/, api/ and inference/ meet in core/ and lets bin/ and tests/ import anything', () => {
    expect(
      importViolations({
        'analyzer/cameraRunner.ts': ['core/redis.ts', 'core/analysisPlan.ts', 'analytics/cameraPipeline.ts'],
        'api/server.ts': ['core/redis.ts', 'models/inputSize.ts', 'store/cameras.ts'],
        'inference/worker.ts': ['core/redis.ts', 'models/modelFiles.ts'],
        'bin/ingestRole.ts': ['inference/frameSink.ts'],
        'tests/support/faultStack.ts': ['analyzer/analysisPlanWriter.ts', 'inference/worker.ts'],
      }),
    ).toEqual([]);
  });

  it('names two rooms that import each other', () => {
    const violations = importViolations({ 'store/a.ts': ['analytics/b.ts'], 'analytics/b.ts': ['store/a.ts'] });
    expect(violations).toContain('rooms store/ and analytics/ import each other');
  });
});

describe('Redis connections rule', () => {
  it('finds a client constructed outside core/redis.ts, with its file and line', () => {
    const source = [
      "import { Redis } from 'ioredis';",
      '',
      `const redis = ${construct('Redis', '(url, { maxRetriesPerRequest: 1 });')}`,
    ].join('\n');
    expect(redisConstructionViolations([{ path: 'api/server.ts', source }])).toEqual([
      'api/server.ts:3 opens a Redis connection itself: use createRedis from core/redis.ts',
    ]);
  });

  it('finds it in tests, bench and harness too, under either name ioredis exports', () => {
    const files = [
      { path: 'tests/support/testApp.ts', source: `const r = ${construct('Redis', '(url)')};` },
      { path: 'bench/runPipeline.ts', source: `const s = ${construct('IORedis', '(url)')};` },
      { path: 'harness/clipReplay.ts', source: `const r = ${construct(' Redis ', '(url)')};` },
    ];
    expect(redisConstructionViolations(files).map((v) => v.split(' ')[0])).toEqual([
      'tests/support/testApp.ts:1',
      'bench/runPipeline.ts:1',
      'harness/clipReplay.ts:1',
    ]);
  });

  it('allows the factory itself and code that only names the type or calls the factory', () => {
    const files = [
      { path: 'core/redis.ts', source: `return ${construct('Redis', '(url, redisOptionsFor(kind, options));')}` },
      {
        path: 'analyzer/leases.ts',
        source: "import type { Redis } from 'ioredis';\nconstructor(private readonly redis: Redis) {}",
      },
      {
        path: 'api/liveFeed.ts',
        source: "const subscriber = createRedis(redisUrl, 'subscriber', { lazyConnect: true });",
      },
    ];
    expect(redisConstructionViolations(files)).toEqual([]);
  });
});
