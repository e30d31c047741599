import type { Socket } from 'socket.io-client';
import type { DrainingDto } from './dto';

/** Backoff of a namespace connect refused with UNAVAILABLE (draining node, database down). */
const RETRY_MIN_MS = 250;
const RETRY_MAX_MS = 5_000;

/**
 * What a UI shows about one connection:
 * - `connecting`: before the first connect;
 * - `live`: connected, every feed resumed;
 * - `catching-up`: reconnected, feeds being resubscribed with `since`;
 * - `reconnecting`: the connection dropped, or the node announced `server:draining`; the
 *   client reconnects by itself, and commands asked meanwhile are sent once it is back;
 * - `offline`: disconnected for good — logout or revocation, `auth:expired`, a refused token,
 *   `close()`, or socket.io gave up. Log in again, or call `socket.connect()`.
 */
export type ConnectionState = 'connecting' | 'live' | 'catching-up' | 'reconnecting' | 'offline';

/**
 * The life of one socket.io-client socket across node restarts and failures
 * (docs/protocol.md, section 11): its state for a UI, the failover that `server:draining`
 * announces (socket.io-client does not reconnect after a server disconnect by itself), and
 * retries of a namespace connect refused with UNAVAILABLE. After every reconnect it runs
 * `catchUp` (the typed client resubscribes its feeds there) and is `catching-up` until that
 * settles; `catchUp` answers undefined when there is nothing to catch up.
 */
export class Connection {
  private current: ConnectionState = 'connecting';
  private readonly listeners = new Set<(state: ConnectionState) => void>();
  /** Set from `server:draining` until the next connect. */
  private switching?: { reconnectInMs: number; gone: Promise<void>; release: () => void };
  private wasConnected = false;
  /** Counts connects, so a catch-up that a newer disconnect overtook does not claim `live`. */
  private connects = 0;
  private retries = 0;
  private timer?: ReturnType<typeof setTimeout>;
  private closed = false;

  constructor(
    private readonly socket: Socket,
    private readonly catchUp: () => Promise<unknown> | undefined,
  ) {
    socket.on('connect', () => this.onConnect());
    socket.on('disconnect', (reason) => this.onDisconnect(reason));
    socket.on('connect_error', (err) => this.onConnectError(err));
    socket.on('server:draining', (p: DrainingDto, ack?: () => void) => this.onDraining(p, ack));
    socket.io.on('reconnect_failed', () => this.setState('offline'));
  }

  get state(): ConnectionState {
    return this.current;
  }

  /** Calls `listener` on every change of `state`; returns a function that stops it. */
  onState(listener: (state: ConnectionState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * While a draining node is still connected: a promise of its disconnect, before which nothing
   * should be sent. Otherwise undefined: send at once.
   */
  untilSwitched(): Promise<void> | undefined {
    return this.switching && this.socket.connected ? this.switching.gone : undefined;
  }

  /** Disconnects for good. */
  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    this.socket.disconnect();
    this.setState('offline');
  }

  /**
   * The node is shutting down. Confirming tells it this client sends nothing more on this
   * connection (new commands wait, see `untilSwitched`), so the node knows every command it will
   * get from us has arrived, answers them all, and only then disconnects.
   */
  private onDraining(push: DrainingDto, ack?: () => void): void {
    if (!this.switching) {
      let release!: () => void;
      const gone = new Promise<void>((resolve) => (release = resolve));
      this.switching = { reconnectInMs: Math.max(0, push.reconnectInMs ?? 0), gone, release };
    }
    this.setState('reconnecting');
    ack?.();
  }

  private onConnect(): void {
    this.closed = false;
    this.retries = 0;
    clearTimeout(this.timer);
    this.switching?.release();
    this.switching = undefined;
    const again = this.wasConnected;
    this.wasConnected = true;
    const connect = ++this.connects;
    const catchingUp = again ? this.catchUp() : undefined;
    if (!catchingUp) return this.setState('live');
    this.setState('catching-up');
    void catchingUp.finally(() => {
      if (connect === this.connects && this.socket.connected) this.setState('live');
    });
  }

  private onDisconnect(reason: Socket.DisconnectReason): void {
    const switching = this.switching;
    switching?.release();
    if (this.closed || reason === 'io client disconnect') return this.setState('offline');
    if (switching) {
      // Announced: reconnect, also after `io server disconnect` (socket.io itself does not).
      this.setState('reconnecting');
      if (!this.socket.active || !this.socket.io.reconnection()) this.later(switching.reconnectInMs);
    } else if (reason === 'io server disconnect') {
      // Logout, revocation, an expired token: reconnecting would be refused or unwanted.
      this.setState('offline');
    } else this.setState(this.socket.io.reconnection() ? 'reconnecting' : 'offline');
  }

  private onConnectError(err: Error & { data?: { code?: string } }): void {
    if (this.closed) return;
    if (err.data?.code === 'UNAVAILABLE') {
      // A draining node or a database outage: the protocol says retry with backoff.
      this.setState('reconnecting');
      this.later(Math.min(RETRY_MAX_MS, RETRY_MIN_MS * 2 ** this.retries++) * (0.5 + Math.random()));
    } else if (!this.socket.active || !this.socket.io.reconnection()) this.setState('offline');
  }

  /** Connects again after `ms`, unless connected or closed by then. */
  private later(ms: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      if (!this.closed && !this.socket.connected) this.socket.connect();
    }, ms);
  }

  private setState(state: ConnectionState): void {
    if (state === this.current) return;
    this.current = state;
    for (const l of this.listeners) l(state);
  }
}
