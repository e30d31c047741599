import { Router, type RequestHandler } from 'express';
import type { RestResponses } from '../../../shared/contract';
import {
  resetConfirmInput,
  resetRequestInput,
  verifyConfirmInput,
  verifyStartInput,
} from '../../../shared/schemas/verification';
import { actorOf } from '../../core/auth';
import { parse } from '../../core/http';
import type { PasswordResets } from './password-reset.service';
import type { VerificationService } from './verification.service';

/**
 * Under /api/account: POST /verification and /verification/confirm (`account:verify:start` and
 * `account:verify:confirm` for apps without a socket), POST /password/reset and
 * /password/reset/confirm (public: the user has no session, only a verified email).
 */
export function verificationRouter(
  verification: VerificationService,
  resets: PasswordResets,
  auth: RequestHandler,
): Router {
  const router = Router();

  router.post('/verification', auth, async (req, res) => {
    const started = await verification.start(actorOf(res).id, parse(verifyStartInput, req.body));
    res.status(202).json(started satisfies RestResponses['POST /api/account/verification']);
  });

  router.post('/verification/confirm', auth, async (req, res) => {
    const verified = await verification.confirm(actorOf(res).id, parse(verifyConfirmInput, req.body));
    res.json(verified satisfies RestResponses['POST /api/account/verification/confirm']);
  });

  router.post('/password/reset', async (req, res) => {
    await resets.request(parse(resetRequestInput, req.body), req.ip ?? 'unknown');
    res.status(202).json({ ok: true } satisfies RestResponses['POST /api/account/password/reset']);
  });

  router.post('/password/reset/confirm', async (req, res) => {
    const ended = await resets.confirm(parse(resetConfirmInput, req.body));
    res.json({ ended } satisfies RestResponses['POST /api/account/password/reset/confirm']);
  });

  return router;
}
