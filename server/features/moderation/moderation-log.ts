import { Op, type Transaction } from 'sequelize';
import type { Sequelize } from 'sequelize-typescript';
import type { ModerationLogDto, Page } from '../../../shared/dto';
import type { LogListInput, TargetRef } from '../../../shared/schemas/moderation';
import { User } from '../accounts/user.model';
import { decodeCursor, encodeCursor, page } from '../boards/cursor';
import { ModerationLogRow } from './moderation.model';

export interface LogEntry {
  /** The moderator or admin; null for the system (automatic hiding by reports). */
  actorId: number | null;
  action: ModerationLogDto['action'];
  target?: TargetRef;
  detail?: string;
  reason?: string;
}

/**
 * The append-only moderation log: who did what, to what, when and why. Rows are only ever
 * inserted. It names the moderator and the target (a post, comment or message), never the target's
 * author: a suspension of an anonymous writer is logged against the post it came from.
 */
export class ModerationLog {
  private readonly rows;
  private readonly users;

  constructor(db: Sequelize) {
    this.rows = db.getRepository(ModerationLogRow);
    this.users = db.getRepository(User);
  }

  /** Appends one entry, in the transaction of the action it records. */
  async append(tx: Transaction, entry: LogEntry): Promise<void> {
    await this.rows.create(
      {
        actorId: entry.actorId,
        action: entry.action,
        targetKind: entry.target?.kind ?? null,
        targetId: entry.target?.id ?? null,
        detail: entry.detail ?? null,
        reason: entry.reason ?? null,
      },
      { transaction: tx },
    );
  }

  /** Newest first. */
  async list(input: LogListInput): Promise<Page<ModerationLogDto>> {
    const after = decodeCursor(input.cursor);
    const rows = await this.rows.findAll({
      where: after ? { id: { [Op.lt]: after.id } } : {},
      order: [['id', 'DESC']],
      limit: input.limit + 1,
    });
    const result = page(rows, input.limit, (last) => encodeCursor(last.id, last.id));
    const actorIds = [...new Set(result.items.flatMap((r) => (r.actorId === null ? [] : [r.actorId])))];
    const actors = new Map(
      (
        await this.users.findAll({ where: { id: { [Op.in]: actorIds } }, attributes: ['id', 'username'] })
      ).map((u) => [u.id, u.username]),
    );
    return {
      items: result.items.map((r) => ({
        id: r.id,
        actor:
          r.actorId === null
            ? { id: 0, username: '(system)' }
            : { id: r.actorId, username: actors.get(r.actorId) ?? '(deleted user)' },
        action: r.action,
        target: r.targetKind && r.targetId !== null ? { kind: r.targetKind, id: r.targetId } : null,
        detail: r.detail,
        reason: r.reason,
        createdAt: r.createdAt.toISOString(),
      })),
      nextCursor: result.nextCursor,
    };
  }
}
