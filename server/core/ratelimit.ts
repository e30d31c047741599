import {
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';
import { AppError } from './errors';
import type { RedisClient } from './redis';

export interface LimitSpec {
  /** Unique per limiter; also the Redis key prefix. */
  name: string;
  points: number;
  durationMs: number;
}

/**
 * A counter per key, shared across nodes through Redis when there is one, in process
 * otherwise (rate-limiter-flexible does the counting). While Redis is unreachable each node
 * counts on its own (rate-limiter-flexible's insurance limiter): a limit is then per node, not
 * per deployment, but commands keep working.
 */
export class Limiter {
  private readonly limiter: RateLimiterAbstract;

  constructor(
    spec: LimitSpec,
    redis: { client: RedisClient; prefix: string } | undefined,
    readonly message = 'Too many attempts; try again later',
  ) {
    const options = {
      keyPrefix: `${redis?.prefix ?? 'quad'}:rl:${spec.name}`,
      points: spec.points,
      duration: Math.max(1, Math.ceil(spec.durationMs / 1000)),
    };
    this.limiter = redis
      ? new RateLimiterRedis({
          ...options,
          storeClient: redis.client,
          useRedisPackage: true,
          insuranceLimiter: new RateLimiterMemory(options),
        })
      : new RateLimiterMemory(options);
  }

  /** One action per `ms` per key (POST_COOLDOWN and the like); undefined when `ms` is 0 (off). */
  static cooldown(
    name: string,
    ms: number,
    redis: { client: RedisClient; prefix: string } | undefined,
    message: string,
  ): Limiter | undefined {
    return ms ? new Limiter({ name, points: 1, durationMs: ms }, redis, message) : undefined;
  }

  /** Throws RATE_LIMITED if the key has already used every point. */
  async check(key: string): Promise<void> {
    const res = await this.limiter.get(key);
    if (res && res.consumedPoints >= this.limiter.points) throw this.limited(res);
  }

  /** Uses one point; throws RATE_LIMITED when that goes past the limit. */
  async consume(key: string): Promise<void> {
    try {
      await this.limiter.consume(key);
    } catch (err) {
      if (err instanceof RateLimiterRes) throw this.limited(err);
      throw err;
    }
  }

  async reset(key: string): Promise<void> {
    await this.limiter.delete(key);
  }

  private limited(res: RateLimiterRes): AppError {
    return new AppError('RATE_LIMITED', this.message, {
      retryAfter: Math.max(1, Math.ceil(res.msBeforeNext / 1000)),
    });
  }
}
