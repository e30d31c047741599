import { Op, QueryTypes, type Transaction } from 'sequelize';
import type { Sequelize } from 'sequelize-typescript';
import type { TagCountDto } from '../../../shared/dto';
import { execute } from '../../core/db';
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

/** Tags are never renamed or deleted, so a known tag's id and spelling can be kept for good. */
const KNOWN_MAX = 10_000;

/** Tag names in display order, the same wherever a post is rendered. */
export function byName(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export interface TagRef {
  id: number;
  name: string;
}

export class Tags {
  private readonly tags;
  private readonly links;
  /** nameKey → tag, only for tags whose creating transaction has committed. */
  private readonly known = new Map<string, TagRef>();

  constructor(private readonly db: Sequelize) {
    this.tags = db.getRepository(Tag);
    this.links = db.getRepository(PostTag);
  }

  /**
   * Get-or-create, safe under concurrent creators on several nodes. Tags this node has seen
   * committed cost nothing. The others: INSERT … IGNORE every missing tag (in key order, so
   * writers lock rows in the same order; an existing one is left alone), then read them back
   * with a locking read, which sees rows other transactions committed meanwhile. A locking read
   * *before* the insert would lock the gap where a new tag goes and make concurrent creators
   * deadlock; a plain read would miss a tag committed after this transaction's snapshot.
   */
  async ensure(names: string[], tx: Transaction): Promise<TagRef[]> {
    const wanted = uniqueTags(names);
    const found: TagRef[] = [];
    const missing: string[] = [];
    for (const name of wanted) {
      const tag = this.known.get(tagKey(name));
      if (tag) found.push(tag);
      else missing.push(name);
    }
    if (missing.length) {
      missing.sort((a, b) => byName(tagKey(a), tagKey(b)));
      await this.tags.bulkCreate(
        missing.map((name) => ({ name, nameKey: tagKey(name) })),
        { transaction: tx, ignoreDuplicates: true, validate: false },
      );
      const lock = this.db.getDialect() === 'sqlite' ? undefined : tx.LOCK.SHARE;
      const rows = await this.tags.findAll({
        where: { nameKey: { [Op.in]: missing.map(tagKey) } },
        attributes: ['id', 'name', 'nameKey'],
        transaction: tx,
        lock,
        raw: true,
      });
      const created = rows.map((r) => ({ key: r.nameKey, tag: { id: r.id, name: r.name } }));
      found.push(...created.map((c) => c.tag));
      // Only once committed: a rolled-back transaction's new tag does not exist.
      tx.afterCommit(() => {
        if (this.known.size + created.length > KNOWN_MAX) this.known.clear();
        for (const c of created) this.known.set(c.key, c.tag);
      });
    }
    return found;
  }

  /**
   * Sets a post's tags; answers their names in display order. For a new post (`fresh`) there
   * is nothing to delete, and deleting anyway would lock the end of the post_tags index that
   * every concurrent creator inserts into.
   */
  async setForPost(postId: number, names: string[], tx: Transaction, fresh = false): Promise<string[]> {
    const tags = await this.ensure(names, tx);
    if (!fresh) await this.links.destroy({ where: { postId }, transaction: tx });
    if (tags.length)
      await execute(
        this.db,
        tx,
        `INSERT INTO post_tags (postId, tagId) VALUES ${tags.map(() => '(?, ?)').join(', ')}`,
        tags.flatMap((t) => [postId, t.id]),
      );
    return tags.map((t) => t.name).sort(byName);
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
