import type { SuspensionDto } from '../../shared/dto';
import type { CommonCommands } from '../../shared/events';
import { socketRefreshInput } from '../../shared/schemas/auth';
import { empty } from '../../shared/schemas/common';
import { VERIFIED_COMMANDS, WRITE_COMMANDS } from '../../shared/events';
import { rooms } from '../../shared/rooms';
import { AppError } from './errors';
import { ExpiryWheel } from './expiry';
import type { CommandTable } from './handle';
import { connectError, type LoadUser } from './handshake';
import type { QuadSocket as Socket } from './sockets';
import type { Tokens } from './tokens';

/** What every namespace answers: `whoami` and `auth:refresh`. */
export function commonCommands(
  table: CommandTable,
  deps: {
    tokens: Tokens;
    loadUser: LoadUser;
    unreadCount: (userId: number) => Promise<number>;
    unreadMessages?: (userId: number) => Promise<number>;
  },
): void {
  const on = table.typed<CommonCommands>();
  on('whoami', empty, async (_input, socket) => {
    const data = socket.data;
    const [user, unreadNotifications, unreadMessages] = await Promise.all([
      deps.loadUser(data.userId),
      deps.unreadCount(data.userId),
      deps.unreadMessages?.(data.userId) ?? 0,
    ]);
    return {
      id: data.userId,
      username: data.username,
      nickname: data.nickname,
      unreadNotifications,
      unreadMessages,
      role: user.role,
      suspension: active(user.suspension),
      verified: user.verified,
    };
  });
  on('auth:refresh', socketRefreshInput, async ({ accessToken }, socket) => {
    const data = socket.data;
    const claims = await deps.tokens.verifyAccess(accessToken);
    if (claims.userId !== data.userId) throw new AppError('FORBIDDEN', 'The token belongs to another user');
    if (claims.sid !== data.sid) {
      socket.leave(rooms.session(data.sid));
      void socket.join(rooms.session(claims.sid));
      data.sid = claims.sid;
    }
    data.expiresAt = claims.expiresAt;
    expiry.track(socket, claims.expiresAt);
    return { expiresAt: new Date(claims.expiresAt).toISOString() };
  });
}

/**
 * The command guard: every write of a suspended account is refused, on whichever node, and with
 * `requireVerified` (REQUIRE_VERIFIED) every public write of an account without a verified school
 * email. The user comes from the handshake's cache, which every node drops for that user when a
 * moderator acts or the account is verified (and which lives 10 s at most anyway).
 */
export function writeGuard(loadUser: LoadUser, requireVerified: boolean) {
  return async (socket: Socket, event: string): Promise<void> => {
    const verifying = requireVerified && VERIFIED_COMMANDS.has(event);
    if (!WRITE_COMMANDS.has(event) && !verifying) return;
    const user = await loadUser(socket.data.userId);
    if (verifying && !user.verified) {
      throw new AppError('FORBIDDEN', 'Verify your school email first (account:verify:start)', {
        reason: 'UNVERIFIED',
      });
    }
    if (!WRITE_COMMANDS.has(event)) return;
    const suspension = active(user.suspension);
    if (suspension) {
      throw new AppError(
        'FORBIDDEN',
        `This account is suspended until ${suspension.until}: ${suspension.reason}`,
        {
          reason: 'SUSPENDED',
          until: suspension.until,
        },
      );
    }
  };
}

/** A suspension that has not ended yet (the cached user may be up to 10 s old). */
function active(suspension: SuspensionDto | null): SuspensionDto | null {
  return suspension && Date.parse(suspension.until) > Date.now() ? suspension : null;
}

/** `/moderation` is for moderators and admins: anyone else is refused in the handshake. */
export function staffOnly(socket: Socket, next: (err?: Error) => void): void {
  if (socket.data.role === 'moderator' || socket.data.role === 'admin') return next();
  next(connectError('FORBIDDEN', '/moderation is for moderators and admins'));
}

/**
 * At the token's expiry, without an `auth:refresh` first: tell the client, then disconnect this
 * namespace's socket only. A client multiplexes its namespaces over one connection
 * (socket.io-client does by default), and each namespace has a token of its own: closing the
 * connection would drop the others too, even one whose token was just renewed. When no
 * namespace is left on the connection, the connection goes as well.
 */
function expire(socket: Socket): void {
  socket.emit('auth:expired', { message: 'The access token expired; reconnect with a fresh one' });
  socket.disconnect();
  // `Client.nsps` (the connection's namespace sockets) is not in Socket.IO's typings.
  const left = (socket.client as unknown as { nsps: Map<string, unknown> }).nsps;
  if (left.size === 0) socket.conn.close();
}
const expiry = new ExpiryWheel<Socket>(expire);
function untrackExpiry(this: Socket): void {
  expiry.untrack(this);
}

/** Expires a connected socket at its token's expiry (auth:refresh moves it). */
export function trackExpiry(socket: Socket, at: number): void {
  expiry.track(socket, at);
  socket.on('disconnect', untrackExpiry);
}
