import type { Sequelize } from 'sequelize-typescript';
import type { Bus } from '../../core/bus';
import { AppError } from '../../core/errors';
import { Board } from './board.model';

/** A board as the services use it: plain values, never a model instance. */
export interface BoardRow {
  id: number;
  name: string;
  description: string;
  anonymousOnly: boolean;
  hotEligible: boolean;
  /** Accounts younger than NEW_ACCOUNT_DAYS may not write here (홍보게시판 and the like). */
  restricted: boolean;
  position: number;
}

const TOPIC = 'boards:changed';
/** An unknown board id reloads the list at most this often (new boards appear; bad ids cost nothing). */
const MISS_RELOAD_MS = 1_000;

/**
 * Every board, in memory: a write looks its board up without a round trip. A change made
 * through `changed()` reaches every node's cache through the bus at once; anything else (a
 * migration, SQL by hand, a bus message lost while Redis was away) is seen within `ttlMs`.
 */
export class BoardCache {
  private readonly repo;
  private boards: Map<number, BoardRow> | undefined;
  private loadedAt = 0;
  private loading: Promise<Map<number, BoardRow>> | undefined;
  private generation = 0;

  constructor(
    db: Sequelize,
    private readonly ttlMs: number,
    private readonly bus: Bus,
  ) {
    this.repo = db.getRepository(Board);
    bus.subscribe(TOPIC, () => this.invalidate());
  }

  async get(id: number): Promise<BoardRow> {
    let boards = await this.current();
    if (!boards.has(id) && Date.now() - this.loadedAt >= MISS_RELOAD_MS) boards = await this.reload();
    const board = boards.get(id);
    if (!board) throw new AppError('NOT_FOUND', `Board ${id} does not exist`);
    return board;
  }

  /** In display order. */
  async all(): Promise<BoardRow[]> {
    return [...(await this.current()).values()];
  }

  /** Tells every node (this one at once) that boards changed. */
  changed(): void {
    this.invalidate();
    this.bus.publish(TOPIC, {});
  }

  private invalidate(): void {
    this.generation++;
    this.boards = undefined;
  }

  private async current(): Promise<Map<number, BoardRow>> {
    if (this.boards && Date.now() - this.loadedAt < this.ttlMs) return this.boards;
    return this.reload();
  }

  private reload(): Promise<Map<number, BoardRow>> {
    this.loading ??= (async () => {
      const generation = this.generation;
      try {
        const rows = await this.repo.findAll({
          order: [
            ['position', 'ASC'],
            ['id', 'ASC'],
          ],
          raw: true,
        });
        const boards = new Map(
          rows.map((b) => [
            b.id,
            {
              id: b.id,
              name: b.name,
              description: b.description,
              anonymousOnly: Boolean(b.anonymousOnly),
              hotEligible: Boolean(b.hotEligible),
              restricted: Boolean(b.restricted),
              position: b.position,
            },
          ]),
        );
        // An invalidation that arrived while reading may describe a change this read missed.
        if (generation === this.generation) {
          this.boards = boards;
          this.loadedAt = Date.now();
        }
        return boards;
      } finally {
        this.loading = undefined;
      }
    })();
    return this.loading;
  }
}
