import { Op, QueryTypes, type Transaction } from 'sequelize';
import type { Sequelize } from 'sequelize-typescript';
import type { PushEvent, ResumeDto } from '../../../shared/dto';
import type { NamespaceName } from '../../../shared/events';
import { execute, isSqlite, transaction } from '../../core/db';
import { AppError } from '../../core/errors';
import type { Metrics } from '../../core/metrics';
import type { RequestKeys } from '../../core/request-keys';
import { route, type Emit, type EventDraft } from '../../core/routes';
import { rooms } from '../../../shared/rooms';
import { readEpoch } from './epoch';
import { EventRow } from './event.model';

export type LoggedEvent = EventDraft & {
  id: number;
  at: string;
};

/** How an event reaches sockets: the room on this namespace, optionally minus another room. */
export type Broadcast = (
  nsp: NamespaceName,
  room: string,
  type: EventDraft['type'],
  payload: PushEvent,
  except?: string | string[],
) => void;

/** A logged event as the log keeps it, before it is rendered for one viewer. */
export interface StoredEvent {
  id: number;
  room: string;
  type: string;
  data: object;
  /** The user who wrote what the event carries (see DraftOf.authorId); never sent. */
  authorId?: number | null;
  at: string;
}

/**
 * Keeps the logged events a resume may hand back to one viewer (e.g. not the content of posts
 * hidden since, nor that of authors the viewer blocked); see moderation/feed-visibility.ts.
 */
export type ResumeFilter = (events: StoredEvent[]) => Promise<StoredEvent[]>;

export interface EventLogOptions {
  broadcast: Broadcast;
  /** Idempotent writes: a command's `requestId` is claimed in its write's transaction. */
  requestKeys?: RequestKeys;
  metrics?: Metrics;
  retentionMs: number;
  maxResume: number;
}

/**
 * The event log (DESIGN.md "Events"): every pushed change is numbered within its room, written
 * in the transaction that makes it, and pushed only after that commits. Subscribers resume
 * from the log with `since` (and the `epoch` of the history they saw).
 */
export class EventLog {
  private readonly rows;
  private current: string | undefined;

  constructor(
    private readonly db: Sequelize,
    private readonly options: EventLogOptions,
  ) {
    this.rows = db.getRepository(EventRow);
  }

  /** Reads the history's epoch; call once after the migrations. */
  async load(): Promise<void> {
    this.current = await readEpoch(this.db);
  }

  /** The epoch every event of this node carries. */
  get epoch(): string {
    if (this.current === undefined) throw new Error('EventLog.load() was not called');
    return this.current;
  }

  /**
   * Runs `work` in one transaction (retried on deadlock; see core/db.ts); the facts it emits
   * become pushes through the routing table (core/routes.ts), logged at its end and pushed after
   * commit.
   */
  async write<T>(work: (tx: Transaction, emit: Emit) => Promise<T>): Promise<T> {
    let logged: LoggedEvent[] = [];
    const result = await transaction(this.db, async (tx) => {
      // Fresh per attempt: a transaction retried after a deadlock emits its events again.
      const drafts: EventDraft[] = [];
      // First: a retry of an applied request stops here (Replay), before it writes anything.
      await this.options.requestKeys?.claim(tx);
      const value = await work(tx, (fact, data) => drafts.push(...route(fact, data)));
      const started = performance.now();
      logged = await this.append(tx, drafts);
      if (drafts.length) this.options.metrics?.append((performance.now() - started) / 1000);
      return value;
    });
    this.publish(logged);
    return result;
  }

  /**
   * Numbers the drafts within their rooms and inserts them: one statement for the numbers
   * (two when several rooms are written) and one for the rows, at the very end of the
   * transaction, so each room's row lock is held for as short a time as possible.
   */
  private async append(tx: Transaction, drafts: EventDraft[]): Promise<LoggedEvent[]> {
    if (drafts.length === 0) return [];
    const counts = new Map<string, number>();
    for (const d of drafts) counts.set(d.room, (counts.get(d.room) ?? 0) + 1);
    const last = await this.allocate(tx, counts);
    const next = new Map([...counts].map(([room, n]) => [room, last.get(room)! - n + 1]));
    const now = new Date();
    const at = now.toISOString();
    const logged = drafts.map((draft) => {
      const id = next.get(draft.room)!;
      next.set(draft.room, id + 1);
      return { ...draft, id, at };
    });
    const rows = logged.map((e) => [
      e.room,
      e.id,
      e.type,
      JSON.stringify(e.authorId == null ? { d: e.data } : { d: e.data, a: e.authorId }),
      now,
    ]);
    await execute(
      this.db,
      tx,
      `INSERT INTO events (room, seq, type, data, createdAt) VALUES ${rows.map(() => '(?, ?, ?, ?, ?)').join(', ')}`,
      rows.flat(),
    );
    return logged;
  }

  /**
   * Adds `counts` to each room's sequence and answers each room's new last number. The upsert
   * locks the room's row until commit: writers to one room take turns from here, so numbers
   * follow commit order without gaps; writers to other rooms are not held. Rooms are locked in
   * name order, so two writers that share rooms cannot deadlock on them.
   */
  private async allocate(tx: Transaction, counts: Map<string, number>): Promise<Map<string, number>> {
    const entries = [...counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    if (!isSqlite(this.db) && entries.length === 1) {
      const [room, n] = entries[0]!;
      // LAST_INSERT_ID(expr) hands the updated value back in the OK packet: one round trip.
      const { insertId } = await execute(
        this.db,
        tx,
        'INSERT INTO event_streams (room, seq) VALUES (?, ?) ON DUPLICATE KEY UPDATE seq = LAST_INSERT_ID(seq + VALUES(seq))',
        [room, n],
      );
      // 0: the row was new, so this room's numbers start at 1.
      return new Map([[room, Number(insertId) || n]]);
    }
    const values = entries.map(() => '(?, ?)').join(', ');
    const upsert = isSqlite(this.db)
      ? `INSERT INTO event_streams (room, seq) VALUES ${values} ON CONFLICT(room) DO UPDATE SET seq = seq + excluded.seq`
      : `INSERT INTO event_streams (room, seq) VALUES ${values} ON DUPLICATE KEY UPDATE seq = seq + VALUES(seq)`;
    await this.db.query(upsert, { replacements: entries.flat(), transaction: tx });
    const rows = await this.db.query<{ room: string; seq: number }>(
      'SELECT room, seq FROM event_streams WHERE room IN (:rooms)',
      { replacements: { rooms: entries.map(([room]) => room) }, type: QueryTypes.SELECT, transaction: tx },
    );
    return new Map(rows.map((r) => [r.room, Number(r.seq)]));
  }

  private publish(events: LoggedEvent[]): void {
    const { broadcast } = this.options;
    for (const e of events) {
      if (e.authorId == null) {
        broadcast(e.nsp, e.room, e.type, this.render(e, undefined));
        continue;
      }
      // Everyone but the author's own sockets get isMine: false; the author's get true. Those
      // who blocked the author get nothing: their sockets are in the author's hide room, so
      // the fan-out filters nobody one by one.
      const mine = rooms.viewer(e.room, e.authorId);
      broadcast(e.nsp, e.room, e.type, this.render(e, undefined), [mine, rooms.hide(e.authorId)]);
      broadcast(e.nsp, mine, e.type, this.render(e, e.authorId));
    }
  }

  /**
   * A subscribe's or resume's answer: the events after `since` (none without one) and the
   * epoch to send back next time.
   */
  async resume(
    room: string,
    viewerId: number,
    input: { since?: number; epoch?: string },
    types?: readonly string[],
    filter?: ResumeFilter,
  ): Promise<ResumeDto> {
    if (input.since === undefined) return { events: [], epoch: this.epoch, lastId: await this.newest(room) };
    try {
      const { events, newest } = await this.since(room, input.since, viewerId, {
        types,
        epoch: input.epoch,
        filter,
      });
      this.options.metrics?.resume('ok');
      return { events, epoch: this.epoch, lastId: newest };
    } catch (err) {
      if (err instanceof AppError && err.code === 'RESYNC_REQUIRED')
        this.options.metrics?.resume('resync_required');
      throw err;
    }
  }

  /** The newest event id of `room` (0 when it has none). */
  private async newest(room: string): Promise<number> {
    const [row] = await this.db.query<{ seq: number }>('SELECT seq FROM event_streams WHERE room = :room', {
      replacements: { room },
      type: QueryTypes.SELECT,
    });
    return row ? Number(row.seq) : 0;
  }

  /**
   * The events of `room` after `since` (optionally only some types: `user:<id>` carries the
   * personal events of several namespaces), as `viewerId` sees them; RESYNC_REQUIRED when
   * impossible: another epoch, a `since` beyond the room's last event, or events pruned.
   * Also answers the room's newest id, read before the events.
   */
  private async since(
    room: string,
    since: number,
    viewerId: number,
    options: { types?: readonly string[]; epoch?: string; filter?: ResumeFilter },
  ): Promise<{ events: PushEvent[]; newest: number }> {
    if (options.epoch !== undefined && options.epoch !== this.epoch) {
      throw new AppError(
        'RESYNC_REQUIRED',
        `The event history was replaced (epoch ${options.epoch} is now ${this.epoch}); reload the list`,
      );
    }
    const [bounds] = await this.db.query<{ newest: number | null; oldest: number | null }>(
      `SELECT (SELECT seq FROM event_streams WHERE room = :room) AS newest,
              (SELECT MIN(seq) FROM events WHERE room = :room) AS oldest`,
      { replacements: { room }, type: QueryTypes.SELECT },
    );
    const newest = bounds?.newest == null ? 0 : Number(bounds.newest);
    const oldest = bounds?.oldest == null ? newest + 1 : Number(bounds.oldest);
    if (since > newest) {
      throw new AppError(
        'RESYNC_REQUIRED',
        `since ${since} is newer than the newest event of ${room} (${newest}); reload the list`,
      );
    }
    if (since < oldest - 1) {
      throw new AppError('RESYNC_REQUIRED', `Events after ${since} are no longer kept; reload the list`);
    }
    if (since === newest) return { events: [], newest };
    const { types } = options;
    const rows = await this.rows.findAll({
      where: { room, seq: { [Op.gt]: since }, ...(types && { type: { [Op.in]: [...types] } }) },
      order: [['seq', 'ASC']],
      limit: this.options.maxResume + 1,
    });
    if (rows.length > this.options.maxResume) {
      throw new AppError(
        'RESYNC_REQUIRED',
        `More than ${this.options.maxResume} events were missed; reload the list`,
      );
    }
    const stored = rows.map((row): StoredEvent => {
      const { d, a } = JSON.parse(row.data) as { d: object; a?: number };
      return {
        id: Number(row.seq),
        room: row.room,
        type: row.type,
        data: d,
        authorId: a,
        at: row.createdAt.toISOString(),
      };
    });
    // `newest` stays the room's: the client's next `since` skips what was left out.
    const kept = options.filter && stored.length ? await options.filter(stored) : stored;
    return { events: kept.map((e) => this.render(e, viewerId)), newest };
  }

  /** Deletes events older than the retention window (each room's number lives on in event_streams). */
  async prune(now = Date.now()): Promise<number> {
    return this.rows.destroy({ where: { createdAt: { [Op.lt]: new Date(now - this.options.retentionMs) } } });
  }

  /** `isMine` is decided here, and only here, for every recipient of every event. */
  private render(
    e: { id: number; room: string; type: string; data: object; authorId?: number | null; at: string },
    viewerId: number | undefined,
  ): PushEvent {
    const data =
      e.authorId == null ? e.data : { ...e.data, isMine: viewerId !== undefined && e.authorId === viewerId };
    return { id: e.id, room: e.room, type: e.type, data, at: e.at, epoch: this.epoch };
  }
}
