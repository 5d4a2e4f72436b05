// Keeps the rooms' import arrows pointing down (shared/DESIGN.md): each top-level folder may import only
// the rooms listed for it here, and no two rooms may import each other. Run by the test command.
import { existsSync } from 'node:fs';
import madge from 'madge';

/** The rooms that ship and run at a site (player/ is browser code: no rule here). */
const PRODUCT = ['core', 'models', 'store', 'analytics', 'ingest', 'inference', 'alerts', 'analyzer', 'reports', 'api'];

/** Room → rooms it may import (itself always allowed). scripts/ may import anything. */
const ALLOWED: Record<string, readonly string[]> = {
  core: [],
  models: ['core'],
  store: ['core'],
  analytics: ['core'],
  ingest: ['core', 'store'],
  inference: ['core', 'models'],
  alerts: ['core', 'analytics', 'store'],
  // The analyzer process: per-camera ordering, analytics, alerts and count flushing (DESIGN "Processes").
  analyzer: ['core', 'analytics', 'store', 'alerts', 'inference', 'reports'],
  // Reports: figures from the store rendered as PDF and CSV, archived, and their schedule; analytics for the
  // figures the API computes the same way (congestion levels), so a report and /api/congestion agree.
  reports: ['core', 'store', 'analytics'],
  api: ['core', 'store', 'ingest', 'inference', 'analytics', 'alerts', 'models', 'reports'],
  // What bench/, tests/ and tools share (test cameras, clip replay, truth files): product rooms only.
  harness: ['core', 'models', 'store', 'analytics', 'ingest', 'inference', 'alerts', 'analyzer'],
  // Entry points: the product, and harness/ only because the demo camera is a harness RTSP test camera
  // (bin/demoCamera.ts starts harness/rtspServer.ts).
  bin: [...PRODUCT, 'harness'],
  // Throughput, capacity and accuracy harnesses: the product as it runs (bin/ too: the false-alarm bench uses
  // the demo camera's lines and rules) and what harness/ shares. Never tests/.
  bench: [...PRODUCT, 'bin', 'harness'],
  // Anything but bench/: a test of the bench runs it as a process and reads its output.
  tests: [...PRODUCT, 'bin', 'harness'],
};
const ANYTHING = new Set(['scripts']);

const roomOf = (file: string) => file.split('/')[0]!;

// A room that has no files yet is not in a clean checkout (git keeps no empty folders): skip it.
const folders = Object.keys(ALLOWED).concat([...ANYTHING]).filter((folder) => existsSync(folder));
const result = await madge(folders, {
  fileExtensions: ['ts'],
  tsConfig: 'tsconfig.json',
  excludeRegExp: [/node_modules/],
});
const violations: string[] = [];
const roomEdges = new Set<string>();
for (const [file, imports] of Object.entries(result.obj())) {
  const from = roomOf(file);
  for (const imported of imports) {
    const to = roomOf(imported);
    if (to === from || ANYTHING.has(from)) continue;
    roomEdges.add(`${from}→${to}`);
    if (!(ALLOWED[from] ?? []).includes(to)) violations.push(`${file} imports ${imported}: ${from}/ may not import ${to}/`);
  }
}
for (const edge of roomEdges) {
  const [from, to] = edge.split('→');
  if (roomEdges.has(`${to}→${from}`)) violations.push(`rooms ${from}/ and ${to}/ import each other`);
}
const cycles = result.circular();
for (const cycle of cycles) violations.push(`circular import: ${cycle.join(' → ')}`);
if (violations.length > 0) {
  process.stderr.write(`${violations.length} import rule violation(s):\n${violations.map((v) => `  ${v}`).join('\n')}\n`);
  process.exit(1);
}
process.stdout.write(`rooms: ${Object.keys(result.obj()).length} files, imports point down, no cycles\n`);
