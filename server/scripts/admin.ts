import 'reflect-metadata';
import { setTimeout as sleep } from 'node:timers/promises';
import { ROLES, roleSetInput } from '../../shared/schemas/moderation';
import { redisBus } from '../core/bus';
import { ConfigError, parseEnv } from '../core/config';
import { createDatabase } from '../core/db';
import { AppError } from '../core/errors';
import { createLogger } from '../core/logger';
import { connectRedis } from '../core/redis';
import { ACCOUNT_CHANGED } from '../features/accounts/accounts.service';
import { ModerationLog } from '../features/moderation/moderation-log';
import { setRole, unsuspendByName } from '../features/moderation/operator';
import { ALL_MODELS } from '../features/models';
import { migrate } from '../migrations';
import { resolveDatabaseUrl } from './script-env';

const USAGE = `Usage: npm run admin -- role <username> ${ROLES.join('|')}
       npm run admin -- unsuspend <username>
  role       gives a user a role (the first admin is made this way)
  unsuspend  lifts a suspension (e.g. of the only admin, who cannot lift it themselves)`;

/** How long to try to reach Redis to tell the nodes, before leaving it to their 10 s cache. */
const REDIS_WAIT_MS = 5_000;

type Command =
  { kind: 'role'; username: string; role: (typeof ROLES)[number] } | { kind: 'unsuspend'; username: string };

/** The command line, or the reason it is wrong. */
function parseArgs(args: string[]): Command | string {
  const [kind, username, role, ...rest] = args;
  if (kind === 'role') {
    if (rest.length || !username || !role) return 'role takes a username and a role';
    const parsed = roleSetInput.safeParse({ username, role });
    if (!parsed.success)
      return parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    return { kind, ...parsed.data };
  }
  if (kind === 'unsuspend') {
    if (role !== undefined || !username) return 'unsuspend takes a username';
    return { kind, username };
  }
  return kind ? `unknown command: ${kind}` : 'no command';
}

/**
 * `npm run admin -- role <username> moderator`: the operator's commands on accounts, written to
 * DATABASE_URL and the moderation log (as `(system)`, reason `npm run admin`). With REDIS_URL,
 * every running node drops its cached copy of the account at once (and a demoted moderator's
 * /moderation sockets); without Redis, the server sees it within its 10 s cache.
 */
async function main(): Promise<number> {
  const args = process.argv.slice(2);
  if (args[0] === '--help' || args[0] === '-h') {
    console.log(USAGE);
    return 0;
  }
  const command = parseArgs(args);
  if (typeof command === 'string') {
    console.error(`${command}\n${USAGE}`);
    return 2;
  }
  const env = parseEnv(process.env);
  const log = createLogger(env.LOG_LEVEL === 'info' ? 'warn' : env.LOG_LEVEL);
  const db = createDatabase({ url: resolveDatabaseUrl(env), poolMax: 2, log, models: ALL_MODELS });
  let userId: number;
  try {
    await migrate(db, log);
    const moderationLog = new ModerationLog(db);
    const by = { actorId: null, reason: `npm run admin -- ${command.kind}` };
    if (command.kind === 'role') {
      const change = await setRole(db, moderationLog, command.username, command.role, by);
      if (change.previous === change.role) {
        console.log(`${change.username} is already ${article(change.role)}; nothing changed.`);
        return 0;
      }
      console.log(`${change.username} is now ${article(change.role)} (was ${change.previous}).`);
      userId = change.userId;
    } else {
      const lifted = await unsuspendByName(db, moderationLog, command.username, by);
      console.log(
        lifted.wasUntil
          ? `${lifted.username} is no longer suspended (was until ${lifted.wasUntil.toISOString()}).`
          : `${lifted.username} was not suspended; nothing to lift.`,
      );
      userId = lifted.userId;
    }
  } catch (err) {
    if (err instanceof AppError && err.code === 'NOT_FOUND') {
      console.error(err.message);
      return 1;
    }
    throw err;
  } finally {
    await db.close();
  }
  console.log(await tellNodes(env, userId));
  return 0;
}

const article = (role: string) => (role === 'admin' ? 'an admin' : `a ${role}`);

/** Publishes AccountsService's change message on the nodes' bus, when there is Redis. */
async function tellNodes(env: ReturnType<typeof parseEnv>, userId: number): Promise<string> {
  const later = 'Running servers apply it to new connections within 10 s (their cache).';
  if (!env.REDIS_URL) return `No REDIS_URL: ${later}`;
  const log = createLogger('silent');
  const connecting = connectRedis(env.REDIS_URL, log);
  const reached = await Promise.race([connecting, sleep(REDIS_WAIT_MS, undefined, { ref: false })]);
  if (!reached) {
    void connecting.then(
      (redis) => redis.close(),
      () => undefined,
    );
    return `Redis did not answer: ${later}`;
  }
  redisBus(reached, env.REDIS_PREFIX, log).publish(ACCOUNT_CHANGED, { userId });
  // QUIT is answered after the PUBLISH before it on the same connection.
  await reached.close();
  return 'Every node applies it to new connections now.';
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof ConfigError ? err.message : `admin failed: ${(err as Error).message}`);
    process.exit(1);
  },
);
