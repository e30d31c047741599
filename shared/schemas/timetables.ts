import { z } from 'zod';

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
