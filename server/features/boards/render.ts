import { Op, QueryTypes, type Transaction } from 'sequelize';
import type { Sequelize } from 'sequelize-typescript';
import type { PostDto } from '../../../shared/dto';
import { User } from '../accounts/user.model';
import type { Post } from './post.model';
import { hiddenOf } from '../moderation/visibility';
import { byName } from './tags';

export const ANONYMOUS = '익명';
export const UNKNOWN_USER = '(알 수 없음)';
/** A named post or comment whose author deleted the account (clients may show "(deleted user)"). */
export const DELETED_USER = '(탈퇴한 사용자)';

/**
 * How a post or comment names its author when it is not anonymous: the nickname, or for an author
 * whose account was deleted (no author left) DELETED_USER, marked `authorDeleted`.
 */
export function namedAuthor(
  authorId: number | null,
  names: Map<number, string>,
): { authorName: string; authorDeleted?: true } {
  if (authorId === null) return { authorName: DELETED_USER, authorDeleted: true };
  return { authorName: names.get(authorId) || UNKNOWN_USER };
}

/** Loads what a PostDto needs besides the row (nicknames, tags) in two queries for any number of posts. */
export class PostRenderer {
  private readonly users;

  constructor(private readonly db: Sequelize) {
    this.users = db.getRepository(User);
  }

  /** Inside a transaction, pass it: a second pooled connection per writer can exhaust the pool. */
  async nicknames(ids: Array<number | null>, transaction?: Transaction): Promise<Map<number, string>> {
    const wanted = [...new Set(ids.filter((id): id is number => id !== null))];
    if (wanted.length === 0) return new Map();
    const users = await this.users.findAll({
      where: { id: { [Op.in]: wanted } },
      attributes: ['id', 'nickname'],
      transaction,
    });
    return new Map(users.map((u) => [u.id, u.nickname]));
  }

  async tags(postIds: number[], transaction?: Transaction): Promise<Map<number, string[]>> {
    const map = new Map<number, string[]>(postIds.map((id) => [id, []]));
    if (postIds.length === 0) return map;
    const rows = await this.db.query<{ postId: number; name: string }>(
      `SELECT pt.postId AS postId, t.name AS name FROM post_tags pt JOIN tags t ON t.id = pt.tagId
       WHERE pt.postId IN (:ids)`,
      { replacements: { ids: postIds }, type: QueryTypes.SELECT, transaction },
    );
    for (const r of rows) map.get(Number(r.postId))?.push(r.name);
    // In JS, not ORDER BY: a write renders its post without a read, and both must agree.
    for (const names of map.values()) names.sort(byName);
    return map;
  }

  /**
   * Renders posts for one viewer (`undefined`: nobody in particular). Anonymous posts never
   * carry their author's id or name. Inside a write, pass its transaction: it sees the new tags.
   */
  async render(posts: Post[], viewerId: number | undefined, transaction?: Transaction): Promise<PostDto[]> {
    const [names, tags] = await Promise.all([
      this.nicknames(
        posts.filter((p) => !p.anonymous).map((p) => p.authorId),
        transaction,
      ),
      this.tags(
        posts.map((p) => p.id),
        transaction,
      ),
    ]);
    return posts.map((p) => toPostDto(p, tags.get(p.id) ?? [], names, viewerId));
  }

  async one(post: Post, viewerId: number | undefined, transaction?: Transaction): Promise<PostDto> {
    return (await this.render([post], viewerId, transaction))[0]!;
  }
}

/** What a PostDto is made of: a Post model or the row a hand-written INSERT wrote. */
export type PostRow = Pick<
  Post,
  | 'id'
  | 'boardId'
  | 'authorId'
  | 'title'
  | 'content'
  | 'anonymous'
  | 'likeCount'
  | 'commentCount'
  | 'scrapCount'
  | 'hotAt'
  | 'bestAt'
  | 'createdAt'
  | 'updatedAt'
  | 'hiddenAt'
  | 'hiddenReason'
>;

export function toPostDto(
  post: PostRow,
  tags: string[],
  names: Map<number, string>,
  viewerId: number | undefined,
): PostDto {
  const named = !post.anonymous && post.authorId !== null;
  const author = post.anonymous ? { authorName: ANONYMOUS } : namedAuthor(post.authorId, names);
  return {
    id: post.id,
    boardId: post.boardId,
    title: post.title,
    content: post.content,
    tags,
    anonymous: post.anonymous,
    authorName: author.authorName,
    authorId: named ? post.authorId : null,
    ...(author.authorDeleted && { authorDeleted: true }),
    isMine: viewerId !== undefined && post.authorId === viewerId,
    likeCount: post.likeCount,
    commentCount: post.commentCount,
    scrapCount: post.scrapCount,
    hotAt: post.hotAt?.toISOString() ?? null,
    bestAt: post.bestAt?.toISOString() ?? null,
    createdAt: post.createdAt.toISOString(),
    updatedAt: post.updatedAt.toISOString(),
    ...(post.hiddenAt && { hidden: hiddenOf(post) }),
  };
}
