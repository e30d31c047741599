import type { JSX } from 'preact';
import type { PostDto } from '../../../shared/dto';
import { ago, t } from '../i18n';
import { shownAuthor } from '../lib/author';
import { HiddenChip } from '../safety/HiddenNote';
import { Icon } from '../ui/icons';
import { boardById, clock } from './store';

/** ♥ 공감, 💬 댓글, ★ 스크랩 — small icons with numbers, as on every list and post. */
export function Counts(props: { post: PostDto }): JSX.Element {
  const p = props.post;
  return (
    <span class="post-counts">
      <span class="post-count post-count--like" title={t('post.likes')} data-count="likes">
        <Icon name="heart" size={14} />
        {p.likeCount}
      </span>
      <span class="post-count post-count--comment" title={t('post.comments')} data-count="comments">
        <Icon name="comment" size={14} />
        {p.commentCount}
      </span>
      <span class="post-count post-count--scrap" title={t('post.scraps')} data-count="scraps">
        <Icon name="star" size={14} />
        {p.scrapCount}
      </span>
    </span>
  );
}

export function PromotionBadges(props: { post: PostDto }): JSX.Element {
  return (
    <>
      {props.post.hotAt ? (
        <span class="promo-badge promo-badge--hot" data-badge="hot">
          HOT
        </span>
      ) : null}
      {props.post.bestAt ? (
        <span class="promo-badge promo-badge--best" data-badge="best">
          BEST
        </span>
      ) : null}
    </>
  );
}

/** Tag chips; clicking one filters by that tag. */
export function TagChips(props: { tags: string[]; onTag?: (tag: string) => void }): JSX.Element | null {
  if (!props.tags.length) return null;
  return (
    <div class="tag-list">
      {props.tags.map((tag) =>
        props.onTag ? (
          <button type="button" class="tag-chip" data-tag={tag} onClick={() => props.onTag!(tag)}>
            #{tag}
          </button>
        ) : (
          <span class="tag-chip" data-tag={tag}>
            #{tag}
          </span>
        ),
      )}
    </div>
  );
}

/** One post in a feed: title, the start of the content, tags, author, time and counts. */
export function PostRow(props: {
  post: PostDto;
  fresh?: boolean;
  showBoard?: boolean;
  onTag?: (tag: string) => void;
}): JSX.Element {
  const p = props.post;
  void clock.value; // re-render as time passes, so "n분 전" stays true
  const board = props.showBoard ? boardById(p.boardId) : undefined;
  return (
    <article
      class={`post-row${props.fresh ? ' slide-in' : ''}${p.hidden ? ' post-row--hidden' : ''}`}
      data-post-id={p.id}
      data-hot={p.hotAt ? 'true' : undefined}
      data-hidden={p.hidden ? 'true' : undefined}
    >
      <a class="post-row__link" href={`#/posts/${p.id}`}>
        <h3 class="post-row__title">
          <PromotionBadges post={p} />
          {p.hidden ? <HiddenChip hidden={p.hidden} /> : null}
          <span class="post-row__title-text" data-role="title">
            {p.title}
          </span>
        </h3>
        <p class="post-row__content" data-role="content">
          {p.content}
        </p>
      </a>
      <TagChips tags={p.tags} onTag={props.onTag} />
      <div class="post-row__meta">
        {board ? <span class="post-row__board">{board.name}</span> : null}
        <span
          class={`post-row__author${p.anonymous || p.authorDeleted ? ' is-anon' : ''}`}
          data-role="author"
          data-author-deleted={p.authorDeleted ? 'true' : undefined}
        >
          {shownAuthor(p)}
        </span>
        <time class="post-row__time" dateTime={p.createdAt}>
          {ago(p.createdAt)}
        </time>
        <span class="spacer" />
        <Counts post={p} />
      </div>
    </article>
  );
}
