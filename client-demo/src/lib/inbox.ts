import { signal } from '@preact/signals';
import type { NamespaceClient } from '../../../shared/client';
import type { ConversationDto, ConversationReadDto, MessageCreatedDto } from '../../../shared/dto';
import { rooms } from '../../../shared/rooms';

/**
 * The signed-in user's 쪽지 state shared by the header and the message screens: the unread
 * badge (total over all conversations), the conversations seen so far (for a conversation's
 * header), and the live pushes of `/messages` handed to whichever screen listens. Every device of
 * the user gets `message:created` (mine too), `conversation:read` and `typing`, on every node.
 */
export const messageUnread = signal(0);
/**
 * Bumped when what was missed while away cannot be replayed (no `since` yet, or
 * RESYNC_REQUIRED): open message screens read their lists again.
 */
export const inboxReload = signal(0);

/** Conversations as last seen (opened, listed or pushed), by id. */
const known = new Map<number, ConversationDto>();
/** Message ids already handed on: a push and its replay after a reconnect count once. */
const seen = new Set<number>();
const SEEN_MAX = 2000;
/** The conversation on screen now: its new messages are read at once, not counted. */
let viewing: number | null = null;

type Listener<T> = (x: T) => void;
const listeners = {
  message: new Set<Listener<MessageCreatedDto>>(),
  read: new Set<Listener<ConversationReadDto>>(),
  typing: new Set<Listener<number>>(),
};

function listen<T>(set: Set<Listener<T>>, l: Listener<T>): () => void {
  set.add(l);
  return () => set.delete(l);
}
/** New messages (both sides), each once, live or replayed after a reconnect. */
export const onMessage = (l: Listener<MessageCreatedDto>) => listen(listeners.message, l);
/** A conversation read on any of my devices (this one included). */
export const onRead = (l: Listener<ConversationReadDto>) => listen(listeners.read, l);
/** The other side of a conversation is typing (its id). */
export const onTyping = (l: Listener<number>) => listen(listeners.typing, l);

export function remember(c: ConversationDto): void {
  known.set(c.id, c);
}

export function knownConversation(id: number): ConversationDto | undefined {
  return known.get(id);
}

/** Marks `id` as the conversation on screen (null: none). */
export function setViewing(id: number | null): void {
  viewing = id;
}

function receive(m: MessageCreatedDto): void {
  if (seen.has(m.message.id)) return;
  seen.add(m.message.id);
  if (seen.size > SEEN_MAX) seen.delete(seen.values().next().value as number);
  remember(m.conversation);
  if (!m.message.mine && m.message.conversationId !== viewing) messageUnread.value += 1;
  for (const l of listeners.message) l(m);
}

/** Applies a read, from this device's ack or another device's push. */
export function applyRead(read: ConversationReadDto): void {
  messageUnread.value = read.unread;
  const c = known.get(read.conversationId);
  if (c) known.set(c.id, { ...c, unread: 0 });
  for (const l of listeners.read) l(read);
}

/** Listens for the user's `/messages` pushes (call once per connection set). */
export function watchMessages(messages: NamespaceClient<'/messages'>): void {
  messages.onEvent('message:created', (e) => receive(e.data));
  messages.on('conversation:read', applyRead);
  messages.on('typing', (p) => {
    for (const l of listeners.typing) l(p.conversationId);
  });
}

/**
 * After a (re)connect: replays the messages missed while away with `conversations:resume`
 * (from the last one seen), or asks open screens to reload when that cannot be done; then
 * re-reads the badge (reads made on other devices meanwhile were not replayed).
 */
export async function catchUpMessages(messages: NamespaceClient<'/messages'>, userId: number): Promise<void> {
  const room = rooms.user(userId);
  const since = messages.lastIds.get(room);
  let replayed = false;
  if (since !== undefined) {
    const res = await messages
      .ask('conversations:resume', { since, ...(messages.epoch && { epoch: messages.epoch }) })
      .catch(() => null);
    if (res?.ok) {
      replayed = true;
      for (const e of res.data.events) if (e.type === 'message:created') receive(e.data as MessageCreatedDto);
      messages.lastIds.set(room, Math.max(since, res.data.lastId));
    }
  }
  if (!replayed) inboxReload.value++;
  await loadUnread(messages);
}

/** The badge: `whoami`'s count of the 쪽지 I have not read, over every conversation. */
async function loadUnread(messages: NamespaceClient<'/messages'>): Promise<void> {
  const res = await messages.ask('whoami').catch(() => null);
  if (res?.ok) messageUnread.value = res.data.unreadMessages;
}

/** A conversation by id, as seen already or read with `conversation:get`; null when it is not mine. */
export async function findConversation(
  messages: NamespaceClient<'/messages'>,
  id: number,
): Promise<ConversationDto | null> {
  if (!known.has(id)) {
    const res = await messages.ask('conversation:get', { conversationId: id }).catch(() => null);
    if (res?.ok) remember(res.data);
  }
  return known.get(id) ?? null;
}

/** Forgets everything (logout). */
export function resetInbox(): void {
  messageUnread.value = 0;
  known.clear();
  seen.clear();
  viewing = null;
}
