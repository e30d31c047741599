import { Op, QueryTypes, type Transaction } from 'sequelize';
import type { Sequelize } from 'sequelize-typescript';
import type { TagCountDto } from '../../../shared/dto';
import { AppError } from '../../core/errors';
import { PostTag, Tag } from './tag.model';

/** The identity of a tag: NFKC and lower case, so `React`, `react` and `ｒｅａｃｔ` are one tag. */
export function tagKey(name: string): string {
  const key = name.normalize('NFKC').toLowerCase();
  // A 30-character tag stays far below this unless it is made of characters NFKC expands a lot.
  if ([...key].length > 255) throw AppError.validation({ tags: `"${name}" is too long once normalised` });
  return key;
}

/** Trimmed, deduplicated by key, first spelling kept. */
export function uniqueTags(names: string[]): string[] {
  const seen = new Map<string, string>();
  for (const name of names) if (!seen.has(tagKey(name))) seen.set(tagKey(name), name);
  return [...seen.values()];
}

export class Tags {
  private readonly tags;
  private readonly links;

  constructor(private readonly db: Sequelize) {
    this.tags = db.getRepository(Tag);
    this.links = db.getRepository(PostTag);
  }

  /**
   * Get-or-create, safe under concurrent creators on several nodes: INSERT … IGNORE every
   * wanted tag (in key order, so writers lock rows in the same order; an existing one is left
   * alone), then read them back with a locking read, which sees rows other transactions
   * committed meanwhile. A locking read *before* the insert would lock the gap where a new tag
   * goes and make concurrent creators deadlock; a plain read would miss a tag committed after
   * this transaction's snapshot.
   */
  async ensure(names: string[], tx: Transaction): Promise<Tag[]> {
    const wanted = uniqueTags(names).sort((a, b) => (tagKey(a) < tagKey(b) ? -1 : 1));
    if (wanted.length === 0) return [];
    await this.tags.bulkCreate(
      wanted.map((name) => ({ name, nameKey: tagKey(name) })),
      { transaction: tx, ignoreDuplicates: true },
    );
    const lock = this.db.getDialect() === 'sqlite' ? undefined : tx.LOCK.SHARE;
    return this.tags.findAll({ where: { nameKey: { [Op.in]: wanted.map(tagKey) } }, transaction: tx, lock });
  }

  /**
   * Sets a post's tags. For a new post (`fresh`) there is nothing to delete, and deleting
   * anyway would lock the end of the post_tags index that every concurrent creator inserts into.
   */
  async setForPost(postId: number, names: string[], tx: Transaction, fresh = false): Promise<void> {
    const tags = await this.ensure(names, tx);
    if (!fresh) await this.links.destroy({ where: { postId }, transaction: tx });
    if (tags.length)
      await this.links.bulkCreate(
        tags.map((t) => ({ postId, tagId: t.id })),
        { transaction: tx },
      );
  }

  /** The id of a tag by any spelling, or undefined. */
  async idOf(name: string): Promise<number | undefined> {
    return (await this.tags.findOne({ where: { nameKey: tagKey(name) }, attributes: ['id'] }))?.id;
  }

  /** Most used tags on live posts, optionally on one board. */
  async popular(boardId: number | undefined, limit: number): Promise<TagCountDto[]> {
    const rows = await this.db.query<{ name: string; count: number }>(
      `SELECT t.name AS name, COUNT(*) AS count FROM post_tags pt
       JOIN tags t ON t.id = pt.tagId JOIN posts p ON p.id = pt.postId
       WHERE p.deletedAt IS NULL ${boardId === undefined ? '' : 'AND p.boardId = :boardId'}
       GROUP BY t.id, t.name ORDER BY count DESC, t.name ASC LIMIT :limit`,
      { replacements: { boardId: boardId ?? null, limit }, type: QueryTypes.SELECT },
    );
    return rows.map((r) => ({ name: r.name, count: Number(r.count) }));
  }
}
