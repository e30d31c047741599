import type { CommentDto, PostDto } from '../../../shared/dto';
import type { FeedTab } from './feed';
import type { ThreadState } from './thread';

/**
 * Where content that reports hid, or a moderator restored, goes in what is on screen. A feed
 * and a thread are ordered as their lists are (`posts:list` newest first, HOT/BEST by when the
 * post was promoted, comments oldest first), so a restored one goes back to its own place.
 */

const ORDER: Record<FeedTab, (p: PostDto) => number> = {
  latest: (p) => p.id,
  hot: (p) => (p.hotAt ? Date.parse(p.hotAt) : 0),
  best: (p) => (p.bestAt ? Date.parse(p.bestAt) : 0),
};

/**
 * Puts a restored post back among `items` (newest first by the tab's order), or replaces the
 * copy there (its author's, marked hidden). A post older than every loaded one waits for its
 * page (`more`), unless the whole list is loaded.
 */
export function restorePost(items: PostDto[], post: PostDto, tab: FeedTab, complete: boolean): PostDto[] {
  if (items.some((p) => p.id === post.id)) return items.map((p) => (p.id === post.id ? post : p));
  if (tab !== 'latest' && !ORDER[tab](post)) return items;
  const key = ORDER[tab];
  const at = items.findIndex((p) => key(p) < key(post));
  if (at === -1) return complete ? [...items, post] : items;
  return [...items.slice(0, at), post, ...items.slice(at)];
}

/**
 * Takes a hidden comment out of its thread, as `comments:list` leaves it out: a comment with
 * its replies, a reply alone.
 */
export function dropComment(s: ThreadState, id: number): ThreadState {
  return {
    ...s,
    threads: s.threads
      .filter((t) => t.id !== id)
      .map((t) =>
        t.replies.some((r) => r.id === id) ? { ...t, replies: t.replies.filter((r) => r.id !== id) } : t,
      ),
  };
}

/** Whether the comment `id` is in the thread and its viewer's own. */
export function isMyComment(s: ThreadState, id: number): boolean {
  return s.threads.some((t) => (t.id === id && t.isMine) || t.replies.some((r) => r.id === id && r.isMine));
}

/**
 * Puts a restored comment back where it was (comments oldest first), or replaces the copy there
 * (its author's, marked hidden). A comment after every loaded one waits for its page.
 */
export function restoreComment(s: ThreadState, c: CommentDto): ThreadState {
  const byId = <T extends CommentDto>(list: T[], item: T): T[] | null => {
    if (list.some((x) => x.id === item.id)) return list.map((x) => (x.id === item.id ? item : x));
    const at = list.findIndex((x) => x.id > item.id);
    if (at === -1) return null;
    return [...list.slice(0, at), item, ...list.slice(at)];
  };
  if (c.parentId === null) {
    const kept = s.threads.find((t) => t.id === c.id);
    const threads = byId(s.threads, { ...c, replies: kept?.replies ?? [] });
    if (threads) return { ...s, threads };
    return s.nextCursor ? s : { ...s, threads: [...s.threads, { ...c, replies: [] }] };
  }
  return {
    ...s,
    threads: s.threads.map((t) =>
      t.id === c.parentId ? { ...t, replies: byId(t.replies, c) ?? [...t.replies, c] } : t,
    ),
  };
}
