import { Router, type RequestHandler } from 'express';
import type { RestResponses } from '../../../shared/contract';
import { changePasswordInput, sessionRef } from '../../../shared/schemas/sessions';
import { actorOf } from '../../core/auth';
import { parse } from '../../core/http';
import { clearAuthCookies } from './accounts.http';
import type { SessionsService } from './sessions.service';

/**
 * POST /password, GET and DELETE /sessions, DELETE /sessions/:id under /api/account. All need an
 * access token; `auth` refuses cookie-authenticated writes from a foreign Origin.
 */
export function accountSessionsRouter(sessions: SessionsService, auth: RequestHandler): Router {
  const router = Router();

  router.post('/password', auth, async (req, res) => {
    const input = parse(changePasswordInput, req.body);
    const ended = await sessions.changePassword(actorOf(res), input, {
      ip: req.ip ?? 'unknown',
      userAgent: req.headers['user-agent'],
    });
    res.json({ ended } satisfies RestResponses['POST /api/account/password']);
  });

  router.get('/sessions', auth, async (_req, res) => {
    res.json({
      sessions: await sessions.list(actorOf(res)),
    } satisfies RestResponses['GET /api/account/sessions']);
  });

  router.delete('/sessions', auth, async (_req, res) => {
    const ended = await sessions.endOthers(actorOf(res));
    res.json({ ended } satisfies RestResponses['DELETE /api/account/sessions']);
  });

  router.delete('/sessions/:id', auth, async (req, res) => {
    const { id } = parse(sessionRef, { id: req.params.id });
    const actor = actorOf(res);
    await sessions.end(actor, id);
    // Ending this very session is a logout: the browser's cookies go too.
    if (id === actor.sid) clearAuthCookies(req, res);
    res.status(204).end();
  });

  return router;
}
