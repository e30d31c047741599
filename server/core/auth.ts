import type { Role } from '../../shared/schemas/moderation';
import type { Request, RequestHandler, Response } from 'express';
import { AppError } from './errors';
import { originAllowed } from './origins';
import type { AccessClaims, Tokens } from './tokens';

export const ACCESS_COOKIE = 'quad_access';
export const REFRESH_COOKIE = 'quad_refresh';

/** The acting user, as services see it. */
export interface Actor {
  id: number;
  sid: string;
  /** As loaded when the socket connected or the request was authenticated: writes render it without a read. */
  nickname: string;
  /** Moderators and admins also see hidden posts and comments (marked so). */
  role: Role;
  /**
   * When the account was made (ms), on a socket's actor: accounts younger than NEW_ACCOUNT_DAYS
   * may not write on restricted boards (a write without it is treated as such an account's).
   */
  createdAt?: number;
}

/** Reads `Authorization: Bearer …`, or the access cookie a browser sends. */
export function accessTokenOf(req: Request): { token?: string; fromCookie: boolean } {
  const header = req.headers.authorization;
  if (header) {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    return { token: match?.[1], fromCookie: false };
  }
  const cookie = (req.cookies as Record<string, string> | undefined)?.[ACCESS_COOKIE];
  return { token: cookie, fromCookie: cookie !== undefined };
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * REST authentication: verifies the access token (algorithm, issuer, audience, expiry,
 * revocation) and that the user still exists. Cookie-authenticated writes must come from an
 * allowed Origin, since browsers attach cookies to cross-site requests.
 */
export function authenticate(
  tokens: Tokens,
  loadUser: (id: number) => Promise<{ nickname: string; role: Role }>,
  allowedOrigins: string[],
): RequestHandler {
  return async (req, res, next) => {
    const { token, fromCookie } = accessTokenOf(req);
    const claims = await tokens.verifyAccess(token);
    if (fromCookie && !SAFE_METHODS.has(req.method)) checkCookieOrigin(req, allowedOrigins);
    const user = await loadUser(claims.userId);
    res.locals.claims = claims;
    res.locals.nickname = user.nickname;
    res.locals.role = user.role;
    next();
  };
}

/**
 * A state-changing request authenticated by a cookie must come from the server's own origin or
 * one in CORS_ORIGINS (its Origin, or without one its Referer; neither is refused): browsers
 * attach cookies to cross-site requests, and SameSite does not stop a sibling subdomain.
 */
export function checkCookieOrigin(req: Request, allowedOrigins: string[]): void {
  if (!originAllowed(requestOrigin(req), req.headers.host, allowedOrigins)) {
    throw new AppError('FORBIDDEN', 'Cookie-authenticated requests must come from an allowed origin');
  }
}

/** The Origin (or the Referer's origin) of a request; `null` when absent or malformed, which is refused. */
function requestOrigin(req: Request): string {
  const source = req.headers.origin ?? req.headers.referer;
  try {
    return source ? new URL(source).origin : 'null';
  } catch {
    return 'null';
  }
}

export function claimsOf(res: Response): AccessClaims {
  const claims = res.locals.claims as AccessClaims | undefined;
  if (!claims) throw AppError.unauthenticated('TOKEN_MISSING', 'An access token is required');
  return claims;
}

export function actorOf(res: Response): Actor {
  const { userId, sid } = claimsOf(res);
  return { id: userId, sid, nickname: String(res.locals.nickname), role: res.locals.role as Role };
}
