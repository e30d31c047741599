import type { JSX } from 'preact';
import { useLayoutEffect, useRef } from 'preact/hooks';
import type { ConversationDto, MessageDto } from '../../../shared/dto';
import { toast } from '../boards/toast';
import { clock } from '../boards/store';
import { ago, errorText, t } from '../i18n';
import { canWrite } from '../lib/account';
import { go } from '../lib/router';
import { useQuad } from '../lib/session';
import { SafetyMenu } from '../safety/SafetyMenu';
import { Icon } from '../ui/icons';
import { Banner, Spinner } from '../ui/kit';
import { Composer } from './Composer';
import { contextLine, otherName } from './names';
import { useConversation } from './useConversation';

/** `#/messages/:id`: one conversation, live, with the composer and the typing hint. */
export function ConversationView(props: { id: number }): JSX.Element {
  const c = useConversation(props.id);
  const conv = c.conversation;
  const log = useRef<HTMLOListElement>(null);
  const edges = useRef({ first: 0, last: 0, height: 0 });
  void clock.value;

  // A new message at the end scrolls to it; older ones loaded above keep what was in view.
  useLayoutEffect(() => {
    const el = log.current;
    if (!el) return;
    const first = c.messages[0]?.id ?? 0;
    const last = c.messages.at(-1)?.id ?? 0;
    const was = edges.current;
    if (last !== was.last) el.scrollTop = el.scrollHeight;
    else if (first !== was.first) el.scrollTop += el.scrollHeight - was.height;
    edges.current = { first, last, height: el.scrollHeight };
  }, [c.messages, c.typing]);

  const leave = async () => {
    if (!confirm(t('msg.confirmLeave'))) return;
    const res = await useQuad()
      .messages.ask('conversation:leave', { conversationId: props.id })
      .catch(() => null);
    if (res?.ok) go('/messages');
    else toast(res ? errorText(res.error) : t('error.UNAVAILABLE'));
  };

  if (c.error && !c.messages.length) {
    return (
      <section class="card chat" data-screen="conversation">
        <Banner>{c.error.code === 'NOT_FOUND' ? t('msg.notFound') : errorText(c.error)}</Banner>
        <a class="btn" href="#/messages">
          <Icon name="back" size={16} />
          {t('msg.back')}
        </a>
      </section>
    );
  }
  return (
    <section class="card chat" data-screen="conversation" data-conversation-id={props.id}>
      <header class="chat__head">
        <a class="btn btn--ghost btn--small" href="#/messages" aria-label={t('msg.back')} data-action="back">
          <Icon name="back" size={16} />
        </a>
        {conv ? <ChatTitle conv={conv} /> : <span class="chat__titles" />}
        <button type="button" class="btn btn--ghost btn--small" data-action="leave" onClick={leave}>
          {t('msg.leave')}
        </button>
      </header>
      <ol class="chat__log" ref={log} data-loaded={c.loaded ? 'true' : undefined}>
        {c.nextCursor ? (
          <li class="chat__older">
            <button
              type="button"
              class="btn btn--small"
              data-action="older"
              disabled={c.loading}
              onClick={c.older}
            >
              {t('msg.older')}
            </button>
          </li>
        ) : null}
        {!c.loaded ? (
          <li>
            <Spinner />
          </li>
        ) : null}
        {c.loaded && !c.messages.length ? <li class="chat__empty muted">{t('msg.empty')}</li> : null}
        {c.messages.map((m) => (
          <Bubble key={m.id} message={m} conv={conv} />
        ))}
      </ol>
      <p class="chat__typing" data-typing={c.typing ? 'true' : undefined} aria-live="polite">
        {c.typing ? t('msg.typing') : ''}
      </p>
      {conv?.otherDeleted ? <Banner kind="info">{t('msg.otherGone')}</Banner> : null}
      {!canWrite.value ? <Banner kind="info">{t('suspended.short')}</Banner> : null}
      <Composer send={c.send} typed={c.typed} disabled={Boolean(conv?.otherDeleted) || !canWrite.value} />
    </section>
  );
}

function ChatTitle(props: { conv: ConversationDto }): JSX.Element {
  const { conv } = props;
  const about = contextLine(conv);
  return (
    <div class="chat__titles">
      <h2 class="chat__name" data-role="name">
        {otherName(conv)}
      </h2>
      <p class="chat__meta muted">
        {conv.context.postId && conv.context.title ? (
          <a href={`#/posts/${conv.context.postId}`} data-role="context">
            {about}
          </a>
        ) : (
          <span data-role="context">{about}</span>
        )}
        {' · '}
        <span data-role="me">{t('msg.youAre', { name: conv.me })}</span>
      </p>
      {conv.anonymous ? <p class="chat__anon">{t('msg.anonymous')}</p> : null}
    </div>
  );
}

/** One 쪽지: mine on the right; the other's with 신고/차단 in its "⋯". */
function Bubble(props: { message: MessageDto; conv: ConversationDto | null }): JSX.Element {
  const m = props.message;
  const name = props.conv ? otherName(props.conv) : m.from;
  return (
    <li
      class={`msg msg--${m.mine ? 'mine' : 'theirs'}`}
      data-message-id={m.id}
      data-mine={m.mine ? 'true' : 'false'}
    >
      <p class="msg__bubble" data-role="content">
        {m.content}
      </p>
      <span class="msg__meta">
        <time dateTime={m.createdAt}>{ago(m.createdAt)}</time>
        {m.mine ? null : (
          <SafetyMenu
            target={{ kind: 'message', id: m.id }}
            authorName={name}
            onBlocked={(message) => {
              toast(message);
              go('/messages');
            }}
          />
        )}
      </span>
    </li>
  );
}
