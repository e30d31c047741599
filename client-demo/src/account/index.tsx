import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { BlockDto } from '../../../shared/dto';
import type { ErrorWire } from '../../../shared/errors';
import { ago, errorText, t, when } from '../i18n';
import { isStaff, role, suspension } from '../lib/account';
import { useQuad, user } from '../lib/session';
import { clock } from '../boards/store';
import { toast } from '../boards/toast';
import { Icon } from '../ui/icons';
import { ErrorBanner, Spinner } from '../ui/kit';
import './account.css';

/** `#/me`: who I am (role, suspension) and whom I blocked (차단 목록), each with 차단 해제. */
export function AccountScreen(): JSX.Element {
  const me = user.value!;
  const s = suspension.value;
  return (
    <div class="account" data-screen="me">
      <section class="card account__me">
        <span class="author-avatar account__avatar">
          <Icon name="user" size={26} />
        </span>
        <div class="account__who">
          <h2>{me.nickname}</h2>
          <span class="muted">@{me.username}</span>
        </div>
        <span class={`role-chip role-chip--${role.value}`} data-role={role.value}>
          {t(`me.role.${role.value}`)}
        </span>
      </section>
      {s ? (
        <section class="card account__suspended" data-suspended={s.until}>
          <Icon name="lock" size={18} />
          <div>
            <strong>{t('suspended.title', { until: when(s.until) })}</strong>
            {s.reason ? <p class="muted">{t('suspended.reason', { reason: s.reason })}</p> : null}
          </div>
        </section>
      ) : null}
      {isStaff.value ? (
        <a class="card account__link" href="#/moderation" data-nav="moderation">
          <Icon name="shield" size={18} />
          <span>{t('me.moderation')}</span>
          <span class="spacer" />
          <Icon name="back" size={16} />
        </a>
      ) : null}
      <Blocks />
    </div>
  );
}

function Blocks(): JSX.Element {
  const [blocks, setBlocks] = useState<BlockDto[] | null>(null);
  const [error, setError] = useState<ErrorWire | null>(null);
  const [busy, setBusy] = useState<number | null>(null);
  useEffect(() => {
    void useQuad()
      .boards.ask('blocks:list', {})
      .then(
        (res) => (res.ok ? setBlocks(res.data) : setError(res.error)),
        () => setError({ code: 'UNAVAILABLE', message: '' }),
      );
  }, []);
  const unblock = async (b: BlockDto) => {
    setBusy(b.id);
    const res = await useQuad()
      .boards.ask('user:unblock', { blockId: b.id })
      .catch(() => null);
    setBusy(null);
    // Already gone (unblocked elsewhere) is as good as done.
    if (res?.ok || res?.error.code === 'NOT_FOUND') {
      setBlocks((list) => list?.filter((x) => x.id !== b.id) ?? null);
      toast(t('blocks.unblocked'));
    } else toast(res ? errorText(res.error) : t('error.UNAVAILABLE'));
  };
  void clock.value;
  return (
    <section class="card account__blocks" data-section="blocks">
      <h3>{t('blocks.title')}</h3>
      <p class="muted">{t('blocks.hint')}</p>
      <ErrorBanner error={error} />
      {!blocks && !error ? <Spinner /> : null}
      {blocks && !blocks.length ? (
        <p class="account__none" data-empty>
          {t('blocks.none')}
        </p>
      ) : null}
      <ul class="block-list">
        {blocks?.map((b) => (
          <li class="block-item" key={b.id} data-block-id={b.id}>
            <Icon name="ban" size={16} />
            <div class="block-item__text">
              <span data-role="label">{b.label}</span>
              <time class="muted" dateTime={b.createdAt}>
                {t('blocks.since', { when: ago(b.createdAt) })}
              </time>
            </div>
            <button
              type="button"
              class="btn btn--small"
              data-action="unblock"
              disabled={busy === b.id}
              onClick={() => void unblock(b)}
            >
              {t('blocks.unblock')}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
