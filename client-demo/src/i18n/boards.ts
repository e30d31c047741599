import type { Strings } from './index';

/** Boards, posts, comments and notifications screens. */
export const boards: Strings = {
  ko: {},
  en: {},
};
