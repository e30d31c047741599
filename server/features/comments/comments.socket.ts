import type { CommentsCommands } from '../../../shared/events';
import { postRef } from '../../../shared/schemas/boards';
import * as c from '../../../shared/schemas/comments';
import type { CommandTable } from '../../core/handle';
import type { Presence } from '../../core/presence';
import { actor, joinFeed, leaveFeed } from '../../core/realtime';
import { rooms } from '../../../shared/rooms';
import type { PostsService } from '../boards/posts.service';
import type { EventLog } from '../events/events.service';
import type { FeedVisibility } from '../moderation/feed-visibility';
import { safetyCommands, type SafetySocketDeps } from '../moderation/safety.socket';
import type { CommentsService } from './comments.service';

export interface CommentsSocketDeps extends SafetySocketDeps {
  comments: CommentsService;
  posts: PostsService;
  events: EventLog;
  /** Who may follow a thread, and what a resume may hand back. */
  feeds: FeedVisibility;
  /** A thread's readers (`presence:changed`). */
  presence: Presence;
}

/** `/comments`: parse, call one service, reply. */
export function commentsSocket(deps: CommentsSocketDeps) {
  const { comments, events, feeds, presence } = deps;
  return (table: CommandTable): void => {
    const on = table.typed<CommentsCommands>();
    safetyCommands(deps)(table);

    on('post:subscribe', c.postSubscribeInput, async ({ postId, ...from }, socket) => {
      // A hidden post's thread is NOT_FOUND but for its author and moderators, as post:get.
      await feeds.post(actor(socket), postId);
      const room = rooms.post(postId);
      await joinFeed(socket, room);
      const resumed = await events.resume(room, actor(socket).id, from, undefined, feeds.for(actor(socket)));
      presence.greet(socket, room); // the readers, right after this ack
      return resumed;
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
