import crypto from 'node:crypto';
import http from 'node:http';
import express, { type RequestHandler } from 'express';
import client from 'prom-client';

/**
 * Prometheus metrics of one node (`GET /metrics`, prom-client). A registry per app, so several
 * apps in one process (tests, benchmarks) never mix their series. Gauges that describe state
 * (sockets, pool, Redis) are read when scraped.
 */
export class Metrics {
  readonly registry = new client.Registry();
  private readonly commands;
  private readonly commandSeconds;
  private readonly pushes;
  private readonly deliveries;
  private readonly fanoutSeconds;
  private readonly appendSeconds;
  private readonly resumes;
  private readonly refusals;
  private readonly slowConsumers;

  constructor() {
    const registers = [this.registry];
    client.collectDefaultMetrics({ register: this.registry });
    this.commands = new client.Counter({
      name: 'quad_commands_total',
      help: 'Socket commands answered, by event and result code (ok or the error code)',
      labelNames: ['event', 'code'],
      registers,
    });
    this.commandSeconds = new client.Histogram({
      name: 'quad_command_ack_seconds',
      help: 'Time from a command arriving to its ack, by event',
      labelNames: ['event'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    });
    this.pushes = new client.Counter({
      name: 'quad_pushes_total',
      help: 'Pushes emitted by this node, by type',
      labelNames: ['type'],
      registers,
    });
    this.deliveries = new client.Counter({
      name: 'quad_deliveries_total',
      help: "Pushes handed to this node's sockets (room members here, per push)",
      registers,
    });
    this.fanoutSeconds = new client.Histogram({
      name: 'quad_fanout_seconds',
      help: 'Time one push takes to encode and hand to the local sockets and the adapter',
      buckets: [0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1],
      registers,
    });
    this.appendSeconds = new client.Histogram({
      name: 'quad_event_append_seconds',
      help: "Time to number and insert a write's events in the event log (inside its transaction)",
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5],
      registers,
    });
    this.resumes = new client.Counter({
      name: 'quad_resumes_total',
      help: 'Subscribes and resumes with since, by result (ok or resync_required)',
      labelNames: ['result'],
      registers,
    });
    this.refusals = new client.Counter({
      name: 'quad_limit_refusals_total',
      help: 'Connections and subscriptions refused by a limit, by limit',
      labelNames: ['limit'],
      registers,
    });
    this.slowConsumers = new client.Counter({
      name: 'quad_slow_consumer_disconnects_total',
      help: 'Connections disconnected because they stopped reading (SLOW_CONSUMER_BUFFER for SLOW_CONSUMER_MS)',
      registers,
    });
  }

  command(event: string, code: string, seconds: number): void {
    this.commands.inc({ event, code });
    this.commandSeconds.observe({ event }, seconds);
  }

  push(type: string, localDeliveries: number, seconds: number): void {
    this.pushes.inc({ type });
    this.deliveries.inc(localDeliveries);
    this.fanoutSeconds.observe(seconds);
  }

  append(seconds: number): void {
    this.appendSeconds.observe(seconds);
  }

  resume(result: 'ok' | 'resync_required'): void {
    this.resumes.inc({ result });
  }

  /** A connection or subscription refused: `connections_per_user`, `connections_per_ip`, `subscriptions`. */
  refused(limit: string): void {
    this.refusals.inc({ limit });
  }

  slowConsumer(): void {
    this.slowConsumers.inc();
  }

  /** A gauge read at scrape time: `read` answers value per label set. */
  gauge(
    name: string,
    help: string,
    labelNames: string[],
    read: () => Array<[Record<string, string>, number]>,
  ) {
    new client.Gauge({
      name,
      help,
      labelNames,
      registers: [this.registry],
      collect() {
        this.reset();
        for (const [labels, value] of read()) this.set(labels, value);
      },
    });
  }

  /** Serves only `GET /metrics` on a port of its own (METRICS_PORT); resolves once listening. */
  async listen(port: number, host: string, handler: RequestHandler): Promise<http.Server> {
    const app = express();
    app.disable('x-powered-by');
    app.get('/metrics', handler);
    const server = http.createServer(app);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    return server;
  }

  /** GET /metrics: the text format; with a token, only for `Authorization: Bearer <token>`. */
  handler(token: string | undefined): RequestHandler {
    const expected = token && crypto.createHash('sha256').update(token).digest();
    return async (req, res) => {
      if (expected) {
        const given = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
        const digest = crypto.createHash('sha256').update(given).digest();
        if (!crypto.timingSafeEqual(digest, expected)) {
          res
            .status(401)
            .set('WWW-Authenticate', 'Bearer')
            .type('text/plain')
            .send('metrics need the token\n');
          return;
        }
      }
      res.type(this.registry.contentType).send(await this.registry.metrics());
    };
  }
}
