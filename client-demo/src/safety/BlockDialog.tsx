import type { JSX } from 'preact';
import type { BlockDto } from '../../../shared/dto';
import type { TargetRef } from '../../../shared/schemas/moderation';
import { errorText, t } from '../i18n';
import { useQuad } from '../lib/session';
import { Dialog } from '../ui/dialog';
import { Icon } from '../ui/icons';
import { Banner, useAction } from '../ui/kit';

/** `user:block` on /boards (a post's author) or /comments (a comment's author). */
function sendBlock(target: TargetRef) {
  const q = useQuad();
  return target.kind === 'comment'
    ? q.comments.ask('user:block', { target })
    : q.boards.ask('user:block', { target });
}

/**
 * 차단, after a confirmation: blocks the author of `target` (as shown: `익명3`, a nickname),
 * without learning who it is. `onBlocked` runs when the server has it (or had it already).
 */
export function BlockDialog(props: {
  target: TargetRef;
  authorName: string;
  onClose: () => void;
  onBlocked: (message: string) => void;
}): JSX.Element {
  const action = useAction<BlockDto>();
  const error = action.error;
  const submit = async () => {
    const res = await action.run(() => sendBlock(props.target));
    if (res?.ok) props.onBlocked(t('block.done'));
    else if (res?.error.code === 'CONFLICT') props.onBlocked(t('block.conflict'));
  };
  return (
    <Dialog name="block" title={t('block.title')} onClose={props.onClose}>
      <div class="block-confirm">
        <span class="block-confirm__icon">
          <Icon name="ban" size={24} />
        </span>
        <p class="block-confirm__ask">{t('block.confirm', { name: props.authorName })}</p>
        <p>{t('block.body')}</p>
        <p class="muted">{t('block.private')}</p>
      </div>
      {error && error.code !== 'CONFLICT' ? (
        <Banner>{error.code === 'FORBIDDEN' && !error.reason ? t('block.self') : errorText(error)}</Banner>
      ) : null}
      <footer class="dialog__foot">
        <button type="button" class="btn" onClick={props.onClose}>
          {t('common.cancel')}
        </button>
        <button
          type="button"
          class="btn btn--danger"
          disabled={action.busy}
          data-action="confirm-block"
          onClick={() => void submit()}
        >
          <Icon name="ban" size={15} />
          {t('block.submit')}
        </button>
      </footer>
    </Dialog>
  );
}
