import { createClient } from 'redis';
import type { Logger } from './logger';

export type RedisClient = ReturnType<typeof createClient>;

export interface Redis {
  /** Commands (rate limits, revocation, readiness). */
  client: RedisClient;
  /** Publisher and subscriber for the Socket.IO adapter. */
  pub: RedisClient;
  sub: RedisClient;
  /** Whether every client is connected now. */
  up(): boolean;
  /**
   * Calls `listener` each time the subscriber is back after losing Redis, once its
   * subscriptions are active again: pub/sub messages of the gap are gone (see realtime.ts).
   */
  onSubscriberBack(listener: () => void): void;
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
  // node-redis emits 'ready' after it has resubscribed every channel on the new connection.
  const back: Array<() => void> = [];
  let lost = false;
  let closing = false;
  const down = () => {
    if (closing) return;
    if (!lost) log.warn('redis subscriber lost: pushes from other nodes wait until it is back');
    lost = true;
  };
  sub.on('error', down);
  sub.on('end', down);
  sub.on('reconnecting', down);
  sub.on('ready', () => {
    if (!lost) return;
    lost = false;
    log.info('redis subscriber back');
    for (const listener of back) listener();
  });
  return {
    client,
    pub,
    sub,
    up: () => client.isReady && pub.isReady && sub.isReady,
    onSubscriberBack: (listener) => back.push(listener),
    async close() {
      closing = true;
      await Promise.allSettled([client, pub, sub].map((c) => (c.isOpen ? c.quit() : Promise.resolve())));
    },
  };
}
