/**
 * `npm run bench` runs every `bench/*.bench.ts`; `npm run bench -- NAME` runs one. Each bench is
 * its own process (a clean heap, no JIT state shared) and prints one JSON line per result.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const all = readdirSync(here).filter((f) => f.endsWith('.bench.ts')).map((f) => f.replace(/\.bench\.ts$/, '')).sort();
const unknown = wanted.filter((w) => !all.includes(w));
if (unknown.length > 0) {
  console.error(`unknown bench: ${unknown.join(', ')} (have: ${all.join(', ')})`);
  process.exit(2);
}
let failed = false;
for (const name of wanted.length > 0 ? wanted : all) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', path.join(here, `${name}.bench.ts`)], { stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`bench ${name} failed with ${result.status ?? result.signal}`);
    failed = true;
  }
}
process.exit(failed ? 1 : 0);
