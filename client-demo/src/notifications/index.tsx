import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { NotificationDto } from '../../../shared/dto';
import type { ErrorWire } from '../../../shared/errors';
import { ago, t } from '../i18n';
import { go } from '../lib/router';
import { isReadNow, noteListed } from '../lib/notify';
import { liveNotifications, markRead, unread, useQuad } from '../lib/session';
import { Icon, type IconName } from '../ui/icons';
import { ErrorBanner, Spinner } from '../ui/kit';
import { LoadMore } from '../boards/more';
import { clock } from '../boards/store';
import './notifications.css';

const ICONS: Record<NotificationDto['type'], IconName> = {
  comment: 'comment',
  reply: 'reply',
  hot: 'flame',
  hidden: 'eyeOff',
  removed: 'trash',
};

/**
 * What happened, as a sentence: a hidden or removed comment is told apart from a post (both
 * carry the post; a comment's also carries its id).
 */
function label(n: NotificationDto): string {
  if ((n.type === 'hidden' || n.type === 'removed') && n.commentId) return t(`notif.${n.type}Comment`);
  return t(`notif.${n.type}`);
}

/** A removed post is gone for its author too: its notification has nothing to open. */
const opens = (n: NotificationDto) => Boolean(n.postId) && !(n.type === 'removed' && !n.commentId);

/**
 * `#/notifications`: the stored list (paged) merged with what arrived live since the page
 * loaded (session.ts), newest first. Opening one marks it read and shows its post.
 */
export function NotificationsScreen(): JSX.Element {
  const [loaded, setLoaded] = useState<NotificationDto[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [done, setDone] = useState(false);
  const [error, setError] = useState<ErrorWire | null>(null);
  // Read here, on this screen, before the list or the live signal knows it.
  const [readHere, setReadHere] = useState<ReadonlySet<number>>(new Set());

  const load = async (after?: string) => {
    setLoading(true);
    const res = await useQuad()
      .boards.ask('notifications:list', { limit: 20, ...(after && { cursor: after }) })
      .catch(() => null);
    setLoading(false);
    setDone(true);
    if (!res?.ok) return setError(res?.error ?? { code: 'UNAVAILABLE', message: '' });
    setError(null);
    noteListed(res.data.items);
    setLoaded((old) => (after ? [...old, ...res.data.items] : res.data.items));
    setCursor(res.data.nextCursor);
  };
  useEffect(() => void load(), []);

  const items = mergeById(liveNotifications.value, loaded);
  // Read here, or on another device of mine (`notification:read`), or listed as read.
  const isRead = (n: NotificationDto) => isReadNow(n) || readHere.has(n.id);
  const anyUnread = unread.value > 0 || items.some((n) => !isRead(n));

  const open = (n: NotificationDto) => {
    if (!isRead(n)) {
      setReadHere(new Set([...readHere, n.id]));
      void markRead([n.id]);
    }
    if (opens(n)) go(`/posts/${n.postId}`);
  };
  // What arrives after this click stays unread.
  const readAll = () => {
    setReadHere(new Set([...readHere, ...items.map((n) => n.id)]));
    void markRead();
  };
  void clock.value;

  return (
    <section class="card notifications" data-screen="notifications">
      <header class="notifications__head">
        <h2>{t('notif.title')}</h2>
        <button
          type="button"
          class="btn btn--small"
          data-action="read-all"
          disabled={!anyUnread}
          onClick={readAll}
        >
          <Icon name="check" size={14} />
          {t('notif.readAll')}
        </button>
      </header>
      <ErrorBanner error={error} />
      {!done ? <Spinner /> : null}
      {done && !items.length && !error ? (
        <div class="notifications__empty" data-empty>
          <Icon name="bell" size={28} />
          <p>{t('notif.none')}</p>
        </div>
      ) : null}
      <ul class="notif-list">
        {items.map((n) => (
          <li key={n.id}>
            <button
              type="button"
              class={`notif notif--${n.type}${isRead(n) ? '' : ' notif--unread'}`}
              data-notification-id={n.id}
              data-type={n.type}
              data-read={isRead(n) ? 'true' : 'false'}
              onClick={() => open(n)}
            >
              <span class="notif__icon">
                <Icon name={ICONS[n.type]} size={18} />
              </span>
              <span class="notif__body">
                <span class="notif__what">
                  {label(n)}
                  {n.actorName ? <span class="notif__actor">{n.actorName}</span> : null}
                </span>
                <span class="notif__text" data-role="text">
                  {n.text}
                </span>
                <time class="notif__time" dateTime={n.createdAt}>
                  {ago(n.createdAt)}
                </time>
              </span>
              {isRead(n) ? null : <span class="notif__dot" aria-label={t('notif.unread')} />}
            </button>
          </li>
        ))}
      </ul>
      {done ? (
        <LoadMore hasMore={Boolean(cursor)} loading={loading} onMore={() => void load(cursor ?? undefined)} />
      ) : null}
    </section>
  );
}

/** Newest first, each id once (a live one may also be on the first page). */
function mergeById(live: NotificationDto[], stored: NotificationDto[]): NotificationDto[] {
  const byId = new Map<number, NotificationDto>();
  for (const n of [...stored, ...live]) if (!byId.has(n.id)) byId.set(n.id, n);
  return [...byId.values()].sort((a, b) => b.id - a.id);
}
