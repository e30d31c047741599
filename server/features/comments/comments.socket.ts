import type { Socket } from 'socket.io';
import type { CommentsCommands } from '../../../shared/events';
import { postRef } from '../../../shared/schemas/boards';
import * as c from '../../../shared/schemas/comments';
import { commands } from '../../core/handle';
import type { Logger } from '../../core/logger';
import { actor, joinFeed, leaveFeed } from '../../core/realtime';
import { rooms } from '../../core/rooms';
import type { PostsService } from '../boards/posts.service';
import type { EventLog } from '../events/events.service';
import type { CommentsService } from './comments.service';

export interface CommentsSocketDeps {
  comments: CommentsService;
  posts: PostsService;
  events: EventLog;
  log: Logger;
}

/** `/comments`: parse, call one service, reply. */
export function commentsSocket({ comments, posts, events, log }: CommentsSocketDeps) {
  return (socket: Socket): void => {
    const on = commands<CommentsCommands>(socket, log);
    const me = () => actor(socket);

    on('post:subscribe', c.postSubscribeInput, async ({ postId, ...from }) => {
      await posts.live(postId);
      const room = rooms.post(postId);
      await joinFeed(socket, room);
      return events.resume(room, me().id, from);
    });
    on('post:unsubscribe', postRef, async ({ postId }) => {
      await leaveFeed(socket, rooms.post(postId));
      return { postId };
    });
    on('comments:list', c.commentsListInput, (input) => comments.list(me(), input));
    on('comment:create', c.commentCreateInput, (input) => comments.create(me(), input));
    on('comment:delete', c.commentRef, ({ commentId }) => comments.remove(me(), commentId));
    on('comment:like', c.commentRef, ({ commentId }) => comments.like(me(), commentId, true));
    on('comment:unlike', c.commentRef, ({ commentId }) => comments.like(me(), commentId, false));
  };
}
