import crypto from 'node:crypto';
import path from 'node:path';
import cookieParser from 'cookie-parser';
import cors from 'cors';
import express, { type ErrorRequestHandler, type Request, type RequestHandler, type Router } from 'express';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import type { ZodType } from 'zod';
import { HTTP_STATUS } from '../../shared/errors';
import { ADMIN_UI_PATH, adminUiFiles } from './admin-ui';
import { apiDocsRouter } from './api-docs';
import type { Config } from './config';
import { AppError, toWire } from './errors';
import type { Logger } from './logger';
import { ROOT } from './paths';

export const BODY_LIMIT = '100kb';

export interface HttpAppOptions {
  config: Config;
  log: Logger;
  /** Mounted under /api. */
  api: Router;
  /**
   * Readiness: resolves when the database answers. Redis is not part of it: without Redis a
   * node keeps serving (degraded), so a load balancer must not take it out.
   */
  ready: () => Promise<void>;
  /** `GET /metrics` on this port, when it is served here (see app.ts). */
  metrics?: RequestHandler;
  /** What /healthz reports of the backing services besides "ok" (e.g. `redis: 'down'`). */
  health: () => Record<string, string>;
  /** True once the node is shutting down: /readyz answers 503 `draining` from then on. */
  draining: () => boolean;
  /** Serve the Socket.IO admin UI's files at /admin-ui/ (ADMIN_UI_PASSWORD is set). */
  adminUi?: boolean;
}

/** Parses a payload with a shared schema, or throws VALIDATION with the offending fields. */
export function parse<T>(schema: ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (!result.success) throw AppError.fromZod(result.error);
  return result.data;
}

/**
 * A query string as input for a shared schema: values are text, so the fields the schema wants
 * as numbers are converted when they are whole numbers (anything else is left for zod to refuse).
 */
export function queryInput(req: Request, numbers: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = { ...(req.query as Record<string, unknown>) };
  for (const key of numbers) {
    const v = out[key];
    if (typeof v === 'string' && /^\d+$/.test(v)) out[key] = Number(v);
  }
  return out;
}

/** Request ids: a sane incoming X-Request-Id is kept (for tracing through a proxy), else a new one. */
function requestId(req: Request): string {
  const incoming = req.headers['x-request-id'];
  return typeof incoming === 'string' && /^[\w.-]{1,64}$/.test(incoming) ? incoming : crypto.randomUUID();
}

export function createHttpApp({
  config,
  log,
  api,
  ready,
  health,
  draining,
  metrics,
  adminUi,
}: HttpAppOptions): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.TRUST_PROXY);

  app.use(
    pinoHttp({
      logger: log,
      genReqId: (req, res) => {
        const id = requestId(req as Request);
        res.setHeader('X-Request-Id', id);
        return id;
      },
      customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : 'info'),
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({
          id: req.id,
          method: req.method,
          url: req.url,
        }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
      autoLogging: {
        ignore: (req) => req.url === '/healthz' || req.url === '/readyz' || req.url === '/metrics',
      },
    }),
  );
  app.use(helmet());
  app.use(cors({ origin: config.CORS_ORIGINS, credentials: true }));
  app.use(express.json({ limit: BODY_LIMIT, strict: true }));
  app.use(cookieParser());

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', ...health() });
  });
  app.get('/readyz', async (_req, res) => {
    if (draining()) {
      res.status(503).json({ status: 'draining' });
      return;
    }
    try {
      await ready();
      res.json({ status: 'ready' });
    } catch (err) {
      log.warn({ err: (err as Error).message }, 'not ready');
      res.status(503).json({ status: 'unavailable' });
    }
  });

  if (metrics) app.get('/metrics', metrics);
  if (adminUi) app.use(ADMIN_UI_PATH, adminUiFiles());
  app.use('/api', apiDocsRouter());
  app.use('/api', api);
  app.use('/api', (req, _res, next) => {
    next(new AppError('NOT_FOUND', `No route ${req.method} ${req.path}`));
  });
  // The dashboard, built by `npm install` (prepare) or `npm run build:client`.
  const dashboard = path.join(ROOT, 'client-demo', 'dist');
  app.use(express.static(dashboard, { index: 'index.html', maxAge: '1h', setHeaders: noCacheForHtml }));
  app.get('/', (_req, res) => {
    res
      .status(503)
      .type('text/plain')
      .send('The dashboard is not built yet: run `npm run build:client` (npm install does it too).\n');
  });
  app.use(errorHandler(log));
  return app;
}

/** index.html must be revalidated so a new build's hashed assets are picked up at once. */
function noCacheForHtml(res: express.Response, file: string): void {
  if (file.endsWith('.html')) res.setHeader('Cache-Control', 'no-cache');
}

interface BodyParserError extends Error {
  type?: string;
  status?: number;
}

function errorHandler(log: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    let error = err;
    let status: number | undefined;
    const bodyError = err as BodyParserError;
    if (bodyError?.type === 'entity.parse.failed') {
      error = AppError.validation({ '': 'is not valid JSON' }, 'The request body is not valid JSON');
    } else if (bodyError?.type === 'entity.too.large') {
      error = AppError.validation(
        { '': `is larger than ${BODY_LIMIT}` },
        `The request body is larger than ${BODY_LIMIT}`,
      );
      status = 413;
    } else if (bodyError?.type === 'charset.unsupported' || bodyError?.type === 'encoding.unsupported') {
      error = AppError.validation({ '': 'has an unsupported encoding' }, 'Send the body as UTF-8 JSON');
      status = 415;
    }
    const wire = toWire(error);
    if (wire.code === 'INTERNAL' || wire.code === 'UNAVAILABLE') {
      log.error({ err, reqId: req.id }, 'request failed');
    }
    if (wire.retryAfter) res.setHeader('Retry-After', String(wire.retryAfter));
    res.status(status ?? HTTP_STATUS[wire.code]).json({ error: wire });
  };
}
