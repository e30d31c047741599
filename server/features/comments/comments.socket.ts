import type { CommentsCommands } from '../../../shared/events';
import { postRef } from '../../../shared/schemas/boards';
import * as c from '../../../shared/schemas/comments';
import type { CommandTable } from '../../core/handle';
import { actor, joinFeed, leaveFeed } from '../../core/realtime';
import { rooms } from '../../../shared/rooms';
import type { PostsService } from '../boards/posts.service';
import type { EventLog } from '../events/events.service';
import type { CommentsService } from './comments.service';

export interface CommentsSocketDeps {
  comments: CommentsService;
  posts: PostsService;
  events: EventLog;
}

/** `/comments`: parse, call one service, reply. */
export function commentsSocket({ comments, posts, events }: CommentsSocketDeps) {
  return (table: CommandTable): void => {
    const on = table.typed<CommentsCommands>();

    on('post:subscribe', c.postSubscribeInput, async ({ postId, ...from }, socket) => {
      await posts.live(postId);
      const room = rooms.post(postId);
      await joinFeed(socket, room);
      return events.resume(room, actor(socket).id, from);
    });
    on('post:unsubscribe', postRef, async ({ postId }, socket) => {
      await leaveFeed(socket, rooms.post(postId));
      return { postId };
    });
    on('comments:list', c.commentsListInput, (input, socket) => comments.list(actor(socket), input));
    on('comment:create', c.commentCreateInput, (input, socket) => comments.create(actor(socket), input));
    on('comment:delete', c.commentRef, ({ commentId }, socket) => comments.remove(actor(socket), commentId));
    on('comment:like', c.commentRef, ({ commentId }, socket) =>
      comments.like(actor(socket), commentId, true),
    );
    on('comment:unlike', c.commentRef, ({ commentId }, socket) =>
      comments.like(actor(socket), commentId, false),
    );
  };
}
