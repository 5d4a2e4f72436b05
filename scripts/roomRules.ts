// The house rules scripts/checkRooms.ts enforces, as pure functions of an import graph and of source texts,
// so a unit test can show each rule failing on a made-up file (shared/DESIGN.md "Rooms").

/** The rooms that ship and run at a site (player/ is browser code: no rule here). */
const PRODUCT = ['core', 'models', 'store', 'analytics', 'ingest', 'inference', 'alerts', 'analyzer', 'reports', 'api'];

/** Room → rooms it may import (itself always allowed). scripts/ may import anything. */
export const ALLOWED: Record<string, readonly string[]> = {
  core: [],
  models: ['core'],
  store: ['core'],
  analytics: ['core'],
  ingest: ['core', 'store'],
  inference: ['core', 'models'],
  alerts: ['core', 'analytics', 'store'],
  // The analyzer process: per-camera ordering, analytics, alerts and count flushing (DESIGN "Processes").
  // Not inference/: what the two share (result and plan types, Redis names) lives in core/.
  analyzer: ['core', 'analytics', 'store', 'alerts', 'reports'],
  // Reports: figures from the store rendered as PDF and CSV, archived, and their schedule; analytics for the
  // figures the API computes the same way (congestion levels), so a report and /api/congestion agree.
  reports: ['core', 'store', 'analytics'],
  // Not inference/ either: the API reads what workers write through core/'s names, and model facts from models/.
  api: ['core', 'store', 'ingest', 'analytics', 'alerts', 'models', 'reports'],
  // What bench/, tests/ and tools share (test cameras, clip replay, truth files): product rooms only.
  harness: ['core', 'models', 'store', 'analytics', 'ingest', 'inference', 'alerts', 'analyzer'],
  // Entry points: the product, and harness/ only because the demo camera is a harness RTSP test camera
  // (bin/demoCamera.ts starts harness/rtspServer.ts).
  bin: [...PRODUCT, 'harness'],
  // Throughput, capacity and accuracy harnesses: the product as it runs (bin/ too: the false-alarm bench uses
  // the demo camera's lines and rules) and what harness/ shares. Never tests/.
  bench: [...PRODUCT, 'bin', 'harness'],
  // Anything but bench/: a test of the bench runs it as a process and reads its output. player/ for unit tests
  // of the pages' pure modules (DOM-free, such as where the overlay writes its labels).
  tests: [...PRODUCT, 'bin', 'harness', 'scripts', 'player'],
};
export const ANYTHING = new Set(['scripts']);

/** The one file that may construct a Redis client: every other connection comes from its createRedis. */
export const REDIS_FACTORY_FILE = 'core/redis.ts';

const roomOf = (file: string) => file.split('/')[0]!;

/** Imports that break a room's arrows, and pairs of rooms importing each other. Paths relative to the root. */
export function importViolations(graph: Record<string, readonly string[]>): string[] {
  const violations: string[] = [];
  const roomEdges = new Set<string>();
  for (const [file, imports] of Object.entries(graph)) {
    const from = roomOf(file);
    for (const imported of imports) {
      const to = roomOf(imported);
      if (to === from || ANYTHING.has(from)) continue;
      roomEdges.add(`${from}→${to}`);
      if (!(ALLOWED[from] ?? []).includes(to))
        violations.push(`${file} imports ${imported}: ${from}/ may not import ${to}/`);
    }
  }
  for (const edge of roomEdges) {
    const [from, to] = edge.split('→');
    if (roomEdges.has(`${to}→${from}`)) violations.push(`rooms ${from}/ and ${to}/ import each other`);
  }
  return violations;
}

// Any client construction of ioredis (its Redis class, under either name it exports), not a type mention.
const REDIS_CONSTRUCTION = /\bnew\s+(?:Redis|IORedis)\s*\(/;

/**
 * Places that construct a Redis client outside core/redis.ts: each would choose its own retry policy
 * and could not be found by a reader looking for how the processes behave when Redis is away.
 */
export function redisConstructionViolations(files: ReadonlyArray<{ path: string; source: string }>): string[] {
  const violations: string[] = [];
  for (const { path, source } of files) {
    if (path === REDIS_FACTORY_FILE) continue;
    source.split('\n').forEach((line, index) => {
      if (REDIS_CONSTRUCTION.test(line)) {
        violations.push(
          `${path}:${index + 1} opens a Redis connection itself: use createRedis from ${REDIS_FACTORY_FILE}`,
        );
      }
    });
  }
  return violations;
}
