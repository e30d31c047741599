import 'reflect-metadata';
import { ConfigError, parseEnv } from '../core/config';
import { createDatabase } from '../core/db';
import { ALL_MODELS } from '../features/models';
import { rotateEpoch } from '../features/events/epoch';
import { resolveDatabaseUrl } from './script-env';

/**
 * `npm run events:new-epoch`: gives the event history of DATABASE_URL a new epoch. Run it after
 * restoring a backup, before the nodes start (docs/deploy.md, "Restoring a backup"): clients
 * then reload their lists instead of resuming against events they never saw.
 */
async function main(): Promise<void> {
  const env = parseEnv(process.env);
  const db = createDatabase({ url: resolveDatabaseUrl(env), poolMax: 1, models: ALL_MODELS });
  try {
    console.log(`New event epoch: ${await rotateEpoch(db)}. Restart every node now.`);
  } finally {
    await db.close();
  }
}

main().catch((err: unknown) => {
  console.error(
    err instanceof ConfigError ? err.message : `events:new-epoch failed: ${(err as Error).message}`,
  );
  process.exit(1);
});
