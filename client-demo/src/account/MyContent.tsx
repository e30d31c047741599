import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { MyCommentDto, Page, PostDto } from '../../../shared/dto';
import type { ErrorWire } from '../../../shared/errors';
import type { Ack } from '../../../shared/events';
import { ago, t } from '../i18n';
import { useQuad } from '../lib/session';
import { LoadMore } from '../boards/more';
import { PostRow } from '../boards/PostRow';
import { boardById, boardList, clock, loadBoards } from '../boards/store';
import { HiddenChip } from '../safety/HiddenNote';
import { Icon } from '../ui/icons';
import { ErrorBanner } from '../ui/kit';
import { SettingsPage } from './Page';
import '../boards/boards.css';

/** A paged list read with `ask(cursor)`: items so far, the next cursor, loading, error. */
function usePaged<T>(ask: (cursor?: string) => Promise<Ack<Page<T>>>) {
  const [items, setItems] = useState<T[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<ErrorWire | null>(null);
  const load = async (after?: string) => {
    setLoading(true);
    const res = await ask(after).catch(() => null);
    setLoading(false);
    if (!res?.ok) return setError(res?.error ?? { code: 'UNAVAILABLE', message: '' });
    setError(null);
    setItems((old) => (after && old ? [...old, ...res.data.items] : res.data.items));
    setCursor(res.data.nextCursor);
  };
  useEffect(() => {
    void load();
    if (!boardList.value) void loadBoards();
  }, []);
  return { items, loading, error, more: cursor ? () => void load(cursor) : null };
}

/** `#/me/posts`: `me:posts`, newest first; anonymous ones too, marked as mine (only I see this list). */
export function MyPosts(): JSX.Element {
  const list = usePaged<PostDto>((cursor) => useQuad().boards.ask('me:posts', cursor ? { cursor } : {}));
  return (
    <SettingsPage id="posts">
      <p class="muted">{t('mine.hint')}</p>
      <ErrorBanner error={list.error} />
      {list.items && !list.items.length ? (
        <p class="account__none" data-empty>
          {t('mine.noPosts')}
        </p>
      ) : null}
      <div class="mine-list">
        {list.items?.map((p) => (
          <div class="mine-item" key={p.id} data-mine-post={p.id} data-anonymous={String(p.anonymous)}>
            {p.anonymous ? (
              <span class="mine-chip" data-role="anonymous-mine">
                <Icon name="lock" size={12} />
                {t('mine.anonymous')}
              </span>
            ) : null}
            <PostRow post={p} showBoard />
          </div>
        ))}
      </div>
      <LoadMore hasMore={Boolean(list.more)} loading={list.loading} onMore={() => list.more?.()} />
    </SettingsPage>
  );
}

/** `#/me/comments`: `me:comments`, each with its post's board and title, opening the thread. */
export function MyComments(): JSX.Element {
  const list = usePaged<MyCommentDto>((cursor) =>
    useQuad().boards.ask('me:comments', cursor ? { cursor } : {}),
  );
  void clock.value;
  return (
    <SettingsPage id="comments">
      <p class="muted">{t('mine.hint')}</p>
      <ErrorBanner error={list.error} />
      {list.items && !list.items.length ? (
        <p class="account__none" data-empty>
          {t('mine.noComments')}
        </p>
      ) : null}
      <ul class="mine-comments">
        {list.items?.map((c) => (
          <li key={c.id} data-mine-comment={c.id} data-anonymous={String(c.anonymous)}>
            <a class="mine-comment" href={`#/posts/${c.postId}`}>
              <span class="mine-comment__on">
                {boardById(c.boardId)?.name ? (
                  <span class="post-row__board">{boardById(c.boardId)!.name}</span>
                ) : null}
                <span data-role="post-title">{t('mine.on', { title: c.postTitle })}</span>
              </span>
              <span class="mine-comment__text" data-role="content">
                {c.hidden ? <HiddenChip hidden={c.hidden} /> : null}
                {c.content}
              </span>
              <span class="mine-comment__meta muted">
                <span class={c.anonymous ? 'is-anon' : undefined} data-role="author">
                  {c.authorName}
                </span>
                {c.anonymous ? <span class="mine-chip">{t('mine.anonymousComment')}</span> : null}
                <time dateTime={c.createdAt}>{ago(c.createdAt)}</time>
              </span>
            </a>
          </li>
        ))}
      </ul>
      <LoadMore hasMore={Boolean(list.more)} loading={list.loading} onMore={() => list.more?.()} />
    </SettingsPage>
  );
}
