import type { QuadSocket as Socket } from './sockets';

/** A packet as socket.io middleware sees it: the event name, its arguments, and the ack last. */
type Packet = unknown[];

/**
 * The commands each socket has received and not answered yet, so a drain can wait for them
 * before it disconnects the socket (and the database closes under nothing).
 *
 * Counting starts the moment a packet arrives, before any asynchronous middleware (the rate
 * limit asks Redis): a socket found idle has nothing on its way to a handler, so disconnecting
 * it cannot drop a command that already reached this node. Counting ends when the command's
 * ack is sent, or when socket.io drops the packet because the socket is gone by then.
 */
export class InFlight {
  private readonly counts = new Map<Socket, number>();
  private readonly waiters = new Map<Socket, Array<() => void>>();
  private total = 0;
  private totalWaiters: Array<() => void> = [];

  /**
   * Call first for each incoming packet of a known command. Wraps the ack so that answering
   * ends the command; a command sent without an ack gets one that only ends it (the command
   * table calls a trailing function as the ack). Returns the end function: call it yourself if
   * the command is never run (the socket left while the rate limit was asked).
   */
  begin(socket: Socket, packet: Packet): () => void {
    this.counts.set(socket, (this.counts.get(socket) ?? 0) + 1);
    this.total++;
    let open = true;
    const end = () => {
      if (!open) return;
      open = false;
      this.end(socket);
    };
    const ack = packet[packet.length - 1];
    if (typeof ack === 'function') {
      packet[packet.length - 1] = (...res: unknown[]) => {
        try {
          (ack as (...a: unknown[]) => void)(...res);
        } finally {
          end();
        }
      };
    } else packet.push(end);
    return end;
  }

  /** Commands in flight on these sockets (on every socket of this node when omitted). */
  count(sockets?: Socket[]): number {
    return sockets ? sockets.reduce((n, s) => n + (this.counts.get(s) ?? 0), 0) : this.total;
  }

  /** Resolves once these sockets have no command in flight at the same moment. */
  async settled(sockets: Socket[]): Promise<void> {
    while (this.count(sockets) > 0) {
      await Promise.all(sockets.map((s) => this.idle(s)));
    }
  }

  /** Resolves once no command is in flight on this node. */
  async allSettled(): Promise<void> {
    while (this.total > 0) await new Promise<void>((resolve) => this.totalWaiters.push(resolve));
  }

  private idle(socket: Socket): Promise<void> {
    if (!this.counts.get(socket)) return Promise.resolve();
    return new Promise((resolve) => {
      const list = this.waiters.get(socket) ?? [];
      list.push(resolve);
      this.waiters.set(socket, list);
    });
  }

  private end(socket: Socket): void {
    this.total--;
    const left = (this.counts.get(socket) ?? 1) - 1;
    if (left > 0) this.counts.set(socket, left);
    else {
      this.counts.delete(socket);
      const list = this.waiters.get(socket);
      this.waiters.delete(socket);
      for (const resolve of list ?? []) resolve();
    }
    if (this.total === 0) {
      const list = this.totalWaiters;
      this.totalWaiters = [];
      for (const resolve of list) resolve();
    }
  }
}
