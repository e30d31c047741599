import type { NamespaceClient } from '../../shared/client';
import type { PushEvent } from '../../shared/dto';
import type { NamespaceName } from '../../shared/events';

/** Every push of `event` this client receives from now on. */
export function collect<T>(client: NamespaceClient<NamespaceName>, event: string): PushEvent<T>[] {
  const seen: PushEvent<T>[] = [];
  client.socket.on(event, (e: PushEvent<T>) => seen.push(e));
  return seen;
}

/** A round trip: pushes the server sent this socket before it answers are in by then. */
export async function flush(client: NamespaceClient<NamespaceName>): Promise<void> {
  await client.ask('whoami');
}
