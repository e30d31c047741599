import type { DefaultEventsMap, Namespace, Server, Socket } from 'socket.io';
import type { ClientToServerEvents, NamespaceName, ServerToClientEvents } from '../../shared/events';
import type { Role } from '../../shared/schemas/moderation';

/** What every authenticated socket carries in `socket.data` (set by the handshake middleware). */
export interface SocketData {
  userId: number;
  username: string;
  nickname: string;
  sid: string;
  expiresAt: number;
  role: Role;
  /** When the account was made (ms): young accounts may not write on restricted boards. */
  createdAt: number;
}

/** Every namespace's commands (each name means the same wherever it is answered). */
export type AnyCommands = ClientToServerEvents<'/boards'> &
  ClientToServerEvents<'/comments'> &
  ClientToServerEvents<'/timetables'> &
  ClientToServerEvents<'/moderation'> &
  ClientToServerEvents<'/messages'>;

/** Every namespace's pushes (each name carries the same payload wherever it is pushed). */
export type AnyPushes = ServerToClientEvents<'/boards'> &
  ServerToClientEvents<'/comments'> &
  ServerToClientEvents<'/timetables'> &
  ServerToClientEvents<'/moderation'> &
  ServerToClientEvents<'/messages'>;

/** Nodes talk through the adapter only (no serverSideEmit). */
type InterServerEvents = DefaultEventsMap;

/**
 * Quad's Socket.IO types, from shared/events.ts: a push whose name or payload is not declared
 * fails `npm run check`, and `socket.data` needs no cast. The server and a socket not tied to
 * one namespace see every namespace's events; QuadNamespace<N> is one namespace's own.
 */
export type QuadServer = Server<AnyCommands, AnyPushes, InterServerEvents, SocketData>;
export type QuadSocket = Socket<AnyCommands, AnyPushes, InterServerEvents, SocketData>;
export type QuadNamespace<N extends NamespaceName> = Namespace<
  ClientToServerEvents<N>,
  ServerToClientEvents<N>,
  InterServerEvents,
  SocketData
>;
