import { Op, QueryTypes, type Transaction } from 'sequelize';
import type { Sequelize } from 'sequelize-typescript';
import type { PushEvent } from '../../../shared/dto';
import type { NamespaceName } from '../../../shared/events';
import { transaction } from '../../core/db';
import { AppError } from '../../core/errors';
import { rooms } from '../../core/rooms';
import { EventRow } from './event.model';

/** A change to push, written to the log inside the transaction that makes it. */
export interface EventDraft {
  nsp: NamespaceName;
  room: string;
  type: string;
  data: object;
  /**
   * The user who wrote the thing the event carries. Never sent: it only lets the server set
   * `data.isMine` for each recipient (and stays in the log for resume).
   */
  authorId?: number | null;
}

export interface LoggedEvent extends EventDraft {
  id: number;
  at: string;
}

/** How an event reaches sockets: the room on this namespace, optionally minus another room. */
export type Broadcast = (
  nsp: NamespaceName,
  room: string,
  type: string,
  payload: PushEvent,
  except?: string,
) => void;

export interface EventLogOptions {
  broadcast: Broadcast;
  retentionMs: number;
  maxResume: number;
}

/**
 * The event log (DESIGN.md "Events"): every pushed change gets an id from one
 * auto-increment table, is written in the transaction that makes the change, and is pushed
 * only after that commits. Subscribers resume from the log with `since`.
 */
export class EventLog {
  private readonly rows;

  constructor(
    private readonly db: Sequelize,
    private readonly options: EventLogOptions,
  ) {
    this.rows = db.getRepository(EventRow);
  }

  /**
   * Runs `work` in one transaction (retried on deadlock; see core/db.ts); the events it emits
   * are logged at its end and pushed after commit.
   */
  async write<T>(work: (tx: Transaction, emit: (draft: EventDraft) => void) => Promise<T>): Promise<T> {
    let logged: LoggedEvent[] = [];
    const result = await transaction(this.db, async (tx) => {
      // Fresh per attempt: a transaction retried after a deadlock emits its events again.
      const drafts: EventDraft[] = [];
      const value = await work(tx, (d) => drafts.push(d));
      logged = await this.append(tx, drafts);
      return value;
    });
    this.publish(logged);
    return result;
  }

  private async append(tx: Transaction, drafts: EventDraft[]): Promise<LoggedEvent[]> {
    if (drafts.length === 0) return [];
    // Held to commit: ids are handed out in commit order (see migration 0004).
    await this.db.query('UPDATE event_sequence SET writes = writes + 1 WHERE id = 1', { transaction: tx });
    const logged: LoggedEvent[] = [];
    for (const draft of drafts) {
      const stored = JSON.stringify(
        draft.authorId == null ? { d: draft.data } : { d: draft.data, a: draft.authorId },
      );
      const row = await this.rows.create(
        { room: draft.room, type: draft.type, data: stored },
        { transaction: tx },
      );
      logged.push({ ...draft, id: Number(row.id), at: row.createdAt.toISOString() });
    }
    return logged;
  }

  private publish(events: LoggedEvent[]): void {
    const { broadcast } = this.options;
    for (const e of events) {
      if (e.authorId == null) {
        broadcast(e.nsp, e.room, e.type, render(e, undefined));
        continue;
      }
      // Everyone but the author's own sockets get isMine: false; the author's get true.
      const mine = rooms.viewer(e.room, e.authorId);
      broadcast(e.nsp, e.room, e.type, render(e, undefined), mine);
      broadcast(e.nsp, mine, e.type, render(e, e.authorId));
    }
  }

  /**
   * The events of `room` after `since` (optionally only some types: `user:<id>` carries the
   * personal events of several namespaces), as `viewerId` sees them; RESYNC_REQUIRED when impossible.
   */
  async since(
    room: string,
    since: number,
    viewerId: number,
    types?: readonly string[],
  ): Promise<PushEvent[]> {
    const [bounds] = await this.db.query<{ oldest: number | null; newest: number | null }>(
      'SELECT MIN(id) AS oldest, MAX(id) AS newest FROM events',
      { type: QueryTypes.SELECT },
    );
    const newest = bounds?.newest == null ? 0 : Number(bounds.newest);
    const oldest = bounds?.oldest == null ? newest + 1 : Number(bounds.oldest);
    if (since > newest) {
      throw new AppError(
        'RESYNC_REQUIRED',
        `since ${since} is newer than the newest event (${newest}); reload the list`,
      );
    }
    if (since < oldest - 1) {
      throw new AppError('RESYNC_REQUIRED', `Events after ${since} are no longer kept; reload the list`);
    }
    const rows = await this.rows.findAll({
      where: { room, id: { [Op.gt]: since }, ...(types && { type: { [Op.in]: [...types] } }) },
      order: [['id', 'ASC']],
      limit: this.options.maxResume + 1,
    });
    if (rows.length > this.options.maxResume) {
      throw new AppError(
        'RESYNC_REQUIRED',
        `More than ${this.options.maxResume} events were missed; reload the list`,
      );
    }
    return rows.map((row) => {
      const stored = JSON.parse(row.data) as { d: object; a?: number };
      const e = {
        id: Number(row.id),
        room: row.room,
        type: row.type,
        data: stored.d,
        authorId: stored.a,
        at: row.createdAt.toISOString(),
      };
      return render(e, viewerId);
    });
  }

  /** Deletes events older than the retention window, always keeping the newest one (it anchors `since`). */
  async prune(now = Date.now()): Promise<number> {
    const newest = await this.rows.max<number, EventRow>('id');
    if (newest == null) return 0;
    return this.rows.destroy({
      where: { createdAt: { [Op.lt]: new Date(now - this.options.retentionMs) }, id: { [Op.lt]: newest } },
    });
  }
}

function render(
  e: { id: number; room: string; type: string; data: object; authorId?: number | null; at: string },
  viewerId: number | undefined,
): PushEvent {
  const data =
    e.authorId == null ? e.data : { ...e.data, isMine: viewerId !== undefined && e.authorId === viewerId };
  return { id: e.id, room: e.room, type: e.type, data, at: e.at };
}
