import type http from 'node:http';
import type { RequestHandler } from 'express';
import type { Sequelize } from 'sequelize-typescript';
import { NAMESPACES } from '../../shared/events';
import type { Config } from './config';
import type { Logger } from './logger';
import type { Metrics } from './metrics';
import type { Redis } from './redis';
import type { QuadServer } from './sockets';

/** The gauges of this node read at scrape time: sockets per namespace, the pool, Redis. */
export function nodeGauges(
  metrics: Metrics,
  node: { db: Sequelize; redis?: Redis; io: () => QuadServer | undefined },
): void {
  const { db, redis } = node;
  metrics.gauge('quad_sockets', 'Sockets connected to this node, by namespace', ['namespace'], () =>
    NAMESPACES.map((n) => [{ namespace: n }, node.io()?.of(n).sockets.size ?? 0]),
  );
  metrics.gauge('quad_db_pool_connections', 'Database pool connections, by state', ['state'], () => {
    const pool = poolOf(db);
    return pool
      ? [
          [{ state: 'in_use' }, pool.using],
          [{ state: 'idle' }, pool.available],
          [{ state: 'waiting' }, pool.waiting],
        ]
      : [];
  });
  if (redis)
    metrics.gauge('quad_redis_up', '1 when every Redis client is connected (only with REDIS_URL)', [], () => [
      [{}, redis.up() ? 1 : 0],
    ]);
}

/**
 * Where /metrics is served: on METRICS_PORT when set (answers that server, to close on stop);
 * else on the app's port behind METRICS_TOKEN (answers the handler to mount), open only
 * outside production.
 */
export async function metricsEndpoint(
  metrics: Metrics,
  config: Pick<Config, 'METRICS_PORT' | 'METRICS_TOKEN' | 'NODE_ENV' | 'HOST'>,
  log: Logger,
): Promise<{ here?: RequestHandler; server?: http.Server }> {
  const handler = metrics.handler(config.METRICS_TOKEN);
  if (config.METRICS_PORT !== undefined)
    return { server: await metrics.listen(config.METRICS_PORT, config.HOST, handler) };
  if (config.METRICS_TOKEN !== undefined || config.NODE_ENV !== 'production') return { here: handler };
  log.info('GET /metrics is off: set METRICS_TOKEN or METRICS_PORT to serve it in production');
  return {};
}

/** The database's connection pool (sequelize-pool; Quad configures no read replicas), for the gauge. */
function poolOf(db: Sequelize): { using: number; available: number; waiting: number } | undefined {
  return (
    db as unknown as { connectionManager: { pool?: { using: number; available: number; waiting: number } } }
  ).connectionManager.pool;
}
