import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { PresenceDto } from '../../../shared/dto';
import { t } from '../i18n';
import { useQuad } from '../lib/session';
import './presence.css';

/**
 * How many people read `room` now (`board:<id>` on /boards, `post:<id>` on /comments), me
 * included: the server pushes `presence:changed` right after the room's subscribe and then when
 * the count changes. Null until told (or with presence off on the server). The subscribe itself
 * is the feed's or the thread's; this only listens.
 */
export function usePresence(namespace: 'boards' | 'comments', room: string | null): number | null {
  const [count, setCount] = useState<number | null>(null);
  useEffect(() => {
    setCount(null);
    if (!room) return;
    const listener = (p: PresenceDto) => {
      if (p.room === room) setCount(p.count);
    };
    const q = useQuad();
    return namespace === 'boards'
      ? q.boards.on('presence:changed', listener)
      : q.comments.on('presence:changed', listener);
  }, [namespace, room]);
  return count;
}

/** "N명이 보고 있어요", counting me: shown from one reader on, hidden until the first count. */
export function ReadingNow(props: { count: number | null }): JSX.Element | null {
  const n = props.count;
  if (n === null || n < 1) return null;
  return (
    <span class="reading-now" data-presence={n} role="status">
      <span class="reading-now__dot" aria-hidden="true" />
      {t('presence.count', { n })}
    </span>
  );
}
