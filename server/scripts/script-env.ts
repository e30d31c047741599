import path from 'node:path';
import type { parseEnv } from '../core/config';

/** The database the server would use, without touching the JWT secret (scripts don't need it). */
export function resolveDatabaseUrl(env: ReturnType<typeof parseEnv>): string {
  return env.DATABASE_URL ?? `sqlite:${path.join(path.resolve(env.DATA_DIR), 'quad.sqlite')}`;
}
