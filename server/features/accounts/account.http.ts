import { Router, type RequestHandler } from 'express';
import type { RestResponses } from '../../../shared/contract';
import { deleteAccountInput } from '../../../shared/schemas/sessions';
import { actorOf } from '../../core/auth';
import { parse } from '../../core/http';
import { clearAuthCookies } from './accounts.http';
import type { AccountDeletion } from './deletion.service';
import type { AccountExport } from './export.service';

/** DELETE / (the account itself) and GET /export under /api/account; both need an access token. */
export function accountRouter(
  deletion: AccountDeletion,
  exporter: AccountExport,
  auth: RequestHandler,
): Router {
  const router = Router();

  router.get('/export', auth, async (_req, res) => {
    const data = await exporter.export(actorOf(res));
    // Usernames are letters, digits and underscores: nothing to escape in the quoted name.
    res.setHeader('Content-Disposition', `attachment; filename="quad-export-${data.user.username}.json"`);
    res.json(data satisfies RestResponses['GET /api/account/export']);
  });

  router.delete('/', auth, async (req, res) => {
    const input = parse(deleteAccountInput, req.body ?? {});
    await deletion.delete(actorOf(res), input, {
      ip: req.ip ?? 'unknown',
      userAgent: req.headers['user-agent'],
    });
    clearAuthCookies(req, res);
    res.status(204).end();
  });

  return router;
}
