import crypto from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { Op, UniqueConstraintError } from 'sequelize';
import type { Sequelize } from 'sequelize-typescript';
import type { LoginDto, SuspensionDto, UserDto } from '../../../shared/dto';
import type { LoginInput, SignupInput } from '../../../shared/schemas/auth';
import type { Bus } from '../../core/bus';
import { AppError } from '../../core/errors';
import type { Limiter } from '../../core/ratelimit';
import type { RevokedSessions } from '../../core/revocation';
import { hashRefreshToken, newRefreshToken, type Tokens } from '../../core/tokens';
import { AccountHolds } from './holds';
import { assertUncommonPassword, hashPassword, verifyNothing, verifyPassword } from './passwords';
import { nicknameKey, nicknameTaken } from './nickname-key';
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
  /** Keys the held names' hashes (the JWT secret). */
  secret: string;
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
    email: user.verifiedAt ? user.email : null,
    verified: user.verifiedAt !== null,
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
  /** Usernames and school emails of deleted accounts, refused until their hold ends. */
  readonly holds: AccountHolds;

  constructor(private readonly deps: AccountsDeps) {
    this.holds = new AccountHolds(deps.db, deps.secret);
    this.users = deps.db.getRepository(User);
    this.sessions = deps.db.getRepository(Session);
    this.refreshTokens = deps.db.getRepository(RefreshToken);
    deps.bus.subscribe(ACCOUNT_CHANGED, (m) => this.cached.delete((m as { userId: number }).userId));
  }

  async signup(input: SignupInput): Promise<UserDto> {
    assertUncommonPassword(input.password, input.username, 'password');
    const usernameKey = input.username.toLowerCase();
    const key = nicknameKey(input.nickname);
    // Which one is taken; after a lost race, whichever the winner took.
    const clash = async () =>
      (await this.users.findOne({ where: { usernameKey }, attributes: ['id'] })) ||
      (await this.holds.heldUntil('username', usernameKey))
        ? taken()
        : (await this.users.findOne({ where: { nicknameKey: key }, attributes: ['id'] }))
          ? nicknameTaken()
          : undefined;
    const before = await clash();
    if (before) throw before;
    const passwordHash = await hashPassword(input.password);
    const user = await this.users
      .create({
        username: input.username,
        usernameKey,
        nickname: input.nickname,
        nicknameKey: key,
        passwordHash,
      })
      .catch(async (err: unknown) => {
        throw err instanceof UniqueConstraintError ? ((await clash()) ?? taken()) : err;
      });
    return toUserDto(user);
  }

  async login(input: LoginInput, client: ClientInfo): Promise<LoginDto> {
    const usernameKey = input.username.toLowerCase();
    const user = await this.counted(usernameKey, client.ip, async () => {
      const found = await this.users.findOne({ where: { usernameKey } });
      const ok = found
        ? await verifyPassword(found.passwordHash, input.password)
        : await verifyNothing(input.password);
      return ok ? found : null;
    });
    if (!user) throw new AppError('UNAUTHENTICATED', BAD_LOGIN);

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

  /**
   * Checks a signed-in user's password (a password change, ending the account) under the same
   * login-failure limits and keys as a login: a wrong one counts against the username on this IP
   * and against the IP, and past either limit every try (logins too) is RATE_LIMITED. A wrong
   * password is VALIDATION on `field`, not UNAUTHENTICATED: the session itself is fine.
   */
  async confirmPassword(userId: number, password: string, client: ClientInfo, field: string): Promise<User> {
    const user = await this.row(userId);
    const ok = await this.counted(user.usernameKey, client.ip, async () =>
      (await verifyPassword(user.passwordHash, password)) ? user : null,
    );
    if (!ok) throw AppError.validation({ [field]: 'is incorrect' }, 'The password is incorrect');
    return ok;
  }

  /**
   * Sessions already marked revoked in the table: their access tokens are refused from now on and
   * their sockets are disconnected, on every node.
   */
  async revoked(sids: string[]): Promise<void> {
    await Promise.all(
      sids.map(async (sid) => {
        // Refused first, then disconnected: a socket connecting in between is refused or closed.
        await this.deps.tokens.revokeSession(sid);
        await this.deps.onSessionRevoked(sid);
      }),
    );
  }

  /**
   * Runs a password check under the login-failure limits (per username + IP, per IP): refused
   * with RATE_LIMITED past them; a miss (`null`) counts a failure, a match clears the per-username one.
   */
  private async counted<T>(
    usernameKey: string,
    ip: string,
    verify: () => Promise<T | null>,
  ): Promise<T | null> {
    const { perUserIp, perIp } = this.deps.limits;
    const userIpKey = `${usernameKey}|${ip}`;
    await Promise.all([perUserIp.check(userIpKey), perIp.check(ip)]);
    const result = await verify();
    if (result === null) await Promise.all([perUserIp.consume(userIpKey), perIp.consume(ip)]);
    else await perUserIp.reset(userIpKey);
    return result;
  }

  private async revoke(sid: string, reason: string): Promise<void> {
    await this.sessions.update(
      { revokedAt: new Date(), revokedReason: reason },
      { where: { id: sid, revokedAt: { [Op.is]: null } } },
    );
    await this.revoked([sid]);
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
