import type { Logger } from './logger';
import type { Redis } from './redis';

/**
 * Messages between the nodes of one deployment that are not pushes to clients: cache
 * invalidations and the like. Through Redis pub/sub when there is Redis (every node, this one
 * included, receives), in process otherwise. At most once: a node that misses a message while
 * Redis is away must not depend on it (caches keep a TTL as well).
 */
export interface Bus {
  publish(topic: string, message: object): void;
  subscribe(topic: string, handler: (message: unknown) => void): void;
}

export function localBus(): Bus {
  const handlers = new Map<string, Array<(message: unknown) => void>>();
  return {
    publish(topic, message) {
      for (const h of handlers.get(topic) ?? []) h(message);
    },
    subscribe(topic, handler) {
      handlers.set(topic, [...(handlers.get(topic) ?? []), handler]);
    },
  };
}

export function redisBus(redis: Redis, prefix: string, log: Logger): Bus {
  const channel = (topic: string) => `${prefix}:bus:${topic}`;
  return {
    publish(topic, message) {
      redis.pub.publish(channel(topic), JSON.stringify(message)).catch((err: unknown) => {
        log.warn({ err, topic }, 'bus message not published');
      });
    },
    subscribe(topic, handler) {
      void redis.sub.subscribe(channel(topic), (raw) => {
        try {
          handler(JSON.parse(raw));
        } catch (err) {
          log.warn({ err, topic }, 'bus message not handled');
        }
      });
    },
  };
}
