import { Op, QueryTypes, type Transaction, type WhereOptions } from 'sequelize';
import type { Sequelize } from 'sequelize-typescript';
import type { BoardDto, Page, PostDto, TagCountDto } from '../../../shared/dto';
import type { PostLikedDto } from '../../../shared/events';
import type {
  HotListInput,
  PageInput,
  PostCreateInput,
  PostsListInput,
  PostUpdateInput,
  PopularTagsInput,
} from '../../../shared/schemas/boards';
import type { Actor } from '../../core/auth';
import { execute, insertOnce, transaction } from '../../core/db';
import { AppError } from '../../core/errors';
import type { Limiter } from '../../core/ratelimit';
import { User } from '../accounts/user.model';
import type { EventLog } from '../events/events.service';
import type { NotificationsService } from '../notifications/notifications.service';
import type { BoardCache, BoardRow } from './board-cache';
import { Board } from './board.model';
import { dateCursor, decodeCursor, encodeCursor, numberCursor, page } from './cursor';
import { Post, PostLike, Scrap } from './post.model';
import { PostRenderer, toPostDto, type PostRow } from './render';
import { Tags } from './tags';

export interface PostsDeps {
  db: Sequelize;
  boards: BoardCache;
  events: EventLog;
  notifications: NotificationsService;
  hotThreshold: number;
  bestThreshold: number;
  /** Per user and board; undefined when the cooldown is off. */
  postCooldown?: Limiter;
}

const SORT: Record<
  PostsListInput['order'],
  { column: 'id' | 'likeCount' | 'commentCount'; dir: 'DESC' | 'ASC' }
> = {
  newest: { column: 'id', dir: 'DESC' },
  oldest: { column: 'id', dir: 'ASC' },
  likes: { column: 'likeCount', dir: 'DESC' },
  comments: { column: 'commentCount', dir: 'DESC' },
};

/** Boards, posts, tags, likes, scraps and HOT/BEST: the rules, one transaction per write, pushes after commit. */
export class PostsService {
  private readonly boards;
  private readonly posts;
  private readonly likes;
  private readonly scraps;
  private readonly users;
  private readonly tags: Tags;
  private readonly renderer: PostRenderer;

  constructor(private readonly deps: PostsDeps) {
    this.boards = deps.db.getRepository(Board);
    this.posts = deps.db.getRepository(Post);
    this.likes = deps.db.getRepository(PostLike);
    this.scraps = deps.db.getRepository(Scrap);
    this.users = deps.db.getRepository(User);
    this.tags = new Tags(deps.db);
    this.renderer = new PostRenderer(deps.db);
  }

  async listBoards(): Promise<BoardDto[]> {
    const [boards, counts] = await Promise.all([
      this.deps.boards.all(),
      this.deps.db.query<{ boardId: number; n: number }>(
        'SELECT boardId, COUNT(*) AS n FROM posts WHERE deletedAt IS NULL GROUP BY boardId',
        { type: QueryTypes.SELECT },
      ),
    ]);
    const byBoard = new Map(counts.map((c) => [Number(c.boardId), Number(c.n)]));
    return boards.map((b) => ({
      id: b.id,
      name: b.name,
      description: b.description,
      anonymousOnly: b.anonymousOnly,
      hotEligible: b.hotEligible,
      postCount: byBoard.get(b.id) ?? 0,
    }));
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
    patch: Partial<Pick<BoardRow, 'name' | 'description' | 'anonymousOnly' | 'hotEligible' | 'position'>>,
  ): Promise<BoardRow> {
    await this.board(boardId);
    await this.boards.update(patch, { where: { id: boardId } });
    this.deps.boards.changed();
    return this.board(boardId);
  }

  async list(actor: Actor, input: PostsListInput): Promise<Page<PostDto>> {
    await this.board(input.boardId);
    const where: WhereOptions[] = [{ boardId: input.boardId }, { deletedAt: { [Op.is]: null } }];
    if (input.author !== undefined) {
      const author = await this.users.findOne({
        where: { usernameKey: input.author.toLowerCase() },
        attributes: ['id'],
      });
      if (!author) return { items: [], nextCursor: null };
      // Anonymous posts never match an author filter: that would unmask them.
      where.push({ authorId: author.id, anonymous: false });
    }
    if (input.tag !== undefined) {
      const tagId = await this.tags.idOf(input.tag);
      if (tagId === undefined) return { items: [], nextCursor: null };
      where.push({
        id: {
          [Op.in]: this.deps.db.literal(`(SELECT postId FROM post_tags WHERE tagId = ${Number(tagId)})`),
        },
      });
    }
    if (input.q !== undefined) where.push(textMatch(this.deps.db, input.q));
    if (input.from !== undefined) where.push({ createdAt: { [Op.gte]: new Date(input.from) } });
    if (input.to !== undefined) where.push({ createdAt: { [Op.lt]: endOf(input.to) } });
    const sort = SORT[input.order];
    const after = numberCursor(input.cursor);
    if (after) where.push(keyset(sort.column, sort.dir, after));
    const rows = await this.posts.findAll({
      where: { [Op.and]: where },
      order:
        sort.column === 'id'
          ? [['id', sort.dir]]
          : [
              [sort.column, sort.dir],
              ['id', sort.dir],
            ],
      limit: input.limit + 1,
    });
    const result = page(rows, input.limit, (last) => encodeCursor(last[sort.column], last.id));
    return { items: await this.renderer.render(result.items, actor.id), nextCursor: result.nextCursor };
  }

  async get(actor: Actor, postId: number): Promise<PostDto> {
    const post = await this.live(postId);
    const [dto, liked, scrapped] = await Promise.all([
      this.renderer.one(post, actor.id),
      this.likes.count({ where: { postId, userId: actor.id } }),
      this.scraps.count({ where: { postId, userId: actor.id } }),
    ]);
    return { ...dto, likedByMe: liked > 0, scrappedByMe: scrapped > 0 };
  }

  async create(actor: Actor, input: PostCreateInput): Promise<PostDto> {
    const board = await this.board(input.boardId);
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
      createdAt: now,
      updatedAt: now,
    };
  }

  async update(actor: Actor, input: PostUpdateInput): Promise<PostDto> {
    return this.deps.events.write(async (tx, emit) => {
      const post = await this.mine(actor, input.postId, tx);
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

  /**
   * 공감. The post row is locked first, so concurrent likes on several nodes queue on it:
   * the one that reaches the threshold stamps hotAt/bestAt, exactly once.
   */
  async like(actor: Actor, postId: number): Promise<PostLikedDto> {
    return this.deps.events.write(async (tx, emit) => {
      const post = await this.live(postId, tx, true);
      if (post.authorId === actor.id) throw new AppError('FORBIDDEN', 'You cannot like your own post');
      await insertOnce(
        this.likes.create({ postId, userId: actor.id }, { transaction: tx }),
        'You already liked this post',
      );
      const likeCount = post.likeCount + 1;
      const now = new Date();
      const reachesHot = post.hotAt == null && likeCount >= this.deps.hotThreshold;
      const becomesHot = reachesHot && (await this.board(post.boardId)).hotEligible;
      const becomesBest = post.bestAt == null && likeCount >= this.deps.bestThreshold;
      await post.update(
        { likeCount, ...(becomesHot && { hotAt: now }), ...(becomesBest && { bestAt: now }) },
        { transaction: tx, silent: true },
      );
      emit('postLiked', { postId, boardId: post.boardId, likeCount });
      if (becomesHot || becomesBest) {
        const dto = await this.renderer.one(post, undefined, tx);
        if (becomesHot) {
          emit('postHot', { post: dto, authorId: post.authorId });
          if (post.authorId !== null) {
            await this.deps.notifications.add(tx, emit, {
              userId: post.authorId,
              type: 'hot',
              postId,
              boardId: post.boardId,
              text: post.title,
              actorName: null,
            });
          }
        }
        if (becomesBest) emit('postBest', { post: dto, authorId: post.authorId });
      }
      return { postId, likeCount };
    });
  }

  async unlike(actor: Actor, postId: number): Promise<PostLikedDto> {
    return this.deps.events.write(async (tx, emit) => {
      const post = await this.live(postId, tx, true);
      const removed = await this.likes.destroy({ where: { postId, userId: actor.id }, transaction: tx });
      if (removed === 0) throw new AppError('CONFLICT', 'You have not liked this post');
      const likeCount = Math.max(0, post.likeCount - 1);
      await post.update({ likeCount }, { transaction: tx, silent: true });
      emit('postLiked', { postId, boardId: post.boardId, likeCount });
      return { postId, likeCount };
    });
  }

  async scrap(actor: Actor, postId: number, on: boolean): Promise<{ postId: number; scrapCount: number }> {
    return transaction(this.deps.db, async (tx) => {
      const post = await this.live(postId, tx, true);
      if (on) {
        await insertOnce(
          this.scraps.create({ postId, userId: actor.id }, { transaction: tx }),
          'You already scrapped this post',
        );
      } else if (
        (await this.scraps.destroy({ where: { postId, userId: actor.id }, transaction: tx })) === 0
      ) {
        throw new AppError('CONFLICT', 'You have not scrapped this post');
      }
      const scrapCount = Math.max(0, post.scrapCount + (on ? 1 : -1));
      await post.update({ scrapCount }, { transaction: tx, silent: true });
      return { postId, scrapCount };
    });
  }

  async scrapsList(actor: Actor, input: PageInput): Promise<Page<PostDto>> {
    const after = decodeCursor(input.cursor);
    const rows = await this.deps.db.query<{ postId: number }>(
      `SELECT s.postId AS postId FROM scraps s JOIN posts p ON p.id = s.postId
       WHERE s.userId = :userId AND p.deletedAt IS NULL ${after ? 'AND s.postId < :after' : ''}
       ORDER BY s.postId DESC LIMIT :limit`,
      {
        replacements: { userId: actor.id, after: after?.id ?? 0, limit: input.limit + 1 },
        type: QueryTypes.SELECT,
      },
    );
    const ids = rows.map((r) => Number(r.postId));
    const posts = await this.posts.findAll({ where: { id: { [Op.in]: ids } }, order: [['id', 'DESC']] });
    const result = page(posts, input.limit, (last) => encodeCursor(last.id, last.id));
    return { items: await this.renderer.render(result.items, actor.id), nextCursor: result.nextCursor };
  }

  /** HOT or BEST posts, newest promotion first. */
  async promoted(actor: Actor, which: 'hotAt' | 'bestAt', input: HotListInput): Promise<Page<PostDto>> {
    if (input.boardId !== undefined) await this.board(input.boardId);
    const after = dateCursor(input.cursor);
    const where: WhereOptions[] = [{ [which]: { [Op.not]: null } }, { deletedAt: { [Op.is]: null } }];
    if (input.boardId !== undefined) where.push({ boardId: input.boardId });
    if (after) {
      const at = after.value;
      where.push({ [Op.or]: [{ [which]: { [Op.lt]: at } }, { [which]: at, id: { [Op.lt]: after.id } }] });
    }
    const rows = await this.posts.findAll({
      where: { [Op.and]: where },
      order: [
        [which, 'DESC'],
        ['id', 'DESC'],
      ],
      limit: input.limit + 1,
    });
    const result = page(rows, input.limit, (last) => encodeCursor(last[which]!.toISOString(), last.id));
    return { items: await this.renderer.render(result.items, actor.id), nextCursor: result.nextCursor };
  }

  popularTags(input: PopularTagsInput): Promise<TagCountDto[]> {
    return this.tags.popular(input.boardId, input.limit);
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

/** Case-insensitive substring of title or content, the same on MySQL and SQLite (no LIKE escaping rules). */
function textMatch(db: Sequelize, q: string): WhereOptions {
  const needle = q.toLowerCase();
  const instr = (column: string) =>
    db.where(db.fn('instr', db.fn('lower', db.col(column)), needle), Op.gt, 0);
  return { [Op.or]: [instr('title'), instr('content')] };
}

/** `to` as an exclusive bound: a date means through the end of that day (UTC). */
function endOf(to: string): Date {
  const d = new Date(to);
  return /^\d{4}-\d{2}-\d{2}$/.test(to) ? new Date(d.getTime() + 86_400_000) : d;
}

function keyset(
  column: 'id' | 'likeCount' | 'commentCount',
  dir: 'ASC' | 'DESC',
  after: { value: number | string; id: number },
): WhereOptions {
  const cmp = dir === 'DESC' ? Op.lt : Op.gt;
  if (column === 'id') return { id: { [cmp]: after.id } };
  return {
    [Op.or]: [{ [column]: { [cmp]: after.value } }, { [column]: after.value, id: { [cmp]: after.id } }],
  };
}
