/** What clients receive. Plain JSON; dates are ISO-8601 strings. */
import type { ReportReason, Role, TargetKind, TargetRef } from './schemas/moderation';

export interface UserDto {
  id: number;
  username: string;
  nickname: string;
  /** `moderator` and `admin` may connect to /moderation. */
  role: Role;
  createdAt: string;
  /** My verified school email (only ever sent to me); `null`: not verified. */
  email: string | null;
  /** Verified with a school email (SCHOOL_EMAIL_DOMAINS). */
  verified: boolean;
}

export interface TokensDto {
  accessToken: string;
  /** ISO time at which the access token expires. */
  accessTokenExpiresAt: string;
  refreshToken: string;
  /** ISO time at which the refresh token expires if unused (idle timeout, capped by the session lifetime). */
  refreshTokenExpiresAt: string;
}

export interface LoginDto extends TokensDto {
  user: UserDto;
}

/** One live login session of mine (`GET /api/account/sessions`): a device I am signed in on. */
export interface SessionDto {
  /** What `DELETE /api/account/sessions/{id}` takes. */
  id: string;
  /** The User-Agent the login came with (at most 255 characters); `null` if it sent none. */
  userAgent: string | null;
  /** The address the login came from (the client's, behind the proxies TRUST_PROXY names). */
  ip: string | null;
  /** ISO time of the login. */
  createdAt: string;
  /** ISO time of the login or of the last token refresh, whichever is later. */
  lastUsedAt: string;
  /** The session making this request. */
  current: boolean;
}

/** `whoami` on every namespace. */
export interface WhoamiDto {
  id: number;
  username: string;
  nickname: string;
  /** Notifications not yet read. */
  unreadNotifications: number;
  /** 쪽지 from others not yet read, over every conversation (the inbox badge). */
  unreadMessages: number;
  role: Role;
  /** Set while the account is suspended: it may read, not write. */
  suspension: SuspensionDto | null;
  /** Verified with a school email; with REQUIRE_VERIFIED an unverified account may read, not write. */
  verified: boolean;
}

/**
 * Every push. `id` numbers the events of one `room`: within a room and an `epoch` ids increase
 * by one per event in commit order, so the last id seen is the `since` of a resume. Ids of
 * different rooms, or of different epochs, are not comparable. `epoch` names the server's
 * event history; it changes only when that history is replaced (a recreated or restored
 * database), and a resume from another epoch answers RESYNC_REQUIRED.
 */
export interface PushEvent<T = unknown> {
  id: number;
  room: string;
  type: string;
  data: T;
  at: string;
  epoch: string;
}

/** A page of a cursor-paginated list; pass `nextCursor` back as `cursor` for the next page. */
export interface Page<T> {
  items: T[];
  /** `null` on the last page. */
  nextCursor: string | null;
}

export interface BoardDto {
  id: number;
  name: string;
  description: string;
  /** Posts and comments on this board are always anonymous. */
  anonymousOnly: boolean;
  /** Whether posts here can become HOT. */
  hotEligible: boolean;
  /** Accounts younger than NEW_ACCOUNT_DAYS may not write here (FORBIDDEN, reason NEW_ACCOUNT). */
  restricted: boolean;
  /** Posts not deleted. */
  postCount: number;
}

/**
 * A post as one viewer sees it. `authorName` is rendered by the server: the nickname, or
 * `익명` for an anonymous post; the author's id or username is never sent for anonymous posts.
 */
export interface PostDto {
  id: number;
  boardId: number;
  title: string;
  content: string;
  tags: string[];
  anonymous: boolean;
  authorName: string;
  /** The author's user id for named posts; `null` for anonymous ones (and deleted accounts). */
  authorId: number | null;
  /**
   * Set on a named post whose author deleted the account: `authorName` is then `(탈퇴한 사용자)`,
   * which a client may show in its own language ("(deleted user)"). Anonymous posts keep `익명`.
   */
  authorDeleted?: true;
  /** Whether the viewer wrote it. */
  isMine: boolean;
  likeCount: number;
  commentCount: number;
  scrapCount: number;
  hotAt: string | null;
  bestAt: string | null;
  createdAt: string;
  updatedAt: string;
  /** Only in `post:get`: whether the viewer liked / scrapped it. */
  likedByMe?: boolean;
  scrappedByMe?: boolean;
  /**
   * Set when the post is hidden (by reports, pending review) and the viewer may still see it:
   * its author (who sees why) and moderators. Everyone else does not get the post at all.
   */
  hidden?: HiddenDto;
}

/** Why a post or comment is hidden: the most reported reason, or a moderator's removal. */
export interface HiddenDto {
  at: string;
  reason: ReportReason | 'moderator';
}

/**
 * A comment as one viewer sees it. `authorName` is the nickname, `익명N` (the commenter's
 * number in this thread), `익명(글쓴이)` for the post's author commenting anonymously, or
 * `(삭제)` once deleted (then `content` is empty).
 */
export interface CommentDto {
  id: number;
  postId: number;
  /** The top-level comment this replies to, or `null`. */
  parentId: number | null;
  content: string;
  anonymous: boolean;
  authorName: string;
  /** The author's user id for named comments; `null` for anonymous or deleted ones. */
  authorId: number | null;
  /** As on PostDto: a named comment whose author deleted the account (`(탈퇴한 사용자)`). */
  authorDeleted?: true;
  /** Whether the viewer wrote it. */
  isMine: boolean;
  /** Whether it was written by the post's author. */
  isPostAuthor: boolean;
  deleted: boolean;
  likeCount: number;
  createdAt: string;
  /** As on PostDto: only its author and moderators get a hidden comment, marked so. */
  hidden?: HiddenDto;
}

/** A top-level comment with its replies, in `comments:list`. */
export interface ThreadDto extends CommentDto {
  replies: CommentDto[];
}

/**
 * One of my comments in `me:comments`, on any board: with what a list needs to show and link it
 * (its post's board and title). Anonymous ones are included for me alone (`isMine: true`).
 */
export interface MyCommentDto extends CommentDto {
  boardId: number;
  postTitle: string;
}

/** `account:nickname`: the nickname now, and when it may change again. */
/** A verification code was mailed. */
export interface VerificationStartedDto {
  /** Where it went. */
  email: string;
  /** ISO time after which the code no longer works (10 minutes). */
  expiresAt: string;
  /** ISO time from which another code may be asked for (VERIFY_RESEND_INTERVAL). */
  resendAfter: string;
}

/** A mail in a development server's outbox (`GET /api/dev/outbox`). */
export interface OutboxMailDto {
  id: string;
  /** ISO time it was written. */
  date: string;
  to: string;
  subject: string;
  text: string;
}

/** The account is verified with this school email. */
export interface VerifiedDto {
  email: string;
  /** The SCHOOL_EMAIL_DOMAINS entry it belongs to. */
  school: string;
  verifiedAt: string;
}

export interface NicknameDto {
  nickname: string;
  /** ISO time from which the next change is allowed (NICKNAME_CHANGE_DAYS after this one). */
  changeableAt: string;
}

/** `hidden`: reports hid the recipient's post or comment; `removed`: a moderator removed it. */
export type NotificationType = 'comment' | 'reply' | 'hot' | 'hidden' | 'removed';

export interface NotificationDto {
  id: number;
  type: NotificationType;
  postId: number | null;
  commentId: number | null;
  boardId: number | null;
  /** A short text to show: the post title, or the start of the comment. */
  text: string;
  /** Who did it, as rendered in the thread (`익명3`, a nickname), when there is someone. */
  actorName: string | null;
  read: boolean;
  createdAt: string;
}

/**
 * What `notifications:settings` switches, per kind: `comment` and `reply` (comments on one's
 * post, replies to one's comment), `hot` (one's post reached HOT), `friend` (friend requests),
 * `message` (direct messages, once there are any), `moderation` (`hidden` and `removed`).
 */
export type NotificationKind = 'comment' | 'reply' | 'hot' | 'friend' | 'message' | 'moderation';

/** The user's notification switches (all on until changed), pushed as `notification:settings` on change. */
export interface NotificationSettingsDto {
  kinds: Record<NotificationKind, boolean>;
}

/**
 * `notification:read`: notifications were marked read on one of the user's sockets (`ids`, or
 * `all`); `unread` is what is left unread after it, the badge to show.
 */
export type NotificationReadDto = { ids: number[]; unread: number } | { all: true; unread: number };

/** `post:mute` / `post:unmute`: whether the user still hears comments and replies in that post's thread. */
export interface PostMuteDto {
  postId: number;
  muted: boolean;
}

export interface TagCountDto {
  name: string;
  count: number;
}

/**
 * Acknowledgement of subscribe/resume commands: the logged events after `since`, in order, and
 * the epoch of the history they come from (send it back with the next `since`).
 */
export interface ResumeDto {
  events: PushEvent[];
  epoch: string;
  /**
   * The room's newest event id when the answer was made (0: none yet). Every later event of
   * the room is pushed live; in a feed room, ids run on from here without gaps.
   */
  lastId: number;
}

/** `server:draining`: the node is shutting down (see docs/protocol.md, "Reconnect and failover"). */
export interface DrainingDto {
  message: string;
  /** Wait this long before reconnecting: the server spreads its clients' reconnects over time. */
  reconnectInMs?: number;
}

/** `server:resync`: pushes of these rooms may have been missed; resume each with `since`. */
export interface ResyncDto {
  /** Rooms this socket is in that have an event log (`board:…`, `post:…`, `user:…`, `watch:…`). */
  rooms: string[];
  /** Why: `redis` (this node lost the other nodes' pushes for a while). */
  reason: 'redis';
}

/**
 * `presence:changed`: how many distinct users read a post (`post:<id>`) or board (`board:<id>`)
 * now, over every node, me included; not logged (docs/protocol.md, "Presence").
 */
export interface PresenceDto {
  room: string;
  count: number;
}

export interface SemesterDto {
  code: string;
  name: string;
  year: number;
  term: string;
  startsOn: string;
  endsOn: string;
}

/** A weekly meeting. `place` is the room of a course or the place of a custom entry. */
export interface SlotDto {
  day: 'MON' | 'TUE' | 'WED' | 'THU' | 'FRI' | 'SAT' | 'SUN';
  start: string;
  end: string;
  place: string | null;
}

export interface CourseDto {
  id: number;
  semester: string;
  code: string;
  name: string;
  professor: string;
  department: string;
  credits: number;
  slots: SlotDto[];
}

export interface EntryDto {
  id: number;
  kind: 'course' | 'custom';
  /** The catalog course, for `course` entries. */
  courseId: number | null;
  code: string | null;
  title: string;
  professor: string | null;
  credits: number;
  slots: SlotDto[];
}

export interface TimetableSummaryDto {
  id: number;
  semester: string;
  name: string;
  isPrimary: boolean;
  visibility: 'everyone' | 'friends' | 'private';
}

export interface TimetableDto extends TimetableSummaryDto {
  ownerId: number;
  entries: EntryDto[];
  totalCredits: number;
}

export interface UserSummaryDto {
  id: number;
  username: string;
  nickname: string;
}

export interface FriendRequestDto {
  id: number;
  from: UserSummaryDto;
  to: UserSummaryDto;
  status: 'pending' | 'accepted';
  createdAt: string;
}

export interface FriendDto extends UserSummaryDto {
  /** When the friendship was accepted. */
  since: string;
}

export interface FreeIntervalDto {
  day: SlotDto['day'];
  start: string;
  end: string;
  minutes: number;
}

/** `post:hidden`: the post left every feed (reports hid it, or a moderator removed it). */
export interface PostHiddenDto {
  postId: number;
  boardId: number;
}

/** `comment:hidden`: the comment left its thread. */
export interface CommentHiddenDto {
  commentId: number;
  postId: number;
}

/** `report:create`'s answer. Nobody else learns who reported. */
export interface ReportDto {
  target: TargetRef;
  reason: ReportReason;
  createdAt: string;
}

/** `account:suspended`: this account may read but not write until `until`. */
export interface SuspensionDto {
  until: string;
  reason: string;
}

/**
 * A block (차단) as its owner sees it: where it came from, never who it is — e.g.
 * `익명3 in '오늘 학식 뭐임'`, or the nickname for a named author.
 */
export interface BlockDto {
  id: number;
  label: string;
  createdAt: string;
}

/** What a moderator sees of a reported post, comment or 쪽지: the text and the thread's (conversation's) alias, no identity. */
export interface ModerationTargetDto {
  kind: TargetKind;
  id: number;
  boardId: number | null;
  postId: number | null;
  /** The post's title (a post), the post's the comment is under, or the post's a 쪽지 conversation started from (else null). */
  title: string | null;
  content: string;
  /** As the thread shows it: `익명`, `익명3`, `익명(글쓴이)` or the nickname of a named author. */
  authorName: string;
  anonymous: boolean;
  createdAt: string;
}

/** One reported target in the moderation queue. */
export interface ModerationCaseDto {
  id: number;
  target: ModerationTargetDto;
  status: 'open' | 'resolved';
  hidden: HiddenDto | null;
  /** How a moderator resolved it. */
  resolution: 'restored' | 'removed' | null;
  reportCount: number;
  /** Reports per reason. */
  reasons: Partial<Record<ReportReason, number>>;
  firstReportedAt: string;
  lastReportedAt: string;
}

/** One line of the append-only moderation log (admins only). */
export interface ModerationLogDto {
  id: number;
  /** The moderator or admin who acted. */
  actor: { id: number; username: string };
  action: 'hide' | 'restore' | 'remove' | 'suspend' | 'unsuspend' | 'role';
  /** The post or comment acted on, when there was one. */
  target: TargetRef | null;
  /** Days of a suspension, a role given, … */
  detail: string | null;
  reason: string | null;
  createdAt: string;
}

/** `role:set`'s answer. */
export interface RoleDto {
  username: string;
  role: Role;
}

/** One of my posts in the account export: as boards show it (anonymous ones marked), deleted ones too. */
export interface ExportPostDto extends PostDto {
  /** ISO time I deleted it; `null`: still up. */
  deletedAt: string | null;
}

/** One of my comments in the account export: its text even if deleted, and the name its thread shows. */
export interface ExportCommentDto {
  id: number;
  postId: number;
  parentId: number | null;
  content: string;
  anonymous: boolean;
  /** As the thread shows it: my nickname, `익명3`, or `익명(글쓴이)`. */
  authorName: string;
  createdAt: string;
  deletedAt: string | null;
}

/** Someone in my friend lists, by nickname only (their username is theirs, not mine). */
export interface ExportFriendDto {
  nickname: string;
  /** When the friendship was accepted, or the request was sent. */
  since: string;
}

/**
 * `GET /api/account/export`: everything the server keeps about me, as JSON, to take with me
 * before deleting the account. Nothing in it names an anonymous author I blocked or someone's
 * account beyond their nickname.
 */
export interface AccountExportDto {
  exportedAt: string;
  user: UserDto;
  sessions: SessionDto[];
  posts: ExportPostDto[];
  comments: ExportCommentDto[];
  scraps: Array<{ postId: number; createdAt: string }>;
  likes: {
    posts: Array<{ postId: number; createdAt: string }>;
    comments: Array<{ commentId: number; createdAt: string }>;
  };
  timetables: TimetableDto[];
  friends: ExportFriendDto[];
  friendRequests: { incoming: ExportFriendDto[]; outgoing: ExportFriendDto[] };
  notifications: NotificationDto[];
  notificationSettings: NotificationSettingsDto;
  postMutes: Array<{ postId: number; createdAt: string }>;
  /** As `blocks:list` labels them: where each block came from, never who. */
  blocks: BlockDto[];
  /** Reports (신고) I filed. */
  reports: Array<{ target: TargetRef; reason: ReportReason; detail: string | null; createdAt: string }>;
}

/**
 * A conversation (쪽지) as one participant sees it. Names come from where it started, never from
 * who is behind them: opened from an anonymous post, its author is `익명(글쓴이)` and the other
 * side `익명`; from an anonymous comment, the comment's alias (`익명3`); from a named post or
 * comment, or a friend, nicknames. No participant's id or username is ever in it.
 */
export interface ConversationDto {
  id: number;
  /** Where it started; `postId` and `title` for a post or comment (null for a friend, or once the post is gone). */
  context: { kind: 'post' | 'comment' | 'user'; postId: number | null; title: string | null };
  /** Whether the names are aliases (an anonymous post or comment started it). */
  anonymous: boolean;
  /** How I appear to the other side here. */
  me: string;
  /** How the other side appears to me; `(탈퇴한 사용자)` once their account is gone. */
  other: string;
  /** Set when the other side deleted their account. */
  otherDeleted?: true;
  lastMessage: MessageDto | null;
  /** Messages from the other side I have not read. */
  unread: number;
  /** ISO time of the last message (or of the opening). */
  updatedAt: string;
}

/** One 쪽지. */
export interface MessageDto {
  id: number;
  conversationId: number;
  /** Sent by me (on any of my devices). */
  mine: boolean;
  /** The sender's name in this conversation (see ConversationDto). */
  from: string;
  content: string;
  createdAt: string;
}

/** `message:created`: a message, with its conversation as the recipient now sees it (for the inbox). */
export interface MessageCreatedDto {
  message: MessageDto;
  conversation: ConversationDto;
}

/** `conversation:read`: I read a conversation on one device; `unread` is my total left, for the badge. */
export interface ConversationReadDto {
  conversationId: number;
  unread: number;
}

/** `typing`: the other side is typing in this conversation (not logged, at most every 2 s). */
export interface TypingDto {
  conversationId: number;
}
