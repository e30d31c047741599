import type { ErrorWire } from './errors';
import type { WhoamiDto } from './dto';
import type { SocketRefreshInput } from './schemas/auth';

/** Every command is acknowledged with one of these. */
export type Ack<T> = { ok: true; data: T } | { ok: false; error: ErrorWire };

/** A command: what the client sends and what the ack carries on success. */
export interface Command<I, O> {
  input: I;
  output: O;
}

/** Turns a command map into Socket.IO's `ClientToServerEvents` shape. */
export type CommandEvents<C> = {
  [K in keyof C]: C[K] extends Command<infer I, infer O>
    ? (payload: I, ack: (res: Ack<O>) => void) => void
    : never;
};

export type InputOf<C, K extends keyof C> = C[K] extends Command<infer I, unknown> ? I : never;
export type OutputOf<C, K extends keyof C> = C[K] extends Command<unknown, infer O> ? O : never;

/** Commands every namespace answers. */
export interface CommonCommands {
  /** Who this socket is authenticated as. */
  whoami: Command<Record<string, never> | undefined, WhoamiDto>;
  /** Re-authenticate in place with a fresh access token for the same user. */
  'auth:refresh': Command<SocketRefreshInput, { expiresAt: string }>;
}

/** Pushes every namespace may send. */
export interface CommonPushes {
  /** The access token expired without `auth:refresh`; the server disconnects right after. */
  'auth:expired': (payload: { message: string }) => void;
}

export type BoardsCommands = CommonCommands;
export type CommentsCommands = CommonCommands;
export type TimetablesCommands = CommonCommands;

/** Namespace name → its command map. */
export interface NamespaceCommands {
  '/boards': BoardsCommands;
  '/comments': CommentsCommands;
  '/timetables': TimetablesCommands;
}

/** Namespace name → its pushes (server → client). */
export interface NamespacePushes {
  '/boards': CommonPushes;
  '/comments': CommonPushes;
  '/timetables': CommonPushes;
}

export type NamespaceName = keyof NamespaceCommands;
export const NAMESPACES: readonly NamespaceName[] = ['/boards', '/comments', '/timetables'];

export type ClientToServerEvents<N extends NamespaceName> = CommandEvents<NamespaceCommands[N]>;
export type ServerToClientEvents<N extends NamespaceName> = NamespacePushes[N];
