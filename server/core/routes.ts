import type {
  CommentDto,
  CommentHiddenDto,
  FriendRequestDto,
  MessageCreatedDto,
  ModerationCaseDto,
  NotificationDto,
  PostDto,
  PostHiddenDto,
  PushEvent,
  UserSummaryDto,
} from '../../shared/dto';
import type {
  CommentLikedDto,
  CommonPushes,
  NamespaceName,
  NamespacePushes,
  PostLikedDto,
} from '../../shared/events';
import { rooms } from '../../shared/rooms';

/*
 * Who hears what (DESIGN.md): services emit domain facts ("a post was liked") and know no
 * namespace or room; this table, and only it, turns each fact into the pushes that carry it,
 * on each namespace and room that hears it (Feathers' channels are the model).
 */

/** The push types of a namespace that carry a logged event (not `auth:expired` and the like). */
export type PushType<N extends NamespaceName> = {
  [E in keyof NamespacePushes[N] & string]: NamespacePushes[N][E] extends (event: PushEvent<infer _T>) => void
    ? E extends keyof CommonPushes
      ? never
      : E
    : never;
}[keyof NamespacePushes[N] & string];

/** What a push of `type` on `nsp` carries, as shared/events.ts declares it. */
export type PushData<N extends NamespaceName, E extends PushType<N>> = NamespacePushes[N][E] extends (
  event: PushEvent<infer T>,
) => void
  ? T
  : never;

/** One push of one namespace: its data must be what shared/events.ts declares for its type. */
export interface DraftOf<N extends NamespaceName, E extends PushType<N>> {
  nsp: N;
  room: string;
  type: E;
  data: PushData<N, E>;
  /**
   * The user who wrote the thing the event carries. Never sent: it only lets the server set
   * `data.isMine` for each recipient (and stays in the log for resume).
   */
  authorId?: number | null;
}

/**
 * A push to log and send: any namespace's push, typed, so a payload that does not match its
 * push fails `npm run check`.
 */
export type EventDraft = {
  [N in NamespaceName]: { [E in PushType<N>]: DraftOf<N, E> }[PushType<N>];
}[NamespaceName];

/** A thing written with an author, who must be told apart from everyone else (`isMine`). */
interface Authored {
  /** Null once the author's account is gone. */
  authorId: number | null;
}

/** What happened, in the domain's words; each is logged and pushed after its transaction commits. */
export interface Facts {
  postCreated: Authored & { post: PostDto };
  postUpdated: Authored & { post: PostDto };
  postDeleted: { postId: number; boardId: number };
  postLiked: PostLikedDto & { boardId: number };
  /** Reached HOT_THRESHOLD likes on a board that has HOT. */
  postHot: Authored & { post: PostDto };
  /** Reached BEST_THRESHOLD likes. */
  postBest: Authored & { post: PostDto };
  commentCreated: Authored & { comment: CommentDto; boardId: number; commentCount: number };
  commentDeleted: { commentId: number; postId: number; boardId: number; commentCount: number };
  commentLiked: CommentLikedDto;
  notificationAdded: { userId: number; notification: NotificationDto };
  friendRequested: FriendRequestDto;
  friendAccepted: FriendRequestDto;
  /** `to` is who sent the request; `by` who declined it. */
  friendDeclined: { requestId: number; to: number; by: UserSummaryDto };
  /** `to` is who the request was for; `by` who withdrew it. */
  friendCancelled: { requestId: number; to: number; by: UserSummaryDto };
  friendshipEnded: { userIds: [number, number] };
  /** A user's primary timetable changed (friends watching them hear it). */
  timetableChanged: { userId: number; semester: string; timetableId: number };
  /** Reports hid a post, or a moderator removed it: it leaves every feed and open thread. */
  postHidden: PostHiddenDto;
  /**
   * Reports hid a comment, or a moderator removed it; a removal also lowers the post's
   * `commentCount` (a hiding pending review does not).
   */
  commentHidden: CommentHiddenDto & { boardId: number; commentCount?: number };
  /** A moderator restored a hidden post. */
  postRestored: Authored & { post: PostDto };
  /** A moderator restored a hidden comment. */
  commentRestored: Authored & { comment: CommentDto };
  /** A report reached the moderators' queue (never saying who reported, nor who wrote the target). */
  reportCreated: ModerationCaseDto;
  /** Enough reports hid a target. */
  targetHidden: ModerationCaseDto;
  /** A moderator restored or removed a target. */
  caseResolved: ModerationCaseDto;
  /** A 쪽지, rendered for each user it reaches (the sender's devices, and the recipient unless withheld). */
  messageCreated: { deliveries: Array<{ userId: number; data: MessageCreatedDto }> };
}

export type FactName = keyof Facts;

/** How a service reports a fact from inside its write's transaction. */
export type Emit = <F extends FactName>(fact: F, data: Facts[F]) => void;

/** The pushes that carry a whole post, per namespace. */
type PostPush<N extends '/boards' | '/comments'> = {
  [E in PushType<N>]: PushData<N, E> extends PostDto ? E : never;
}[PushType<N>];

/** A post push: each recipient's copy says whether the post is theirs (EventLog renders isMine). */
function postDraft<N extends '/boards' | '/comments'>(
  nsp: N,
  room: string,
  type: PostPush<N>,
  f: Authored & { post: PostDto },
): EventDraft {
  // `type` is one of N's pushes that carry a PostDto (checked at the call); TypeScript cannot
  // narrow the generic N into the union by itself.
  const draft: DraftOf<N, PostPush<N>> = {
    nsp,
    room,
    type,
    data: { ...f.post, isMine: false } as PushData<N, PostPush<N>>,
    authorId: f.authorId,
  };
  return draft as unknown as EventDraft;
}

/** Every fact's pushes. A fact missing here, or a push of the wrong shape, fails `npm run check`. */
export const ROUTES: { [F in FactName]: (fact: Facts[F]) => EventDraft[] } = {
  postCreated: (f) => [postDraft('/boards', rooms.board(f.post.boardId), 'post:created', f)],
  postUpdated: (f) => [
    postDraft('/boards', rooms.board(f.post.boardId), 'post:updated', f),
    postDraft('/comments', rooms.post(f.post.id), 'post:updated', f),
  ],
  postDeleted: (data) => [
    { nsp: '/boards', room: rooms.board(data.boardId), type: 'post:deleted', data },
    { nsp: '/comments', room: rooms.post(data.postId), type: 'post:deleted', data },
  ],
  postLiked: ({ postId, boardId, likeCount }) => {
    const data = { postId, likeCount };
    return [
      { nsp: '/boards', room: rooms.board(boardId), type: 'post:liked', data },
      { nsp: '/comments', room: rooms.post(postId), type: 'post:liked', data },
    ];
  },
  postHot: (f) => [postDraft('/boards', rooms.board(f.post.boardId), 'post:hot', f)],
  postBest: (f) => [postDraft('/boards', rooms.board(f.post.boardId), 'post:best', f)],
  commentCreated: ({ comment, boardId, commentCount, authorId }) => [
    { nsp: '/comments', room: rooms.post(comment.postId), type: 'comment:created', data: comment, authorId },
    {
      nsp: '/boards',
      room: rooms.board(boardId),
      type: 'post:commented',
      data: { postId: comment.postId, commentCount },
    },
  ],
  commentDeleted: ({ commentId, postId, boardId, commentCount }) => [
    { nsp: '/comments', room: rooms.post(postId), type: 'comment:deleted', data: { commentId, postId } },
    { nsp: '/boards', room: rooms.board(boardId), type: 'post:commented', data: { postId, commentCount } },
  ],
  commentLiked: (data) => [{ nsp: '/comments', room: rooms.post(data.postId), type: 'comment:liked', data }],
  notificationAdded: ({ userId, notification }) => [
    { nsp: '/boards', room: rooms.user(userId), type: 'notification', data: notification },
  ],
  friendRequested: (data) => [
    { nsp: '/timetables', room: rooms.user(data.to.id), type: 'friend:requested', data },
  ],
  // The answerer hears their own answer too: their other devices drop the request from the
  // incoming list and the badge (docs/protocol.md §14, "Notification settings").
  friendAccepted: (data) => [
    { nsp: '/timetables', room: rooms.user(data.from.id), type: 'friend:accepted', data },
    { nsp: '/timetables', room: rooms.user(data.to.id), type: 'friend:accepted', data },
  ],
  friendDeclined: ({ requestId, to, by }) => [
    { nsp: '/timetables', room: rooms.user(to), type: 'friend:declined', data: { requestId, by } },
    { nsp: '/timetables', room: rooms.user(by.id), type: 'friend:declined', data: { requestId, by } },
  ],
  friendCancelled: ({ requestId, to, by }) => [
    { nsp: '/timetables', room: rooms.user(to), type: 'friend:cancelled', data: { requestId, by } },
  ],
  friendshipEnded: ({ userIds: [a, b] }) => [
    { nsp: '/timetables', room: rooms.user(b), type: 'friend:removed', data: { friendId: a } },
    { nsp: '/timetables', room: rooms.user(a), type: 'friend:removed', data: { friendId: b } },
  ],
  timetableChanged: (data) => [
    { nsp: '/timetables', room: rooms.watch(data.userId), type: 'timetable:changed', data },
  ],
  postHidden: ({ postId, boardId }) => {
    const data = { postId, boardId };
    return [
      { nsp: '/boards', room: rooms.board(boardId), type: 'post:hidden', data },
      { nsp: '/comments', room: rooms.post(postId), type: 'post:hidden', data },
    ];
  },
  commentHidden: ({ commentId, postId, boardId, commentCount }) => {
    const drafts: EventDraft[] = [
      { nsp: '/comments', room: rooms.post(postId), type: 'comment:hidden', data: { commentId, postId } },
    ];
    if (commentCount !== undefined) {
      const data = { postId, commentCount };
      drafts.push({ nsp: '/boards', room: rooms.board(boardId), type: 'post:commented', data });
    }
    return drafts;
  },
  postRestored: (f) => [
    postDraft('/boards', rooms.board(f.post.boardId), 'post:restored', f),
    postDraft('/comments', rooms.post(f.post.id), 'post:restored', f),
  ],
  commentRestored: ({ comment, authorId }) => [
    { nsp: '/comments', room: rooms.post(comment.postId), type: 'comment:restored', data: comment, authorId },
  ],
  reportCreated: (data) => [{ nsp: '/moderation', room: rooms.moderation, type: 'report:created', data }],
  targetHidden: (data) => [{ nsp: '/moderation', room: rooms.moderation, type: 'target:hidden', data }],
  caseResolved: (data) => [{ nsp: '/moderation', room: rooms.moderation, type: 'case:resolved', data }],
  messageCreated: ({ deliveries }) =>
    deliveries.map(({ userId, data }) => ({
      nsp: '/messages',
      room: rooms.user(userId),
      type: 'message:created',
      data,
    })),
};

/** The pushes of one fact, from the table. */
export function route<F extends FactName>(fact: F, data: Facts[F]): EventDraft[] {
  return (ROUTES[fact] as (fact: Facts[F]) => EventDraft[])(data);
}
