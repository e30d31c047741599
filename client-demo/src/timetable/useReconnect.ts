import { useEffect, useRef } from 'preact/hooks';
import { useQuad } from '../lib/session';

/**
 * Runs `again` each time the /timetables socket connects again while the screen is open:
 * what it shows may have changed meanwhile, and rooms such as a friend watch must be joined
 * again. Listens to the socket's `connect`, not the manager's `reconnect`: after a node's
 * `server:draining` the typed client connects anew rather than through socket.io's retries.
 */
export function useReconnect(again: () => void): void {
  const quad = useQuad();
  const latest = useRef(again);
  latest.current = again;
  useEffect(() => {
    const socket = quad.timetables.socket;
    const run = () => latest.current();
    socket.on('connect', run);
    return () => {
      socket.off('connect', run);
    };
  }, [quad]);
}
