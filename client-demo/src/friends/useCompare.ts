import { useEffect, useRef, useState } from 'preact/hooks';
import type { FreeIntervalDto, FriendDto, TimetableDto } from '../../../shared/dto';
import type { ErrorWire } from '../../../shared/errors';
import { useQuad } from '../lib/session';
import { useReconnect } from '../timetable/useReconnect';
import { settle } from '../timetable/useTimetables';

export interface Compare {
  /** The friend, from my friends list; `null` when they are not (or no longer) my friend. */
  friend: FriendDto | null | undefined;
  /** My primary timetable of the semester (`null`: I have none). */
  mine: TimetableDto | null;
  /** Theirs, or why it cannot be shown (FORBIDDEN: not shared; NOT_FOUND: none yet). */
  theirs: TimetableDto | ErrorWire | null;
  free: FreeIntervalDto[] | null;
  loading: boolean;
}

/**
 * My timetable, a friend's and our common free time for one semester. Watches the friend
 * while mounted (`friend:watch`, joined again after a reconnect) and reloads theirs and the
 * free time on `timetable:changed`.
 */
export function useCompare(friendId: number, semester: string): Compare {
  const quad = useQuad();
  const [state, setState] = useState<Compare>({
    friend: undefined,
    mine: null,
    theirs: null,
    free: null,
    loading: true,
  });
  const asked = useRef(0);

  const loadTheirs = async () => {
    const mine = ++asked.current;
    const [theirs, free] = await Promise.all([
      settle(quad.timetables.ask('friend:timetable', { friendId, semester })),
      settle(quad.timetables.ask('freetime:find', { semester, friendIds: [friendId] })),
    ]);
    if (mine !== asked.current) return;
    setState((s) => ({
      ...s,
      theirs: theirs.ok ? theirs.data : theirs.error,
      free: free.ok ? free.data : null,
      loading: false,
    }));
  };

  const loadAll = async () => {
    const [friends, list] = await Promise.all([
      settle(quad.timetables.ask('friends:list', {})),
      settle(quad.timetables.ask('timetables:list', { semester })),
    ]);
    const friend = friends.ok ? (friends.data.find((f) => f.id === friendId) ?? null) : null;
    const primary = list.ok ? list.data.find((x) => x.isPrimary) : undefined;
    const mine = primary
      ? await settle(quad.timetables.ask('timetable:get', { timetableId: primary.id }))
      : null;
    setState((s) => ({ ...s, friend, mine: mine?.ok ? mine.data : null }));
    if (friend) {
      await quad.timetables.ask('friend:watch', { friendId }).catch(() => null);
      await loadTheirs();
    } else setState((s) => ({ ...s, loading: false }));
  };

  useEffect(() => {
    setState({ friend: undefined, mine: null, theirs: null, free: null, loading: true });
    void loadAll();
    const offs = [
      quad.timetables.on('timetable:changed', (e) => {
        if (e.data.userId === friendId && e.data.semester === semester) void loadTheirs();
      }),
      quad.timetables.on('friend:removed', (e) => {
        if (e.data.friendId === friendId) setState((s) => ({ ...s, friend: null, theirs: null, free: null }));
      }),
    ];
    return () => {
      offs.forEach((off) => off());
      void quad.timetables.ask('friend:unwatch', { friendId }).catch(() => null);
    };
  }, [quad, friendId, semester]);
  useReconnect(() => void loadAll());

  return state;
}
