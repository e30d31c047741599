import type { Socket } from 'socket.io';
import type { BoardsCommands } from '../../../shared/events';
import * as s from '../../../shared/schemas/boards';
import * as c from '../../../shared/schemas/comments';
import { empty } from '../../../shared/schemas/common';
import { commands } from '../../core/handle';
import type { Logger } from '../../core/logger';
import { actor, joinFeed, leaveFeed } from '../../core/realtime';
import { rooms } from '../../core/rooms';
import type { EventLog } from '../events/events.service';
import type { NotificationsService } from '../notifications/notifications.service';
import type { PostsService } from './posts.service';

export interface BoardsSocketDeps {
  posts: PostsService;
  notifications: NotificationsService;
  events: EventLog;
  log: Logger;
}

/** `/boards`: parse, call one service, reply. */
export function boardsSocket({ posts, notifications, events, log }: BoardsSocketDeps) {
  return (socket: Socket): void => {
    const on = commands<BoardsCommands>(socket, log);
    const me = () => actor(socket);

    on('boards:list', empty, () => posts.listBoards());
    on('board:subscribe', s.boardSubscribeInput, async ({ boardId, ...from }) => {
      await posts.board(boardId);
      const room = rooms.board(boardId);
      // Join first, then read the log: an event committed in between arrives twice, never zero times.
      await joinFeed(socket, room);
      return events.resume(room, me().id, from);
    });
    on('board:unsubscribe', s.boardRef, async ({ boardId }) => {
      await leaveFeed(socket, rooms.board(boardId));
      return { boardId };
    });
    on('posts:list', s.postsListInput, (input) => posts.list(me(), input));
    on('post:get', s.postRef, ({ postId }) => posts.get(me(), postId));
    on('post:create', s.postCreateInput, (input) => posts.create(me(), input));
    on('post:update', s.postUpdateInput, (input) => posts.update(me(), input));
    on('post:delete', s.postRef, ({ postId }) => posts.remove(me(), postId));
    on('post:like', s.postRef, ({ postId }) => posts.like(me(), postId));
    on('post:unlike', s.postRef, ({ postId }) => posts.unlike(me(), postId));
    on('post:scrap', s.postRef, ({ postId }) => posts.scrap(me(), postId, true));
    on('post:unscrap', s.postRef, ({ postId }) => posts.scrap(me(), postId, false));
    on('scraps:list', s.pageInput, (input) => posts.scrapsList(me(), input));
    on('tags:popular', s.popularTagsInput, (input) => posts.popularTags(input));
    on('posts:hot', s.hotListInput, (input) => posts.promoted(me(), 'hotAt', input));
    on('posts:best', s.hotListInput, (input) => posts.promoted(me(), 'bestAt', input));
    on('notifications:list', c.notificationsListInput, (input) => notifications.list(me(), input));
    on('notifications:read', c.notificationsReadInput, (input) => notifications.read(me(), input));
    on('me:resume', s.resumeInput, (from) =>
      events.resume(rooms.user(me().id), me().id, from, ['notification']),
    );
  };
}
