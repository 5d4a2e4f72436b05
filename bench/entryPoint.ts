// Whether a bench module is the script being run (`npx tsx bench/x.ts`) or is imported by another bench
// (bench/cli.ts reuses their measuring functions): only the former runs its own main().
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export function isEntryPoint(moduleUrl: string): boolean {
  const script = process.argv[1];
  return script !== undefined && resolve(script) === fileURLToPath(moduleUrl);
}
