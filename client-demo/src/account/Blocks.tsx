import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { BlockDto } from '../../../shared/dto';
import type { ErrorWire } from '../../../shared/errors';
import { ago, errorText, t } from '../i18n';
import { useQuad } from '../lib/session';
import { clock } from '../boards/store';
import { toast } from '../boards/toast';
import { Icon } from '../ui/icons';
import { ErrorBanner, Spinner } from '../ui/kit';

/** 차단 목록: whom I blocked, each with 차단 해제. */
export function Blocks(): JSX.Element {
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
