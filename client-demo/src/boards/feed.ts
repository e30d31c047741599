import { useEffect, useRef, useState } from 'preact/hooks';
import type { Page, PostDto, PushEvent } from '../../../shared/dto';
import type { ErrorWire } from '../../../shared/errors';
import type { Ack } from '../../../shared/events';
import { rooms } from '../../../shared/rooms';
import { isStaff } from '../lib/account';
import { useQuad } from '../lib/session';
import { onGap } from './gaps';
import { restorePost } from './moderated';
import { foldTag } from './store';

export type FeedTab = 'latest' | 'hot' | 'best';

/** `posts:list` filters the feed exposes (field names as in shared/schemas/boards.ts). */
export interface FeedFilters {
  q?: string;
  tag?: string;
  author?: string;
}

export interface FeedQuery {
  /** Absent for the all-boards HOT and BEST lists. */
  boardId?: number;
  tab: FeedTab;
  filters: FeedFilters;
}

export interface FeedState {
  items: PostDto[];
  nextCursor: string | null;
  loading: boolean;
  /** The first page has answered (so an empty list means "no posts", not "not yet"). */
  loaded: boolean;
  error: ErrorWire | null;
  /** Posts that arrived live: their rows slide in. */
  fresh: ReadonlySet<number>;
}

const PAGE_SIZE = 20;
const EMPTY: FeedState = {
  items: [],
  nextCursor: null,
  loading: true,
  loaded: false,
  error: null,
  fresh: new Set(),
};

function fetchPage(q: FeedQuery, cursor?: string): Promise<Ack<Page<PostDto>>> {
  const boards = useQuad().boards;
  const page = { limit: PAGE_SIZE, ...(cursor && { cursor }) };
  const board = q.boardId ? { boardId: q.boardId } : {};
  if (q.tab === 'hot') return boards.ask('posts:hot', { ...board, ...page });
  if (q.tab === 'best') return boards.ask('posts:best', { ...board, ...page });
  const { q: text, tag, author } = q.filters;
  return boards.ask('posts:list', {
    boardId: q.boardId ?? 0,
    ...(text && { q: text }),
    ...(tag && { tag }),
    ...(author && { author }),
    ...page,
  });
}

/** Whether a post created live belongs at the top of the feed being shown. */
export function belongs(post: PostDto, q: FeedQuery): boolean {
  if (q.tab !== 'latest' || post.boardId !== q.boardId) return false;
  const { q: text, tag, author } = q.filters;
  // A PostDto carries no username, so an author filter cannot be checked here.
  if (author) return false;
  if (tag && !post.tags.some((t) => foldTag(t) === foldTag(tag))) return false;
  if (text && !foldTag(`${post.title}\n${post.content}`).includes(foldTag(text))) return false;
  return true;
}

/** Puts `first` on top, then the posts of `rest` not already in it. */
function merge(first: PostDto[], rest: PostDto[]): PostDto[] {
  const ids = new Set(first.map((p) => p.id));
  return [...first, ...rest.filter((p) => !ids.has(p.id))];
}

/**
 * One board's feed (or the all-boards HOT/BEST list): pages through the cursor and, for a
 * board, keeps it live — new posts slide in on top, counts, edits, deletions and HOT/BEST
 * promotions apply in place. Pushes come through `onEvent`, so events replayed after a
 * reconnect arrive once; when a reconnect cannot replay (no event seen yet in the room, or
 * RESYNC_REQUIRED) the first page is read again and merged.
 */
export function usePostFeed(
  query: FeedQuery,
): FeedState & { live: boolean; more: () => void; refresh: () => void } {
  const [state, setState] = useState<FeedState>(EMPTY);
  const key = JSON.stringify(query);
  const current = useRef(query);
  current.current = query;
  const generation = useRef(0);

  const load = (mode: 'reset' | 'more' | 'refresh', cursor?: string) => {
    const gen = mode === 'reset' ? ++generation.current : generation.current;
    if (mode === 'reset') setState(EMPTY);
    else setState((s) => ({ ...s, loading: true, error: null }));
    fetchPage(current.current, cursor).then(
      (res) => {
        if (gen !== generation.current) return;
        setState((s) => {
          if (!res.ok) return { ...s, loading: false, loaded: true, error: res.error };
          const page = res.data;
          if (mode === 'more') {
            return { ...s, items: merge(s.items, page.items), nextCursor: page.nextCursor, loading: false };
          }
          // Posts pushed while the page was on its way stay on top; a refresh keeps what was
          // loaded below the first page and slides in what is new.
          const known = new Set(s.items.map((p) => p.id));
          const added = mode === 'refresh' ? page.items.filter((p) => !known.has(p.id)).map((p) => p.id) : [];
          return {
            ...s,
            items: mode === 'refresh' ? merge(page.items, s.items) : merge(s.items, page.items),
            nextCursor: mode === 'refresh' && s.loaded ? s.nextCursor : page.nextCursor,
            loading: false,
            loaded: true,
            fresh: new Set([...s.fresh, ...added]),
          };
        });
      },
      () => {
        if (gen !== generation.current) return;
        setState((s) => ({
          ...s,
          loading: false,
          loaded: true,
          error: { code: 'UNAVAILABLE', message: 'No answer from the server' },
        }));
      },
    );
  };

  useEffect(() => load('reset'), [key]);
  const items = useRef(state.items);
  items.current = state.items;
  const live = useLiveBoard(query.boardId, current, items, setState, () => load('refresh'));

  return {
    ...state,
    live,
    more: () => {
      if (!state.loading && state.nextCursor) load('more', state.nextCursor);
    },
    refresh: () => load('refresh'),
  };
}

type SetState = (update: (s: FeedState) => FeedState) => void;

/**
 * Subscribes to `board:<id>` while mounted and applies its pushes to the feed; true once the
 * subscription is acknowledged (from then on nothing posted is missed). A post that reports hid
 * leaves the feed, except for its author and moderators, who get it marked hidden; a restored
 * one goes back to its place.
 */
function useLiveBoard(
  boardId: number | undefined,
  query: { current: FeedQuery },
  items: { current: PostDto[] },
  setState: SetState,
  reload: () => void,
): boolean {
  const [live, setLive] = useState(false);
  const reloadRef = useRef(reload);
  reloadRef.current = reload;
  useEffect(() => {
    if (!boardId) return;
    const boards = useQuad().boards;
    const room = rooms.board(boardId);
    const mine =
      <T>(apply: (e: PushEvent<T>) => void) =>
      (e: PushEvent<T>) => {
        if (e.room === room) apply(e);
      };
    const patch = (postId: number, change: (p: PostDto) => PostDto) =>
      setState((s) => ({ ...s, items: s.items.map((p) => (p.id === postId ? change(p) : p)) }));
    const drop = (postId: number) =>
      setState((s) => ({ ...s, items: s.items.filter((p) => p.id !== postId) }));
    const hide = (postId: number) => {
      const shown = items.current.find((p) => p.id === postId);
      if (!shown) return;
      if (!shown.isMine && !isStaff.value) return drop(postId);
      // Its author and moderators still get it: read it again, marked hidden with the reason.
      void boards
        .ask('post:get', { postId })
        .then((res) => (res.ok ? patch(postId, () => res.data) : drop(postId)))
        .catch(() => undefined);
    };
    const fits = (p: PostDto) =>
      query.current.tab === 'latest' ? belongs(p, query.current) : p.boardId === boardId;
    const restore = (post: PostDto) =>
      setState((s) => {
        if (!s.items.some((p) => p.id === post.id) && !fits(post)) return s;
        const next = restorePost(s.items, post, query.current.tab, !s.nextCursor);
        return next === s.items ? s : { ...s, items: next, fresh: new Set([...s.fresh, post.id]) };
      });
    const promote = (e: PushEvent<PostDto>, tab: FeedTab) =>
      setState((s) => {
        const has = s.items.some((p) => p.id === e.data.id);
        if (has) return { ...s, items: s.items.map((p) => (p.id === e.data.id ? e.data : p)) };
        if (query.current.tab !== tab) return s;
        return { ...s, items: [e.data, ...s.items], fresh: new Set([...s.fresh, e.data.id]) };
      });
    const offs = [
      boards.onEvent(
        'post:created',
        mine((e) => {
          if (!belongs(e.data, query.current)) return;
          setState((s) =>
            s.items.some((p) => p.id === e.data.id)
              ? s
              : { ...s, items: [e.data, ...s.items], fresh: new Set([...s.fresh, e.data.id]) },
          );
        }),
      ),
      boards.onEvent(
        'post:updated',
        mine((e) => patch(e.data.id, () => e.data)),
      ),
      boards.onEvent(
        'post:deleted',
        mine((e) => drop(e.data.postId)),
      ),
      boards.onEvent(
        'post:hidden',
        mine((e) => hide(e.data.postId)),
      ),
      boards.onEvent(
        'post:restored',
        mine((e) => restore(e.data)),
      ),
      boards.onEvent(
        'post:liked',
        mine((e) => patch(e.data.postId, (p) => ({ ...p, likeCount: e.data.likeCount }))),
      ),
      boards.onEvent(
        'post:commented',
        mine((e) => patch(e.data.postId, (p) => ({ ...p, commentCount: e.data.commentCount }))),
      ),
      boards.onEvent(
        'post:hot',
        mine((e) => promote(e, 'hot')),
      ),
      boards.onEvent(
        'post:best',
        mine((e) => promote(e, 'best')),
      ),
      onGap(boards, room, () => reloadRef.current()),
    ];
    let gone = false;
    setLive(false);
    void boards
      .subscribe('board:subscribe', { boardId })
      .then((res) => !gone && setLive(res.ok))
      .catch(() => undefined);
    return () => {
      gone = true;
      for (const off of offs) off();
      void boards.unsubscribe('board:unsubscribe', { boardId }).catch(() => undefined);
    };
  }, [boardId]);
  return live;
}
