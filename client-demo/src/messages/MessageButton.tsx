import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import type { ErrorWire } from '../../../shared/errors';
import type { ContextKind } from '../../../shared/schemas/messages';
import { toast } from '../boards/toast';
import { errorText, t } from '../i18n';
import { remember } from '../lib/inbox';
import { go } from '../lib/router';
import { useQuad } from '../lib/session';
import { Icon } from '../ui/icons';

/** Why a conversation could not be opened, in a sentence. */
function openError(error: ErrorWire): string {
  if (error.code === 'VALIDATION' && error.fields?.from) return t('msg.ownTarget');
  if (error.code === 'NOT_FOUND') return t('msg.targetGone');
  return errorText(error);
}

/**
 * 쪽지: opens (or finds again) the conversation with the author of a post or comment, or with a
 * friend, and shows it. `to` is the name as shown there (an alias for an anonymous author).
 */
export function MessageButton(props: {
  from: { kind: ContextKind; id: number };
  to: string;
  class: string;
  iconSize?: number;
}): JSX.Element {
  const [busy, setBusy] = useState(false);
  const open = async () => {
    setBusy(true);
    const res = await useQuad()
      .messages.ask('conversation:open', { from: props.from })
      .catch(() => null);
    setBusy(false);
    if (!res?.ok) return toast(res ? openError(res.error) : t('error.UNAVAILABLE'));
    remember(res.data);
    go(`/messages/${res.data.id}`);
  };
  return (
    <button
      type="button"
      class={props.class}
      data-action="message"
      disabled={busy}
      title={t('msg.writeTo', { name: props.to })}
      onClick={() => void open()}
    >
      {props.iconSize ? <Icon name="mail" size={props.iconSize} /> : null}
      {t('msg.write')}
    </button>
  );
}
