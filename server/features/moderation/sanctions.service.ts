import type { Transaction } from 'sequelize';
import type { Sequelize } from 'sequelize-typescript';
import type { ModerationLogDto, Page, RoleDto, SuspensionDto } from '../../../shared/dto';
import type { LogListInput, RoleSetInput, SuspendInput, TargetRef } from '../../../shared/schemas/moderation';
import type { Actor } from '../../core/auth';
import { transaction } from '../../core/db';
import { AppError } from '../../core/errors';
import { User } from '../accounts/user.model';
import { Post } from '../boards/post.model';
import { Comment } from '../comments/comment.model';
import { Message } from '../messages/conversation.model';
import type { ModerationLog } from './moderation-log';
import { isStaff, setRole } from './operator';
import type { SanctionsApi } from './sanctions.socket';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface SanctionsDeps {
  db: Sequelize;
  log: ModerationLog;
  /** The account changed: every node drops its cached copy at once (AccountsService.changed). */
  changed: (userId: number) => void;
  /** Tells every open socket of the user, on every node (Realtime.users.suspended). */
  suspended: (userId: number, suspension: SuspensionDto) => void;
}

/**
 * Suspensions, the moderation log and roles, for `/moderation`. A suspension is aimed at a post,
 * comment or message and lands on its author, whoever that is: the moderator never learns who. So no
 * answer may depend on the author's state — a suspension replaces any earlier one (it is not
 * "already suspended"), an unsuspension always succeeds — or comparing two answers would tell
 * that two anonymous posts have one author. For the same reason staff content is not treated
 * apart (refusing "this author is a moderator" would name a few people): any moderator can
 * suspend any author but themselves, and every action is in the log, which admins read.
 * Roles are checked against the database on every call, so a demotion holds at once even on a
 * socket that is still open.
 */
export class SanctionsService implements SanctionsApi {
  private readonly users;
  private readonly posts;
  private readonly comments;
  private readonly messages;

  constructor(private readonly deps: SanctionsDeps) {
    this.users = deps.db.getRepository(User);
    this.posts = deps.db.getRepository(Post);
    this.comments = deps.db.getRepository(Comment);
    this.messages = deps.db.getRepository(Message);
  }

  async suspend(actor: Actor, input: SuspendInput): Promise<{ until: string }> {
    await this.require(actor, 'moderator');
    const until = new Date(Date.now() + input.days * DAY_MS).toISOString();
    const userId = await transaction(this.deps.db, async (tx) => {
      const author = await this.authorOf(input.target, tx);
      if (author.id === actor.id) throw new AppError('FORBIDDEN', 'You cannot suspend yourself');
      await author.update(
        { suspendedUntil: new Date(until), suspendReason: input.reason },
        { transaction: tx },
      );
      await this.deps.log.append(tx, {
        actorId: actor.id,
        action: 'suspend',
        target: input.target,
        detail: `${input.days} day${input.days === 1 ? '' : 's'}, until ${until}`,
        reason: input.reason,
      });
      return author.id;
    });
    // The cache first: the push and the bus message travel in this order to every node, so a
    // write that the push prompts already finds the suspension there.
    this.deps.changed(userId);
    this.deps.suspended(userId, { until, reason: input.reason });
    return { until };
  }

  /**
   * Lifts the suspension of the target's author. No push: `whoami` tells the state, and the
   * next write simply succeeds.
   */
  async unsuspend(actor: Actor, target: TargetRef): Promise<{ until: null }> {
    await this.require(actor, 'moderator');
    const userId = await transaction(this.deps.db, async (tx) => {
      const author = await this.authorOf(target, tx);
      await author.update({ suspendedUntil: null, suspendReason: null }, { transaction: tx });
      await this.deps.log.append(tx, { actorId: actor.id, action: 'unsuspend', target });
      return author.id;
    });
    this.deps.changed(userId);
    return { until: null };
  }

  /** The append-only log, newest first: admins only. */
  async log(actor: Actor, input: LogListInput): Promise<Page<ModerationLogDto>> {
    await this.require(actor, 'admin');
    return this.deps.log.list(input);
  }

  /**
   * Admins only. A user who loses the role is dropped from /moderation on every node (see
   * `keepModerationStaff`); their other sockets treat them as a user from their next connection.
   */
  async setRole(actor: Actor, input: RoleSetInput): Promise<RoleDto> {
    await this.require(actor, 'admin');
    const change = await setRole(this.deps.db, this.deps.log, input.username, input.role, {
      actorId: actor.id,
    });
    if (change.previous !== change.role) this.deps.changed(change.userId);
    return { username: change.username, role: change.role };
  }

  /** The acting account's role as stored now (not as it was when the socket connected). */
  private async require(actor: Actor, level: 'moderator' | 'admin'): Promise<void> {
    const me = await this.users.findByPk(actor.id, { attributes: ['id', 'role'] });
    const allowed = me && (level === 'admin' ? me.role === 'admin' : isStaff(me.role));
    if (!allowed)
      throw new AppError('FORBIDDEN', level === 'admin' ? 'Admins only' : 'Moderators and admins only');
  }

  /**
   * The author of a post or comment, or the sender of a message (deleted, hidden or removed ones
   * too: deleting a post does not escape a suspension). NOT_FOUND when there is no such target or
   * its author's account is gone.
   */
  private async authorOf(target: TargetRef, tx: Transaction): Promise<User> {
    const what = `${target.kind} ${target.id}`;
    let authorId: number | null | undefined;
    if (target.kind === 'post')
      authorId = (await this.posts.findByPk(target.id, { attributes: ['authorId'], transaction: tx }))
        ?.authorId;
    else if (target.kind === 'comment')
      authorId = (await this.comments.findByPk(target.id, { attributes: ['authorId'], transaction: tx }))
        ?.authorId;
    else
      authorId = (await this.messages.findByPk(target.id, { attributes: ['senderId'], transaction: tx }))
        ?.senderId;
    if (authorId === undefined) throw new AppError('NOT_FOUND', `No ${what}`);
    const author = authorId === null ? null : await this.users.findByPk(authorId, { transaction: tx });
    if (!author) throw new AppError('NOT_FOUND', `The author of ${what} no longer has an account`);
    return author;
  }
}
