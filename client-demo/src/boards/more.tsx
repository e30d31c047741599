import type { JSX } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { t } from '../i18n';
import { Spinner } from '../ui/kit';

/**
 * The end of a paged list: an invisible sentinel that loads the next page when it scrolls
 * into view (IntersectionObserver), plus a "더 보기" button for when it does not fire.
 */
export function LoadMore(props: {
  hasMore: boolean;
  loading: boolean;
  onMore: () => void;
}): JSX.Element | null {
  const sentinel = useRef<HTMLDivElement>(null);
  const onMore = useRef(props.onMore);
  onMore.current = props.onMore;

  useEffect(() => {
    const el = sentinel.current;
    if (!el || !props.hasMore || typeof IntersectionObserver === 'undefined') return;
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting)) onMore.current();
      },
      { rootMargin: '300px 0px' },
    );
    observer.observe(el);
    return () => observer.disconnect();
  }, [props.hasMore, props.loading]);

  if (!props.hasMore) return props.loading ? <Spinner /> : null;
  return (
    <div class="load-more" ref={sentinel} data-sentinel>
      {props.loading ? (
        <Spinner />
      ) : (
        <button type="button" class="btn btn--small load-more__btn" data-action="more" onClick={props.onMore}>
          {t('common.more')}
        </button>
      )}
    </div>
  );
}
