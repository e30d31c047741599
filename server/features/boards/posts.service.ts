import { type Transaction } from 'sequelize';
import type { Sequelize } from 'sequelize-typescript';
import type { PostDto } from '../../../shared/dto';
import type { PostCreateInput, PostUpdateInput } from '../../../shared/schemas/boards';
import type { Actor } from '../../core/auth';
import { execute } from '../../core/db';
import { AppError } from '../../core/errors';
import type { Limiter } from '../../core/ratelimit';
import type { EventLog } from '../events/events.service';
import type { BoardCache, BoardRow } from './board-cache';
import { Board } from './board.model';
import { Post } from './post.model';
import { PostRenderer, toPostDto, type PostRow } from './render';
import { Tags } from './tags';
import type { WriteLimits } from '../moderation/write-limits';
import { assertOpen } from '../moderation/visibility';

export interface PostsDeps {
  db: Sequelize;
  boards: BoardCache;
  events: EventLog;
  /** Per user and board; undefined when the cooldown is off. */
  postCooldown?: Limiter;
  /** NEW_ACCOUNT_DAYS on restricted boards. */
  limits?: WriteLimits;
}

/**
 * Boards and the posts on them: writing, editing and deleting posts, one transaction each,
 * pushes after commit. Reading is PostQueries; likes and scraps are ReactionsService.
 */
export class PostsService {
  private readonly boards;
  private readonly posts;
  /** Shared with the other post services: tags, nicknames and rendering. */
  readonly tags: Tags;
  readonly renderer: PostRenderer;

  constructor(private readonly deps: PostsDeps) {
    this.boards = deps.db.getRepository(Board);
    this.posts = deps.db.getRepository(Post);
    this.tags = new Tags(deps.db);
    this.renderer = new PostRenderer(deps.db);
  }

  /** A board, from the cache (NOT_FOUND if there is none). */
  board(boardId: number): Promise<BoardRow> {
    return this.deps.boards.get(boardId);
  }

  /**
   * Changes a board's settings; every node's cache sees it at once (moderation tools build on
   * this). Posts already written keep what they were written with.
   */
  async updateBoard(
    boardId: number,
    patch: Partial<
      Pick<BoardRow, 'name' | 'description' | 'anonymousOnly' | 'hotEligible' | 'restricted' | 'position'>
    >,
  ): Promise<BoardRow> {
    await this.board(boardId);
    await this.boards.update(patch, { where: { id: boardId } });
    this.deps.boards.changed();
    return this.board(boardId);
  }

  async create(actor: Actor, input: PostCreateInput): Promise<PostDto> {
    const board = await this.board(input.boardId);
    this.deps.limits?.board(actor, board);
    await this.deps.postCooldown?.consume(`${actor.id}:${board.id}`);
    return this.deps.events.write(async (tx, emit) => {
      const post = await this.insertPost(tx, {
        boardId: board.id,
        authorId: actor.id,
        title: input.title,
        content: input.content,
        anonymous: board.anonymousOnly || (input.anonymous ?? false),
      });
      const tags = await this.tags.setForPost(post.id, input.tags ?? [], tx, true);
      // Rendered from what was written: the acting user's nickname, the tags as stored.
      const dto = toPostDto(post, tags, new Map([[actor.id, actor.nickname]]), undefined);
      emit('postCreated', { post: dto, authorId: post.authorId });
      return { ...dto, isMine: true };
    });
  }

  /**
   * The new post's row, in one hand-written INSERT (the hottest write of all: a model `create`
   * cost more CPU than the statement itself), answered as the row now reads.
   */
  private async insertPost(
    tx: Transaction,
    fields: Pick<PostRow, 'boardId' | 'authorId' | 'title' | 'content' | 'anonymous'>,
  ): Promise<PostRow> {
    const now = new Date();
    const { insertId } = await execute(
      this.deps.db,
      tx,
      'INSERT INTO posts (boardId, authorId, title, content, anonymous, likeCount, commentCount, scrapCount, createdAt, updatedAt) VALUES (?, ?, ?, ?, ?, 0, 0, 0, ?, ?)',
      [fields.boardId, fields.authorId, fields.title, fields.content, fields.anonymous, now, now],
    );
    return {
      ...fields,
      id: insertId,
      likeCount: 0,
      commentCount: 0,
      scrapCount: 0,
      hotAt: null,
      bestAt: null,
      hiddenAt: null,
      hiddenReason: null,
      createdAt: now,
      updatedAt: now,
    };
  }

  async update(actor: Actor, input: PostUpdateInput): Promise<PostDto> {
    return this.deps.events.write(async (tx, emit) => {
      const post = await this.mine(actor, input.postId, tx);
      // Pending review, the text stays as reported (and post:updated would show it to everyone).
      assertOpen(actor, post, `Post ${post.id}`);
      if (input.title !== undefined) post.title = input.title;
      if (input.content !== undefined) post.content = input.content;
      // Saved even when nothing else changed: an edit always moves updatedAt.
      post.changed('updatedAt', true);
      await post.save({ transaction: tx });
      const tags =
        input.tags !== undefined
          ? await this.tags.setForPost(post.id, input.tags, tx)
          : ((await this.renderer.tags([post.id], tx)).get(post.id) ?? []);
      const dto = toPostDto(post, tags, new Map([[actor.id, actor.nickname]]), undefined);
      emit('postUpdated', { post: dto, authorId: post.authorId });
      return { ...dto, isMine: true };
    });
  }

  async remove(actor: Actor, postId: number): Promise<{ postId: number }> {
    return this.deps.events.write(async (tx, emit) => {
      const post = await this.mine(actor, postId, tx);
      await post.update({ deletedAt: new Date() }, { transaction: tx });
      emit('postDeleted', { postId, boardId: post.boardId });
      return { postId };
    });
  }

  /** A post that exists and is not deleted (optionally locked for update). */
  async live(postId: number, tx?: Transaction, lock = false): Promise<Post> {
    const post = await this.posts.findByPk(postId, {
      transaction: tx,
      lock: lock && tx ? tx.LOCK.UPDATE : undefined,
    });
    if (!post || post.deletedAt) throw new AppError('NOT_FOUND', `Post ${postId} does not exist`);
    return post;
  }

  private async mine(actor: Actor, postId: number, tx: Transaction): Promise<Post> {
    const post = await this.live(postId, tx, true);
    if (post.authorId !== actor.id) throw new AppError('FORBIDDEN', 'Only the author can change this post');
    return post;
  }
}
