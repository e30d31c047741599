import { signal } from '@preact/signals';
import type { NamespaceClient } from '../../../shared/client';

export type ConnectionState = 'connecting' | 'live' | 'reconnecting' | 'catching-up' | 'offline';

/** The header's connection indicator over the signed-in user's namespaces. */
export const connection = signal<ConnectionState>('connecting');

export interface ConnectionHooks {
  /** Whether these clients are still the signed-in ones (not closed by a logout). */
  current(): boolean;
  /** Gets a fresh access token and reconnects what is down (or signs this browser out). */
  refresh(): void;
  /** The session was ended elsewhere: sign this browser out. */
  revoked(): void;
  /** Per namespace, what to re-read after it reconnects (counters fed by its pushes). */
  catchUp: Partial<Record<string, () => Promise<void>>>;
}

/**
 * Connection indicator over the namespaces, from the typed client's own states:
 * `reconnecting` while any is down (a dropped connection, or its node announced
 * `server:draining`), `catching-up` from the reconnect until every feed is resubscribed with
 * `since` and the header's counters are re-read, then `live`.
 */
export function watchConnections(
  clients: Record<string, NamespaceClient<never>>,
  hooks: ConnectionHooks,
): void {
  const all = Object.values(clients);
  let catching = 0;
  let wasLive = false;
  const update = () => {
    const states = all.map((c) => c.state);
    let next: ConnectionState;
    if (states.includes('offline')) next = 'offline';
    else if (states.some((s) => s === 'reconnecting' || s === 'connecting'))
      next = wasLive ? 'reconnecting' : 'connecting';
    else if (catching > 0 || states.includes('catching-up')) next = 'catching-up';
    else next = 'live';
    if (next === 'live') wasLive = true;
    connection.value = next;
  };
  for (const [name, c] of Object.entries(clients)) {
    let connectedBefore = false;
    c.onState(update);
    // Disconnected for good by the server (no drain announced): the session was ended elsewhere
    // or the token ran out. A refresh tells which: it reconnects, or signs this browser out.
    c.onState((state) => {
      if (state === 'offline' && hooks.current()) hooks.refresh();
    });
    c.socket.on('connect', () => {
      if (!connectedBefore) return void (connectedBefore = true);
      const reread = hooks.catchUp[name];
      if (!reread) return;
      catching++;
      update();
      void reread().finally(() => {
        catching--;
        update();
      });
    });
    c.socket.on('connect_error', (err: Error & { data?: { code?: string } }) => {
      if (err.data?.code === 'TOKEN_EXPIRED') hooks.refresh();
      else if (err.data?.code === 'TOKEN_REVOKED') hooks.revoked();
    });
    c.socket.on('auth:expired', () => hooks.refresh());
  }
  update();
}
