import type { NamespaceName } from '../../shared/events';
import { toWire } from './errors';
import { connectError } from './handshake';
import type { Logger } from './logger';
import type { QuadSocket as Socket } from './sockets';

/** The rooms of a user's own that their sockets on a namespace hold (e.g. rooms.hide per blocked author). */
export type LoadRooms = (userId: number, nsp: NamespaceName) => Promise<string[]>;

/**
 * Joins each new socket to its user's own rooms before it can run a command: they are read in
 * the handshake (a failed read refuses the connection, as a failed user read does) and joined
 * with the socket's user room, so no feed can be subscribed without them.
 *
 * A change made on another node between that read and the join would be missed (it reaches the
 * sockets already in the user room); so once connected, the rooms are read again and the
 * socket's set corrected. That second read is normally a cache hit.
 */
export class OwnRooms {
  private readonly loaded = new WeakMap<Socket, string[]>();

  constructor(
    private readonly load: LoadRooms,
    private readonly log: Logger,
  ) {}

  /** Namespace middleware (after authentication). */
  middleware(nsp: NamespaceName): (socket: Socket, next: (err?: Error) => void) => Promise<void> {
    return async (socket, next) => {
      try {
        this.loaded.set(socket, await this.load(socket.data.userId, nsp));
        next();
      } catch (err) {
        const wire = toWire(err);
        next(connectError(wire.code, wire.message));
      }
    };
  }

  /** The rooms read in the handshake, to join with the user's room; then the check described above. */
  take(socket: Socket, nsp: NamespaceName): string[] {
    const first = this.loaded.get(socket) ?? [];
    this.loaded.delete(socket);
    this.load(socket.data.userId, nsp).then(
      (rooms) => {
        const had = new Set(first);
        const now = new Set(rooms);
        for (const room of had) if (!now.has(room)) void socket.leave(room);
        const added = rooms.filter((room) => !had.has(room));
        if (added.length) void socket.join(added);
      },
      (err: unknown) => this.log.warn({ err, nsp, socket: socket.id }, 'own rooms not re-read after connect'),
    );
    return first;
  }
}
