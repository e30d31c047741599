import type { Socket } from 'socket.io-client';

/**
 * Calls `reload` when a reconnect cannot replay what `room` missed: the typed client resumes
 * a feed with `since`, but without any event seen in the room there is no `since` to send,
 * so a screen reads its list again instead. Returns a function that stops watching.
 */
export function onGap(
  client: { socket: Socket; lastIds: Map<string, number> },
  room: string,
  reload: () => void,
): () => void {
  let away = false;
  const onDisconnect = () => (away = true);
  const onConnect = () => {
    if (away && !client.lastIds.has(room)) reload();
    away = false;
  };
  client.socket.on('disconnect', onDisconnect);
  client.socket.on('connect', onConnect);
  return () => {
    client.socket.off('disconnect', onDisconnect);
    client.socket.off('connect', onConnect);
  };
}
