import { signal } from '@preact/signals';
import { common } from './common';
import { boards } from './boards';
import { timetable } from './timetable';

/**
 * Korean by default, English on request (remembered in localStorage). Each feature keeps
 * its strings in its own file; `t('key', { n: 3 })` fills `{n}`. A missing English string
 * falls back to Korean, a missing key shows the key (so it is noticed, not hidden).
 */
export type Lang = 'ko' | 'en';
export interface Strings {
  ko: Record<string, string>;
  en: Record<string, string>;
}

const all: Strings[] = [common, boards, timetable];
const dict: Strings = { ko: {}, en: {} };
for (const s of all) {
  Object.assign(dict.ko, s.ko);
  Object.assign(dict.en, s.en);
}

function initial(): Lang {
  const saved = localStorage.getItem('quad.lang');
  return saved === 'en' || saved === 'ko' ? saved : 'ko';
}

export const lang = signal<Lang>(initial());

export function setLang(next: Lang): void {
  lang.value = next;
  localStorage.setItem('quad.lang', next);
  document.documentElement.lang = next;
}
document.documentElement.lang = lang.value;

export function t(key: string, vars: Record<string, string | number> = {}): string {
  const text = dict[lang.value][key] ?? dict.ko[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
}

/** A human sentence for an error code, in the current language. */
export function errorText(error: { code: string; message: string }): string {
  const key = `error.${error.code}`;
  return key in dict.ko ? t(key) : error.message;
}

const DAYS = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'] as const;
export function dayName(day: string): string {
  return DAYS.includes(day as (typeof DAYS)[number]) ? t(`day.${day}`) : day;
}

/** "방금", "3분 전", "어제 14:05"… relative to now. */
export function ago(iso: string): string {
  const then = new Date(iso).getTime();
  const s = Math.max(0, Math.round((Date.now() - then) / 1000));
  if (s < 60) return t('time.now');
  if (s < 3600) return t('time.minutes', { n: Math.floor(s / 60) });
  if (s < 86400) return t('time.hours', { n: Math.floor(s / 3600) });
  return new Date(iso).toLocaleDateString(lang.value === 'ko' ? 'ko-KR' : 'en-GB', {
    month: 'short',
    day: 'numeric',
  });
}
