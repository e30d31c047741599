import { Router, type RequestHandler } from 'express';
import type { RestResponses } from '../../../shared/contract';
import { nicknameInput } from '../../../shared/schemas/auth';
import { actorOf } from '../../core/auth';
import { parse } from '../../core/http';
import type { NicknamesService } from './nicknames.service';

/** POST /nickname under /api/account: `account:nickname` for apps without a socket. */
export function nicknameRouter(nicknames: NicknamesService, auth: RequestHandler): Router {
  const router = Router();
  router.post('/nickname', auth, async (req, res) => {
    const input = parse(nicknameInput, req.body);
    res.json(
      (await nicknames.change(actorOf(res).id, input)) satisfies RestResponses['POST /api/account/nickname'],
    );
  });
  return router;
}
