import type { RedisClient } from './redis';

/**
 * Sessions whose access tokens must be refused before they expire (logout, token reuse).
 * An entry only needs to live as long as an access token can: after that, none is left.
 */
export interface RevocationList {
  revoke(sid: string, ttlMs: number): Promise<void>;
  isRevoked(sid: string): Promise<boolean>;
}

export function redisRevocations(client: RedisClient, prefix: string): RevocationList {
  const key = (sid: string) => `${prefix}:revoked:${sid}`;
  return {
    async revoke(sid, ttlMs) {
      await client.set(key(sid), '1', { PX: Math.max(1, Math.ceil(ttlMs)) });
    },
    async isRevoked(sid) {
      return (await client.exists(key(sid))) === 1;
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
