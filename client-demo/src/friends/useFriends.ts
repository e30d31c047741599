import { useEffect, useState } from 'preact/hooks';
import type { FriendDto, FriendRequestDto } from '../../../shared/dto';
import type { ErrorWire } from '../../../shared/errors';
import { useQuad } from '../lib/session';
import { useReconnect } from '../timetable/useReconnect';
import { settle } from '../timetable/useTimetables';

export interface Friends {
  /** Accepted friends; `null` while loading. */
  friends: FriendDto[] | null;
  /** My pending requests to others. */
  outgoing: FriendRequestDto[];
  error: ErrorWire | null;
  reload(): Promise<void>;
}

/**
 * My friends and my pending requests, kept live: an accepted, declined or cancelled request
 * and a removed friend (pushes to `user:<me>`) reload them. Incoming requests live in
 * session.ts (`incomingRequests`), which the header's badge shares.
 */
export function useFriends(): Friends {
  const quad = useQuad();
  const [friends, setFriends] = useState<FriendDto[] | null>(null);
  const [outgoing, setOutgoing] = useState<FriendRequestDto[]>([]);
  const [error, setError] = useState<ErrorWire | null>(null);

  const reload = async () => {
    const [list, requests] = await Promise.all([
      settle(quad.timetables.ask('friends:list', {})),
      settle(quad.timetables.ask('friends:requests', {})),
    ]);
    if (list.ok) setFriends(list.data);
    if (requests.ok) setOutgoing(requests.data.outgoing);
    setError(!list.ok ? list.error : !requests.ok ? requests.error : null);
  };

  useEffect(() => {
    void reload();
    const again = () => void reload();
    const offs = [
      quad.timetables.on('friend:accepted', again),
      quad.timetables.on('friend:declined', again),
      quad.timetables.on('friend:removed', again),
    ];
    return () => offs.forEach((off) => off());
  }, [quad]);
  useReconnect(() => void reload());

  return { friends, outgoing, error, reload };
}
