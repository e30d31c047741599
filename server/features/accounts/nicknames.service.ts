import { Op, UniqueConstraintError } from 'sequelize';
import type { Sequelize } from 'sequelize-typescript';
import type { NicknameDto } from '../../../shared/dto';
import type { NicknameInput } from '../../../shared/schemas/auth';
import type { Bus } from '../../core/bus';
import { AppError } from '../../core/errors';
import type { AccountsService } from './accounts.service';
import { nicknameKey, nicknameTaken } from './nickname-key';
import { User } from './user.model';

/** The bus message that tells every node a user's nickname changed (they update their sockets). */
export const NICKNAME_CHANGED = 'accounts:nickname';

export interface NicknamesDeps {
  db: Sequelize;
  bus: Bus;
  accounts: AccountsService;
  /** NICKNAME_CHANGE_DAYS: at most one change per this many days (0: any time). */
  changeDays: number;
  /** On every node, after a change: that node's sockets of the user take the new nickname. */
  onChanged: (userId: number, nickname: string) => void;
  /** Once, on the node that made the change: tells every socket of the user (`account:renamed`). */
  announce?: (userId: number, renamed: NicknameDto) => void;
}

const DAY_MS = 86_400_000;

/**
 * Nickname changes (`account:nickname`): unique by nicknameKey (NFKC + lower-case), at most once
 * per NICKNAME_CHANGE_DAYS. Named posts and comments are rendered from `users` when read, so they
 * show the new nickname at once; anonymous ones never showed one.
 */
export class NicknamesService {
  private readonly users;

  constructor(private readonly deps: NicknamesDeps) {
    this.users = deps.db.getRepository(User);
    deps.bus.subscribe(NICKNAME_CHANGED, (m) => {
      const { userId, nickname } = m as { userId: number; nickname: string };
      deps.onChanged(userId, nickname);
    });
  }

  /**
   * The same nickname again is no change (and starts no wait). Too soon: RATE_LIMITED with
   * `retryAfter` (seconds) and `until`. Taken by someone else in any case or width: CONFLICT.
   */
  async change(userId: number, input: NicknameInput): Promise<NicknameDto> {
    const user = await this.users.findByPk(userId);
    if (!user) throw AppError.unauthenticated('TOKEN_INVALID', 'This account no longer exists');
    const last = user.nicknameChangedAt;
    if (user.nickname === input.nickname) return this.dto(user.nickname, last);
    const allowedAt = last ? last.getTime() + this.everyMs() : 0;
    if (allowedAt > Date.now()) throw tooSoon(allowedAt);
    const key = nicknameKey(input.nickname);
    if (key !== user.nicknameKey) {
      const holder = await this.users.findOne({ where: { nicknameKey: key }, attributes: ['id'] });
      if (holder && holder.id !== userId) throw nicknameTaken();
    }
    const now = new Date();
    // Conditional on the last change as read: of two concurrent changes, one wins.
    const [claimed] = await this.users
      .update(
        { nickname: input.nickname, nicknameKey: key, nicknameChangedAt: now },
        { where: { id: userId, nicknameChangedAt: last ?? { [Op.is]: null } } },
      )
      .catch((err: unknown) => {
        throw err instanceof UniqueConstraintError ? nicknameTaken() : err;
      });
    if (claimed === 0) throw tooSoon(Date.now() + this.everyMs());
    // Here at once (the ack may beat the bus's round trip), on the other nodes through the bus.
    this.deps.accounts.changed(userId);
    this.deps.onChanged(userId, input.nickname);
    this.deps.bus.publish(NICKNAME_CHANGED, { userId, nickname: input.nickname });
    const renamed = this.dto(input.nickname, now);
    this.deps.announce?.(userId, renamed);
    return renamed;
  }

  private everyMs(): number {
    return this.deps.changeDays * DAY_MS;
  }

  private dto(nickname: string, last: Date | null): NicknameDto {
    const next = Math.max(last ? last.getTime() + this.everyMs() : 0, Date.now());
    return { nickname, changeableAt: new Date(next).toISOString() };
  }
}

/** RATE_LIMITED until `allowedAt` (ms); `until` is exactly the `changeableAt` the last change answered. */
function tooSoon(allowedAt: number): AppError {
  const until = new Date(allowedAt).toISOString();
  return new AppError('RATE_LIMITED', `The nickname may change again at ${until}`, {
    retryAfter: Math.max(1, Math.ceil((allowedAt - Date.now()) / 1000)),
    until,
  });
}
