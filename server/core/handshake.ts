import { parse as parseCookie } from 'cookie';
import type { SuspensionDto } from '../../shared/dto';
import { ACCESS_COOKIE } from './auth';
import { AppError, toWire } from './errors';
import type { QuadSocket as Socket, SocketData } from './sockets';
import type { Tokens } from './tokens';

/** The user a token names, as the handshake keeps it on the socket. */
export type LoadUser = (id: number) => Promise<{
  id: number;
  username: string;
  nickname: string;
  role: SocketData['role'];
  createdAt: string;
  /** Set while the account is suspended (writes are refused until `until`). */
  suspension: SuspensionDto | null;
  /** Verified with a school email (REQUIRE_VERIFIED refuses the other accounts' public writes). */
  verified: boolean;
}>;

/**
 * Namespace middleware: every namespace authenticates its own handshake (`io.use` covers only
 * `/`). The token is verified and its user loaded into `socket.data`; a refusal is a
 * connect_error whose `data.code` says why (TOKEN_EXPIRED, TOKEN_REVOKED, …).
 */
export function handshakeAuth(
  tokens: Tokens,
  loadUser: LoadUser,
): (socket: Socket, next: (err?: Error) => void) => Promise<void> {
  return async (socket, next) => {
    try {
      const claims = await tokens.verifyAccess(handshakeToken(socket));
      const user = await loadUser(claims.userId);
      const data: SocketData = {
        userId: user.id,
        username: user.username,
        nickname: user.nickname,
        sid: claims.sid,
        expiresAt: claims.expiresAt,
        role: user.role,
        createdAt: Date.parse(user.createdAt),
      };
      socket.data = data;
      next();
    } catch (err) {
      const wire = toWire(err);
      next(connectError(wire.reason ?? wire.code, wire.message));
    }
  };
}

/** `auth.token`, else the access cookie (browsers). A token only in the query string is refused. */
function handshakeToken(socket: Socket): string | undefined {
  const auth = socket.handshake.auth as { token?: unknown } | undefined;
  if (typeof auth?.token === 'string' && auth.token) return auth.token;
  const cookies = socket.handshake.headers.cookie;
  const fromCookie = cookies ? parseCookie(cookies)[ACCESS_COOKIE] : undefined;
  if (fromCookie) return fromCookie;
  if (socket.handshake.query.token !== undefined) {
    throw AppError.unauthenticated(
      'TOKEN_MISSING',
      'Send the access token in the handshake auth.token, not the query string (URLs end up in logs)',
    );
  }
  return undefined;
}

/** A connect_error whose `data.code` tells the client why (TOKEN_EXPIRED, TOKEN_REVOKED, …). */
export function connectError(
  code: string,
  message: string,
): Error & { data: { code: string; message: string } } {
  return Object.assign(new Error(message), { data: { code, message } });
}
