import { Op, type Transaction, type WhereOptions } from 'sequelize';
import type { Repository, Sequelize } from 'sequelize-typescript';
import type { SessionDto } from '../../../shared/dto';
import type { ChangePasswordInput } from '../../../shared/schemas/sessions';
import type { Actor } from '../../core/auth';
import { AppError } from '../../core/errors';
import type { AccountsService, ClientInfo } from './accounts.service';
import { assertUncommonPassword, hashPassword } from './passwords';
import { Session } from './session.model';
import { User } from './user.model';

export interface SessionsDeps {
  db: Sequelize;
  accounts: AccountsService;
  /** A session unused (no login, no refresh) for this long has no live refresh token left. */
  refreshTtlMs: number;
}

function toSessionDto(session: Session, currentSid: string): SessionDto {
  return {
    id: session.id,
    userAgent: session.userAgent,
    ip: session.ip,
    createdAt: session.createdAt.toISOString(),
    lastUsedAt: session.lastUsedAt.toISOString(),
    current: session.id === currentSid,
  };
}

/**
 * A user's own sessions (devices): listing and ending them, and the password change, which ends
 * every other one. Ending marks the rows revoked; AccountsService.revoked then refuses their
 * access tokens and disconnects their sockets on every node.
 */
export class SessionsService {
  private readonly sessions;
  private readonly users;

  constructor(private readonly deps: SessionsDeps) {
    this.sessions = deps.db.getRepository(Session);
    this.users = deps.db.getRepository(User);
  }

  /** My live sessions, the most recently used first. */
  async list(actor: Actor): Promise<SessionDto[]> {
    const rows = await this.sessions.findAll({
      where: this.live(actor.id),
      order: [
        ['lastUsedAt', 'DESC'],
        ['id', 'ASC'],
      ],
    });
    return rows.map((s) => toSessionDto(s, actor.sid));
  }

  /**
   * Ends one of my sessions (the current one too: that is a logout). A session of another user,
   * an unknown or an already ended one is NOT_FOUND alike, so nobody learns which ids exist.
   */
  async end(actor: Actor, id: string): Promise<void> {
    const [ended] = await this.sessions.update(
      { revokedAt: new Date(), revokedReason: 'ended' },
      { where: { id, ...this.live(actor.id) } },
    );
    if (ended === 0) throw new AppError('NOT_FOUND', 'No such session');
    await this.deps.accounts.revoked([id]);
  }

  /** Ends every session of mine but this one; returns how many. */
  async endOthers(actor: Actor): Promise<number> {
    const ids = await this.deps.db.transaction((transaction) =>
      this.revokeOthers(actor, 'ended', transaction),
    );
    await this.deps.accounts.revoked(ids);
    return ids.length;
  }

  /**
   * Changes my password: the current one is checked under the login-failure limits, the new one
   * passes signup's rules and differs from it; the new hash is stored and every other session ends
   * in the same transaction (this one stays). Returns how many sessions it ended.
   */
  async changePassword(actor: Actor, input: ChangePasswordInput, client: ClientInfo): Promise<number> {
    if (input.next === input.current) {
      throw AppError.validation({ next: 'must differ from the current password' }, 'Choose a new password');
    }
    const user = await this.deps.accounts.confirmPassword(actor.id, input.current, client, 'current');
    assertUncommonPassword(input.next, user.username, 'next');
    const passwordHash = await hashPassword(input.next);
    const ids = await this.deps.db.transaction(async (transaction) => {
      await this.users.update({ passwordHash }, { where: { id: actor.id }, transaction });
      return this.revokeOthers(actor, 'password-change', transaction);
    });
    await this.deps.accounts.revoked(ids);
    return ids.length;
  }

  /**
   * Marks revoked every unexpired session of the actor but the current one (also those idle past
   * REFRESH_TOKEN_TTL, which list() no longer shows: cheaper than proving them dead); their ids.
   */
  private revokeOthers(actor: Actor, reason: string, transaction: Transaction): Promise<string[]> {
    const where = { userId: actor.id, id: { [Op.ne]: actor.sid }, expiresAt: { [Op.gt]: new Date() } };
    return revokeSessions(this.sessions, where, reason, transaction);
  }

  /**
   * Sessions still in use: not revoked, not past their absolute end, and refreshed (or logged in)
   * within REFRESH_TOKEN_TTL; past that their last refresh token is dead, and so is the session.
   */
  private live(userId: number): WhereOptions<Session> {
    const now = Date.now();
    return {
      userId,
      revokedAt: { [Op.is]: null },
      expiresAt: { [Op.gt]: new Date(now) },
      lastUsedAt: { [Op.gt]: new Date(now - this.deps.refreshTtlMs) },
    };
  }
}

/**
 * Marks revoked, in `transaction`, every session `where` picks that is not revoked yet; their ids
 * (for AccountsService.revoked, after the commit: refused and disconnected on every node).
 */
export async function revokeSessions(
  sessions: Repository<Session>,
  where: WhereOptions<Session>,
  reason: string,
  transaction: Transaction,
): Promise<string[]> {
  const live = { [Op.and]: [where, { revokedAt: { [Op.is]: null } }] };
  const rows = await sessions.findAll({ where: live, attributes: ['id'], raw: true, transaction });
  const ids = rows.map((r) => r.id);
  if (ids.length > 0) {
    await sessions.update(
      { revokedAt: new Date(), revokedReason: reason },
      { where: { id: ids, revokedAt: { [Op.is]: null } }, transaction },
    );
  }
  return ids;
}
