import type { Logger } from './logger';
import type { RedisClient } from './redis';

/**
 * Sessions whose access tokens must be refused before they expire (logout, token reuse).
 * An entry only needs to live as long as an access token can: after that, none is left.
 */
export interface RevocationList {
  revoke(sid: string, ttlMs: number): Promise<void>;
  isRevoked(sid: string): Promise<boolean>;
}

/** What the database knows of revoked sessions: the source of truth Redis only mirrors. */
export interface RevokedSessions {
  isRevoked(sid: string): Promise<boolean>;
  /** Sessions revoked at or after `since`. */
  revokedSince(since: Date): Promise<string[]>;
}

/**
 * The revocation list in Redis, shared by every node, with the database behind it: while Redis
 * is unreachable (and until it has been caught up after it returns) a session's state is read
 * from the sessions table instead, so a revoked token stays refused and a valid one keeps
 * working. A revocation written while Redis was away reaches it when it returns: every node,
 * on reconnecting, copies the sessions revoked within the last `ttlMs` back into Redis (so one
 * that revoked and then died is covered by the others).
 */
export function redisRevocations(
  client: RedisClient,
  prefix: string,
  database: RevokedSessions,
  ttlMs: number,
  log: Logger,
): RevocationList {
  const key = (sid: string) => `${prefix}:revoked:${sid}`;
  // Until the first catch-up has run, Redis may lack what was revoked while it was away.
  let trusted = false;
  let catchingUp: Promise<void> | undefined;
  const catchUp = async () => {
    const since = new Date(Date.now() - ttlMs);
    const sids = await database.revokedSince(since);
    for (const sid of sids) await client.set(key(sid), '1', { PX: ttlMs });
    trusted = true;
    if (sids.length) log.info({ sessions: sids.length }, 'revocations copied back to redis');
  };
  const startCatchUp = () => {
    catchingUp ??= catchUp()
      .catch((err: unknown) => log.warn({ err }, 'revocations not copied back to redis yet'))
      .finally(() => (catchingUp = undefined));
  };
  client.on('ready', startCatchUp);
  client.on('error', () => (trusted = false));
  client.on('end', () => (trusted = false));
  if (client.isReady) startCatchUp();
  return {
    async revoke(sid, ttl) {
      try {
        await client.set(key(sid), '1', { PX: Math.max(1, Math.ceil(ttl)) });
      } catch (err) {
        // The sessions table has it; the catch-up copies it to Redis when Redis is back.
        trusted = false;
        log.warn({ err: (err as Error).message }, 'revocation not written to redis; the database has it');
      }
    },
    async isRevoked(sid) {
      if (trusted && client.isReady) {
        try {
          return (await client.exists(key(sid))) === 1;
        } catch {
          // fall through to the database
        }
      }
      return database.isRevoked(sid);
    },
  };
}

export function memoryRevocations(now: () => number = Date.now): RevocationList {
  const until = new Map<string, number>();
  return {
    async revoke(sid, ttlMs) {
      until.set(sid, now() + ttlMs);
      // Sweep expired entries now and then so the map cannot grow without bound.
      if (until.size % 1024 === 0) for (const [k, t] of until) if (t <= now()) until.delete(k);
    },
    async isRevoked(sid) {
      const t = until.get(sid);
      if (t === undefined) return false;
      if (t > now()) return true;
      until.delete(sid);
      return false;
    },
  };
}
