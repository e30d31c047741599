import type { NicknameDto, SuspensionDto } from '../../shared/dto';
import { NAMESPACES, type BoardsPushes, type MessagesPushes } from '../../shared/events';
import { rooms } from '../../shared/rooms';
import type { QuadServer } from './sockets';

/** The /boards pushes that sync a user's own state to all their sockets, not logged (UserSockets.state). */
export type UserStatePush = 'notification:read' | 'notification:settings';

/** The /messages pushes to one user's own sockets, not logged (UserSockets.messages). */
export type MessageStatePush = 'conversation:read' | 'typing';

/** What reaches one user's own sockets, on every node, without the event log. */
export interface UserSockets {
  /** Tells every socket of the user, on every namespace and node, that the account is suspended. */
  suspended(userId: number, suspension: SuspensionDto): void;
  /**
   * Syncs a user's own state (the unread badge, the notification switches) to every socket of
   * theirs on /boards, on every node; not logged: a reconnecting client reads the state anew.
   */
  state<E extends UserStatePush>(userId: number, event: E, payload: Parameters<BoardsPushes[E]>[0]): void;
  /** The read badge and the typing hint on every /messages socket of the user, on every node; not logged. */
  messages<E extends MessageStatePush>(
    userId: number,
    event: E,
    payload: Parameters<MessagesPushes[E]>[0],
  ): void;
  /** This node's sockets of the user take a new nickname (what they write next carries it). */
  renamed(userId: number, nickname: string): void;
  /** Tells every socket of the user, on every namespace and node, its new nickname. */
  renamedPush(userId: number, renamed: NicknameDto): void;
}

export function userSockets(io: QuadServer, closed: () => boolean): UserSockets {
  return {
    suspended(userId, suspension) {
      if (closed()) return;
      for (const name of NAMESPACES) io.of(name).to(rooms.user(userId)).emit('account:suspended', suspension);
    },
    state(userId, event, payload) {
      if (closed()) return;
      // `payload` is the declared payload of `event` (the signature says so); TypeScript cannot
      // pick the overload of a generic event name by itself.
      io.of('/boards')
        .to(rooms.user(userId))
        .emit(event as 'notification:read', payload as Parameters<BoardsPushes['notification:read']>[0]);
    },
    messages(userId, event, payload) {
      if (closed()) return;
      // As in `state`: the payload is the event's, by the signature.
      io.of('/messages')
        .to(rooms.user(userId))
        .emit(event as 'typing', payload as Parameters<MessagesPushes['typing']>[0]);
    },
    renamedPush(userId, renamed) {
      if (closed()) return;
      for (const name of NAMESPACES) io.of(name).to(rooms.user(userId)).emit('account:renamed', renamed);
    },
    renamed(userId, nickname) {
      for (const name of NAMESPACES) {
        const namespace = io.of(name);
        for (const id of namespace.adapter.rooms.get(rooms.user(userId)) ?? []) {
          const socket = namespace.sockets.get(id);
          if (socket) socket.data.nickname = nickname;
        }
      }
    },
  };
}
