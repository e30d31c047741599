import type { JSX, TargetedEvent } from 'preact';
import { useState } from 'preact/hooks';
import type { MessageDto } from '../../../shared/dto';
import type { Ack } from '../../../shared/events';
import { errorText, t } from '../i18n';
import { Icon } from '../ui/icons';
import { Field, useAction } from '../ui/kit';

/** Limit of shared/schemas/messages.ts (`messageSendInput.content`). */
const MESSAGE_MAX = 1000;

/**
 * The box under a conversation: Enter sends (not while a Korean syllable is being composed),
 * Shift+Enter starts a new line; each keystroke may tell the other side "입력 중…".
 */
export function Composer(props: {
  send: (content: string) => Promise<Ack<MessageDto>>;
  typed: () => void;
  disabled?: boolean;
}): JSX.Element {
  const [content, setContent] = useState('');
  const action = useAction<MessageDto>();
  const fields = action.error?.fields ?? {};
  const general = action.error && !fields.content ? errorText(action.error) : undefined;

  const submit = async (e: Event) => {
    e.preventDefault();
    if (!content.trim() || action.busy) return;
    await action.run(
      () => props.send(content),
      () => setContent(''),
    );
  };
  return (
    <form class="chat__composer" onSubmit={submit} noValidate data-form="message">
      <Field label={t('msg.label')} name="content" error={fields.content ?? general}>
        <textarea
          name="content"
          rows={2}
          value={content}
          maxLength={MESSAGE_MAX}
          disabled={props.disabled}
          placeholder={t('msg.placeholder')}
          onInput={(e: TargetedEvent<HTMLTextAreaElement>) => {
            setContent(e.currentTarget.value);
            if (e.currentTarget.value.trim()) props.typed();
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) void submit(e);
          }}
        />
      </Field>
      <button
        class="btn btn--primary chat__send"
        type="submit"
        disabled={props.disabled || action.busy || !content.trim()}
        data-action="send-message"
      >
        <Icon name="send" size={16} />
        {t('msg.send')}
      </button>
    </form>
  );
}
