import type { DefaultEventsMap, Namespace, Server, Socket } from 'socket.io';

/** What every authenticated socket carries in `socket.data` (set by the handshake middleware). */
export interface SocketData {
  userId: number;
  username: string;
  nickname: string;
  sid: string;
  expiresAt: number;
}

/**
 * Quad's Socket.IO types. `socket.data` is typed; events stay Socket.IO's open map because the
 * command table dispatches by name (its entries are typed by shared/events.ts) and pushes go
 * out from the event log, whose drafts are typed per namespace (EventDraft).
 */
export type QuadServer = Server<DefaultEventsMap, DefaultEventsMap, DefaultEventsMap, SocketData>;
export type QuadNamespace = Namespace<DefaultEventsMap, DefaultEventsMap, DefaultEventsMap, SocketData>;
export type QuadSocket = Socket<DefaultEventsMap, DefaultEventsMap, DefaultEventsMap, SocketData>;
