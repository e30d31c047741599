import { useEffect, useRef } from 'preact/hooks';
import { useQuad } from '../lib/session';

/**
 * Runs `again` each time the /timetables socket reconnects: what a screen shows may have
 * changed while it was away, and rooms such as a friend watch must be joined again.
 */
export function useReconnect(again: () => void): void {
  const quad = useQuad();
  const latest = useRef(again);
  latest.current = again;
  useEffect(() => {
    const io = quad.timetables.socket.io;
    const run = () => latest.current();
    io.on('reconnect', run);
    return () => {
      io.off('reconnect', run);
    };
  }, [quad]);
}
