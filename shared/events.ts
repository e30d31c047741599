import type { ErrorWire } from './errors';
import type { z } from 'zod';
import type {
  BoardDto,
  CommentDto,
  NotificationDto,
  Page,
  PostDto,
  PushEvent,
  ResumeDto,
  TagCountDto,
  ThreadDto,
  WhoamiDto,
  SemesterDto,
  CourseDto,
  TimetableSummaryDto,
  TimetableDto,
  FriendRequestDto,
  FriendDto,
  FreeIntervalDto,
  UserSummaryDto,
  DrainingDto,
  ResyncDto,
  PresenceDto,
  PostHiddenDto,
  CommentHiddenDto,
  ReportDto,
  SuspensionDto,
  BlockDto,
  MyCommentDto,
  NicknameDto,
  ModerationCaseDto,
  ModerationLogDto,
  RoleDto,
  NotificationSettingsDto,
  NotificationReadDto,
  PostMuteDto,
  VerificationStartedDto,
  VerifiedDto,
  ConversationDto,
  MessageDto,
  MessageCreatedDto,
  ConversationReadDto,
  TypingDto,
} from './dto';
import type { NicknameInput, SocketRefreshInput } from './schemas/auth';
import type * as s from './schemas/boards';
import type * as c from './schemas/comments';
import type * as t from './schemas/timetables';
import type * as m from './schemas/moderation';
import type * as n from './schemas/notifications';
import type * as v from './schemas/verification';
import type * as g from './schemas/messages';

/** Every command is acknowledged with one of these. */
export type Ack<T> = { ok: true; data: T } | { ok: false; error: ErrorWire };

/** A command: what the client sends and what the ack carries on success. */
export interface Command<I, O> {
  input: I;
  output: O;
}

/** Turns a command map into Socket.IO's `ClientToServerEvents` shape. */
export type CommandEvents<C> = {
  [K in keyof C]: C[K] extends Command<infer I, infer O>
    ? (payload: I, ack: (res: Ack<O>) => void) => void
    : never;
};

export type InputOf<C, K extends keyof C> = C[K] extends Command<infer I, unknown> ? I : never;
export type OutputOf<C, K extends keyof C> = C[K] extends Command<unknown, infer O> ? O : never;

/** Commands every namespace answers. */
export interface CommonCommands {
  /** Who this socket is authenticated as. */
  whoami: Command<Record<string, never> | undefined, WhoamiDto>;
  /** Re-authenticate in place with a fresh access token for the same user. */
  'auth:refresh': Command<SocketRefreshInput, { expiresAt: string }>;
}

/** Pushes every namespace may send. */
export interface CommonPushes {
  /** The access token expired without `auth:refresh`; the server disconnects right after. */
  'auth:expired': (payload: { message: string }) => void;
  /**
   * This node is shutting down. It still answers every command it has received; calling `ack`
   * tells it this client sends nothing more on this connection. It then disconnects the socket
   * (`io server disconnect`): reconnect after `reconnectInMs` (the load balancer picks a live
   * node) and resubscribe with `since`. The typed client does all of this by itself.
   */
  'server:draining': (payload: DrainingDto, ack?: () => void) => void;
  /**
   * This node may have missed other nodes' pushes to these rooms (it lost Redis for a while;
   * the socket itself stayed connected): resume each room with `since` (`board:subscribe`,
   * `post:subscribe`, `me:resume`, `friend:watch` as for a reconnect). The typed client resumes
   * its feeds by itself.
   */
  'server:resync': (payload: ResyncDto) => void;
  /**
   * A moderator suspended this account: it may still read, but every write answers FORBIDDEN
   * with `reason: 'SUSPENDED'` and `until` until then. Sent to every socket of the user, on
   * every namespace and node, at once; not logged (`whoami` tells a new connection).
   */
  'account:suspended': (payload: SuspensionDto) => void;
  /**
   * My nickname changed (`account:nickname`, on any of my devices): show the new one. Sent to
   * every socket of the user, on every namespace and node; not logged (`whoami` tells a new connection).
   */
  'account:renamed': (payload: NicknameDto) => void;
}

/** Reporting and blocking, on /boards and /comments alike. */
export interface SafetyCommands {
  /** 신고: one report per user and target; enough distinct reporters hide it at once. */
  'report:create': Command<z.input<typeof m.reportCreateInput>, ReportDto>;
  /** 차단: never see the target's author's posts, comments or messages again (works for anonymous authors). */
  'user:block': Command<z.input<typeof m.blockInput>, BlockDto>;
}

type Empty = Record<string, never> | undefined;

/** `/boards`: boards, posts, tags, likes, scraps, HOT/BEST, notifications. */
export interface BoardsCommands extends CommonCommands, SafetyCommands {
  'boards:list': Command<Empty, BoardDto[]>;
  'board:subscribe': Command<z.input<typeof s.boardSubscribeInput>, ResumeDto>;
  'board:unsubscribe': Command<z.input<typeof s.boardRef>, { boardId: number }>;
  'posts:list': Command<z.input<typeof s.postsListInput>, Page<PostDto>>;
  'post:get': Command<z.input<typeof s.postRef>, PostDto>;
  'post:create': Command<z.input<typeof s.postCreateInput>, PostDto>;
  'post:update': Command<z.input<typeof s.postUpdateInput>, PostDto>;
  'post:delete': Command<z.input<typeof s.postRef>, { postId: number }>;
  'post:like': Command<z.input<typeof s.postRef>, PostLikedDto>;
  'post:unlike': Command<z.input<typeof s.postRef>, PostLikedDto>;
  'post:scrap': Command<z.input<typeof s.postRef>, { postId: number; scrapCount: number }>;
  'post:unscrap': Command<z.input<typeof s.postRef>, { postId: number; scrapCount: number }>;
  'scraps:list': Command<z.input<typeof s.pageInput>, Page<PostDto>>;
  'tags:popular': Command<z.input<typeof s.popularTagsInput>, TagCountDto[]>;
  'posts:hot': Command<z.input<typeof s.hotListInput>, Page<PostDto>>;
  'posts:best': Command<z.input<typeof s.hotListInput>, Page<PostDto>>;
  'notifications:list': Command<z.input<typeof c.notificationsListInput>, Page<NotificationDto>>;
  /** Also pushes `notification:read` to every socket of the user (every node): the badge everywhere. */
  'notifications:read': Command<z.input<typeof c.notificationsReadInput>, { unread: number }>;
  /** The user's notification switches (all on until changed). */
  'notifications:settings': Command<Empty, NotificationSettingsDto>;
  /** Switches kinds on or off; pushes `notification:settings` to every socket of the user (every node). */
  'notifications:settings:set': Command<
    z.input<typeof n.notificationSettingsSetInput>,
    NotificationSettingsDto
  >;
  /** No more `comment` / `reply` notifications from this post's thread for me. */
  'post:mute': Command<z.input<typeof s.postRef>, PostMuteDto>;
  'post:unmute': Command<z.input<typeof s.postRef>, PostMuteDto>;
  /** Personal events (`user:<id>`: notifications) after `since`. */
  'me:resume': Command<z.input<typeof s.resumeInput>, ResumeDto>;
  /** My posts on every board, newest first: anonymous and hidden ones too (for me alone). */
  'me:posts': Command<z.input<typeof s.pageInput>, Page<PostDto>>;
  /** My comments on every board, newest first, each with its post's board and title. */
  'me:comments': Command<z.input<typeof s.pageInput>, Page<MyCommentDto>>;
  /** Changes my nickname: unique (NFKC, case-insensitive), 2–10 characters, once per NICKNAME_CHANGE_DAYS. */
  'account:nickname': Command<NicknameInput, NicknameDto>;
  /**
   * Mails a 6-digit code (10 minutes, 5 tries) to a school email (SCHOOL_EMAIL_DOMAINS). Refused:
   * VALIDATION (another domain), CONFLICT (the email verifies or is verifying another account),
   * RATE_LIMITED (VERIFY_RESEND_INTERVAL, 5 per hour, locked after 5 wrong codes), UNAVAILABLE
   * (the mail server did not take it: nothing changed, an earlier code still works).
   */
  'account:verify:start': Command<z.input<typeof v.verifyStartInput>, VerificationStartedDto>;
  /** The code from the mail: the account is verified with that email (and may write under REQUIRE_VERIFIED). */
  'account:verify:confirm': Command<z.input<typeof v.verifyConfirmInput>, VerifiedDto>;
  'user:unblock': Command<z.input<typeof m.unblockInput>, { blockId: number }>;
  'blocks:list': Command<Empty, BlockDto[]>;
}

/** `/comments`: one post's thread. */
export interface CommentsCommands extends CommonCommands, SafetyCommands {
  'post:subscribe': Command<z.input<typeof c.postSubscribeInput>, ResumeDto>;
  'post:unsubscribe': Command<z.input<typeof s.postRef>, { postId: number }>;
  'comments:list': Command<z.input<typeof c.commentsListInput>, Page<ThreadDto>>;
  'comment:create': Command<z.input<typeof c.commentCreateInput>, CommentDto>;
  'comment:delete': Command<z.input<typeof c.commentRef>, { commentId: number; postId: number }>;
  'comment:like': Command<z.input<typeof c.commentRef>, CommentLikedDto>;
  'comment:unlike': Command<z.input<typeof c.commentRef>, CommentLikedDto>;
}

/** `/timetables`: course catalog, timetables, friends. */
export interface TimetablesCommands extends CommonCommands {
  'semesters:list': Command<Empty, SemesterDto[]>;
  'courses:search': Command<z.input<typeof t.coursesSearchInput>, Page<CourseDto>>;
  'course:get': Command<z.input<typeof t.courseRef>, CourseDto>;
  'timetables:list': Command<z.input<typeof t.timetablesListInput> | undefined, TimetableSummaryDto[]>;
  'timetable:create': Command<z.input<typeof t.timetableCreateInput>, TimetableDto>;
  'timetable:rename': Command<z.input<typeof t.timetableRenameInput>, TimetableSummaryDto>;
  'timetable:delete': Command<z.input<typeof t.timetableRef>, { timetableId: number }>;
  'timetable:setPrimary': Command<z.input<typeof t.timetableRef>, TimetableSummaryDto>;
  'timetable:setVisibility': Command<z.input<typeof t.timetableVisibilityInput>, TimetableSummaryDto>;
  'timetable:get': Command<z.input<typeof t.timetableRef>, TimetableDto>;
  'timetable:addCourse': Command<z.input<typeof t.addCourseInput>, TimetableDto>;
  'timetable:addCustom': Command<z.input<typeof t.addCustomInput>, TimetableDto>;
  'timetable:removeEntry': Command<z.input<typeof t.removeEntryInput>, TimetableDto>;
  'friend:request': Command<z.input<typeof t.friendRequestInput>, FriendRequestDto>;
  'friend:accept': Command<z.input<typeof t.requestRef>, FriendRequestDto>;
  'friend:decline': Command<z.input<typeof t.requestRef>, { requestId: number }>;
  'friend:cancel': Command<z.input<typeof t.requestRef>, { requestId: number }>;
  'friend:remove': Command<z.input<typeof t.friendRef>, { friendId: number }>;
  'friends:list': Command<Empty, FriendDto[]>;
  'friends:requests': Command<Empty, { incoming: FriendRequestDto[]; outgoing: FriendRequestDto[] }>;
  'friend:timetable': Command<z.input<typeof t.friendTimetableInput>, TimetableDto>;
  /** Follows a friend's timetable changes (`watch:<friendId>`); resumable with `since` like a feed. */
  'friend:watch': Command<z.input<typeof t.friendWatchInput>, ResumeDto & { friendId: number }>;
  'friend:unwatch': Command<z.input<typeof t.friendRef>, { friendId: number }>;
  'freetime:find': Command<z.input<typeof t.freetimeInput>, FreeIntervalDto[]>;
  /** Personal events (`user:<id>`: friend requests and answers) after `since`. */
  'me:resume': Command<z.input<typeof t.resumeInput>, ResumeDto>;
}

export interface PostLikedDto {
  postId: number;
  likeCount: number;
}

export interface CommentLikedDto {
  commentId: number;
  postId: number;
  likeCount: number;
}

type Push<T> = (event: PushEvent<T>) => void;

/** `/boards` pushes. Rooms: `board:<id>` (after `board:subscribe`), `user:<id>` (always). */
export interface BoardsPushes extends CommonPushes {
  'post:created': Push<PostDto>;
  'post:updated': Push<PostDto>;
  'post:deleted': Push<{ postId: number; boardId: number }>;
  'post:liked': Push<PostLikedDto>;
  'post:commented': Push<{ postId: number; commentCount: number }>;
  'post:hot': Push<PostDto>;
  'post:best': Push<PostDto>;
  /** Hidden by reports or removed by a moderator: drop it from the feed. */
  'post:hidden': Push<PostHiddenDto>;
  /** A moderator restored a hidden post: it is back in the feed. */
  'post:restored': Push<PostDto>;
  notification: Push<NotificationDto>;
  /**
   * Notifications were marked read on one of my sockets: set the badge to `unread`. A state sync
   * to `user:<id>`, not logged (`whoami`'s `unreadNotifications` is the badge on reconnect).
   */
  'notification:read': (payload: NotificationReadDto) => void;
  /** My notification switches changed on one of my sockets; not logged (`notifications:settings` reads them). */
  'notification:settings': (payload: NotificationSettingsDto) => void;
  /** Readers of a `board:<id>` I subscribed, when the count changed (at most every PRESENCE_INTERVAL); not logged. */
  'presence:changed': (payload: PresenceDto) => void;
}

/** `/comments` pushes. Room: `post:<id>` (after `post:subscribe`). */
export interface CommentsPushes extends CommonPushes {
  'comment:created': Push<CommentDto>;
  'comment:deleted': Push<{ commentId: number; postId: number }>;
  'comment:liked': Push<CommentLikedDto>;
  'post:liked': Push<PostLikedDto>;
  'post:updated': Push<PostDto>;
  'post:deleted': Push<{ postId: number; boardId: number }>;
  'post:hidden': Push<PostHiddenDto>;
  /** A moderator restored the hidden post of this thread. */
  'post:restored': Push<PostDto>;
  'comment:hidden': Push<CommentHiddenDto>;
  'comment:restored': Push<CommentDto>;
  /** Readers of this post's thread, when the count changed (at most every PRESENCE_INTERVAL); not logged. */
  'presence:changed': (payload: PresenceDto) => void;
}

/**
 * `/moderation`: moderators and admins only (anyone else is refused in the handshake with
 * FORBIDDEN). Targets are named by what they are (`{kind, id}`), never by their author.
 */
export interface ModerationCommands extends CommonCommands {
  /** Follows the queue (room `moderation`): `report:created`, `target:hidden`, `case:resolved`; resumable. */
  'queue:subscribe': Command<z.input<typeof m.queueSubscribeInput>, ResumeDto>;
  'queue:list': Command<z.input<typeof m.queueListInput>, Page<ModerationCaseDto>>;
  /** Un-hides the target for everyone and resolves its case. */
  'target:restore': Command<z.input<typeof m.targetActionInput>, ModerationCaseDto>;
  /** Removes the target for everyone (its author is notified) and resolves its case. */
  'target:remove': Command<z.input<typeof m.targetRemoveInput>, ModerationCaseDto>;
  /** Suspends the author of the target, whoever it is, for `days`. */
  'user:suspend': Command<z.input<typeof m.suspendInput>, { until: string }>;
  'user:unsuspend': Command<z.input<typeof m.targetActionInput>, { until: null }>;
  /** The append-only moderation log, newest first (admins only). */
  'log:list': Command<z.input<typeof m.logListInput>, Page<ModerationLogDto>>;
  /** Gives a user a role (admins only). */
  'role:set': Command<z.input<typeof m.roleSetInput>, RoleDto>;
}

/** `/moderation` pushes. Room: `moderation` (after `queue:subscribe`). */
export interface ModerationPushes extends CommonPushes {
  'report:created': Push<ModerationCaseDto>;
  'target:hidden': Push<ModerationCaseDto>;
  'case:resolved': Push<ModerationCaseDto>;
}

/**
 * `/messages`: 쪽지, private conversations. Room `user:<id>` (always): `message:created` (logged:
 * `conversations:resume`), `conversation:read` and `typing` (not logged).
 */
export interface MessagesCommands extends CommonCommands {
  /**
   * The conversation between me and the author of a post or comment (or a friend), about it:
   * made once and reused, whoever asks again and on whichever node. Refused: my own post or
   * comment (VALIDATION), a missing, deleted or authorless one (NOT_FOUND), a user who is not my
   * friend (NOT_FOUND).
   */
  'conversation:open': Command<z.input<typeof g.conversationOpenInput>, ConversationDto>;
  /**
   * Sends a 쪽지: `message:created` reaches both sides' sockets on every node. To a conversation
   * I am not in: NOT_FOUND. Limited per user (MESSAGE_RATE_LIMIT per MESSAGE_RATE_WINDOW).
   */
  'message:send': Command<z.input<typeof g.messageSendInput>, MessageDto>;
  /** One conversation of mine (a left one too); someone else's is NOT_FOUND. */
  'conversation:get': Command<z.input<typeof g.conversationRef>, ConversationDto>;
  /** My conversations, latest activity first, each with its last message and unread count. */
  'conversations:list': Command<z.input<typeof g.conversationsListInput>, Page<ConversationDto>>;
  /** One conversation's messages, newest first. */
  'messages:list': Command<z.input<typeof g.messagesListInput>, Page<MessageDto>>;
  /** Marks a conversation read; `conversation:read` syncs the badge on all my sockets. */
  'conversation:read': Command<z.input<typeof g.conversationRef>, ConversationReadDto>;
  /** Hides a conversation from my list until a new message comes. */
  'conversation:leave': Command<z.input<typeof g.conversationRef>, { conversationId: number }>;
  /** My `message:created` events after `since` (room `user:<id>` on /messages), in order. */
  'conversations:resume': Command<z.input<typeof g.conversationsResumeInput>, ResumeDto>;
  /** Tells the other side I am typing (`typing`); at most one push every 2 s per conversation. */
  typing: Command<z.input<typeof g.conversationRef>, { conversationId: number }>;
}

/** `/messages` pushes. Room: `user:<id>`. */
export interface MessagesPushes extends CommonPushes {
  'message:created': Push<MessageCreatedDto>;
  /** I read a conversation on one of my sockets: the badge everywhere; not logged. */
  'conversation:read': (payload: ConversationReadDto) => void;
  /** The other side is typing; not logged. */
  typing: (payload: TypingDto) => void;
}

/** Namespace name → its command map. */
export interface NamespaceCommands {
  '/boards': BoardsCommands;
  '/comments': CommentsCommands;
  '/timetables': TimetablesCommands;
  '/moderation': ModerationCommands;
  '/messages': MessagesCommands;
}

/** Namespace name → its pushes (server → client). */
/** `/timetables` pushes. Rooms: `user:<id>` (always), `watch:<userId>` (after `friend:watch`). */
export interface TimetablesPushes extends CommonPushes {
  'friend:requested': Push<FriendRequestDto>;
  'friend:accepted': Push<FriendRequestDto>;
  'friend:declined': Push<{ requestId: number; by: UserSummaryDto }>;
  'friend:cancelled': Push<{ requestId: number; by: UserSummaryDto }>;
  'friend:removed': Push<{ friendId: number }>;
  'timetable:changed': Push<{ userId: number; semester: string; timetableId: number }>;
}

export interface NamespacePushes {
  '/boards': BoardsPushes;
  '/comments': CommentsPushes;
  '/timetables': TimetablesPushes;
  '/moderation': ModerationPushes;
  '/messages': MessagesPushes;
}

export type NamespaceName = keyof NamespaceCommands;
export const NAMESPACES: readonly NamespaceName[] = [
  '/boards',
  '/comments',
  '/timetables',
  '/moderation',
  '/messages',
];

export type ClientToServerEvents<N extends NamespaceName> = CommandEvents<NamespaceCommands[N]>;
export type ServerToClientEvents<N extends NamespaceName> = NamespacePushes[N];

/**
 * The commands that write. The typed client gives each of them a `requestId` (a UUID) and,
 * when its ack is lost to a disconnect, sends it again with the same one after the reconnect:
 * the server answers a retry with the first answer and writes nothing (docs/protocol.md §3).
 */
/**
 * The public writes: what others see or receive. With REQUIRE_VERIFIED on, an account without a
 * verified school email gets FORBIDDEN `reason: 'UNVERIFIED'` for these; it may still read, edit its
 * own timetables, scrap, block, and verify itself.
 */
export const VERIFIED_COMMANDS: ReadonlySet<string> = new Set([
  'post:create',
  'post:update',
  'post:like',
  'comment:create',
  'comment:like',
  'friend:request',
  'report:create',
  'message:send',
]);

export const WRITE_COMMANDS: ReadonlySet<string> = new Set([
  'post:create',
  'post:update',
  'post:delete',
  'post:like',
  'post:unlike',
  'post:scrap',
  'post:unscrap',
  'comment:create',
  'comment:delete',
  'comment:like',
  'comment:unlike',
  'timetable:create',
  'timetable:rename',
  'timetable:delete',
  'timetable:setPrimary',
  'timetable:setVisibility',
  'timetable:addCourse',
  'timetable:addCustom',
  'timetable:removeEntry',
  'friend:request',
  'friend:remove',
  'report:create',
  'user:block',
  'user:unblock',
  'target:restore',
  'target:remove',
  'user:suspend',
  'user:unsuspend',
  'role:set',
  'message:send',
  // friend:accept, friend:decline and friend:cancel are not here: their `requestId` is the
  // friend request's id (a number), so they cannot carry an idempotency key (docs/protocol.md §3).
  // notifications:read, notifications:settings:set, post:mute and post:unmute are not here either:
  // each sets a value (a resend writes the same thing again, so it needs no key), and they stay
  // open to a suspended account (this list is also what a suspension refuses): muting a thread
  // is what a harassed user may need most.
]);
