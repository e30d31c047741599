import type { JSX, TargetedEvent } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { rooms } from '../../../shared/rooms';
import { t } from '../i18n';
import { canWrite } from '../lib/account';
import { go } from '../lib/router';
import { Icon } from '../ui/icons';
import { Empty, ErrorBanner, Spinner, Tabs } from '../ui/kit';
import { usePostFeed, type FeedFilters, type FeedTab } from './feed';
import { LoadMore } from './more';
import { PostRow } from './PostRow';
import { ReadingNow, usePresence } from './presence';
import { boardById, boardList, loadBoards } from './store';

/** `#/boards/3?tab=hot&q=…&tag=…&author=…`: the address keeps the tab and filters. */
export function feedPath(
  boardId: number | 'hot' | 'best',
  tab: FeedTab = 'latest',
  f: FeedFilters = {},
): string {
  const query = new URLSearchParams();
  if (tab !== 'latest') query.set('tab', tab);
  for (const key of ['q', 'tag', 'author'] as const) if (f[key]) query.set(key, f[key]);
  const qs = query.toString();
  return `/boards/${boardId}${qs ? `?${qs}` : ''}`;
}

/**
 * One board (`boardId`), or all boards' HOT or BEST posts (`boardId` absent). A board's
 * feed is live: see usePostFeed.
 */
export function BoardFeed(props: { boardId?: number; tab: FeedTab; filters: FeedFilters }): JSX.Element {
  const { boardId, tab, filters } = props;
  const feed = usePostFeed({ boardId, tab, filters });
  const reading = usePresence('boards', boardId ? rooms.board(boardId) : null);
  useEffect(() => {
    if (!boardList.value) void loadBoards();
  }, []);
  const board = boardById(boardId);
  const filtering = Boolean(filters.q || filters.tag || filters.author);
  const onTag = (tag: string) => go(feedPath(boardId ?? 0, 'latest', { tag }));

  return (
    <div class="board-feed" data-board-id={boardId ?? tab} data-live={feed.live ? 'true' : undefined}>
      <section class="card board-feed__head">
        <a class="board-feed__back" href="#/boards" aria-label={t('boards.title')}>
          <Icon name="back" size={18} />
        </a>
        <div class="board-feed__titles">
          <h2 class="board-feed__name">
            {boardId ? (board?.name ?? '…') : tab === 'hot' ? t('boards.hot') : t('boards.best')}
          </h2>
          <p class="board-feed__desc muted">
            {boardId ? board?.description : tab === 'hot' ? t('boards.hotDesc') : t('boards.bestDesc')}
          </p>
          {boardId ? <ReadingNow count={reading} /> : null}
        </div>
        {boardId && canWrite.value ? (
          <a class="btn btn--primary write-btn" href={`#/boards/${boardId}/write`} data-action="write">
            <Icon name="pencil" size={16} />
            <span>{t('post.write')}</span>
          </a>
        ) : null}
        {boardId && !canWrite.value ? (
          <button
            type="button"
            class="btn btn--primary write-btn"
            disabled
            title={t('suspended.short')}
            data-action="write"
          >
            <Icon name="lock" size={16} />
            <span>{t('post.write')}</span>
          </button>
        ) : null}
      </section>

      {boardId ? (
        <div class="board-feed__bar">
          <Tabs
            value={tab}
            options={[
              { value: 'latest', label: t('feed.latest') },
              { value: 'hot', label: 'HOT' },
              { value: 'best', label: 'BEST' },
            ]}
            onChange={(next) => go(feedPath(boardId, next))}
          />
          {tab === 'latest' ? <SearchForm boardId={boardId} filters={filters} /> : null}
        </div>
      ) : null}
      {filtering && boardId ? <ActiveFilters boardId={boardId} filters={filters} /> : null}

      <section class="card post-list" data-feed={tab}>
        <ErrorBanner error={feed.error} />
        {feed.items.map((p) => (
          <PostRow
            key={p.id}
            post={p}
            fresh={feed.fresh.has(p.id)}
            showBoard={!boardId}
            onTag={boardId ? onTag : undefined}
          />
        ))}
        {!feed.loaded ? <Spinner /> : null}
        {feed.loaded && !feed.items.length && !feed.error ? (
          <Empty>
            <FeedEmpty tab={tab} filtering={filtering} />
          </Empty>
        ) : null}
        {feed.loaded ? (
          <LoadMore hasMore={Boolean(feed.nextCursor)} loading={feed.loading} onMore={feed.more} />
        ) : null}
      </section>
    </div>
  );
}

function FeedEmpty(props: { tab: FeedTab; filtering: boolean }): JSX.Element {
  const text = props.filtering
    ? t('feed.noMatch')
    : props.tab === 'hot'
      ? t('feed.noHot')
      : props.tab === 'best'
        ? t('feed.noBest')
        : t('feed.noPosts');
  return (
    <div class="board-feed__empty" data-empty>
      <Icon name={props.tab === 'latest' ? 'pencil' : 'flame'} size={28} />
      <p>{text}</p>
    </div>
  );
}

function SearchForm(props: { boardId: number; filters: FeedFilters }): JSX.Element {
  const [q, setQ] = useState(props.filters.q ?? '');
  const [author, setAuthor] = useState(props.filters.author ?? '');
  useEffect(() => {
    setQ(props.filters.q ?? '');
    setAuthor(props.filters.author ?? '');
  }, [props.filters.q, props.filters.author]);
  const submit = (e: Event) => {
    e.preventDefault();
    go(feedPath(props.boardId, 'latest', { ...props.filters, q: q.trim(), author: author.trim() }));
  };
  const input = (set: (v: string) => void) => (e: TargetedEvent<HTMLInputElement>) =>
    set(e.currentTarget.value);
  return (
    <form class="feed-search" onSubmit={submit} role="search" data-form="search">
      <label class="feed-search__box">
        <Icon name="search" size={16} />
        <input
          name="q"
          type="search"
          value={q}
          maxLength={100}
          placeholder={t('feed.searchPlaceholder')}
          onInput={input(setQ)}
        />
      </label>
      <label class="feed-search__box feed-search__box--author">
        <Icon name="user" size={16} />
        <input
          name="author"
          value={author}
          maxLength={20}
          placeholder={t('feed.authorPlaceholder')}
          onInput={input(setAuthor)}
        />
      </label>
      <button class="btn btn--small" type="submit" data-action="search">
        {t('feed.search')}
      </button>
    </form>
  );
}

function ActiveFilters(props: { boardId: number; filters: FeedFilters }): JSX.Element {
  const f = props.filters;
  const without = (key: keyof FeedFilters) => feedPath(props.boardId, 'latest', { ...f, [key]: undefined });
  const chips: { key: keyof FeedFilters; label: string }[] = [];
  if (f.q) chips.push({ key: 'q', label: `“${f.q}”` });
  if (f.tag) chips.push({ key: 'tag', label: `#${f.tag}` });
  if (f.author) chips.push({ key: 'author', label: `@${f.author}` });
  return (
    <div class="feed-filters" data-filters>
      <span class="muted">{t('feed.filtered')}</span>
      {chips.map((c) => (
        <a
          class="chip chip--accent"
          href={`#${without(c.key)}`}
          data-filter={c.key}
          title={t('feed.clearFilter')}
        >
          {c.label}
          <Icon name="x" size={12} />
        </a>
      ))}
      <a class="feed-filters__clear" href={`#${feedPath(props.boardId)}`}>
        {t('feed.clearAll')}
      </a>
    </div>
  );
}
