import type { BoardsCommands } from '../../../shared/events';
import { nicknameInput } from '../../../shared/schemas/auth';
import * as s from '../../../shared/schemas/boards';
import * as c from '../../../shared/schemas/comments';
import { empty } from '../../../shared/schemas/common';
import * as m from '../../../shared/schemas/moderation';
import * as v from '../../../shared/schemas/verification';
import type { CommandTable } from '../../core/handle';
import type { Presence } from '../../core/presence';
import { actor, joinFeed, leaveFeed } from '../../core/realtime';
import { rooms } from '../../../shared/rooms';
import type { NicknamesService } from '../accounts/nicknames.service';
import type { VerificationService } from '../accounts/verification.service';
import type { CommentsService } from '../comments/comments.service';
import type { EventLog } from '../events/events.service';
import type { FeedVisibility } from '../moderation/feed-visibility';
import { safetyCommands, type SafetySocketDeps } from '../moderation/safety.socket';
import type { NotificationsService } from '../notifications/notifications.service';
import { notificationCommands } from '../notifications/notifications.socket';
import type { PostQueries } from './posts.queries';
import type { PostsService } from './posts.service';
import type { ReactionsService } from './reactions.service';

export interface BoardsSocketDeps extends SafetySocketDeps {
  posts: PostsService;
  queries: PostQueries;
  reactions: ReactionsService;
  notifications: NotificationsService;
  events: EventLog;
  /** What a resume may hand back (not hidden posts, nor blocked authors'). */
  feeds: FeedVisibility;
  /** `me:comments` (my comments on every board). */
  comments: CommentsService;
  /** `account:nickname`. */
  nicknames: NicknamesService;
  /** `account:verify:start` and `account:verify:confirm`. */
  verification: VerificationService;
  /** A board's readers (`presence:changed`). */
  presence: Presence;
}

/** `/boards`: parse, call one service, reply. */
export function boardsSocket(deps: BoardsSocketDeps) {
  const {
    posts,
    queries,
    reactions,
    notifications,
    events,
    blocks,
    feeds,
    comments,
    nicknames,
    verification,
    presence,
  } = deps;
  return (table: CommandTable): void => {
    const on = table.typed<BoardsCommands>();
    safetyCommands(deps)(table);
    notificationCommands(deps)(table);
    on('user:unblock', m.unblockInput, ({ blockId }, socket) => blocks.unblock(actor(socket), blockId));
    on('blocks:list', empty, (_input, socket) => blocks.list(actor(socket)));

    on('boards:list', empty, () => queries.listBoards());
    on('board:subscribe', s.boardSubscribeInput, async ({ boardId, ...from }, socket) => {
      await posts.board(boardId);
      const room = rooms.board(boardId);
      // Join first, then read the log: an event committed in between arrives twice, never zero times.
      await joinFeed(socket, room);
      const resumed = await events.resume(room, actor(socket).id, from, undefined, feeds.for(actor(socket)));
      presence.greet(socket, room); // the readers, right after this ack
      return resumed;
    });
    on('board:unsubscribe', s.boardRef, async ({ boardId }, socket) => {
      await leaveFeed(socket, rooms.board(boardId));
      return { boardId };
    });
    on('posts:list', s.postsListInput, (input, socket) => queries.list(actor(socket), input));
    on('post:get', s.postRef, ({ postId }, socket) => queries.get(actor(socket), postId));
    on('post:create', s.postCreateInput, (input, socket) => posts.create(actor(socket), input));
    on('post:update', s.postUpdateInput, (input, socket) => posts.update(actor(socket), input));
    on('post:delete', s.postRef, ({ postId }, socket) => posts.remove(actor(socket), postId));
    on('post:like', s.postRef, ({ postId }, socket) => reactions.like(actor(socket), postId));
    on('post:unlike', s.postRef, ({ postId }, socket) => reactions.unlike(actor(socket), postId));
    on('post:scrap', s.postRef, ({ postId }, socket) => reactions.scrap(actor(socket), postId, true));
    on('post:unscrap', s.postRef, ({ postId }, socket) => reactions.scrap(actor(socket), postId, false));
    on('scraps:list', s.pageInput, (input, socket) => queries.scrapsList(actor(socket), input));
    on('tags:popular', s.popularTagsInput, (input) => queries.popularTags(input));
    on('posts:hot', s.hotListInput, (input, socket) => queries.promoted(actor(socket), 'hotAt', input));
    on('posts:best', s.hotListInput, (input, socket) => queries.promoted(actor(socket), 'bestAt', input));
    on('notifications:list', c.notificationsListInput, (input, socket) =>
      notifications.list(actor(socket), input),
    );
    on('notifications:read', c.notificationsReadInput, (input, socket) =>
      notifications.read(actor(socket), input),
    );
    on('me:posts', s.pageInput, (input, socket) => queries.mine(actor(socket), input));
    on('me:comments', s.pageInput, (input, socket) => comments.mine(actor(socket), input));
    on('account:nickname', nicknameInput, (input, socket) => nicknames.change(actor(socket).id, input));
    on('account:verify:start', v.verifyStartInput, (input, socket) =>
      verification.start(actor(socket).id, input),
    );
    on('account:verify:confirm', v.verifyConfirmInput, (input, socket) =>
      verification.confirm(actor(socket).id, input),
    );
    on('me:resume', s.resumeInput, (from, socket) =>
      events.resume(
        rooms.user(actor(socket).id),
        actor(socket).id,
        from,
        ['notification'],
        feeds.for(actor(socket)),
      ),
    );
  };
}
