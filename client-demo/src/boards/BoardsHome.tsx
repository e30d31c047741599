import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { PostDto, TagCountDto } from '../../../shared/dto';
import { ago, t } from '../i18n';
import { useQuad } from '../lib/session';
import { Icon } from '../ui/icons';
import { Spinner } from '../ui/kit';
import { Counts } from './PostRow';
import { boardList, clock, loadBoards } from './store';
import './home.css';

const PROMOTIONS = [
  { id: 'hot', icon: 'flame' },
  { id: 'best', icon: 'star' },
] as const;

/** `#/boards`: every board as a card, the HOT and BEST entries, and what is hot right now. */
export function BoardsHome(): JSX.Element {
  useEffect(() => void loadBoards(), []);
  const boards = boardList.value;
  return (
    <div class="boards-home">
      <div class="boards-home__main">
        <div class="promo-links">
          {PROMOTIONS.map((p) => (
            <a class={`promo-link promo-link--${p.id}`} href={`#/boards/${p.id}`} data-nav={p.id}>
              <span class="promo-link__icon">
                <Icon name={p.icon} />
              </span>
              <span>
                <strong>{t(`boards.${p.id}`)}</strong>
                <span class="promo-link__desc">{t(`boards.${p.id}Desc`)}</span>
              </span>
            </a>
          ))}
        </div>
        <h2 class="boards-home__title">{t('boards.title')}</h2>
        {boards ? (
          <div class="board-grid">
            {boards.map((b) => (
              <a class="card board-card" href={`#/boards/${b.id}`} data-board-id={b.id}>
                <span class="board-card__name">
                  {b.name}
                  {b.anonymousOnly ? <span class="board-pill">{t('boards.anonymousOnly')}</span> : null}
                </span>
                <span class="board-card__desc">{b.description}</span>
                <span class="board-card__count" data-count="posts">
                  {t('boards.postCount', { n: b.postCount.toLocaleString() })}
                </span>
              </a>
            ))}
          </div>
        ) : (
          <Spinner />
        )}
      </div>
      <aside class="boards-home__side">
        <HotPreview />
        <PopularTags />
      </aside>
    </div>
  );
}

/** The newest HOT posts of all boards. */
function HotPreview(): JSX.Element {
  const [posts, setPosts] = useState<PostDto[] | null>(null);
  useEffect(() => {
    void useQuad()
      .boards.ask('posts:hot', { limit: 5 })
      .then((res) => setPosts(res.ok ? res.data.items : []))
      .catch(() => setPosts([]));
  }, []);
  void clock.value;
  return (
    <section class="card home-card" data-section="hot">
      <header class="home-card__head">
        <h3>
          <Icon name="flame" size={18} /> {t('boards.hotNow')}
        </h3>
        <a class="home-card__more" href="#/boards/hot">
          {t('common.more')}
        </a>
      </header>
      {posts === null ? <Spinner /> : null}
      {posts?.length === 0 ? <p class="home-card__empty muted">{t('feed.noHot')}</p> : null}
      <ol class="hot-list">
        {posts?.map((p) => (
          <li data-post-id={p.id}>
            <a href={`#/posts/${p.id}`}>
              <span class="hot-list__title">{p.title}</span>
              <span class="hot-list__meta">
                <span class="muted">{ago(p.hotAt ?? p.createdAt)}</span>
                <Counts post={p} />
              </span>
            </a>
          </li>
        ))}
      </ol>
    </section>
  );
}

function PopularTags(): JSX.Element | null {
  const [tags, setTags] = useState<TagCountDto[]>([]);
  useEffect(() => {
    void useQuad()
      .boards.ask('tags:popular', { limit: 12 })
      .then((res) => res.ok && setTags(res.data))
      .catch(() => undefined);
  }, []);
  if (!tags.length) return null;
  return (
    <section class="card home-card" data-section="tags">
      <header class="home-card__head">
        <h3>{t('boards.popularTags')}</h3>
      </header>
      <div class="tag-list">
        {tags.map((tag) => (
          <span class="tag-chip" data-tag={tag.name}>
            #{tag.name} <span class="tag-chip__count">{tag.count}</span>
          </span>
        ))}
      </div>
    </section>
  );
}
