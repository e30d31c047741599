import { UniqueConstraintError, type Transaction } from 'sequelize';
import type { Sequelize } from 'sequelize-typescript';
import type { TimetableDto, TimetableSummaryDto } from '../../../shared/dto';
import {
  dayName,
  dayNumber,
  toMinutes,
  fromMinutes,
  type AddCustomInput,
  type Visibility,
} from '../../../shared/schemas/timetables';
import type { Actor } from '../../core/auth';
import { insertOnce, transaction } from '../../core/db';
import { AppError } from '../../core/errors';
import type { Facts } from '../../core/routes';
import type { EventLog } from '../events/events.service';
import type { CatalogService } from './catalog.service';
import { overlaps, type Interval } from './slots';
import { EntrySlot, Timetable, TimetableEntry } from './timetable.model';
import { fromDto, summary, type BusySlot, type TimetableViews } from './timetable-views';

export interface TimetablesDeps {
  db: Sequelize;
  events: EventLog;
  catalog: CatalogService;
  views: TimetableViews;
}

/**
 * A user's own timetables per semester: several allowed, exactly one primary, entries
 * conflict-checked. Reading others' timetables is TimetableSharing.
 */
export class TimetablesService {
  private readonly timetables;
  private readonly entries;
  private readonly entrySlots;

  constructor(private readonly deps: TimetablesDeps) {
    this.timetables = deps.db.getRepository(Timetable);
    this.entries = deps.db.getRepository(TimetableEntry);
    this.entrySlots = deps.db.getRepository(EntrySlot);
  }

  async list(actor: Actor, semester?: string): Promise<TimetableSummaryDto[]> {
    const semesterId = semester === undefined ? undefined : (await this.deps.catalog.semester(semester)).id;
    const rows = await this.timetables.findAll({
      where: { userId: actor.id, ...(semesterId !== undefined && { semesterId }) },
      order: [['id', 'ASC']],
    });
    const codes = await this.deps.views.semesterCodes(rows.map((t) => t.semesterId));
    return rows.map((t) => summary(t, codes.get(t.semesterId)!));
  }

  /** The first timetable of a semester becomes its primary. */
  async create(actor: Actor, semester: string, name: string): Promise<TimetableDto> {
    const sem = await this.deps.catalog.semester(semester);
    const row = await transaction(this.deps.db, async (tx) => {
      const values = { userId: actor.id, semesterId: sem.id, name, visibility: 'friends' };
      const hasPrimary = await this.timetables.count({
        where: { userId: actor.id, semesterId: sem.id, isPrimary: true },
        transaction: tx,
      });
      if (!hasPrimary) {
        // Two first timetables created at once: the unique index lets one be primary.
        try {
          return await this.timetables.create({ ...values, isPrimary: true }, { transaction: tx });
        } catch (err) {
          if (!(err instanceof UniqueConstraintError)) throw err;
        }
      }
      return this.timetables.create({ ...values, isPrimary: null }, { transaction: tx });
    });
    return this.deps.views.render(row, sem.code);
  }

  async rename(actor: Actor, timetableId: number, name: string): Promise<TimetableSummaryDto> {
    const row = await this.owned(actor, timetableId);
    await row.update({ name });
    return summary(row, await this.deps.views.codeOf(row.semesterId));
  }

  async setVisibility(
    actor: Actor,
    timetableId: number,
    visibility: Visibility,
  ): Promise<TimetableSummaryDto> {
    const row = await this.owned(actor, timetableId);
    await row.update({ visibility });
    return summary(row, await this.deps.views.codeOf(row.semesterId));
  }

  async setPrimary(actor: Actor, timetableId: number): Promise<TimetableSummaryDto> {
    const row = await this.deps.events.write(async (tx, emit) => {
      const target = await this.owned(actor, timetableId, tx);
      if (!target.isPrimary) {
        // Clear the old primary first: the unique index allows one TRUE per user and semester.
        await this.timetables.update(
          { isPrimary: null },
          { where: { userId: actor.id, semesterId: target.semesterId, isPrimary: true }, transaction: tx },
        );
        await target.update({ isPrimary: true }, { transaction: tx });
        emit('timetableChanged', await this.changed(target, tx));
      }
      return target;
    });
    return summary(row, await this.deps.views.codeOf(row.semesterId));
  }

  /** Deleting the primary makes the oldest remaining timetable of that semester primary. */
  async remove(actor: Actor, timetableId: number): Promise<{ timetableId: number }> {
    return this.deps.events.write(async (tx, emit) => {
      const row = await this.owned(actor, timetableId, tx);
      await row.destroy({ transaction: tx });
      if (row.isPrimary) {
        const next = await this.timetables.findOne({
          where: { userId: actor.id, semesterId: row.semesterId },
          order: [['id', 'ASC']],
          transaction: tx,
        });
        if (next) {
          await next.update({ isPrimary: true }, { transaction: tx });
          emit('timetableChanged', await this.changed(next, tx));
        }
      }
      return { timetableId };
    });
  }

  async addCourse(actor: Actor, timetableId: number, courseId: number): Promise<TimetableDto> {
    const course = (await this.deps.catalog.byIds([courseId])).get(courseId);
    if (!course) throw new AppError('NOT_FOUND', `Course ${courseId} does not exist`);
    const row = await this.deps.events.write(async (tx, emit) => {
      const timetable = await this.owned(actor, timetableId, tx);
      const code = await this.deps.views.codeOf(timetable.semesterId, tx);
      if (code !== course.semester) {
        throw AppError.validation({
          courseId: `is a ${course.semester} course; this timetable is for ${code}`,
        });
      }
      const busy = await this.deps.views.busy([timetable.id], tx);
      if (busy.some((b) => b.courseId === course.id)) {
        throw new AppError('CONFLICT', `${course.name} (${course.code}) is already in this timetable`);
      }
      assertNoClash(busy, course.slots.map(fromDto), `${course.name} (${course.code})`);
      await insertOnce(
        this.entries.create(
          { timetableId: timetable.id, courseId: course.id, title: null },
          { transaction: tx },
        ),
        `${course.name} (${course.code}) is already in this timetable`,
      );
      if (timetable.isPrimary) emit('timetableChanged', await this.changed(timetable, tx, course.semester));
      return timetable;
    });
    return this.deps.views.render(row, course.semester);
  }

  async addCustom(actor: Actor, input: AddCustomInput): Promise<TimetableDto> {
    const slots = input.slots.map((s) => ({
      day: dayNumber(s.day),
      startMinute: toMinutes(s.start),
      endMinute: toMinutes(s.end),
      place: s.place ?? null,
    }));
    slots.forEach((a, i) => {
      const b = slots.slice(0, i).find((other) => overlaps(a, other));
      if (b)
        throw AppError.validation({ [`slots.${i}`]: `overlaps slot ${slots.indexOf(b)} of the same entry` });
    });
    const row = await this.deps.events.write(async (tx, emit) => {
      const timetable = await this.owned(actor, input.timetableId, tx);
      assertNoClash(await this.deps.views.busy([timetable.id], tx), slots, input.title);
      const entry = await this.entries.create(
        { timetableId: timetable.id, courseId: null, title: input.title },
        { transaction: tx },
      );
      await this.entrySlots.bulkCreate(
        slots.map((s) => ({ ...s, entryId: entry.id })),
        { transaction: tx },
      );
      if (timetable.isPrimary) emit('timetableChanged', await this.changed(timetable, tx));
      return timetable;
    });
    return this.deps.views.render(row);
  }

  async removeEntry(actor: Actor, timetableId: number, entryId: number): Promise<TimetableDto> {
    const row = await this.deps.events.write(async (tx, emit) => {
      const timetable = await this.owned(actor, timetableId, tx);
      const removed = await this.entries.destroy({ where: { id: entryId, timetableId }, transaction: tx });
      if (removed === 0)
        throw new AppError('NOT_FOUND', `Entry ${entryId} is not in timetable ${timetableId}`);
      if (timetable.isPrimary) emit('timetableChanged', await this.changed(timetable, tx));
      return timetable;
    });
    return this.deps.views.render(row);
  }

  /** The actor's own timetable (locked in a transaction); FORBIDDEN if it is someone else's. */
  private async owned(actor: Actor, timetableId: number, tx?: Transaction): Promise<Timetable> {
    const row = await this.timetables.findByPk(timetableId, {
      transaction: tx,
      lock: tx ? tx.LOCK.UPDATE : undefined,
    });
    if (!row) throw new AppError('NOT_FOUND', `Timetable ${timetableId} does not exist`);
    if (row.userId !== actor.id) throw new AppError('FORBIDDEN', 'Only the owner can change this timetable');
    return row;
  }

  /** The `timetableChanged` fact for the owner of `t` (their watching friends hear it). */
  private async changed(t: Timetable, tx: Transaction, code?: string): Promise<Facts['timetableChanged']> {
    return {
      userId: t.userId,
      semester: code ?? (await this.deps.views.codeOf(t.semesterId, tx)),
      timetableId: t.id,
    };
  }
}

/** CONFLICT naming the entry already there and the overlapping day and times. */
function assertNoClash(busy: BusySlot[], slots: Interval[], title: string): void {
  for (const slot of slots) {
    const hit = busy.find((b) => overlaps(b, slot));
    if (!hit) continue;
    const day = dayName(slot.day);
    const start = fromMinutes(Math.max(hit.startMinute, slot.startMinute));
    const end = fromMinutes(Math.min(hit.endMinute, slot.endMinute));
    throw new AppError('CONFLICT', `${title} overlaps ${hit.title} on ${day} ${start}–${end}`, {
      clash: { entryId: hit.entryId, title: hit.title, day, start, end },
    });
  }
}
