import { Router } from 'express';
import type { RestResponses } from '../../shared/contract';
import type { Mailer } from './mail';

/**
 * GET /outbox under /api/dev, mounted only when NODE_ENV=development and mail goes to the local
 * outbox (no SMTP_URL): the mails a development server "sent", newest first, so a developer
 * reads a verification code or a reset link without a mail server.
 */
export function devOutboxRouter(mailer: Mailer): Router | undefined {
  const outbox = mailer.outbox?.bind(mailer);
  if (!outbox) return undefined;
  const router = Router();
  router.get('/outbox', async (_req, res) => {
    res.json({ mails: await outbox() } satisfies RestResponses['GET /api/dev/outbox']);
  });
  return router;
}
