import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { errorText, t } from '../i18n';
import { LoadMore } from '../boards/more';
import { Icon } from '../ui/icons';
import { Banner, Spinner, Tabs } from '../ui/kit';
import { CaseCard } from './CaseCard';
import { casesOf, useQueue, type CaseStatus } from './queue';
import './moderation.css';

/**
 * `#/moderation` (moderators and admins): the live queue of reported posts and comments,
 * open cases first, resolved ones on their own tab.
 */
export function ModerationScreen(): JSX.Element {
  const [status, setStatus] = useState<CaseStatus>('open');
  const queue = useQueue(status);
  const cases = casesOf(queue, status);
  const cursor = queue.cursors[status];
  const openCount = casesOf(queue, 'open').length;
  return (
    <div class="moderation" data-screen="moderation" data-live={queue.live ? 'true' : undefined}>
      <section class="card moderation__head">
        <span class="moderation__icon">
          <Icon name="shield" size={22} />
        </span>
        <div class="moderation__titles">
          <h2>{t('mod.title')}</h2>
          <p class="muted">{t('mod.desc')}</p>
        </div>
        <span class={`conn conn--${queue.live ? 'live' : 'connecting'}`} data-queue-live={queue.live}>
          <span class="conn__dot" />
          <span class="conn__text">{t(queue.live ? 'conn.live' : 'conn.connecting')}</span>
        </span>
      </section>
      <Tabs
        value={status}
        options={[
          { value: 'open', label: `${t('mod.open')}${openCount ? ` ${openCount}` : ''}` },
          { value: 'resolved', label: t('mod.resolved') },
        ]}
        onChange={setStatus}
      />
      {queue.error ? (
        <Banner>{queue.error.code === 'FORBIDDEN' ? t('mod.forbidden') : errorText(queue.error)}</Banner>
      ) : null}
      <div class="case-list" data-queue={status}>
        {cases.map((c) => (
          <CaseCard key={c.id} kase={c} fresh={queue.fresh.has(c.id)} onChange={queue.put} />
        ))}
      </div>
      {cursor === undefined && !queue.error ? <Spinner /> : null}
      {cursor !== undefined && !cases.length ? (
        <div class="card moderation__empty" data-empty>
          <Icon name="check" size={28} />
          <p>{t(status === 'open' ? 'mod.emptyOpen' : 'mod.emptyResolved')}</p>
        </div>
      ) : null}
      {cursor !== undefined ? (
        <LoadMore hasMore={Boolean(cursor)} loading={queue.loading} onMore={queue.more} />
      ) : null}
    </div>
  );
}
