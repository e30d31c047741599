/**
 * Compiled by `npm run check` (tsc), never run: a push whose payload does not match what
 * shared/events.ts declares for its type must not compile, and neither may a fact a service
 * emits with the wrong data. Each `@ts-expect-error` fails the check if the line below it ever
 * compiles.
 */
import type { Emit, EventDraft } from '../../server/core/routes';
import type { QuadNamespace, QuadServer, QuadSocket } from '../../server/core/sockets';

export const wellTyped: EventDraft[] = [
  {
    nsp: '/comments',
    room: 'post:1',
    type: 'comment:liked',
    data: { commentId: 1, postId: 1, likeCount: 2 },
  },
  { nsp: '/boards', room: 'board:1', type: 'post:deleted', data: { postId: 1, boardId: 1 } },
];

export const wrong: EventDraft[] = [
  // @ts-expect-error comment:liked carries likeCount
  { nsp: '/comments', room: 'post:1', type: 'comment:liked', data: { commentId: 1, postId: 1 } },
  // @ts-expect-error post:deleted is not a /timetables push
  { nsp: '/timetables', room: 'user:1', type: 'post:deleted', data: { postId: 1, boardId: 1 } },
  // @ts-expect-error no such push
  { nsp: '/boards', room: 'board:1', type: 'post:exploded', data: {} },
  // @ts-expect-error timetable:changed carries userId, semester and timetableId
  { nsp: '/timetables', room: 'watch:1', type: 'timetable:changed', data: { userId: 1 } },
];

export function facts(emit: Emit): void {
  emit('postLiked', { postId: 1, boardId: 1, likeCount: 2 });
  // @ts-expect-error postLiked carries the board, so the routing table can reach its feed
  emit('postLiked', { postId: 1, likeCount: 2 });
  // @ts-expect-error no such fact
  emit('postExploded', {});
  // @ts-expect-error commentDeleted carries the new commentCount
  emit('commentDeleted', { commentId: 1, postId: 1, boardId: 1 });
  emit('postHidden', { postId: 1, boardId: 1 });
  // @ts-expect-error postHidden carries the board, so the routing table can reach its feed
  emit('postHidden', { postId: 1 });
  // @ts-expect-error the queue's pushes carry the whole case, never an author
  emit('targetHidden', { target: { kind: 'post', id: 1 }, authorId: 7 });
}

export function sockets(io: QuadServer, boards: QuadNamespace<'/boards'>, socket: QuadSocket): number {
  socket.emit('server:resync', { rooms: ['board:1'], reason: 'redis' });
  // @ts-expect-error server:resync carries the rooms to resume
  socket.emit('server:resync', { reason: 'redis' });
  // @ts-expect-error no such push
  io.of('/boards').emit('post:exploded', {});
  // @ts-expect-error friend:removed is a /timetables push, not a /boards one
  boards.emit('friend:removed', {
    id: 1,
    room: 'user:1',
    type: 'friend:removed',
    data: { friendId: 2 },
    at: '',
    epoch: '',
  });
  // socket.data is typed: no cast
  return socket.data.userId;
}
