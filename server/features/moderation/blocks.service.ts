import { LRUCache } from 'lru-cache';
import type { Transaction } from 'sequelize';
import type { Sequelize } from 'sequelize-typescript';
import type { BlockDto } from '../../../shared/dto';
import type { TargetRef } from '../../../shared/schemas/moderation';
import type { Actor } from '../../core/auth';
import type { Bus } from '../../core/bus';
import { insertOnce } from '../../core/db';
import { AppError } from '../../core/errors';
import type { EventLog } from '../events/events.service';
import { BlockTargets } from './block-targets';
import { Targets } from './targets';
import { Block } from './moderation.model';
import type { BlocksApi } from './safety.socket';
import { Viewers, type BlockedAuthors } from './visibility';

export interface BlocksDeps {
  db: Sequelize;
  /** Blocks are written through the event log's write: a `requestId` makes them idempotent. */
  events: EventLog;
  /** Tells every node that a user's blocks changed (their caches drop that user). */
  bus: Bus;
  /** MAX_BLOCKS: blocks one user may hold. */
  maxBlocks: number;
  /** BLOCK_CACHE_SIZE users per node, each kept at most BLOCK_CACHE_TTL. */
  cache: { users: number; ttlMs: number };
  /**
   * After a block (`blocked`) or an unblock: every socket of `blockerId`, on every node, joins
   * (or leaves) what hides `blockedId`'s pushes from it. Called after commit.
   */
  onChange?: (blockerId: number, blockedId: number, blocked: boolean) => void;
}

const TOPIC = 'blocks:changed';
const NONE: ReadonlySet<number> = new Set();

/**
 * 차단: a user blocks the author of a post or comment, anonymous or not, without learning who it
 * is; from then on the author's content is gone for them (lists and reads through visibility.ts,
 * pushes through the rooms `onChange` joins, notifications through `has`).
 *
 * A second block of the same author answers CONFLICT. It tells the blocker nothing blocking
 * does not already tell: the author's other content disappears for them at the first block.
 */
export class BlocksService implements BlocksApi, BlockedAuthors {
  private readonly blocks;
  private readonly targets;
  private readonly viewers = new Viewers();
  /** Blocked ids per blocker; every node drops a blocker when their blocks change (the bus). */
  private readonly cache;
  private readonly loading = new Map<number, Promise<ReadonlySet<number>>>();
  /** Moves on every invalidation: a read that began before one must not fill the cache. */
  private generation = 0;

  constructor(private readonly deps: BlocksDeps) {
    this.blocks = deps.db.getRepository(Block);
    this.targets = new BlockTargets(new Targets(deps.db), deps.db);
    this.cache = new LRUCache<number, ReadonlySet<number>>({ max: deps.cache.users, ttl: deps.cache.ttlMs });
    deps.bus.subscribe(TOPIC, (m) => this.forget((m as { userId: number }).userId));
  }

  async block(actor: Actor, target: TargetRef): Promise<BlockDto> {
    // The target as the blocker may see it; their blocks aside, so a second block is a CONFLICT.
    const viewer = { ...(await this.viewers.of(actor)), blocked: NONE };
    const { authorId, label } = await this.targets.resolve(viewer, target);
    if (authorId === actor.id) {
      throw AppError.validation(
        { target: 'is your own; you cannot block yourself' },
        'You cannot block yourself',
      );
    }
    const row = await this.deps.events.write(async (tx) => {
      const held = await this.blocks.count({ where: { blockerId: actor.id }, transaction: tx });
      if (held >= this.deps.maxBlocks) {
        throw new AppError(
          'CONFLICT',
          `You have blocked ${held} users, the most allowed; unblock someone first`,
        );
      }
      return insertOnce(
        this.blocks.create({ blockerId: actor.id, blockedId: authorId, label }, { transaction: tx }),
        'You already blocked this author',
      );
    });
    this.changed(actor.id, authorId, true);
    return toDto(row);
  }

  async unblock(actor: Actor, blockId: number): Promise<{ blockId: number }> {
    const row = await this.deps.events.write(async (tx) => {
      // Someone else's block is NOT_FOUND, exactly like one that does not exist.
      const found = await this.blocks.findOne({
        where: { id: blockId, blockerId: actor.id },
        transaction: tx,
      });
      if (!found) throw new AppError('NOT_FOUND', `Block ${blockId} does not exist`);
      await found.destroy({ transaction: tx });
      return found;
    });
    this.changed(actor.id, row.blockedId, false);
    return { blockId };
  }

  /** The actor's blocks, newest first, each by where it came from (never whom). */
  async list(actor: Actor): Promise<BlockDto[]> {
    const rows = await this.blocks.findAll({ where: { blockerId: actor.id }, order: [['id', 'DESC']] });
    return rows.map(toDto);
  }

  /** The users `userId` blocked (BlockedAuthors), from this node's cache. */
  async of(userId: number): Promise<ReadonlySet<number>> {
    const hit = this.cache.get(userId);
    if (hit) return hit;
    let loading = this.loading.get(userId);
    if (!loading) {
      const load = this.load(userId).finally(() => {
        if (this.loading.get(userId) === load) this.loading.delete(userId);
      });
      this.loading.set(userId, load);
      loading = load;
    }
    return loading;
  }

  /**
   * Whether `blockerId` blocked `blockedId`; inside a write, pass its transaction: a miss reads
   * on it rather than taking a second pooled connection.
   */
  async has(blockerId: number, blockedId: number, tx?: Transaction): Promise<boolean> {
    const cached = this.cache.get(blockerId);
    if (cached) return cached.has(blockedId);
    const row = await this.blocks.findOne({
      where: { blockerId, blockedId },
      attributes: ['id'],
      transaction: tx,
    });
    return row !== null;
  }

  private async load(userId: number): Promise<ReadonlySet<number>> {
    const generation = this.generation;
    const rows = await this.blocks.findAll({
      where: { blockerId: userId },
      attributes: ['blockedId'],
      raw: true,
    });
    const blocked: ReadonlySet<number> = new Set(rows.map((r) => Number(r.blockedId)));
    if (generation === this.generation) this.cache.set(userId, blocked);
    return blocked;
  }

  /** This node at once, the others through the bus; then the blocker's sockets everywhere. */
  private changed(blockerId: number, blockedId: number, blocked: boolean): void {
    this.forget(blockerId);
    // Published before the sockets are told, on the same Redis connection: a node that sees the
    // sockets join has dropped its cached copy already.
    this.deps.bus.publish(TOPIC, { userId: blockerId });
    this.deps.onChange?.(blockerId, blockedId, blocked);
  }

  private forget(userId: number): void {
    this.generation++;
    this.cache.delete(userId);
    this.loading.delete(userId);
  }
}

function toDto(row: Block): BlockDto {
  return { id: row.id, label: row.label, createdAt: row.createdAt.toISOString() };
}
