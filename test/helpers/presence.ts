import type { NamespaceClient } from '../../shared/client';
import type { PresenceDto } from '../../shared/dto';
import type { NamespaceName } from '../../shared/events';

/** Every count `client` is told for `room` (`presence:changed`), in order. */
export function presenceOf(client: NamespaceClient<NamespaceName>, room: string): number[] {
  const seen: number[] = [];
  client.socket.on('presence:changed', (p: PresenceDto) => {
    if (p.room === room) seen.push(p.count);
  });
  return seen;
}

/** The latest count in a list from presenceOf. */
export const last = (counts: number[]): number | undefined => counts[counts.length - 1];
