import { Op, QueryTypes, type Transaction } from 'sequelize';
import type { Sequelize } from 'sequelize-typescript';
import type { CommentDto, MyCommentDto, Page, ThreadDto } from '../../../shared/dto';
import type { CommentLikedDto } from '../../../shared/events';
import type { PageInput } from '../../../shared/schemas/boards';
import type { CommentCreateInput, CommentsListInput } from '../../../shared/schemas/comments';
import type { Actor } from '../../core/auth';
import { insertOnce } from '../../core/db';
import { AppError } from '../../core/errors';
import { decodeCursor, encodeCursor, page } from '../boards/cursor';
import { Post } from '../boards/post.model';
import type { PostsService } from '../boards/posts.service';
import { namedAuthor, PostRenderer } from '../boards/render';
import type { EventLog } from '../events/events.service';
import type { NotificationsService } from '../notifications/notifications.service';
import { Comment, CommentLike, ThreadAlias } from './comment.model';
import { assertOpen, canSee, hiddenOf, visibleTo, type Viewers } from '../moderation/visibility';
import type { WriteLimits } from '../moderation/write-limits';

export interface CommentsDeps {
  db: Sequelize;
  events: EventLog;
  posts: PostsService;
  notifications: NotificationsService;
  viewers: Viewers;
  /** COMMENT_COOLDOWN, and NEW_ACCOUNT_DAYS on restricted boards. */
  limits?: WriteLimits;
}

export const POST_AUTHOR_ANONYMOUS = '익명(글쓴이)';
export const DELETED = '(삭제)';

/**
 * Comments with one level of replies and the anonymity students expect: anonymous
 * commenters are 익명1, 익명2, … by first appearance in the thread, one number per person,
 * never reused; the post's author is 익명(글쓴이). Nobody but the server links a number to a user.
 */
export class CommentsService {
  private readonly comments;
  private readonly likes;
  private readonly aliases;
  private readonly renderer: PostRenderer;

  constructor(private readonly deps: CommentsDeps) {
    this.comments = deps.db.getRepository(Comment);
    this.likes = deps.db.getRepository(CommentLike);
    this.aliases = deps.db.getRepository(ThreadAlias);
    this.renderer = new PostRenderer(deps.db);
  }

  /** Top-level comments oldest first, each with all its replies. */
  async list(actor: Actor, input: CommentsListInput): Promise<Page<ThreadDto>> {
    const [post, viewer] = await Promise.all([
      this.deps.posts.live(input.postId),
      this.deps.viewers.of(actor),
    ]);
    if (!canSee(viewer, post)) throw new AppError('NOT_FOUND', `Post ${input.postId} does not exist`);
    const after = decodeCursor(input.cursor);
    const visible = visibleTo(viewer);
    const roots = await this.comments.findAll({
      where: {
        [Op.and]: [
          { postId: post.id, parentId: { [Op.is]: null }, ...(after && { id: { [Op.gt]: after.id } }) },
          visible,
        ],
      },
      order: [['id', 'ASC']],
      limit: input.limit + 1,
    });
    const result = page(roots, input.limit, (last) => encodeCursor(last.id, last.id));
    const replies = result.items.length
      ? await this.comments.findAll({
          where: {
            [Op.and]: [{ postId: post.id, parentId: { [Op.in]: result.items.map((c) => c.id) } }, visible],
          },
          order: [['id', 'ASC']],
        })
      : [];
    const names = await this.renderer.nicknames(
      [...result.items, ...replies].filter((c) => !c.anonymous).map((c) => c.authorId),
    );
    const render = (c: Comment) => toCommentDto(c, post, names, actor.id);
    return {
      items: result.items.map((root) => ({
        ...render(root),
        replies: replies.filter((r) => r.parentId === root.id).map(render),
      })),
      nextCursor: result.nextCursor,
    };
  }

  /**
   * `me:comments`: the actor's own comments on every board, newest first, not deleted, on posts
   * not deleted (a link to a deleted post leads nowhere). Anonymous ones are rendered as in their
   * thread (익명3, 익명(글쓴이)) with `isMine`; hidden ones are marked, as their author sees them.
   */
  async mine(actor: Actor, input: PageInput): Promise<Page<MyCommentDto>> {
    const after = decodeCursor(input.cursor);
    const rows = await this.comments.findAll({
      where: {
        [Op.and]: [
          { authorId: actor.id, deletedAt: { [Op.is]: null } },
          ...(after ? [{ id: { [Op.lt]: after.id } }] : []),
          { postId: { [Op.in]: this.deps.db.literal('(SELECT id FROM posts WHERE deletedAt IS NULL)') } },
        ],
      },
      order: [['id', 'DESC']],
      limit: input.limit + 1,
    });
    const result = page(rows, input.limit, (last) => encodeCursor(last.id, last.id));
    const postIds = [...new Set(result.items.map((c) => c.postId))];
    const posts = postIds.length
      ? await this.deps.db.getRepository(Post).findAll({ where: { id: { [Op.in]: postIds } } })
      : [];
    const byId = new Map(posts.map((p) => [p.id, p]));
    const names = new Map([[actor.id, await this.nicknameOf(actor)]]);
    return {
      // A post deleted between the two reads takes its comments out of this page.
      items: result.items.flatMap((c) => {
        const post = byId.get(c.postId);
        if (!post || post.deletedAt) return [];
        return [{ ...toCommentDto(c, post, names, actor.id), boardId: post.boardId, postTitle: post.title }];
      }),
      nextCursor: result.nextCursor,
    };
  }

  /** The actor's nickname as stored now (a socket's copy may predate a change on a node that missed it). */
  private async nicknameOf(actor: Actor): Promise<string> {
    return (await this.renderer.nicknames([actor.id])).get(actor.id) ?? actor.nickname;
  }

  async create(actor: Actor, input: CommentCreateInput): Promise<CommentDto> {
    // Before the transaction: a retried transaction must not use the cooldown twice.
    await this.deps.limits?.comment(actor);
    return this.deps.events.write(async (tx, emit) => {
      // Locking the post serialises comments on one thread, so anonymous numbers never race.
      const post = await this.deps.posts.live(input.postId, tx, true);
      assertOpen(actor, post, `Post ${post.id}`);
      const board = await this.deps.posts.board(post.boardId);
      this.deps.limits?.board(actor, board);
      let parent: Comment | null = null;
      if (input.parentId !== undefined) {
        parent = await this.comments.findByPk(input.parentId, { transaction: tx });
        if (!parent || parent.postId !== post.id) {
          throw new AppError('NOT_FOUND', `Comment ${input.parentId} does not exist on this post`);
        }
        if (parent.parentId !== null) {
          throw AppError.validation(
            { parentId: 'is a reply; reply to the top-level comment instead' },
            'Replies are one level deep',
          );
        }
        if (parent.deletedAt) throw new AppError('CONFLICT', 'You cannot reply to a deleted comment');
        assertOpen(actor, parent, `Comment ${parent.id}`);
      }
      const isPostAuthor = post.authorId === actor.id;
      // The writer of an anonymous post stays anonymous in its thread (익명(글쓴이)).
      const anonymous = board.anonymousOnly || (input.anonymous ?? false) || (post.anonymous && isPostAuthor);
      const anonNumber = anonymous && !isPostAuthor ? await this.alias(post.id, actor.id, tx) : null;
      const comment = await this.comments.create(
        {
          postId: post.id,
          parentId: parent?.id ?? null,
          authorId: actor.id,
          content: input.content,
          anonymous,
          anonNumber,
        },
        { transaction: tx },
      );
      const commentCount = post.commentCount + 1;
      await post.update({ commentCount }, { transaction: tx, silent: true });

      // Rendered from what was written: the acting user's own nickname, no re-read.
      const dto = toCommentDto(comment, post, new Map([[actor.id, actor.nickname]]), undefined);
      emit('commentCreated', { comment: dto, boardId: post.boardId, commentCount, authorId: actor.id });

      const notify = {
        postId: post.id,
        commentId: comment.id,
        boardId: post.boardId,
        text: comment.content,
        actorName: dto.authorName,
        actorId: actor.id,
      };
      if (parent && parent.authorId !== null && parent.authorId !== actor.id) {
        await this.deps.notifications.add(tx, emit, { ...notify, userId: parent.authorId, type: 'reply' });
      }
      if (post.authorId !== null && post.authorId !== actor.id && post.authorId !== parent?.authorId) {
        await this.deps.notifications.add(tx, emit, { ...notify, userId: post.authorId, type: 'comment' });
      }
      return { ...dto, isMine: true };
    });
  }

  async remove(actor: Actor, commentId: number): Promise<{ commentId: number; postId: number }> {
    return this.deps.events.write(async (tx, emit) => {
      const comment = await this.live(commentId, tx);
      if (comment.authorId !== actor.id)
        throw new AppError('FORBIDDEN', 'Only the author can delete this comment');
      const post = await this.deps.posts.live(comment.postId, tx, true);
      await comment.update({ deletedAt: new Date() }, { transaction: tx });
      const commentCount = Math.max(0, post.commentCount - 1);
      await post.update({ commentCount }, { transaction: tx, silent: true });
      emit('commentDeleted', { commentId, postId: post.id, boardId: post.boardId, commentCount });
      return { commentId, postId: post.id };
    });
  }

  async like(actor: Actor, commentId: number, on: boolean): Promise<CommentLikedDto> {
    return this.deps.events.write(async (tx, emit) => {
      const comment = await this.live(commentId, tx, true);
      const post = await this.deps.posts.live(comment.postId, tx);
      if (on) {
        assertOpen(actor, post, `Comment ${commentId}`);
        assertOpen(actor, comment, `Comment ${commentId}`);
        if (comment.authorId === actor.id)
          throw new AppError('FORBIDDEN', 'You cannot like your own comment');
        await insertOnce(
          this.likes.create({ commentId, userId: actor.id }, { transaction: tx }),
          'You already liked this comment',
        );
      } else if (
        (await this.likes.destroy({ where: { commentId, userId: actor.id }, transaction: tx })) === 0
      ) {
        throw new AppError('CONFLICT', 'You have not liked this comment');
      }
      const likeCount = Math.max(0, comment.likeCount + (on ? 1 : -1));
      await comment.update({ likeCount }, { transaction: tx, silent: true });
      const data = { commentId, postId: comment.postId, likeCount };
      emit('commentLiked', data);
      return data;
    });
  }

  private async live(commentId: number, tx: Transaction, lock = false): Promise<Comment> {
    const comment = await this.comments.findByPk(commentId, {
      transaction: tx,
      lock: lock ? tx.LOCK.UPDATE : undefined,
    });
    if (!comment || comment.deletedAt) throw new AppError('NOT_FOUND', `Comment ${commentId} does not exist`);
    return comment;
  }

  /** The user's 익명N in this thread: kept if they have one, else the next number. */
  private async alias(postId: number, userId: number, tx: Transaction): Promise<number> {
    // One statement answers both: the user's number if they have one, else the thread's highest,
    // counting the numbers of deleted accounts (retired_aliases), which are never handed out again.
    const [row] = await this.deps.db.query<{
      mine: number | null;
      top: number | null;
      retired: number | null;
    }>(
      `SELECT MAX(CASE WHEN userId = :userId THEN number END) AS mine, MAX(number) AS top,
              (SELECT MAX(number) FROM retired_aliases WHERE postId = :postId) AS retired
       FROM thread_aliases WHERE postId = :postId`,
      { replacements: { postId, userId }, type: QueryTypes.SELECT, transaction: tx },
    );
    if (row?.mine != null) return Number(row.mine);
    const number = Math.max(Number(row?.top ?? 0), Number(row?.retired ?? 0)) + 1;
    await this.aliases.create({ postId, userId, number }, { transaction: tx });
    return number;
  }
}

export function toCommentDto(
  c: Comment,
  post: Post,
  names: Map<number, string>,
  viewerId: number | undefined,
): CommentDto {
  const isPostAuthor = byPostAuthor(c, post);
  const deleted = c.deletedAt != null;
  let author: { authorName: string; authorDeleted?: true };
  if (deleted) author = { authorName: DELETED };
  else if (c.anonymous)
    author = { authorName: isPostAuthor ? POST_AUTHOR_ANONYMOUS : `익명${c.anonNumber ?? ''}` };
  else author = namedAuthor(c.authorId, names);
  return {
    id: c.id,
    postId: c.postId,
    parentId: c.parentId,
    content: deleted ? '' : c.content,
    anonymous: c.anonymous,
    authorName: author.authorName,
    authorId: c.anonymous || deleted ? null : c.authorId,
    ...(author.authorDeleted && { authorDeleted: true }),
    isMine: viewerId !== undefined && c.authorId === viewerId,
    isPostAuthor,
    deleted,
    likeCount: c.likeCount,
    createdAt: c.createdAt.toISOString(),
    ...(c.hiddenAt && { hidden: hiddenOf(c) }),
  };
}

/**
 * Whether the post's author wrote the comment. Once the author's account is deleted neither keeps
 * an author; an anonymous comment still tells, as it was written: only the post's author comments
 * anonymously without a number (익명(글쓴이)), so the alias stays as it was.
 */
export function byPostAuthor(
  c: Pick<Comment, 'authorId' | 'anonymous' | 'anonNumber'>,
  post: Pick<Post, 'authorId'>,
): boolean {
  if (c.authorId !== null) return c.authorId === post.authorId;
  return c.anonymous && c.anonNumber === null;
}
