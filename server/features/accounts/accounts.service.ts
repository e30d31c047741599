import crypto from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { Op } from 'sequelize';
import type { Sequelize } from 'sequelize-typescript';
import type { LoginDto, SuspensionDto, UserDto } from '../../../shared/dto';
import type { LoginInput, SignupInput } from '../../../shared/schemas/auth';
import { insertOnce } from '../../core/db';
import type { Bus } from '../../core/bus';
import { AppError } from '../../core/errors';
import type { Limiter } from '../../core/ratelimit';
import type { RevokedSessions } from '../../core/revocation';
import { hashRefreshToken, newRefreshToken, type Tokens } from '../../core/tokens';
import { hashPassword, isCommonPassword, verifyNothing, verifyPassword } from './passwords';
import { RefreshToken, Session } from './session.model';
import { User } from './user.model';

export interface AccountsDeps {
  db: Sequelize;
  /** Tells every node when an account changed (their handshake caches drop it). */
  bus: Bus;
  tokens: Tokens;
  refreshTtlMs: number;
  sessionMaxAgeMs: number;
  /** Failed logins per username + IP, and per IP. */
  limits: { perUserIp: Limiter; perIp: Limiter };
  /** Called after a session is revoked, to disconnect its sockets everywhere. */
  onSessionRevoked: (sid: string) => Promise<void>;
}

/** Where a request came from, for the session record and the login limits. */
export interface ClientInfo {
  ip: string;
  userAgent?: string;
}

const BAD_LOGIN = 'Username or password is incorrect';

export function toUserDto(user: User): UserDto {
  return {
    id: user.id,
    username: user.username,
    nickname: user.nickname,
    role: user.role,
    createdAt: user.createdAt.toISOString(),
  };
}

/** The bus message that drops an account's cached copy on every node (also sent by `npm run admin`). */
export const ACCOUNT_CHANGED = 'accounts:changed';

/** A user as the socket handshake keeps it: what it may do as well as who it is. */
export interface AccountUser extends UserDto {
  suspension: SuspensionDto | null;
}

function toAccountUser(user: User): AccountUser {
  const until = user.suspendedUntil;
  const suspended = until !== null && until.getTime() > Date.now();
  return {
    ...toUserDto(user),
    suspension: suspended ? { until: until.toISOString(), reason: user.suspendReason ?? '' } : null,
  };
}

export class AccountsService {
  private readonly users;
  /**
   * Users as the socket handshake needs them, so connecting three namespaces (or reconnecting a
   * crowd) reads each user once. Only found users are kept, for a few seconds: an account that
   * is gone is refused again at the next miss. A change to a user (role, suspension) calls
   * `changed`.
   */
  private readonly cached = new LRUCache<number, AccountUser>({
    max: 50_000,
    ttl: 10_000,
    fetchMethod: async (id) => toAccountUser(await this.row(id)),
    // `changed` deletes entries while a read may be in flight: that read's callers still get
    // its answer (not an abort error), and it is not cached.
    ignoreFetchAbort: true,
  });
  private readonly sessions;
  private readonly refreshTokens;

  constructor(private readonly deps: AccountsDeps) {
    this.users = deps.db.getRepository(User);
    this.sessions = deps.db.getRepository(Session);
    this.refreshTokens = deps.db.getRepository(RefreshToken);
    deps.bus.subscribe(ACCOUNT_CHANGED, (m) => this.cached.delete((m as { userId: number }).userId));
  }

  async signup(input: SignupInput): Promise<UserDto> {
    if (isCommonPassword(input.password, input.username)) {
      throw AppError.validation(
        { password: 'is too common or contains the username; choose another' },
        'Choose a less common password',
      );
    }
    const usernameKey = input.username.toLowerCase();
    if (await this.users.findOne({ where: { usernameKey }, attributes: ['id'] })) throw taken();
    const passwordHash = await hashPassword(input.password);
    const user = await insertOnce(
      this.users.create({ username: input.username, usernameKey, nickname: input.nickname, passwordHash }),
      taken(),
    );
    return toUserDto(user);
  }

  async login(input: LoginInput, client: ClientInfo): Promise<LoginDto> {
    const usernameKey = input.username.toLowerCase();
    const { perUserIp, perIp } = this.deps.limits;
    const userIpKey = `${usernameKey}|${client.ip}`;
    await Promise.all([perUserIp.check(userIpKey), perIp.check(client.ip)]);

    const user = await this.users.findOne({ where: { usernameKey } });
    const ok = user
      ? await verifyPassword(user.passwordHash, input.password)
      : await verifyNothing(input.password);
    if (!user || !ok) {
      await Promise.all([perUserIp.consume(userIpKey), perIp.consume(client.ip)]);
      throw new AppError('UNAUTHENTICATED', BAD_LOGIN);
    }
    await perUserIp.reset(userIpKey);

    const now = Date.now();
    const session = await this.sessions.create({
      id: crypto.randomUUID(),
      userId: user.id,
      userAgent: client.userAgent?.slice(0, 255) ?? null,
      ip: client.ip.slice(0, 64),
      expiresAt: new Date(now + this.deps.sessionMaxAgeMs),
      lastUsedAt: new Date(now),
    });
    return { user: toUserDto(user), ...(await this.issue(session)) };
  }

  /**
   * Rotates a refresh token. The token is claimed with one conditional UPDATE, so of two
   * concurrent refreshes exactly one wins; the other is indistinguishable from a stolen
   * token being replayed, and revokes the whole session.
   */
  async refresh(token: string | undefined): Promise<LoginDto> {
    if (!token) throw AppError.unauthenticated('TOKEN_MISSING', 'A refresh token is required');
    const stored = await this.refreshTokens.findOne({ where: { tokenHash: hashRefreshToken(token) } });
    if (!stored) throw AppError.unauthenticated('TOKEN_INVALID', 'The refresh token is not valid');
    const session = await this.sessions.findByPk(stored.sessionId);
    if (!session || session.revokedAt) {
      throw AppError.unauthenticated('TOKEN_REVOKED', 'This session has ended; log in again');
    }
    const now = new Date();
    const [claimed] = stored.usedAt
      ? [0]
      : await this.refreshTokens.update(
          { usedAt: now },
          { where: { id: stored.id, usedAt: { [Op.is]: null } } },
        );
    if (claimed === 0) {
      await this.revoke(session.id, 'refresh-reuse');
      throw AppError.unauthenticated(
        'TOKEN_REVOKED',
        'This refresh token was already used; the session has been revoked. Log in again',
      );
    }
    if (stored.expiresAt <= now || session.expiresAt <= now) {
      throw AppError.unauthenticated('TOKEN_EXPIRED', 'The session has expired; log in again');
    }
    const user = await this.users.findByPk(session.userId);
    if (!user) throw AppError.unauthenticated('TOKEN_INVALID', 'This account no longer exists');
    await session.update({ lastUsedAt: now });
    return { user: toUserDto(user), ...(await this.issue(session)) };
  }

  /** Ends a session: its refresh tokens die, its access tokens are refused, its sockets close. */
  async logout(sid: string): Promise<void> {
    await this.revoke(sid, 'logout');
  }

  /** The user behind a verified token, or UNAUTHENTICATED if the account is gone. */
  /** `user`, through the handshake cache (concurrent misses share one read). */
  async cachedUser(userId: number): Promise<AccountUser> {
    return (await this.cached.fetch(userId))!;
  }

  /**
   * The account changed (a suspension, a role): every node drops its cached copy at once, so the
   * next write or handshake there reads it anew.
   */
  changed(userId: number): void {
    // Here at once (Redis delivers the bus message back to this node only after a round trip,
    // and the command's ack may reach its client before it); the other nodes through the bus.
    this.cached.delete(userId);
    this.deps.bus.publish(ACCOUNT_CHANGED, { userId });
  }

  async user(userId: number): Promise<UserDto> {
    return toUserDto(await this.row(userId));
  }

  private async row(userId: number): Promise<User> {
    const user = await this.users.findByPk(userId);
    if (!user) throw AppError.unauthenticated('TOKEN_INVALID', 'This account no longer exists');
    return user;
  }

  private async revoke(sid: string, reason: string): Promise<void> {
    await this.sessions.update(
      { revokedAt: new Date(), revokedReason: reason },
      { where: { id: sid, revokedAt: { [Op.is]: null } } },
    );
    await this.deps.tokens.revokeSession(sid);
    await this.deps.onSessionRevoked(sid);
  }

  private async issue(session: Session) {
    const access = this.deps.tokens.signAccess(session.userId, session.id);
    const refresh = newRefreshToken();
    const expiresAt = new Date(Math.min(Date.now() + this.deps.refreshTtlMs, session.expiresAt.getTime()));
    await this.refreshTokens.create({ sessionId: session.id, tokenHash: refresh.hash, expiresAt });
    return {
      accessToken: access.token,
      accessTokenExpiresAt: access.expiresAt.toISOString(),
      refreshToken: refresh.token,
      refreshTokenExpiresAt: expiresAt.toISOString(),
    };
  }
}

function taken(): AppError {
  return new AppError('CONFLICT', 'That username is taken', { fields: { username: 'is taken' } });
}

/** Revoked sessions as the sessions table has them (the revocation list's fallback and source). */
export function revokedSessions(db: Sequelize): RevokedSessions {
  const sessions = db.getRepository(Session);
  return {
    async isRevoked(sid) {
      const session = await sessions.findByPk(sid, { attributes: ['revokedAt'], raw: true });
      return session?.revokedAt != null;
    },
    async revokedSince(since) {
      const rows = await sessions.findAll({
        where: { revokedAt: { [Op.gte]: since } },
        attributes: ['id'],
        raw: true,
      });
      return rows.map((r) => r.id);
    },
  };
}
