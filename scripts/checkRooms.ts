// Keeps the rooms' import arrows pointing down (shared/DESIGN.md): each top-level folder may import only
// the rooms listed for it in scripts/roomRules.ts, no two rooms import each other, and only core/redis.ts
// opens Redis connections. Run by the test command.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import madge from 'madge';
import { ALLOWED, ANYTHING, importViolations, redisConstructionViolations } from './roomRules.ts';

// A room that has no files yet is not in a clean checkout (git keeps no empty folders): skip it.
const folders = Object.keys(ALLOWED)
  .concat([...ANYTHING])
  .filter((folder) => existsSync(folder));
const result = await madge(folders, {
  fileExtensions: ['ts'],
  tsConfig: 'tsconfig.json',
  excludeRegExp: [/node_modules/],
});
const violations = importViolations(result.obj());
const cycles = result.circular();
for (const cycle of cycles) violations.push(`circular import: ${cycle.join(' → ')}`);
// Only the rooms' own sources: var/ holds HLS segments that are MPEG-TS files named *.ts, not TypeScript.
const sources = [...Object.keys(ALLOWED), ...ANYTHING]
  .filter((folder) => existsSync(folder))
  .flatMap((folder) => typescriptFiles(folder));
violations.push(...redisConstructionViolations(sources.map((path) => ({ path, source: readFileSync(path, 'utf8') }))));
if (violations.length > 0) {
  process.stderr.write(`${violations.length} room rule violation(s):\n${violations.map((v) => `  ${v}`).join('\n')}\n`);
  process.exit(1);
}
process.stdout.write(
  `rooms: ${Object.keys(result.obj()).length} files, imports point down, no cycles, Redis opened in core/redis.ts only\n`,
);

/** Every .ts file under `dir` (repository-relative paths), dependencies and hidden folders left out. */
function typescriptFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) return [];
    const path = dir === '.' ? entry.name : join(dir, entry.name);
    if (entry.isDirectory()) return typescriptFiles(path);
    return entry.isFile() && entry.name.endsWith('.ts') ? [path] : [];
  });
}
