/**
 * `npm run bench [-- name] [-- options]`: runs every benchmark in bench/ (or the one named),
 * each in its own process so they do not disturb each other.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const all = fs
  .readdirSync(__dirname)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && f !== 'lib.ts')
  .map((f) => f.replace(/\.ts$/, ''));
const [first, ...rest] = process.argv.slice(2);
const chosen = first && !first.startsWith('--') ? [first] : all;
const options = first && !first.startsWith('--') ? rest : process.argv.slice(2);

let failed = 0;
for (const name of chosen) {
  if (!all.includes(name)) {
    console.error(`No benchmark "${name}"; have: ${all.join(', ')}`);
    process.exit(2);
  }
  const res = spawnSync(
    process.execPath,
    ['--import', 'tsx', path.join(__dirname, `${name}.ts`), ...options],
    {
      stdio: 'inherit',
    },
  );
  if (res.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
