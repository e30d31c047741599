import type { NamespaceClient } from '../../../shared/client';

/**
 * Calls `reload` when a reconnect could not replay what `room` missed, so a screen reads its
 * list again: when the typed client's resubscribe answered RESYNC_REQUIRED (`onResync`), or
 * when no event of the room had been seen yet, so there was no `since` to resume from.
 * Returns a function that stops watching.
 */
export function onGap(
  client: NamespaceClient<'/boards'> | NamespaceClient<'/comments'>,
  room: string,
  reload: () => void,
): () => void {
  let away = false;
  const onDisconnect = () => (away = true);
  // Runs after the client's own connect handler has sent the resubscribe, before its answer.
  const onConnect = () => {
    if (away && !client.lastIds.has(room)) reload();
    away = false;
  };
  client.socket.on('disconnect', onDisconnect);
  client.socket.on('connect', onConnect);
  const offResync = client.onResync((r) => r === room && reload());
  return () => {
    client.socket.off('disconnect', onDisconnect);
    client.socket.off('connect', onConnect);
    offResync();
  };
}
