import type http from 'node:http';
import type { Sequelize } from 'sequelize-typescript';
import { within, type HttpGate } from './drain';
import type { Logger } from './logger';
import type { Realtime } from './realtime';
import type { Redis } from './redis';

/**
 * How a shutdown spends SHUTDOWN_TIMEOUT (README, "Graceful shutdown"): sockets and requests
 * have until DRAIN_SHARE of it to finish; the database and Redis must be closed by CLOSE_SHARE;
 * main.ts exits at the whole. Clients get CONFIRM_SHARE (at most CONFIRM_MAX_MS) to confirm
 * `server:draining`, and their reconnects are spread over as long.
 */
const DRAIN_SHARE = 0.6;
const CLOSE_SHARE = 0.9;
const CONFIRM_SHARE = 0.1;
const CONFIRM_MAX_MS = 1_000;

/** What one node closes when it stops (each may be missing if start failed half way). */
export interface Node {
  budgetMs: number;
  log: Logger;
  server?: http.Server;
  metricsServer?: http.Server;
  httpGate?: HttpGate;
  realtime?: Realtime;
  redis?: Redis;
  db?: Sequelize;
}

/**
 * Drains, then closes, within the budget: commands in flight finish, every socket gets
 * `server:draining` and is disconnected, requests finish, then the database and Redis close.
 */
export async function shutdown(node: Node): Promise<void> {
  const { budgetMs: budget, log, server, metricsServer, httpGate, realtime, redis, db } = node;
  const started = Date.now();
  const drainBy = started + budget * DRAIN_SHARE;
  const closeBy = started + budget * CLOSE_SHARE;
  if (server?.listening) log.info({ timeoutMs: budget }, 'draining: new work refused, finishing the rest');
  const confirmMs = Math.min(CONFIRM_MAX_MS, budget * CONFIRM_SHARE);
  const [sockets] = await Promise.all([
    realtime?.drain({ deadline: drainBy, confirmMs, spreadMs: confirmMs, log }),
    httpGate && within(httpGate.settled(), drainBy - Date.now()),
  ]);
  if (sockets) log.info({ ...sockets, ms: Date.now() - started }, 'sockets drained');

  // Stop listening; cut what is left (idle keep-alives, requests past the deadline), and
  // io.close() ends the remaining Engine.IO connections (WebSockets too).
  const listening = server?.listening ? server : undefined;
  const httpClosed = new Promise<void>((resolve) =>
    listening ? listening.close(() => resolve()) : resolve(),
  );
  server?.closeAllConnections();
  metricsServer?.close();
  metricsServer?.closeAllConnections();
  if (realtime) await within(realtime.close(), closeBy - Date.now());
  await within(httpClosed, closeBy - Date.now());
  // A command stuck past the deadline still holds a pooled connection: do not wait for it.
  const closed = await within(Promise.allSettled([redis?.close(), db?.close()]), closeBy - Date.now());
  if (!closed) log.warn('the database or Redis did not close in time');
  log.info({ ms: Date.now() - started }, 'quad stopped');
}
