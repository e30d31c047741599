import type { Transaction } from 'sequelize';
import type { Sequelize } from 'sequelize-typescript';
import type { ModerationCaseDto, Page } from '../../../shared/dto';
import type { QueueListInput, TargetRef, TargetRemoveInput } from '../../../shared/schemas/moderation';
import type { Actor } from '../../core/auth';
import { AppError } from '../../core/errors';
import type { Emit } from '../../core/routes';
import { User } from '../accounts/user.model';
import { decodeCursor, encodeCursor } from '../boards/cursor';
import type { PostsService } from '../boards/posts.service';
import { toCommentDto } from '../comments/comments.service';
import type { EventLog } from '../events/events.service';
import type { NotificationsService } from '../notifications/notifications.service';
import type { Cases } from './cases';
import type { ModerationLog } from './moderation-log';
import type { ContentTarget, Targets } from './targets';
import { isStaff } from './operator';

export interface CasesDeps {
  db: Sequelize;
  events: EventLog;
  posts: PostsService;
  notifications: NotificationsService;
  log: ModerationLog;
  targets: Targets;
  cases: Cases;
}

/**
 * The moderators' side of reports (`/moderation`): the queue, and restoring or removing a
 * target. Each action is one transaction that locks the target's row (as reports do, so an
 * action and a report never interleave), resolves its case, writes the moderation log and
 * emits its pushes. Nothing here names a target's author: pushes and answers carry the thread
 * alias only.
 */
export class CasesService {
  private readonly users;

  constructor(private readonly deps: CasesDeps) {
    this.users = deps.db.getRepository(User);
  }

  async list(actor: Actor, input: QueueListInput): Promise<Page<ModerationCaseDto>> {
    await this.requireStaff(actor);
    const after = decodeCursor(input.cursor);
    const { rows, items } = await this.deps.cases.page(input.status, after?.id, input.limit);
    const last = rows.length > input.limit ? rows[input.limit - 1]! : undefined;
    return {
      items: await this.deps.cases.render(items),
      nextCursor: last ? encodeCursor(last.id, last.id) : null,
    };
  }

  /**
   * Un-hides the target for everyone and resolves its case as `restored`; an open case of a
   * target that was not hidden (too few reports yet) is dismissed the same way. CONFLICT when
   * there is nothing to restore; a removed post or comment stays removed (NOT_FOUND, like any
   * deleted one). A removed message (never hidden: it has no such state) is put back instead.
   */
  async restore(actor: Actor, ref: TargetRef): Promise<ModerationCaseDto> {
    await this.requireStaff(actor);
    const postOf = await this.deps.targets.postOf(ref);
    return this.deps.events.write(async (tx, emit) => {
      const target = await this.deps.targets.lock(tx, ref, postOf, { deleted: ref.kind === 'message' });
      const kase = await this.deps.cases.find(tx, ref);
      const hidden = target.kind === 'message' ? target.row.removedAt !== null : target.row.hiddenAt !== null;
      if (!hidden && kase?.status !== 'open')
        throw new AppError('CONFLICT', 'Nothing to restore: it is not hidden and has no open case');
      const now = new Date();
      // Back in messages:list and the inbox of both members at their next read (no push).
      if (hidden && target.kind === 'message')
        await target.row.update({ removedAt: null }, { transaction: tx });
      if (hidden && target.kind !== 'message') {
        await target.row.update({ hiddenAt: null, hiddenReason: null }, { transaction: tx, silent: true });
        await this.restored(tx, emit, target);
      }
      const resolved = await this.deps.cases.resolve(tx, ref, kase, 'restored', now);
      await this.deps.log.append(tx, { actorId: actor.id, action: 'restore', target: ref });
      const dto = await this.deps.cases.one(tx, resolved, target);
      emit('caseResolved', dto);
      return dto;
    });
  }

  /**
   * Removes the target for everyone (deleted, and marked hidden by `moderator` so that its author
   * sees why), resolves its case as `removed`, and notifies the author. A target its author had
   * already deleted is only marked and resolved (nothing to push, no one to tell). A message is
   * only marked removed: it leaves both members' lists (nothing is pushed, no one is notified).
   */
  async remove(actor: Actor, input: TargetRemoveInput): Promise<ModerationCaseDto> {
    await this.requireStaff(actor);
    const ref = input.target;
    const postOf = await this.deps.targets.postOf(ref);
    return this.deps.events.write(async (tx, emit) => {
      const target = await this.deps.targets.lock(tx, ref, postOf, { deleted: true });
      const kase = await this.deps.cases.find(tx, ref);
      const removed =
        target.kind === 'message'
          ? target.row.removedAt !== null
          : target.row.hiddenReason === 'moderator' || kase?.resolution === 'removed';
      if (removed) throw new AppError('CONFLICT', 'It was already removed');
      const now = new Date();
      if (target.kind === 'message') await target.row.update({ removedAt: now }, { transaction: tx });
      else {
        const live = target.row.deletedAt === null && target.post.deletedAt === null;
        await target.row.update(
          { deletedAt: target.row.deletedAt ?? now, hiddenAt: now, hiddenReason: 'moderator' },
          { transaction: tx, silent: true },
        );
        if (live) await this.removed(tx, emit, target);
      }
      const resolved = await this.deps.cases.resolve(tx, ref, kase, 'removed', now);
      await this.deps.log.append(tx, {
        actorId: actor.id,
        action: 'remove',
        target: ref,
        reason: input.reason,
      });
      const dto = await this.deps.cases.one(tx, resolved, target);
      emit('caseResolved', dto);
      return dto;
    });
  }

  /** Puts a restored target back in its feed or thread, as post:created and comment:created would. */
  private async restored(tx: Transaction, emit: Emit, target: ContentTarget): Promise<void> {
    if (target.kind === 'post') {
      const post = await this.deps.posts.renderer.one(target.row, undefined, tx);
      emit('postRestored', { post, authorId: target.row.authorId });
      return;
    }
    const c = target.row;
    const names = c.anonymous
      ? new Map<number, string>()
      : await this.deps.posts.renderer.nicknames([c.authorId], tx);
    emit('commentRestored', {
      comment: toCommentDto(c, target.post, names, undefined),
      authorId: c.authorId,
    });
  }

  /** Takes a removed target out of its feed or thread and tells its author. */
  private async removed(tx: Transaction, emit: Emit, target: ContentTarget): Promise<void> {
    const { post } = target;
    if (target.kind === 'post') emit('postHidden', { postId: post.id, boardId: post.boardId });
    else {
      // Removed is deleted: the post's count drops, as for comment:delete.
      const commentCount = Math.max(0, post.commentCount - 1);
      await post.update({ commentCount }, { transaction: tx, silent: true });
      emit('commentHidden', {
        commentId: target.row.id,
        postId: post.id,
        boardId: post.boardId,
        commentCount,
      });
    }
    const authorId = target.row.authorId;
    if (authorId === null) return;
    await this.deps.notifications.add(tx, emit, {
      userId: authorId,
      type: 'removed',
      postId: post.id,
      ...(target.kind === 'comment' && { commentId: target.row.id }),
      boardId: post.boardId,
      text: `관리자가 삭제했습니다: ${subjectOf(target)}`,
      actorName: null,
    });
  }

  /** The acting account's role as stored now, not as when the socket connected (a demotion holds at once). */
  private async requireStaff(actor: Actor): Promise<void> {
    const me = await this.users.findByPk(actor.id, { attributes: ['id', 'role'] });
    if (!me || !isStaff(me.role)) throw new AppError('FORBIDDEN', 'Moderators and admins only');
  }
}

/** What a notification about a target quotes: the post's title, or the comment's text. */
export function subjectOf(target: ContentTarget): string {
  return target.kind === 'post' ? target.row.title : target.row.content;
}
