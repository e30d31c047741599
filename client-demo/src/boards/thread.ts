import { useEffect, useRef, useState } from 'preact/hooks';
import type { CommentDto, PostDto, PushEvent, ThreadDto } from '../../../shared/dto';
import type { ErrorWire } from '../../../shared/errors';
import { rooms } from '../../../shared/rooms';
import { isStaff } from '../lib/account';
import { useQuad } from '../lib/session';
import { onGap } from './gaps';
import { dropComment, isMyComment, restoreComment } from './moderated';

export interface ThreadState {
  post: PostDto | null;
  /** Set when the post could not be read, or was deleted while open. */
  postError: ErrorWire | null;
  deleted: boolean;
  /** Reports hid the post while it was open (for anyone but its author and moderators). */
  hiddenLive: boolean;
  /** The post's room is subscribed: comments from now on arrive live. */
  live: boolean;
  threads: ThreadDto[];
  nextCursor: string | null;
  loading: boolean;
  loaded: boolean;
}

const INITIAL: ThreadState = {
  post: null,
  postError: null,
  deleted: false,
  hiddenLive: false,
  live: false,
  threads: [],
  nextCursor: null,
  loading: true,
  loaded: false,
};

/**
 * Puts a comment where it belongs — a thread at the end, a reply under its thread — once:
 * the ack of my own comment and its push both carry it. A new thread waits for its page when
 * older pages are still unread (it is the newest, so it comes last).
 */
export function placeComment(s: ThreadState, c: CommentDto): ThreadState {
  if (c.parentId === null) {
    if (s.threads.some((t) => t.id === c.id) || s.nextCursor) return s;
    return { ...s, threads: [...s.threads, { ...c, replies: [] }] };
  }
  return {
    ...s,
    threads: s.threads.map((t) =>
      t.id === c.parentId && !t.replies.some((r) => r.id === c.id) ? { ...t, replies: [...t.replies, c] } : t,
    ),
  };
}

/** Applies `change` to the comment `id`, wherever it is. */
export function patchComment(s: ThreadState, id: number, change: (c: CommentDto) => CommentDto): ThreadState {
  return {
    ...s,
    threads: s.threads.map((t) => ({
      ...(t.id === id ? { ...t, ...change(t) } : t),
      replies: t.replies.map((r) => (r.id === id ? change(r) : r)),
    })),
  };
}

/** How the server shows a deleted comment (docs/protocol.md, `/comments`). */
export const asDeleted = (c: CommentDto): CommentDto => ({
  ...c,
  deleted: true,
  content: '',
  authorName: '(삭제)',
  authorId: null,
});

/** Comments not deleted, when every page is loaded (else the post's own count). */
export function liveCommentCount(s: ThreadState): number {
  if (s.nextCursor || !s.loaded) return s.post?.commentCount ?? 0;
  let n = 0;
  for (const t of s.threads) n += (t.deleted ? 0 : 1) + t.replies.filter((r) => !r.deleted).length;
  return n;
}

/**
 * One post and its comments, live: `post:get` on /boards, then `post:subscribe` and
 * `comments:list` on /comments; comment and post pushes of the room apply in place. Hidden by
 * reports, the post or a comment leaves the screen, except for its author and moderators, who
 * read it again marked hidden; a restored comment comes back in its place.
 */
export function usePostThread(postId: number): ThreadState & {
  setState: (update: (s: ThreadState) => ThreadState) => void;
  more: () => void;
  /** Shows the first page of comments afresh (after a block: the blocked author's are left out). */
  reload: () => void;
} {
  const [state, setState] = useState<ThreadState>(INITIAL);
  const generation = useRef(0);
  const current = useRef(state);
  current.current = state;

  /** A page of comments after `cursor`, or (`replace`) the first page instead of what is shown. */
  const loadComments = (cursor?: string, replace = false) => {
    const gen = generation.current;
    setState((s) => ({ ...s, loading: true }));
    useQuad()
      .comments.ask('comments:list', { postId, ...(cursor && { cursor }) })
      .then(
        (res) => {
          if (gen !== generation.current) return;
          setState((s) => {
            if (!res.ok) return { ...s, loading: false, loaded: true };
            // Threads pushed while the page was on its way are kept (and not doubled).
            const ids = new Set(res.data.items.map((t) => t.id));
            const threads = cursor
              ? [...s.threads, ...res.data.items.filter((t) => !s.threads.some((o) => o.id === t.id))]
              : [...res.data.items, ...(replace ? [] : s.threads.filter((t) => !ids.has(t.id)))];
            return { ...s, threads, nextCursor: res.data.nextCursor, loading: false, loaded: true };
          });
        },
        () => gen === generation.current && setState((s) => ({ ...s, loading: false, loaded: true })),
      );
  };

  useEffect(() => {
    const gen = ++generation.current;
    setState(INITIAL);
    const { boards, comments } = useQuad();
    const room = rooms.post(postId);
    const mine =
      <T>(apply: (e: PushEvent<T>) => void) =>
      (e: PushEvent<T>) => {
        if (e.room === room && gen === generation.current) apply(e);
      };
    const offs = [
      comments.onEvent(
        'comment:created',
        mine((e) => setState((s) => placeComment(s, e.data))),
      ),
      comments.onEvent(
        'comment:deleted',
        mine((e) => setState((s) => patchComment(s, e.data.commentId, asDeleted))),
      ),
      comments.onEvent(
        'comment:liked',
        mine((e) =>
          setState((s) => patchComment(s, e.data.commentId, (c) => ({ ...c, likeCount: e.data.likeCount }))),
        ),
      ),
      comments.onEvent(
        'post:liked',
        mine((e) =>
          setState((s) => (s.post ? { ...s, post: { ...s.post, likeCount: e.data.likeCount } } : s)),
        ),
      ),
      comments.onEvent(
        'post:updated',
        mine((e) =>
          setState((s) => ({
            ...s,
            // Per-viewer flags are only in post:get: keep mine.
            post: { ...e.data, likedByMe: s.post?.likedByMe, scrappedByMe: s.post?.scrappedByMe },
          })),
        ),
      ),
      comments.onEvent(
        'post:deleted',
        mine(() => setState((s) => ({ ...s, deleted: true }))),
      ),
      comments.onEvent(
        'post:hidden',
        mine(() => {
          if (!current.current.post?.isMine && !isStaff.value)
            return setState((s) => ({ ...s, hiddenLive: true }));
          void boards.ask('post:get', { postId }).then(
            (res) => gen === generation.current && res.ok && setState((s) => ({ ...s, post: res.data })),
            () => undefined,
          );
        }),
      ),
      comments.onEvent(
        'comment:hidden',
        mine((e) => {
          const { commentId } = e.data;
          // Its author and moderators keep it, marked: the list says why.
          if (isStaff.value || isMyComment(current.current, commentId)) loadComments();
          else setState((s) => dropComment(s, commentId));
        }),
      ),
      comments.onEvent(
        'comment:restored',
        mine((e) => setState((s) => restoreComment(s, e.data))),
      ),
      onGap(comments, room, () => gen === generation.current && loadComments()),
    ];

    boards.ask('post:get', { postId }).then(
      (res) => {
        if (gen !== generation.current) return;
        if (res.ok) setState((s) => ({ ...s, post: res.data }));
        else setState((s) => ({ ...s, postError: res.error, loading: false, loaded: true }));
      },
      () =>
        gen === generation.current &&
        setState((s) => ({ ...s, postError: { code: 'UNAVAILABLE', message: '' }, loading: false })),
    );
    // Join the room before reading the list, so nothing falls between the two.
    void comments
      .subscribe('post:subscribe', { postId })
      .then((res) => gen === generation.current && res.ok && setState((s) => ({ ...s, live: true })))
      .catch(() => undefined)
      .then(() => gen === generation.current && loadComments());
    return () => {
      for (const off of offs) off();
      void comments.unsubscribe('post:unsubscribe', { postId }).catch(() => undefined);
    };
  }, [postId]);

  return {
    ...state,
    setState,
    more: () => {
      if (!state.loading && state.nextCursor) loadComments(state.nextCursor);
    },
    reload: () => loadComments(undefined, true),
  };
}
