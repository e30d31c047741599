import { Op, UniqueConstraintError, type Transaction } from 'sequelize';
import type { Sequelize } from 'sequelize-typescript';
import type { EntryDto, FreeIntervalDto, TimetableDto, TimetableSummaryDto } from '../../../shared/dto';
import {
  DAYS,
  dayName,
  dayNumber,
  fromMinutes,
  toMinutes,
  type AddCustomInput,
  type FreetimeInput,
  type Visibility,
} from '../../../shared/schemas/timetables';
import type { Actor } from '../../core/auth';
import { insertOnce, transaction } from '../../core/db';
import { AppError } from '../../core/errors';
import type { Facts } from '../../core/routes';
import type { EventLog } from '../events/events.service';
import type { FriendsService } from '../friends/friends.service';
import { Semester } from './catalog.model';
import type { CatalogService } from './catalog.service';
import { freeIntervals, overlaps, toSlotDto, type Interval } from './slots';
import { EntrySlot, Timetable, TimetableEntry } from './timetable.model';

export interface TimetablesDeps {
  db: Sequelize;
  events: EventLog;
  catalog: CatalogService;
  friends: FriendsService;
}

interface BusySlot extends Interval {
  entryId: number;
  title: string;
}

/** Timetables per user and semester: several allowed, exactly one primary, entries conflict-checked. */
export class TimetablesService {
  private readonly timetables;
  private readonly entries;
  private readonly entrySlots;
  private readonly semesters;
  private readonly codes = new Map<number, string>();

  constructor(private readonly deps: TimetablesDeps) {
    this.timetables = deps.db.getRepository(Timetable);
    this.entries = deps.db.getRepository(TimetableEntry);
    this.entrySlots = deps.db.getRepository(EntrySlot);
    this.semesters = deps.db.getRepository(Semester);
  }

  async list(actor: Actor, semester?: string): Promise<TimetableSummaryDto[]> {
    const semesterId = semester === undefined ? undefined : (await this.deps.catalog.semester(semester)).id;
    const rows = await this.timetables.findAll({
      where: { userId: actor.id, ...(semesterId !== undefined && { semesterId }) },
      order: [['id', 'ASC']],
    });
    const codes = await this.semesterCodes(rows.map((t) => t.semesterId));
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
    return this.render(row, sem.code);
  }

  async rename(actor: Actor, timetableId: number, name: string): Promise<TimetableSummaryDto> {
    const row = await this.owned(actor, timetableId);
    await row.update({ name });
    return summary(row, await this.codeOf(row.semesterId));
  }

  async setVisibility(
    actor: Actor,
    timetableId: number,
    visibility: Visibility,
  ): Promise<TimetableSummaryDto> {
    const row = await this.owned(actor, timetableId);
    await row.update({ visibility });
    return summary(row, await this.codeOf(row.semesterId));
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
    return summary(row, await this.codeOf(row.semesterId));
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

  async get(actor: Actor, timetableId: number): Promise<TimetableDto> {
    const row = await this.timetables.findByPk(timetableId);
    if (!row) throw new AppError('NOT_FOUND', `Timetable ${timetableId} does not exist`);
    await this.assertVisible(actor, row);
    return this.render(row);
  }

  async addCourse(actor: Actor, timetableId: number, courseId: number): Promise<TimetableDto> {
    const course = (await this.deps.catalog.byIds([courseId])).get(courseId);
    if (!course) throw new AppError('NOT_FOUND', `Course ${courseId} does not exist`);
    const row = await this.deps.events.write(async (tx, emit) => {
      const timetable = await this.owned(actor, timetableId, tx);
      const code = await this.codeOf(timetable.semesterId, tx);
      if (code !== course.semester) {
        throw AppError.validation({
          courseId: `is a ${course.semester} course; this timetable is for ${code}`,
        });
      }
      const busy = await this.busy([timetable.id], tx);
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
    return this.render(row, course.semester);
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
      assertNoClash(await this.busy([timetable.id], tx), slots, input.title);
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
    return this.render(row);
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
    return this.render(row);
  }

  /** A friend's primary timetable of a semester, when its visibility lets the actor see it. */
  async friendTimetable(actor: Actor, friendId: number, semester: string): Promise<TimetableDto> {
    const sem = await this.deps.catalog.semester(semester);
    const row = await this.timetables.findOne({
      where: { userId: friendId, semesterId: sem.id, isPrimary: true },
    });
    if (!row) throw new AppError('NOT_FOUND', `User ${friendId} has no primary timetable for ${semester}`);
    await this.assertVisible(actor, row);
    return this.render(row, sem.code);
  }

  /** Only accepted friends can watch; the watch room then gets `timetable:changed`. */
  async assertCanWatch(actor: Actor, friendId: number): Promise<void> {
    if (!(await this.deps.friends.areFriends(actor.id, friendId))) {
      throw new AppError('FORBIDDEN', `User ${friendId} is not your friend`);
    }
  }

  /** Weekly intervals in which the actor and every listed friend are free (primary timetables). */
  async freetime(actor: Actor, input: FreetimeInput): Promise<FreeIntervalDto[]> {
    const sem = await this.deps.catalog.semester(input.semester);
    const friendIds = [...new Set(input.friendIds)];
    for (const id of friendIds) {
      if (!(await this.deps.friends.areFriends(actor.id, id))) {
        throw AppError.validation(
          { friendIds: `${id} is not an accepted friend` },
          'Only accepted friends may be listed',
        );
      }
    }
    const primaries = await this.timetables.findAll({
      where: { userId: { [Op.in]: [actor.id, ...friendIds] }, semesterId: sem.id, isPrimary: true },
    });
    const hidden = primaries.find((t) => t.userId !== actor.id && t.visibility === 'private');
    if (hidden) throw new AppError('FORBIDDEN', `User ${hidden.userId} keeps their timetable private`);
    const busy = await this.busy(primaries.map((t) => t.id));
    const days = (input.days ?? DAYS.slice(0, 5)).map(dayNumber);
    return freeIntervals(busy, days, toMinutes(input.from), toMinutes(input.to), input.minMinutes);
  }

  private async assertVisible(actor: Actor, row: Timetable): Promise<void> {
    if (row.userId === actor.id || row.visibility === 'everyone') return;
    if (row.visibility === 'friends' && (await this.deps.friends.areFriends(actor.id, row.userId))) return;
    throw new AppError('FORBIDDEN', 'This timetable is not shared with you');
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
    return { userId: t.userId, semester: code ?? (await this.codeOf(t.semesterId, tx)), timetableId: t.id };
  }

  /** A semester's code never changes for its id, so each is read once per process. */
  private async codeOf(semesterId: number, tx?: Transaction): Promise<string> {
    return (await this.semesterCodes([semesterId], tx)).get(semesterId)!;
  }

  /** Codes of the given semesters only (a user's timetables span a few); known ones cost nothing. */
  private async semesterCodes(ids: number[], tx?: Transaction): Promise<Map<number, string>> {
    const unknown = [...new Set(ids)].filter((id) => !this.codes.has(id));
    if (unknown.length) {
      const rows = await this.semesters.findAll({
        where: { id: { [Op.in]: unknown } },
        attributes: ['id', 'code'],
        transaction: tx,
      });
      for (const r of rows) this.codes.set(r.id, r.code);
    }
    return new Map(ids.flatMap((id) => (this.codes.has(id) ? [[id, this.codes.get(id)!] as const] : [])));
  }

  /** Every slot of the given timetables, course and custom, with the entry it belongs to. */
  private async busy(
    timetableIds: number[],
    tx?: Transaction,
  ): Promise<Array<BusySlot & { courseId: number | null }>> {
    if (timetableIds.length === 0) return [];
    const entries = await this.entries.findAll({
      where: { timetableId: { [Op.in]: timetableIds } },
      transaction: tx,
    });
    const courses = await this.deps.catalog.byIds(
      entries.flatMap((e) => (e.courseId ? [e.courseId] : [])),
      tx,
    );
    const custom = await this.entrySlots.findAll({
      where: { entryId: { [Op.in]: entries.filter((e) => !e.courseId).map((e) => e.id) } },
      transaction: tx,
    });
    return entries.flatMap((e) => {
      const course = e.courseId ? courses.get(e.courseId) : undefined;
      const slots = course ? course.slots.map(fromDto) : custom.filter((s) => s.entryId === e.id);
      const title = course ? course.name : (e.title ?? '');
      return slots.map((s) => ({
        day: s.day,
        startMinute: s.startMinute,
        endMinute: s.endMinute,
        entryId: e.id,
        title,
        courseId: e.courseId,
      }));
    });
  }

  private async render(t: Timetable, code?: string): Promise<TimetableDto> {
    const entries = await this.entries.findAll({ where: { timetableId: t.id }, order: [['id', 'ASC']] });
    const courses = await this.deps.catalog.byIds(entries.flatMap((e) => (e.courseId ? [e.courseId] : [])));
    const custom = await this.entrySlots.findAll({
      where: { entryId: { [Op.in]: entries.map((e) => e.id) } },
      order: [
        ['day', 'ASC'],
        ['startMinute', 'ASC'],
      ],
    });
    const dtos: EntryDto[] = entries.map((e) => {
      const course = e.courseId ? courses.get(e.courseId) : undefined;
      return course
        ? {
            id: e.id,
            kind: 'course',
            courseId: course.id,
            code: course.code,
            title: course.name,
            professor: course.professor,
            credits: course.credits,
            slots: course.slots,
          }
        : {
            id: e.id,
            kind: 'custom',
            courseId: null,
            code: null,
            title: e.title ?? '',
            professor: null,
            credits: 0,
            slots: custom.filter((s) => s.entryId === e.id).map(toSlotDto),
          };
    });
    return {
      ...summary(t, code ?? (await this.codeOf(t.semesterId))),
      ownerId: t.userId,
      entries: dtos,
      totalCredits: dtos.reduce((sum, e) => sum + e.credits, 0),
    };
  }
}

function summary(t: Timetable, semester: string): TimetableSummaryDto {
  return {
    id: t.id,
    semester,
    name: t.name,
    isPrimary: t.isPrimary === true,
    visibility: t.visibility as Visibility,
  };
}

function fromDto(s: { day: string; start: string; end: string }): Interval {
  return {
    day: dayNumber(s.day as (typeof DAYS)[number]),
    startMinute: toMinutes(s.start),
    endMinute: toMinutes(s.end),
  };
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
