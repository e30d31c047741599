import type { JSX } from 'preact';
import type { Route } from '../lib/router';
import { Empty } from '../ui/kit';
import { t } from '../i18n';
import { BoardFeed } from './BoardFeed';
import { BoardsHome } from './BoardsHome';
import type { FeedFilters, FeedTab } from './feed';
import { PostEditor } from './PostEditor';
import { PostView } from './PostView';
import './boards.css';

const TABS: readonly FeedTab[] = ['latest', 'hot', 'best'];
const id = (part: string | undefined) => (part && /^\d+$/.test(part) ? Number(part) : undefined);

/**
 * `#/boards` (list), `#/boards/hot`, `#/boards/best` (all boards), `#/boards/:id` (feed;
 * `?tab=&q=&tag=&author=`), `#/boards/:id/write`, `#/posts/:id`, `#/posts/:id/edit`.
 */
export function BoardsRoutes(props: { route: Route }): JSX.Element {
  const { parts, query } = props.route;
  const [section, first, second] = parts;
  if (section === 'posts') {
    const postId = id(first);
    if (!postId) return <Empty>{t('error.NOT_FOUND')}</Empty>;
    return second === 'edit' ? <PostEditor postId={postId} /> : <PostView key={postId} postId={postId} />;
  }
  if (first === 'hot' || first === 'best') return <BoardFeed key={first} tab={first} filters={{}} />;
  const boardId = id(first);
  if (!first) return <BoardsHome />;
  if (!boardId) return <Empty>{t('error.NOT_FOUND')}</Empty>;
  if (second === 'write') return <PostEditor boardId={boardId} />;
  const tab = TABS.find((x) => x === query.get('tab')) ?? 'latest';
  const filters: FeedFilters = {};
  for (const key of ['q', 'tag', 'author'] as const) {
    const v = query.get(key)?.trim();
    if (v) filters[key] = v;
  }
  return <BoardFeed key={boardId} boardId={boardId} tab={tab} filters={filters} />;
}
