import { Op, QueryTypes, type WhereOptions } from 'sequelize';
import type { Sequelize } from 'sequelize-typescript';
import type { BoardDto, Page, PostDto, TagCountDto } from '../../../shared/dto';
import type {
  HotListInput,
  PageInput,
  PostsListInput,
  PopularTagsInput,
} from '../../../shared/schemas/boards';
import type { Actor } from '../../core/auth';
import { User } from '../accounts/user.model';
import type { BoardCache } from './board-cache';
import { dateCursor, decodeCursor, encodeCursor, numberCursor, page } from './cursor';
import { Post, PostLike, Scrap } from './post.model';
import type { PostsService } from './posts.service';
import { AppError } from '../../core/errors';
import { canSee, visibleTo, type Viewers } from '../moderation/visibility';

const SORT: Record<
  PostsListInput['order'],
  { column: 'id' | 'likeCount' | 'commentCount'; dir: 'DESC' | 'ASC' }
> = {
  newest: { column: 'id', dir: 'DESC' },
  oldest: { column: 'id', dir: 'ASC' },
  likes: { column: 'likeCount', dir: 'DESC' },
  comments: { column: 'commentCount', dir: 'DESC' },
};

/** Reading boards and posts: lists, search, one post, scraps, HOT/BEST and popular tags. */
export class PostQueries {
  private readonly posts;
  private readonly likes;
  private readonly scraps;
  private readonly users;

  constructor(
    private readonly deps: { db: Sequelize; boards: BoardCache; posts: PostsService; viewers: Viewers },
  ) {
    this.posts = deps.db.getRepository(Post);
    this.likes = deps.db.getRepository(PostLike);
    this.scraps = deps.db.getRepository(Scrap);
    this.users = deps.db.getRepository(User);
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
      restricted: b.restricted,
      postCount: byBoard.get(b.id) ?? 0,
    }));
  }

  async list(actor: Actor, input: PostsListInput): Promise<Page<PostDto>> {
    const [, viewer] = await Promise.all([this.deps.posts.board(input.boardId), this.deps.viewers.of(actor)]);
    const where: WhereOptions[] = [
      { boardId: input.boardId },
      { deletedAt: { [Op.is]: null } },
      visibleTo(viewer),
    ];
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
      const tagId = await this.deps.posts.tags.idOf(input.tag);
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
    return {
      items: await this.deps.posts.renderer.render(result.items, actor.id),
      nextCursor: result.nextCursor,
    };
  }

  async get(actor: Actor, postId: number): Promise<PostDto> {
    const [post, viewer] = await Promise.all([this.deps.posts.live(postId), this.deps.viewers.of(actor)]);
    if (!canSee(viewer, post)) throw new AppError('NOT_FOUND', `Post ${postId} does not exist`);
    const [dto, liked, scrapped] = await Promise.all([
      this.deps.posts.renderer.one(post, actor.id),
      this.likes.count({ where: { postId, userId: actor.id } }),
      this.scraps.count({ where: { postId, userId: actor.id } }),
    ]);
    return { ...dto, likedByMe: liked > 0, scrappedByMe: scrapped > 0 };
  }

  async scrapsList(actor: Actor, input: PageInput): Promise<Page<PostDto>> {
    const after = decodeCursor(input.cursor);
    const viewer = await this.deps.viewers.of(actor);
    const rows = await this.posts.findAll({
      where: {
        [Op.and]: [
          {
            id: {
              [Op.in]: this.deps.db.literal(`(SELECT postId FROM scraps WHERE userId = ${Number(actor.id)})`),
            },
          },
          { deletedAt: { [Op.is]: null } },
          visibleTo(viewer),
          ...(after ? [{ id: { [Op.lt]: after.id } }] : []),
        ],
      },
      order: [['id', 'DESC']],
      limit: input.limit + 1,
    });
    const result = page(rows, input.limit, (last) => encodeCursor(last.id, last.id));
    return {
      items: await this.deps.posts.renderer.render(result.items, actor.id),
      nextCursor: result.nextCursor,
    };
  }

  /**
   * `me:posts`: the actor's own posts on every board, newest first, not deleted. Anonymous ones
   * too (the actor alone asks for them: `isMine`, `anonymous: true`, no name) and hidden ones,
   * marked `hidden`, as their author sees them anywhere.
   */
  async mine(actor: Actor, input: PageInput): Promise<Page<PostDto>> {
    const after = decodeCursor(input.cursor);
    const rows = await this.posts.findAll({
      where: {
        authorId: actor.id,
        deletedAt: { [Op.is]: null },
        ...(after && { id: { [Op.lt]: after.id } }),
      },
      order: [['id', 'DESC']],
      limit: input.limit + 1,
    });
    const result = page(rows, input.limit, (last) => encodeCursor(last.id, last.id));
    return {
      items: await this.deps.posts.renderer.render(result.items, actor.id),
      nextCursor: result.nextCursor,
    };
  }

  /** HOT or BEST posts, newest promotion first. */
  async promoted(actor: Actor, which: 'hotAt' | 'bestAt', input: HotListInput): Promise<Page<PostDto>> {
    if (input.boardId !== undefined) await this.deps.posts.board(input.boardId);
    const viewer = await this.deps.viewers.of(actor);
    const after = dateCursor(input.cursor);
    const where: WhereOptions[] = [
      { [which]: { [Op.not]: null } },
      { deletedAt: { [Op.is]: null } },
      visibleTo(viewer),
    ];
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
    return {
      items: await this.deps.posts.renderer.render(result.items, actor.id),
      nextCursor: result.nextCursor,
    };
  }

  popularTags(input: PopularTagsInput): Promise<TagCountDto[]> {
    return this.deps.posts.tags.popular(input.boardId, input.limit);
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
