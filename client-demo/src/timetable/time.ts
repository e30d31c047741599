import type { SlotDto } from '../../../shared/dto';
import { dayName, lang, t } from '../i18n';

/** Days as the protocol spells them, Monday first. */
export type Day = SlotDto['day'];
export const WEEK: readonly Day[] = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'];
export const WEEKDAYS: readonly Day[] = WEEK.slice(0, 5);

/** `'09:30'` → 570. */
export function minutes(hhmm: string): number {
  const [h = 0, m = 0] = hhmm.split(':').map(Number);
  return h * 60 + m;
}

type Timed = { day: string; start: string; end: string };

/** Whether two weekly slots meet at the same time (touching at an edge is no overlap). */
export function overlap(a: Timed, b: Timed): boolean {
  return a.day === b.day && minutes(a.start) < minutes(b.end) && minutes(b.start) < minutes(a.end);
}

/** Whether any of `slots` overlaps any slot of `others`. */
export function overlapsAny(
  slots: readonly Timed[],
  others: readonly { slots: readonly Timed[] }[],
): boolean {
  return slots.some((s) => others.some((o) => o.slots.some((x) => overlap(s, x))));
}

/** "월 09:00–10:15". */
export function slotText(s: { day: string; start: string; end: string }): string {
  return `${dayName(s.day)} ${s.start}–${s.end}`;
}

export function bySlot(a: { day: string; start: string }, b: { day: string; start: string }): number {
  return WEEK.indexOf(a.day as Day) - WEEK.indexOf(b.day as Day) || minutes(a.start) - minutes(b.start);
}

/** 90 → "1시간 30분" / "1 h 30 min". */
export function durationText(total: number): string {
  const h = Math.floor(total / 60);
  const m = total % 60;
  const parts = [h ? t('tt.hours', { n: h }) : '', m ? t('tt.minutes', { n: m }) : ''];
  return parts.filter(Boolean).join(' ');
}

/**
 * The subject particle after a quoted name: 과 after a final consonant, 와 after a vowel,
 * 와(과) when the name does not end in a Hangul syllable. English needs none.
 */
export function withParticle(name: string): string {
  if (lang.value !== 'ko') return '';
  const last = name.trim().codePointAt(name.trim().length - 1) ?? 0;
  if (last < 0xac00 || last > 0xd7a3) return '와(과)';
  return (last - 0xac00) % 28 === 0 ? '와' : '과';
}
