import type { ConversationDto } from '../../../shared/dto';
import { t } from '../i18n';

/**
 * The other side as this conversation names them (익명, 익명(글쓴이), 익명3 or a nickname: the
 * server never sends more); a deleted account in the dashboard's language.
 */
export function otherName(c: ConversationDto): string {
  return c.otherDeleted ? t('author.deleted') : c.other;
}

/** Where the conversation started: "글: 제목", "댓글 · 제목", "친구". */
export function contextLine(c: ConversationDto): string {
  if (c.context.kind === 'user') return t('msg.aboutFriend');
  if (!c.context.title) return t('msg.aboutGone');
  return t(c.context.kind === 'post' ? 'msg.aboutPost' : 'msg.aboutComment', { title: c.context.title });
}
