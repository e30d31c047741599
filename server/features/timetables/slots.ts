import { dayName, fromMinutes, type Day } from '../../../shared/schemas/timetables';
import type { FreeIntervalDto, SlotDto } from '../../../shared/dto';

/** A weekly interval: day 1 = Monday … 7 = Sunday, minutes after midnight, end exclusive. */
export interface Interval {
  day: number;
  startMinute: number;
  endMinute: number;
}

/** Whether two weekly intervals overlap. Touching at an edge (10:00–11:15, 11:15–12:30) is not a clash. */
export function overlaps(a: Interval, b: Interval): boolean {
  return a.day === b.day && a.startMinute < b.endMinute && b.startMinute < a.endMinute;
}

export function toSlotDto(s: Interval & { place?: string | null; room?: string | null }): SlotDto {
  return {
    day: dayName(s.day),
    start: fromMinutes(s.startMinute),
    end: fromMinutes(s.endMinute),
    place: s.place ?? s.room ?? null,
  };
}

/** Merges overlapping or touching intervals of one day, sorted. */
export function merge(intervals: Array<[number, number]>): Array<[number, number]> {
  const sorted = [...intervals].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const out: Array<[number, number]> = [];
  for (const [s, e] of sorted) {
    const last = out[out.length - 1];
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else out.push([s, e]);
  }
  return out;
}

/**
 * The intervals of `days` between `from` and `to` (minutes) in which nobody in `busy` has a
 * slot, at least `minMinutes` long, sorted by day then time.
 */
export function freeIntervals(
  busy: Interval[],
  days: number[],
  from: number,
  to: number,
  minMinutes: number,
): FreeIntervalDto[] {
  const result: FreeIntervalDto[] = [];
  for (const day of [...new Set(days)].sort((a, b) => a - b)) {
    const taken = merge(
      busy
        .filter((b) => b.day === day && b.endMinute > from && b.startMinute < to)
        .map((b): [number, number] => [Math.max(b.startMinute, from), Math.min(b.endMinute, to)]),
    );
    let cursor = from;
    for (const [s, e] of [...taken, [to, to] as [number, number]]) {
      if (s - cursor >= minMinutes) {
        result.push({
          day: dayName(day) as Day,
          start: fromMinutes(cursor),
          end: fromMinutes(s),
          minutes: s - cursor,
        });
      }
      cursor = Math.max(cursor, e);
    }
  }
  return result;
}
