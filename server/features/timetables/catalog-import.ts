import { parse } from 'csv-parse/sync';
import type { Sequelize } from 'sequelize-typescript';
import { z } from 'zod';
import { dayNumber, DAYS, semesterCode, toMinutes, type Day } from '../../../shared/schemas/timetables';
import { transaction } from '../../core/db';
import { Course, CourseSlot, Semester } from './catalog.model';

/** The columns of a catalog CSV, in README order. */
export const CATALOG_COLUMNS = [
  'semester',
  'code',
  'name',
  'professor',
  'department',
  'credits',
  'slots',
] as const;

export interface ImportError {
  /** 1-based line number in the file (the header is line 1). */
  line: number;
  reason: string;
}

export type ImportResult =
  { ok: true; created: number; updated: number; semesters: string[] } | { ok: false; errors: ImportError[] };

interface SlotRow {
  day: number;
  startMinute: number;
  endMinute: number;
  room: string | null;
}

interface CourseRow {
  line: number;
  semester: string;
  code: string;
  name: string;
  professor: string;
  department: string;
  credits: number;
  slots: SlotRow[];
}

const SLOT = new RegExp(`^(${DAYS.join('|')}) (\\d{2}:\\d{2})-(\\d{2}:\\d{2})(?: (.+))?$`);
const TIME = /^(([01]\d|2[0-3]):[0-5]\d|24:00)$/;

const field = (max: number) =>
  z.string().trim().min(1, 'is empty').max(max, `is longer than ${max} characters`);
const rowSchema = z.object({
  semester: semesterCode,
  code: z
    .string()
    .trim()
    .regex(/^[A-Z0-9][A-Z0-9-]{1,19}$/, 'must be 2–20 capital letters, digits or dashes (e.g. CSE2010-01)'),
  name: field(100),
  professor: field(50),
  department: field(50),
  credits: z
    .string()
    .trim()
    .regex(/^\d+$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().min(0, 'must be 0–9').max(9, 'must be 0–9')),
  slots: z.string(),
});

/** `MON 09:00-10:15 공학관 301;WED 09:00-10:15 공학관 301` → slots, or the reason it is not. */
export function parseSlots(text: string): SlotRow[] | string {
  const parts = text
    .split(';')
    .map((s) => s.trim())
    .filter(Boolean);
  if (parts.length === 0) return 'slots: at least one slot is needed';
  if (parts.length > 10) return 'slots: at most 10 slots';
  const slots: SlotRow[] = [];
  for (const part of parts) {
    const m = SLOT.exec(part);
    if (!m) return `slots: "${part}" is not "DAY HH:MM-HH:MM [room]" with DAY one of ${DAYS.join(', ')}`;
    const [, d, start, end, room] = m as unknown as [string, Day, string, string, string | undefined];
    if (!TIME.test(start) || !TIME.test(end)) return `slots: "${part}" has a time outside 00:00–24:00`;
    const slot = {
      day: dayNumber(d),
      startMinute: toMinutes(start),
      endMinute: toMinutes(end),
      room: room ?? null,
    };
    if (slot.endMinute <= slot.startMinute) return `slots: "${part}" ends before it starts`;
    if (room && room.length > 50) return `slots: room "${room}" is longer than 50 characters`;
    const clash = slots.find(
      (s) => s.day === slot.day && s.startMinute < slot.endMinute && slot.startMinute < s.endMinute,
    );
    if (clash) return `slots: "${part}" overlaps another slot of the same course`;
    slots.push(slot);
  }
  return slots;
}

/** Parses and checks every row; returns all rows or every problem found, with line numbers. */
export function parseCatalog(csv: string): { rows: CourseRow[]; errors: ImportError[] } {
  const errors: ImportError[] = [];
  let records: Array<{ record: Record<string, string>; info: { lines: number } }>;
  try {
    records = parse(csv, { columns: true, bom: true, skip_empty_lines: true, info: true, trim: false });
  } catch (err) {
    const line = (err as { lines?: number }).lines ?? 1;
    return { rows: [], errors: [{ line, reason: `not valid CSV: ${(err as Error).message}` }] };
  }
  const header = csv.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  const columns = header.split(',').map((c) => c.trim());
  const missing = CATALOG_COLUMNS.filter((c) => !columns.includes(c));
  const unknown = columns.filter((c) => !(CATALOG_COLUMNS as readonly string[]).includes(c));
  if (missing.length || unknown.length) {
    const parts = [];
    if (missing.length) parts.push(`missing column(s) ${missing.join(', ')}`);
    if (unknown.length) parts.push(`unknown column(s) ${unknown.join(', ')}`);
    return { rows: [], errors: [{ line: 1, reason: `header: ${parts.join('; ')}` }] };
  }
  if (records.length === 0) return { rows: [], errors: [{ line: 1, reason: 'the file has no courses' }] };

  const rows: CourseRow[] = [];
  const seen = new Map<string, number>();
  for (const { record, info } of records) {
    const line = info.lines;
    const parsed = rowSchema.safeParse(record);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      errors.push({ line, reason: `${issue.path.join('.')}: ${issue.message}` });
      continue;
    }
    const slots = parseSlots(parsed.data.slots);
    if (typeof slots === 'string') {
      errors.push({ line, reason: slots });
      continue;
    }
    const key = `${parsed.data.semester}/${parsed.data.code}`;
    const first = seen.get(key);
    if (first !== undefined) {
      errors.push({ line, reason: `code: ${parsed.data.code} already appears on line ${first}` });
      continue;
    }
    seen.set(key, line);
    rows.push({ ...parsed.data, line, slots });
  }
  return { rows, errors };
}

const TERM_NAMES: Record<string, string> = { '1': '1학기', '2': '2학기', S: '여름학기', W: '겨울학기' };
const TERM_DATES: Record<string, [string, string]> = {
  '1': ['03-02', '06-21'],
  S: ['06-22', '08-20'],
  '2': ['09-01', '12-20'],
  W: ['12-22', '02-20'],
};

function semesterRow(code: string) {
  const [yearText, term] = code.split('-') as [string, string];
  const year = Number(yearText);
  const [start, end] = TERM_DATES[term]!;
  return {
    code,
    name: `${year}년 ${TERM_NAMES[term]}`,
    year,
    term,
    startsOn: `${year}-${start}`,
    endsOn: `${term === 'W' ? year + 1 : year}-${end}`,
  };
}

/**
 * Imports a catalog CSV in one transaction: all rows or none. Courses are matched by
 * semester and code; a known course is updated and its slots replaced, a new one created.
 */
export async function importCatalog(
  db: Sequelize,
  csv: string,
  onProgress?: (done: number, total: number) => void,
): Promise<ImportResult> {
  const { rows, errors } = parseCatalog(csv);
  if (errors.length) return { ok: false, errors };

  let created = 0;
  let updated = 0;
  const semesters = [...new Set(rows.map((r) => r.semester))];
  const [Semesters, Courses, CourseSlots] = [
    db.getRepository(Semester),
    db.getRepository(Course),
    db.getRepository(CourseSlot),
  ];
  await transaction(db, async (transaction) => {
    const semesterIds = new Map<string, number>();
    for (const code of semesters) {
      const [semester] = await Semesters.findOrCreate({
        where: { code },
        defaults: semesterRow(code),
        transaction,
      });
      semesterIds.set(code, semester.id);
    }
    const existing = new Map<string, Course>();
    for (const course of await Courses.findAll({
      where: { semesterId: [...semesterIds.values()] },
      transaction,
    })) {
      existing.set(`${course.semesterId}/${course.code}`, course);
    }

    const CHUNK = 100;
    const key = (row: CourseRow) => `${semesterIds.get(row.semester)}/${row.code}`;
    for (let i = 0; i < rows.length; i += CHUNK) {
      const chunk = rows.slice(i, i + CHUNK);
      const fresh = chunk.filter((row) => !existing.has(key(row)));
      const known = chunk.filter((row) => existing.has(key(row)));
      for (const row of known) {
        const { semester: _s, line: _l, slots: _slots, ...values } = row;
        await existing.get(key(row))!.update(values, { transaction });
      }
      const knownIds = known.map((row) => existing.get(key(row))!.id);
      if (knownIds.length) await CourseSlots.destroy({ where: { courseId: knownIds }, transaction });
      await Courses.bulkCreate(
        fresh.map(({ semester, line: _l, slots: _slots, ...values }) => ({
          ...values,
          semesterId: semesterIds.get(semester)!,
        })),
        { transaction },
      );
      // Read the new ids back: bulkCreate does not report them on every dialect.
      for (const course of await Courses.findAll({
        where: { semesterId: [...semesterIds.values()], code: fresh.map((r) => r.code) },
        transaction,
      })) {
        existing.set(`${course.semesterId}/${course.code}`, course);
      }
      const slots = chunk.flatMap((row) =>
        row.slots.map((s) => ({ ...s, courseId: existing.get(key(row))!.id })),
      );
      await CourseSlots.bulkCreate(slots, { transaction });
      created += fresh.length;
      updated += known.length;
      onProgress?.(Math.min(i + CHUNK, rows.length), rows.length);
    }
  });
  return { ok: true, created, updated, semesters };
}
