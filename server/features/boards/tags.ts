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
   * Get-or-create, safe under concurrent creators on several nodes: INSERT … IGNORE the
   * missing ones (in key order, so two writers lock rows in the same order), then read them
   * back with a locking read, which sees rows other transactions committed meanwhile.
   */
  async ensure(names: string[], tx: Transaction): Promise<Tag[]> {
    const wanted = uniqueTags(names).sort((a, b) => (tagKey(a) < tagKey(b) ? -1 : 1));
    if (wanted.length === 0) return [];
    const keys = wanted.map(tagKey);
    const lock = this.db.getDialect() === 'sqlite' ? undefined : tx.LOCK.SHARE;
    const found = await this.tags.findAll({ where: { nameKey: { [Op.in]: keys } }, transaction: tx, lock });
    const missing = wanted.filter((n) => !found.some((t) => t.nameKey === tagKey(n)));
    if (missing.length === 0) return found;
    await this.tags.bulkCreate(
      missing.map((name) => ({ name, nameKey: tagKey(name) })),
      { transaction: tx, ignoreDuplicates: true },
    );
    return this.tags.findAll({ where: { nameKey: { [Op.in]: keys } }, transaction: tx, lock });
  }

  /** Replaces a post's tags. */
  async setForPost(postId: number, names: string[], tx: Transaction): Promise<void> {
    const tags = await this.ensure(names, tx);
    await this.links.destroy({ where: { postId }, transaction: tx });
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
