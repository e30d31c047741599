import type { JSX } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { ConversationDto } from '../../../shared/dto';
import type { ErrorWire } from '../../../shared/errors';
import { LoadMore } from '../boards/more';
import { clock } from '../boards/store';
import { ago, t } from '../i18n';
import { inboxReload, onMessage, onRead, remember } from '../lib/inbox';
import { useQuad } from '../lib/session';
import { Icon } from '../ui/icons';
import { Badge, ErrorBanner, Spinner } from '../ui/kit';
import { contextLine, otherName } from './names';

/** Each conversation once (the newest version of it), latest activity first. */
function merge(a: ConversationDto[], b: ConversationDto[]): ConversationDto[] {
  const byId = new Map<number, ConversationDto>();
  for (const c of [...a, ...b]) {
    const had = byId.get(c.id);
    if (!had || c.updatedAt >= had.updatedAt) byId.set(c.id, c);
  }
  return [...byId.values()].sort((x, y) => y.updatedAt.localeCompare(x.updatedAt) || y.id - x.id);
}

/**
 * `#/messages`: my conversations (paged), kept live: a new message moves its conversation to
 * the top with its unread count; a read on any of my devices clears it.
 */
export function Inbox(): JSX.Element {
  const [items, setItems] = useState<ConversationDto[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [done, setDone] = useState(false);
  const [error, setError] = useState<ErrorWire | null>(null);
  const generation = useRef(0);
  /** Pages after the first were read: a reload of the first keeps their cursor. */
  const paged = useRef(false);
  const reload = inboxReload.value;

  const load = async (after?: string) => {
    const gen = after ? generation.current : ++generation.current;
    setLoading(true);
    const res = await useQuad()
      .messages.ask('conversations:list', { limit: 20, ...(after && { cursor: after }) })
      .catch(() => null);
    if (gen !== generation.current) return;
    setLoading(false);
    setDone(true);
    if (!res?.ok) return setError(res?.error ?? { code: 'UNAVAILABLE', message: '' });
    setError(null);
    for (const c of res.data.items) remember(c);
    // Pushed while the page was on its way: kept (a reload keeps what was paged in below it).
    setItems((old) => merge(old, res.data.items));
    if (after) paged.current = true;
    if (after || !paged.current) setCursor(res.data.nextCursor);
  };
  useEffect(() => void load(), [reload]);
  useEffect(() => {
    const offs = [
      onMessage((m) => setItems((old) => merge(old, [m.conversation]))),
      onRead((r) => setItems((old) => old.map((c) => (c.id === r.conversationId ? { ...c, unread: 0 } : c)))),
    ];
    return () => offs.forEach((off) => off());
  }, []);
  void clock.value;

  return (
    <section class="card inbox" data-screen="messages">
      <header class="inbox__head">
        <h2>{t('msg.title')}</h2>
      </header>
      <ErrorBanner error={error} />
      {!done ? <Spinner /> : null}
      {done && !items.length && !error ? (
        <div class="inbox__empty" data-empty>
          <Icon name="mail" size={28} />
          <p>{t('msg.none')}</p>
          <p class="muted">{t('msg.noneHint')}</p>
        </div>
      ) : null}
      <ul class="conv-list">
        {items.map((c) => (
          <li key={c.id}>
            <Row conv={c} />
          </li>
        ))}
      </ul>
      {done ? (
        <LoadMore hasMore={Boolean(cursor)} loading={loading} onMore={() => void load(cursor ?? undefined)} />
      ) : null}
    </section>
  );
}

function Row(props: { conv: ConversationDto }): JSX.Element {
  const c = props.conv;
  const last = c.lastMessage;
  return (
    <a
      class={`conv${c.unread ? ' conv--unread' : ''}`}
      href={`#/messages/${c.id}`}
      data-conversation-id={c.id}
      data-unread={c.unread}
    >
      <span class={`author-avatar${c.anonymous ? ' author-avatar--anon' : ''}`}>
        <Icon name="user" size={20} />
      </span>
      <span class="conv__body">
        <span class="conv__top">
          <strong class="conv__name" data-role="name">
            {otherName(c)}
          </strong>
          <time class="conv__time" dateTime={c.updatedAt}>
            {ago(c.updatedAt)}
          </time>
        </span>
        <span class="conv__context" data-role="context">
          {contextLine(c)}
        </span>
        <span class="conv__last" data-role="last">
          {last ? `${last.mine ? `${t('msg.me')}: ` : ''}${last.content}` : t('msg.empty')}
        </span>
      </span>
      <Badge count={c.unread} label={t('msg.unread', { n: c.unread })} />
    </a>
  );
}
