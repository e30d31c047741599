import 'reflect-metadata';
import { ConfigError, parseEnv } from '../core/config';
import { createDatabase } from '../core/db';
import { ALL_MODELS } from '../features/models';
import { createLogger } from '../core/logger';
import { migrate } from '../migrations';
import { resolveDatabaseUrl } from './script-env';

/** `npm run migrate`: applies pending migrations to DATABASE_URL (default: the SQLite file in DATA_DIR). */
async function main(): Promise<void> {
  const env = parseEnv(process.env);
  const log = createLogger(env.LOG_LEVEL === 'info' ? 'warn' : env.LOG_LEVEL);
  const db = createDatabase({ url: resolveDatabaseUrl(env), poolMax: 2, log, models: ALL_MODELS });
  try {
    const applied = await migrate(db, log);
    console.log(
      applied.length
        ? `Applied ${applied.length} migration(s): ${applied.join(', ')}`
        : 'Up to date: no pending migrations',
    );
  } finally {
    await db.close();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof ConfigError ? err.message : `Migration failed: ${(err as Error).message}`);
  process.exit(1);
});
