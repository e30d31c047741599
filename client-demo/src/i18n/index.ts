import { signal } from '@preact/signals';
import { account } from './account';
import { common } from './common';
import { boards } from './boards';
import { messages } from './messages';
import { moderation } from './moderation';
import { security } from './security';
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

const all: Strings[] = [common, boards, timetable, moderation, account, security, messages];
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

/**
 * A human sentence for an error code, in the current language; a refusal because of the
 * account (suspended, too new for the board) says until when, a rate limit says how long to wait.
 */
export function errorText(error: {
  code: string;
  message: string;
  reason?: string;
  until?: string;
  retryAfter?: number;
}): string {
  if (error.reason === 'SUSPENDED' || error.reason === 'NEW_ACCOUNT')
    return t(`error.${error.reason}`, { until: error.until ? when(error.until) : '…' });
  if (error.reason === 'UNVERIFIED') return t('error.UNVERIFIED');
  if (error.code === 'RATE_LIMITED' && error.retryAfter)
    return t('error.RATE_LIMITED.after', { after: duration(error.retryAfter) });
  const key = `error.${error.code}`;
  return key in dict.ko ? t(key) : error.message;
}

/**
 * The server explains a bad field in English ("must be at most 100 characters"); in Korean the
 * common sentences are translated, anything else is shown as the server wrote it.
 */
const FIELD_KO: [RegExp, string][] = [
  [/^must not be empty$|^is empty$|^is required$/, '비워 둘 수 없어요'],
  [/^must be at least (\d+) characters$/, '$1자 이상이어야 해요'],
  [/^must be at most (\d+) characters$/, '$1자 이하여야 해요'],
  [/^must be 3–20 letters, digits or underscores$/, '영문, 숫자, 밑줄 3–20자여야 해요'],
  [
    /^is too common or contains the username/,
    '너무 흔하거나 아이디가 들어간 비밀번호예요. 다른 비밀번호를 골라 주세요',
  ],
  [/^is taken$/, '이미 사용 중이에요'],
  [/^is you$/, '나 자신에게는 보낼 수 없어요'],
  [/^must end after it starts$/, '끝나는 시간이 시작 시간보다 늦어야 해요'],
  [/^must be a time HH:MM/, '00:00–24:00 사이의 HH:MM 시간이어야 해요'],
  [/^is not an allowed field$/, '허용되지 않는 항목이에요'],
  [/^is incorrect$/, '올바르지 않아요'],
  [/^must differ from the current password$/, '지금 비밀번호와 달라야 해요'],
  [/^must be a valid email|^Invalid email/i, '올바른 이메일 주소가 아니에요'],
];

export function fieldText(message: string): string {
  if (lang.value !== 'ko') return message;
  for (const [re, ko] of FIELD_KO) if (re.test(message)) return message.replace(re, ko);
  return message;
}

const DAYS = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'] as const;
export function dayName(day: string): string {
  return DAYS.includes(day as (typeof DAYS)[number]) ? t(`day.${day}`) : day;
}

/** A date and time to the minute, e.g. "2025. 3. 14. 오후 2:05" or "14 Mar 2025, 14:05". */
export function when(iso: string): string {
  return new Date(iso).toLocaleString(lang.value === 'ko' ? 'ko-KR' : 'en-GB', {
    dateStyle: 'medium',
    timeStyle: 'short',
  });
}

/**
 * A wait in words, rounded up, in the largest unit it has at least two of: "30일", "25 hours",
 * "90 seconds".
 */
export function duration(seconds: number): string {
  const units: [number, string][] = [
    [86_400, 'day'],
    [3_600, 'hour'],
    [60, 'minute'],
  ];
  for (const [size, unit] of units) {
    if (seconds >= 2 * size) {
      const n = Math.ceil(seconds / size);
      return t(n === 1 ? `dur.${unit}` : `dur.${unit}s`, { n });
    }
  }
  const n = Math.max(1, Math.ceil(seconds));
  return t(n === 1 ? 'dur.second' : 'dur.seconds', { n });
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
