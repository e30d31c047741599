import { createClient } from 'redis';
import type { Logger } from './logger';

export type RedisClient = ReturnType<typeof createClient>;

export interface Redis {
  /** Commands (rate limits, revocation, readiness). */
  client: RedisClient;
  /** Publisher and subscriber for the Socket.IO adapter. */
  pub: RedisClient;
  sub: RedisClient;
  close(): Promise<void>;
}

/** Connects the three clients Quad uses; errors are logged, and node-redis reconnects by itself. */
export async function connectRedis(url: string, log: Logger): Promise<Redis> {
  const client = createClient({
    url,
    // Fail commands at once while Redis is away (→ UNAVAILABLE) instead of queueing requests.
    disableOfflineQueue: true,
    socket: { reconnectStrategy: (retries) => Math.min(100 * 2 ** retries, 3_000), connectTimeout: 5_000 },
  });
  // The adapter's clients keep the offline queue: a broadcast during a blip is sent on reconnect.
  const pub = client.duplicate({ disableOfflineQueue: false });
  const sub = client.duplicate({ disableOfflineQueue: false });
  for (const [name, c] of [
    ['client', client],
    ['pub', pub],
    ['sub', sub],
  ] as const) {
    c.on('error', (err: Error) => log.warn({ err: err.message, redis: name }, 'redis error'));
  }
  await Promise.all([client.connect(), pub.connect(), sub.connect()]);
  return {
    client,
    pub,
    sub,
    async close() {
      await Promise.allSettled([client, pub, sub].map((c) => (c.isOpen ? c.quit() : Promise.resolve())));
    },
  };
}
