import { z } from 'zod';
import { plain, text } from './common';

/** Days of the week as the protocol spells them; stored as 1 (MON) … 7 (SUN). */
export const DAYS = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'] as const;
export type Day = (typeof DAYS)[number];
export const day = z.enum(DAYS);

export function dayNumber(d: Day): number {
  return DAYS.indexOf(d) + 1;
}

export function dayName(n: number): Day {
  const d = DAYS[n - 1];
  if (!d) throw new RangeError(`day ${n} is not 1–7`);
  return d;
}

/** `HH:MM` from 00:00 to 24:00. */
export const time = z
  .string()
  .regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, 'must be a time HH:MM between 00:00 and 24:00');

export function toMinutes(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  return h * 60 + m;
}

export function fromMinutes(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/** `2026-2`: a year and a term — 1, 2, S (summer) or W (winter). */
export const semesterCode = z
  .string()
  .regex(/^\d{4}-(1|2|S|W)$/, 'must look like 2026-2 (year-term; term 1, 2, S or W)');

const idNum = z
  .number()
  .int()
  .positive()
  .max(2 ** 53 - 1);
const cursor = plain().min(1).max(200);
const limit = z.number().int().min(1, 'must be 1–100').max(100, 'must be 1–100');
const name = text(1, 50);

export const VISIBILITIES = ['everyone', 'friends', 'private'] as const;
export type Visibility = (typeof VISIBILITIES)[number];

export const coursesSearchInput = z.strictObject({
  semester: semesterCode,
  /** Course code or name (Korean included). */
  q: plain().trim().min(1).max(100).optional(),
  professor: plain().trim().min(1).max(50).optional(),
  department: plain().trim().min(1).max(50).optional(),
  /** Only courses meeting on this day … */
  day: day.optional(),
  /** … (or any day) in a slot starting at or after `from` … */
  from: time.optional(),
  /** … and ending at or before `to`. */
  to: time.optional(),
  credits: z.number().int().min(0).max(9).optional(),
  cursor: cursor.optional(),
  limit: limit.default(20),
});
export type CoursesSearchInput = z.infer<typeof coursesSearchInput>;

export const courseRef = z.strictObject({ courseId: idNum });
export const timetablesListInput = z.strictObject({ semester: semesterCode.optional() });
export const timetableCreateInput = z.strictObject({ semester: semesterCode, name });
export const timetableRef = z.strictObject({ timetableId: idNum });
export const timetableRenameInput = z.strictObject({ timetableId: idNum, name });
export const timetableVisibilityInput = z.strictObject({
  timetableId: idNum,
  visibility: z.enum(VISIBILITIES),
});
export const addCourseInput = z.strictObject({ timetableId: idNum, courseId: idNum });

export const slotInput = z
  .strictObject({
    day,
    start: time,
    end: time,
    place: text(0, 50).optional(),
  })
  .refine((s) => toMinutes(s.end) > toMinutes(s.start), {
    message: 'must end after it starts',
    path: ['end'],
  });
export type SlotInput = z.infer<typeof slotInput>;

export const addCustomInput = z.strictObject({
  timetableId: idNum,
  title: text(1, 100),
  slots: z.array(slotInput).min(1, 'needs at least one slot').max(10, 'at most 10 slots'),
});
export type AddCustomInput = z.infer<typeof addCustomInput>;

export const removeEntryInput = z.strictObject({ timetableId: idNum, entryId: idNum });

export const friendRequestInput = z.strictObject({ username: plain().min(1).max(20) });
export const requestRef = z.strictObject({ requestId: idNum });
export const friendRef = z.strictObject({ friendId: idNum });
/** `friend:watch`: a feed like `board:subscribe`, resumable with `since` (room `watch:<friendId>`). */
export const friendWatchInput = z.strictObject({
  friendId: idNum,
  since: since.optional(),
  epoch: epoch.optional(),
});
export const friendTimetableInput = z.strictObject({ friendId: idNum, semester: semesterCode });

export const freetimeInput = z
  .strictObject({
    semester: semesterCode,
    friendIds: z.array(idNum).min(1, 'list at least one friend').max(20, 'at most 20 friends'),
    days: z.array(day).min(1).max(7).optional(),
    from: time.default('09:00'),
    to: time.default('22:00'),
    minMinutes: z.number().int().min(1).max(1440).default(30),
  })
  .refine((v) => toMinutes(v.to) > toMinutes(v.from), { message: 'must be after from', path: ['to'] });
export type FreetimeInput = z.infer<typeof freetimeInput>;

export { resumeInput } from './boards';
import { epoch, since } from './boards';
