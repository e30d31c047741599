import { t } from '../i18n';

/**
 * The author's name to show: the server renders a deleted account's named posts and comments
 * as `(탈퇴한 사용자)` and flags them `authorDeleted`, so the dashboard says it in its language.
 */
export function shownAuthor(x: { authorName: string; authorDeleted?: true }): string {
  return x.authorDeleted ? t('author.deleted') : x.authorName;
}
