import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import type { CommentDto, PostDto } from '../../../shared/dto';
import { ago, errorText, t } from '../i18n';
import { canWrite } from '../lib/account';
import { shownAuthor } from '../lib/author';
import { useQuad } from '../lib/session';
import { MessageButton } from '../messages/MessageButton';
import { HiddenChip } from '../safety/HiddenNote';
import { SafetyMenu } from '../safety/SafetyMenu';
import { Icon } from '../ui/icons';
import { CommentForm } from './CommentForm';
import { LoadMore } from './more';
import { clock } from './store';
import { dropComment } from './moderated';
import { asDeleted, liveCommentCount, patchComment, type ThreadState } from './thread';
import { toast } from './toast';

type Thread = ThreadState & {
  setState: (u: (s: ThreadState) => ThreadState) => void;
  more: () => void;
  reload: () => void;
};

/** The thread under a post: comments oldest first, replies under each, a reply box on demand. */
export function Comments(props: { post: PostDto; thread: Thread }): JSX.Element {
  const { post, thread } = props;
  const [replyTo, setReplyTo] = useState<number | null>(null);
  // Comment likes cannot be taken back, and lists do not say which I liked: remember them here.
  const [liked, setLiked] = useState<ReadonlySet<number>>(new Set());
  const comments = useQuad().comments;
  const open = !thread.deleted;

  const like = async (c: CommentDto) => {
    const res = await comments.ask('comment:like', { commentId: c.id }).catch(() => null);
    if (res?.ok || res?.error.code === 'CONFLICT') setLiked(new Set([...liked, c.id]));
    if (res?.ok)
      thread.setState((s) => patchComment(s, c.id, (x) => ({ ...x, likeCount: res.data.likeCount })));
    else if (res?.error.code === 'CONFLICT') toast(t('comment.alreadyLiked'));
    else toast(res ? errorText(res.error) : t('error.UNAVAILABLE'));
  };
  const remove = async (c: CommentDto) => {
    if (!confirm(t('comment.confirmDelete'))) return;
    const res = await comments.ask('comment:delete', { commentId: c.id }).catch(() => null);
    if (res?.ok) thread.setState((s) => patchComment(s, c.id, asDeleted));
    else toast(res ? errorText(res.error) : t('error.UNAVAILABLE'));
  };
  // The blocked author's other comments go with the next read of the list.
  const blocked = (c: CommentDto, message: string) => {
    toast(message);
    thread.setState((s) => dropComment(s, c.id));
    thread.reload();
  };
  const actions = { like, remove, blocked, liked, open };

  return (
    <section class="card post-comments" data-section="comments">
      <h3 class="post-comments__title">
        {t('comment.title')} <span class="post-comments__count">{liveCommentCount(thread)}</span>
      </h3>
      {thread.loaded && !thread.threads.length ? (
        <p class="post-comments__empty muted">{t('comment.none')}</p>
      ) : null}
      <ol class="comment-threads">
        {thread.threads.map((c) => (
          <li class="comment-thread" key={c.id} data-thread-id={c.id}>
            <CommentItem
              comment={c}
              {...actions}
              onReply={open && !c.deleted ? () => setReplyTo(replyTo === c.id ? null : c.id) : undefined}
            />
            {c.replies.length ? (
              <ol class="comment-replies">
                {c.replies.map((r) => (
                  <li key={r.id}>
                    <CommentItem comment={r} {...actions} />
                  </li>
                ))}
              </ol>
            ) : null}
            {replyTo === c.id && open ? (
              <CommentForm post={post} parentId={c.id} thread={thread} onDone={() => setReplyTo(null)} />
            ) : null}
          </li>
        ))}
      </ol>
      <LoadMore hasMore={Boolean(thread.nextCursor)} loading={thread.loading} onMore={thread.more} />
      {open && canWrite.value ? <CommentForm post={post} thread={thread} /> : null}
      {open && !canWrite.value ? (
        <p class="comment-form comment-form--locked muted" data-locked>
          <Icon name="lock" size={14} />
          {t('suspended.short')}
        </p>
      ) : null}
    </section>
  );
}

function CommentItem(props: {
  comment: CommentDto;
  liked: ReadonlySet<number>;
  open: boolean;
  like: (c: CommentDto) => void;
  remove: (c: CommentDto) => void;
  blocked: (c: CommentDto, message: string) => void;
  onReply?: () => void;
}): JSX.Element {
  const c = props.comment;
  void clock.value;
  const reply = c.parentId !== null;
  const live = props.open && !c.deleted;
  const writable = canWrite.value;
  const iLiked = props.liked.has(c.id);
  return (
    <article
      class={`comment${reply ? ' comment--reply' : ''}${c.deleted ? ' comment--deleted' : ''}`}
      data-comment-id={c.id}
      data-mine={c.isMine ? 'true' : undefined}
      data-deleted={c.deleted ? 'true' : undefined}
      data-hidden={c.hidden ? 'true' : undefined}
    >
      <header class="comment__head">
        {reply ? <Icon name="reply" size={16} /> : null}
        <span
          class={`author-avatar author-avatar--small${c.anonymous || c.deleted ? ' author-avatar--anon' : ''}`}
        >
          <Icon name="user" size={14} />
        </span>
        <strong
          class={`comment__author${c.isPostAuthor ? ' comment__author--op' : ''}`}
          data-role="author"
          data-author-deleted={c.authorDeleted ? 'true' : undefined}
        >
          {shownAuthor(c)}
        </strong>
        {c.hidden ? <HiddenChip hidden={c.hidden} /> : null}
        <span class="spacer" />
        {live ? (
          <span class="comment__actions">
            {props.onReply && writable ? (
              <button type="button" class="comment-btn" data-action="reply" onClick={props.onReply}>
                {t('comment.reply')}
              </button>
            ) : null}
            {!c.isMine ? (
              <button
                type="button"
                class={`comment-btn${iLiked ? ' comment-btn--on' : ''}`}
                data-action="like-comment"
                disabled={iLiked || !writable}
                onClick={() => props.like(c)}
              >
                {t('comment.like')}
              </button>
            ) : (
              <button
                type="button"
                class="comment-btn"
                data-action="delete-comment"
                onClick={() => props.remove(c)}
              >
                {t('common.delete')}
              </button>
            )}
            {!c.isMine && !c.authorDeleted ? (
              <MessageButton from={{ kind: 'comment', id: c.id }} to={shownAuthor(c)} class="comment-btn" />
            ) : null}
            {!c.isMine ? (
              <SafetyMenu
                target={{ kind: 'comment', id: c.id }}
                authorName={shownAuthor(c)}
                onBlocked={(message) => props.blocked(c, message)}
              />
            ) : null}
          </span>
        ) : null}
      </header>
      <p class="comment__content" data-role="content">
        {c.deleted ? t('comment.deleted') : c.content}
      </p>
      <footer class="comment__meta">
        <time dateTime={c.createdAt}>{ago(c.createdAt)}</time>
        {c.likeCount > 0 ? (
          <span class="post-count post-count--like" data-count="likes">
            <Icon name="heart" size={12} />
            {c.likeCount}
          </span>
        ) : null}
      </footer>
    </article>
  );
}
