import { Op, type Transaction } from 'sequelize';
import type { Sequelize } from 'sequelize-typescript';
import type { EntryDto, TimetableDto, TimetableSummaryDto } from '../../../shared/dto';
import { DAYS, dayNumber, toMinutes, type Visibility } from '../../../shared/schemas/timetables';
import { Semester } from './catalog.model';
import type { CatalogService } from './catalog.service';
import { toSlotDto, type Interval } from './slots';
import { EntrySlot, Timetable, TimetableEntry } from './timetable.model';

export interface BusySlot extends Interval {
  entryId: number;
  title: string;
}

/** How a timetable reads: the whole of it with its entries, its summary, its busy slots. */
export class TimetableViews {
  private readonly entries;
  private readonly entrySlots;
  private readonly semesters;
  /** A semester's code never changes for its id, so each is read once per process. */
  private readonly codes = new Map<number, string>();

  constructor(
    db: Sequelize,
    private readonly catalog: CatalogService,
  ) {
    this.entries = db.getRepository(TimetableEntry);
    this.entrySlots = db.getRepository(EntrySlot);
    this.semesters = db.getRepository(Semester);
  }

  /** A semester's code never changes for its id, so each is read once per process. */
  async codeOf(semesterId: number, tx?: Transaction): Promise<string> {
    return (await this.semesterCodes([semesterId], tx)).get(semesterId)!;
  }

  /** Codes of the given semesters only (a user's timetables span a few); known ones cost nothing. */
  async semesterCodes(ids: number[], tx?: Transaction): Promise<Map<number, string>> {
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
  async busy(
    timetableIds: number[],
    tx?: Transaction,
  ): Promise<Array<BusySlot & { courseId: number | null }>> {
    if (timetableIds.length === 0) return [];
    const entries = await this.entries.findAll({
      where: { timetableId: { [Op.in]: timetableIds } },
      transaction: tx,
    });
    const courses = await this.catalog.byIds(
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

  async render(t: Timetable, code?: string): Promise<TimetableDto> {
    const entries = await this.entries.findAll({ where: { timetableId: t.id }, order: [['id', 'ASC']] });
    const courses = await this.catalog.byIds(entries.flatMap((e) => (e.courseId ? [e.courseId] : [])));
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

export function summary(t: Timetable, semester: string): TimetableSummaryDto {
  return {
    id: t.id,
    semester,
    name: t.name,
    isPrimary: t.isPrimary === true,
    visibility: t.visibility as Visibility,
  };
}

export function fromDto(s: { day: string; start: string; end: string }): Interval {
  return {
    day: dayNumber(s.day as (typeof DAYS)[number]),
    startMinute: toMinutes(s.start),
    endMinute: toMinutes(s.end),
  };
}
