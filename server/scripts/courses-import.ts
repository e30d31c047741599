import 'reflect-metadata';
import fs from 'node:fs';
import { SingleBar, Presets } from 'cli-progress';
import { ConfigError, parseEnv } from '../core/config';
import { createDatabase } from '../core/db';
import { ALL_MODELS } from '../features/models';
import { createLogger } from '../core/logger';
import { migrate } from '../migrations';
import { CATALOG_COLUMNS, importCatalog } from '../features/timetables/catalog-import';
import { resolveDatabaseUrl } from './script-env';

const USAGE = `Usage: npm run courses:import -- <file.csv>
Columns: ${CATALOG_COLUMNS.join(',')} (see README, "Course catalog")`;

/** `npm run courses:import -- file.csv`: all rows or none; bad rows reported by line number. */
async function main(): Promise<number> {
  const file = process.argv[2];
  if (!file || file === '--help' || file === '-h') {
    console.error(USAGE);
    return file ? 0 : 2;
  }
  if (!fs.existsSync(file)) {
    console.error(`No such file: ${file}`);
    return 2;
  }
  const env = parseEnv(process.env);
  const db = createDatabase({ url: resolveDatabaseUrl(env), poolMax: 2, models: ALL_MODELS });
  const bar = process.stdout.isTTY
    ? new SingleBar({ format: 'Importing [{bar}] {value}/{total} courses' }, Presets.shades_classic)
    : undefined;
  try {
    await migrate(db, createLogger('warn'));
    const result = await importCatalog(db, fs.readFileSync(file, 'utf8'), (done, total) => {
      if (!bar) return;
      if (bar.getTotal() !== total) bar.start(total, 0);
      bar.update(done);
    });
    bar?.stop();
    if (!result.ok) {
      console.error(`${file}: ${result.errors.length} bad row(s); nothing was imported.`);
      for (const e of result.errors.slice(0, 100)) console.error(`  line ${e.line}: ${e.reason}`);
      if (result.errors.length > 100) console.error(`  … and ${result.errors.length - 100} more`);
      return 1;
    }
    console.log(
      `Imported ${result.created + result.updated} course(s) for ${result.semesters.join(', ')}: ` +
        `${result.created} new, ${result.updated} updated.`,
    );
    return 0;
  } finally {
    bar?.stop();
    await db.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof ConfigError ? err.message : `Import failed: ${(err as Error).message}`);
    process.exit(1);
  },
);
