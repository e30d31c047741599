import { Router, type CookieOptions, type Request, type Response } from 'express';
import { loginInput, refreshInput, signupInput } from '../../../shared/schemas/auth';
import type { RestResponses } from '../../../shared/contract';
import type { LoginDto } from '../../../shared/dto';
import {
  ACCESS_COOKIE,
  REFRESH_COOKIE,
  actorOf,
  checkCookieOrigin,
  type authenticate,
} from '../../core/auth';
import { parse } from '../../core/http';
import type { AccountsService } from './accounts.service';

/** POST /signup, /login, /refresh, /logout and GET /me under /api/auth. */
export function accountsRouter(
  accounts: AccountsService,
  auth: ReturnType<typeof authenticate>,
  allowedOrigins: string[],
): Router {
  const router = Router();

  router.post('/signup', async (req, res) => {
    const user = await accounts.signup(parse(signupInput, req.body));
    res.status(201).json({ user } satisfies RestResponses['POST /api/auth/signup']);
  });

  router.post('/login', async (req, res) => {
    const input = parse(loginInput, req.body);
    const result = await accounts.login(input, {
      ip: req.ip ?? 'unknown',
      userAgent: req.headers['user-agent'],
    });
    setAuthCookies(req, res, result);
    res.json(result satisfies RestResponses['POST /api/auth/login']);
  });

  router.post('/refresh', async (req, res) => {
    const input = parse(refreshInput, req.body ?? {});
    const cookie = (req.cookies as Record<string, string>)[REFRESH_COOKIE];
    // Checked before the token is used, so a refused request does not spend it.
    if (input.refreshToken === undefined && cookie !== undefined) checkCookieOrigin(req, allowedOrigins);
    const result = await accounts.refresh(input.refreshToken ?? cookie);
    setAuthCookies(req, res, result);
    res.json(result satisfies RestResponses['POST /api/auth/refresh']);
  });

  router.post('/logout', auth, async (req, res) => {
    await accounts.logout(actorOf(res).sid);
    clearAuthCookies(req, res);
    res.status(204).end();
  });

  router.get('/me', auth, async (_req, res) => {
    res.json({ user: await accounts.user(actorOf(res).id) } satisfies RestResponses['GET /api/auth/me']);
  });

  return router;
}

function cookieBase(req: Request): CookieOptions {
  // req.secure honours X-Forwarded-Proto only from the hops TRUST_PROXY names.
  return { httpOnly: true, secure: req.secure };
}

function setAuthCookies(req: Request, res: Response, tokens: LoginDto): void {
  const base = cookieBase(req);
  res.cookie(ACCESS_COOKIE, tokens.accessToken, {
    ...base,
    sameSite: 'lax',
    path: '/',
    expires: new Date(tokens.accessTokenExpiresAt),
  });
  res.cookie(REFRESH_COOKIE, tokens.refreshToken, {
    ...base,
    sameSite: 'strict',
    path: '/api/auth',
    expires: new Date(tokens.refreshTokenExpiresAt),
  });
}

export function clearAuthCookies(req: Request, res: Response): void {
  const base = cookieBase(req);
  res.clearCookie(ACCESS_COOKIE, { ...base, sameSite: 'lax', path: '/' });
  res.clearCookie(REFRESH_COOKIE, { ...base, sameSite: 'strict', path: '/api/auth' });
}
