import { useEffect, useRef, useState } from 'preact/hooks';
import type { ConversationDto, MessageDto } from '../../../shared/dto';
import type { ErrorWire } from '../../../shared/errors';
import type { Ack } from '../../../shared/events';
import {
  applyRead,
  findConversation,
  inboxReload,
  knownConversation,
  onMessage,
  onTyping,
  setViewing,
} from '../lib/inbox';
import { useQuad } from '../lib/session';

export interface ConversationState {
  /** Null until found (or when not in my list: a conversation I left). */
  conversation: ConversationDto | null;
  /** Oldest first. */
  messages: MessageDto[];
  nextCursor: string | null;
  loading: boolean;
  loaded: boolean;
  /** Reading the messages failed (NOT_FOUND: not mine, or no such conversation). */
  error: ErrorWire | null;
  /** The other side typed within the last TYPING_SHOWN_MS. */
  typing: boolean;
}

const INITIAL: ConversationState = {
  conversation: null,
  messages: [],
  nextCursor: null,
  loading: true,
  loaded: false,
  error: null,
  typing: false,
};

const PAGE_SIZE = 30;
/** How long "입력 중…" stays after a `typing` push (the server sends one at most every 2 s). */
const TYPING_SHOWN_MS = 3_000;
/** How often this side tells the other it is typing, at most (the server's own throttle). */
const TYPING_EVERY_MS = 2_000;

/** Each message once, oldest first (the ack of mine and its push both carry it). */
function merge(a: MessageDto[], b: MessageDto[]): MessageDto[] {
  const byId = new Map<number, MessageDto>();
  for (const m of [...a, ...b]) byId.set(m.id, m);
  return [...byId.values()].sort((x, y) => x.id - y.id);
}

/**
 * One conversation, live: its messages (paged back with the cursor), new ones as they come (and
 * read at once: it is on screen), and the other side's typing hint. Opening it marks it read,
 * which clears its part of the badge on all my devices.
 */
export function useConversation(id: number): ConversationState & {
  older: () => void;
  send: (content: string) => Promise<Ack<MessageDto>>;
  typed: () => void;
} {
  const [state, setState] = useState<ConversationState>(INITIAL);
  const generation = useRef(0);
  const typingTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const lastTyped = useRef(0);

  const read = () => {
    void useQuad()
      .messages.ask('conversation:read', { conversationId: id })
      .then((res) => res.ok && applyRead(res.data))
      .catch(() => undefined);
  };

  /** A page before `cursor`, or (`fresh`) the newest page merged into what is shown. */
  const page = (cursor?: string, fresh = false) => {
    const gen = generation.current;
    setState((s) => ({ ...s, loading: true }));
    useQuad()
      .messages.ask('messages:list', { conversationId: id, limit: PAGE_SIZE, ...(cursor && { cursor }) })
      .then(
        (res) => {
          if (gen !== generation.current) return;
          setState((s) => {
            if (!res.ok) return { ...s, loading: false, loaded: true, error: res.error };
            const keep = fresh && s.loaded ? s.nextCursor : res.data.nextCursor;
            return {
              ...s,
              messages: merge(s.messages, res.data.items),
              nextCursor: keep,
              loading: false,
              loaded: true,
              error: null,
            };
          });
          if (res.ok && !cursor) read();
        },
        () => {
          if (gen !== generation.current) return;
          const error: ErrorWire = { code: 'UNAVAILABLE', message: 'No answer from the server' };
          setState((s) => ({ ...s, loading: false, loaded: true, error }));
        },
      );
  };

  useEffect(() => {
    const gen = ++generation.current;
    setState({ ...INITIAL, conversation: knownConversation(id) ?? null });
    setViewing(id);
    const messages = useQuad().messages;
    void findConversation(messages, id).then(
      (c) =>
        gen === generation.current && c && setState((s) => ({ ...s, conversation: s.conversation ?? c })),
    );
    page();
    const stopTyping = () => {
      clearTimeout(typingTimer.current);
      setState((s) => (s.typing ? { ...s, typing: false } : s));
    };
    let first = true;
    const offs = [
      onMessage((m) => {
        if (m.message.conversationId !== id) return;
        setState((s) => ({ ...s, conversation: m.conversation, messages: merge(s.messages, [m.message]) }));
        if (m.message.mine) return;
        stopTyping();
        read();
      }),
      onTyping((conversationId) => {
        if (conversationId !== id) return;
        clearTimeout(typingTimer.current);
        setState((s) => ({ ...s, typing: true }));
        typingTimer.current = setTimeout(stopTyping, TYPING_SHOWN_MS);
      }),
      // Missed while away and not replayable: read the newest page again.
      inboxReload.subscribe(() => {
        if (first) return void (first = false);
        page(undefined, true);
      }),
    ];
    return () => {
      generation.current++;
      setViewing(null);
      clearTimeout(typingTimer.current);
      for (const off of offs) off();
    };
  }, [id]);

  return {
    ...state,
    older: () => {
      if (!state.loading && state.nextCursor) page(state.nextCursor);
    },
    send: async (content) => {
      const res = await useQuad().messages.ask('message:send', { conversationId: id, content });
      if (res.ok) setState((s) => ({ ...s, messages: merge(s.messages, [res.data]) }));
      lastTyped.current = 0;
      return res;
    },
    typed: () => {
      const now = Date.now();
      if (now - lastTyped.current < TYPING_EVERY_MS) return;
      lastTyped.current = now;
      void useQuad()
        .messages.ask('typing', { conversationId: id })
        .catch(() => undefined);
    },
  };
}
