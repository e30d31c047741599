import type { Strings } from './index';

/** Timetable and friends screens. */
export const timetable: Strings = {
  ko: {},
  en: {},
};
