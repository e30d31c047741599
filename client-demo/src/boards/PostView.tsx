import type { JSX } from 'preact';
import { useEffect } from 'preact/hooks';
import type { PostDto } from '../../../shared/dto';
import type { Ack } from '../../../shared/events';
import { rooms } from '../../../shared/rooms';
import { ago, errorText, t } from '../i18n';
import { shownAuthor } from '../lib/author';
import { go } from '../lib/router';
import { canWrite } from '../lib/account';
import { useQuad } from '../lib/session';
import { MessageButton } from '../messages/MessageButton';
import { HiddenNote } from '../safety/HiddenNote';
import { SafetyMenu } from '../safety/SafetyMenu';
import { Icon } from '../ui/icons';
import { Banner, Spinner } from '../ui/kit';
import { Comments } from './Comments';
import { PromotionBadges, TagChips } from './PostRow';
import { ReadingNow, usePresence } from './presence';
import { boardById, boardList, clock, loadBoards } from './store';
import { liveCommentCount, usePostThread, type ThreadState } from './thread';
import { toast } from './toast';
import './post.css';

/** `#/posts/:id`: the post, its likes and scraps, and the live comment thread. */
export function PostView(props: { postId: number }): JSX.Element {
  const thread = usePostThread(props.postId);
  const reading = usePresence('comments', rooms.post(props.postId));
  useEffect(() => {
    if (!boardList.value) void loadBoards();
  }, []);
  const { post } = thread;
  if (thread.postError) {
    return (
      <div class="stack">
        <Banner>{errorText(thread.postError)}</Banner>
        <a class="btn" href="#/boards">
          {t('boards.title')}
        </a>
      </div>
    );
  }
  if (!post) return <Spinner />;
  if (thread.hiddenLive && !post.hidden) return <HiddenLive boardId={post.boardId} />;
  return (
    <div class="post-page" data-live={thread.live ? 'true' : undefined}>
      {thread.deleted ? <Banner kind="info">{t('post.deletedLive')}</Banner> : null}
      <PostCard post={post} thread={thread} reading={reading} />
      <Comments post={post} thread={thread} />
    </div>
  );
}

/** What is left of an open post that reports hid: it is gone from the screen as from the board. */
function HiddenLive(props: { boardId: number }): JSX.Element {
  return (
    <div class="post-page" data-hidden-live="true">
      <section class="card post-gone">
        <Icon name="eyeOff" size={28} />
        <h2>{t('hidden.live')}</h2>
        <p class="muted">{t('hidden.liveBody')}</p>
        <a class="btn" href={`#/boards/${props.boardId}`}>
          <Icon name="back" size={16} />
          {boardById(props.boardId)?.name ?? t('boards.title')}
        </a>
      </section>
    </div>
  );
}

function PostCard(props: {
  post: PostDto;
  thread: ThreadState & { setState: (u: (s: ThreadState) => ThreadState) => void };
  /** Readers of the post now (presence), me included. */
  reading: number | null;
}): JSX.Element {
  const { post, thread } = props;
  const board = boardById(post.boardId);
  void clock.value;
  const setPost = (change: Partial<PostDto>) =>
    thread.setState((s) => (s.post ? { ...s, post: { ...s.post, ...change } } : s));

  /** Sends a toggle; on a clash (already liked elsewhere) the flag follows the server. */
  const toggle = async <T,>(
    ask: () => Promise<Ack<T>>,
    apply: (data: T) => void,
    onConflict: () => void,
  ): Promise<void> => {
    const res = await ask().catch(() => null);
    if (res?.ok) apply(res.data);
    else if (res?.error.code === 'CONFLICT') onConflict();
    else toast(res ? errorText(res.error) : t('error.UNAVAILABLE'));
  };
  const boards = useQuad().boards;
  const like = () =>
    toggle(
      () => boards.ask(post.likedByMe ? 'post:unlike' : 'post:like', { postId: post.id }),
      (d) => setPost({ likeCount: d.likeCount, likedByMe: !post.likedByMe }),
      () => setPost({ likedByMe: !post.likedByMe }),
    );
  const scrap = () =>
    toggle(
      () => boards.ask(post.scrappedByMe ? 'post:unscrap' : 'post:scrap', { postId: post.id }),
      (d) => setPost({ scrapCount: d.scrapCount, scrappedByMe: !post.scrappedByMe }),
      () => setPost({ scrappedByMe: !post.scrappedByMe }),
    );
  const remove = async () => {
    if (!confirm(t('post.confirmDelete'))) return;
    const res = await boards.ask('post:delete', { postId: post.id }).catch(() => null);
    if (res?.ok) go(`/boards/${post.boardId}`);
    else toast(res ? errorText(res.error) : t('error.UNAVAILABLE'));
  };
  const live = !thread.deleted;
  const writable = canWrite.value;

  return (
    <article class="card post-card" data-post-id={post.id} data-mine={post.isMine ? 'true' : undefined}>
      <a class="post-card__board" href={`#/boards/${post.boardId}`}>
        <Icon name="back" size={16} />
        {board?.name ?? t('boards.title')}
      </a>
      <header class="post-card__head">
        <span class={`author-avatar${post.anonymous ? ' author-avatar--anon' : ''}`}>
          <Icon name="user" size={20} />
        </span>
        <div class="post-card__by">
          <strong
            class="post-card__author"
            data-role="author"
            data-author-deleted={post.authorDeleted ? 'true' : undefined}
          >
            {shownAuthor(post)}
          </strong>
          <time class="muted" dateTime={post.createdAt}>
            {ago(post.createdAt)}
            {post.updatedAt !== post.createdAt ? ` · ${t('post.edited')}` : ''}
          </time>
        </div>
        {post.isMine && live ? (
          <div class="post-card__own">
            <a class="btn btn--ghost btn--small" href={`#/posts/${post.id}/edit`} data-action="edit">
              <Icon name="pencil" size={14} />
              {t('post.editShort')}
            </a>
            <button
              type="button"
              class="btn btn--ghost btn--small"
              data-action="delete-post"
              onClick={remove}
            >
              <Icon name="trash" size={14} />
              {t('common.delete')}
            </button>
          </div>
        ) : null}
        {!post.isMine && live ? (
          <SafetyMenu
            target={{ kind: 'post', id: post.id }}
            authorName={shownAuthor(post)}
            onBlocked={(message) => {
              toast(message);
              go(`/boards/${post.boardId}`);
            }}
          />
        ) : null}
      </header>
      {post.hidden ? <HiddenNote hidden={post.hidden} kind="post" mine={post.isMine} /> : null}
      <h1 class="post-card__title">
        <PromotionBadges post={post} />
        <span data-role="title">{post.title}</span>
      </h1>
      <div class="post-card__content" data-role="content">
        {post.content}
      </div>
      <TagChips tags={post.tags} />
      <div class="post-card__stats">
        <span class="post-count post-count--like" data-count="likes">
          <Icon name="heart" size={15} />
          {post.likeCount}
        </span>
        <span class="post-count post-count--comment" data-count="comments">
          <Icon name="comment" size={15} />
          {liveCommentCount(thread)}
        </span>
        <span class="post-count post-count--scrap" data-count="scraps">
          <Icon name="star" size={15} />
          {post.scrapCount}
        </span>
        <span class="spacer" />
        <ReadingNow count={props.reading} />
      </div>
      <div class="post-card__actions">
        <button
          type="button"
          class={`btn btn--small post-action${post.likedByMe ? ' post-action--on' : ''}`}
          data-action="like"
          aria-pressed={Boolean(post.likedByMe)}
          disabled={post.isMine || !live || !writable}
          title={post.isMine ? t('post.cannotLikeOwn') : writable ? undefined : t('suspended.short')}
          onClick={like}
        >
          <Icon name="heart" size={15} filled={post.likedByMe} />
          {t('post.like')}
        </button>
        <button
          type="button"
          class={`btn btn--small post-action post-action--scrap${post.scrappedByMe ? ' post-action--on' : ''}`}
          data-action="scrap"
          aria-pressed={Boolean(post.scrappedByMe)}
          disabled={!live || !writable}
          onClick={scrap}
        >
          <Icon name="star" size={15} filled={post.scrappedByMe} />
          {t('post.scrap')}
        </button>
        {!post.isMine && !post.authorDeleted && live ? (
          <MessageButton
            from={{ kind: 'post', id: post.id }}
            to={shownAuthor(post)}
            class="btn btn--small post-action post-action--message"
            iconSize={15}
          />
        ) : null}
      </div>
    </article>
  );
}
