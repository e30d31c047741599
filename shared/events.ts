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
} from './dto';
import type { SocketRefreshInput } from './schemas/auth';
import type * as s from './schemas/boards';
import type * as c from './schemas/comments';

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
}

type Empty = Record<string, never> | undefined;

/** `/boards`: boards, posts, tags, likes, scraps, HOT/BEST, notifications. */
export interface BoardsCommands extends CommonCommands {
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
  'notifications:read': Command<z.input<typeof c.notificationsReadInput>, { unread: number }>;
  /** Personal events (`user:<id>`: notifications) after `since`. */
  'me:resume': Command<z.input<typeof s.resumeInput>, ResumeDto>;
}

/** `/comments`: one post's thread. */
export interface CommentsCommands extends CommonCommands {
  'post:subscribe': Command<z.input<typeof c.postSubscribeInput>, ResumeDto>;
  'post:unsubscribe': Command<z.input<typeof s.postRef>, { postId: number }>;
  'comments:list': Command<z.input<typeof c.commentsListInput>, Page<ThreadDto>>;
  'comment:create': Command<z.input<typeof c.commentCreateInput>, CommentDto>;
  'comment:delete': Command<z.input<typeof c.commentRef>, { commentId: number; postId: number }>;
  'comment:like': Command<z.input<typeof c.commentRef>, CommentLikedDto>;
  'comment:unlike': Command<z.input<typeof c.commentRef>, CommentLikedDto>;
}

export type TimetablesCommands = CommonCommands;

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
  notification: Push<NotificationDto>;
}

/** `/comments` pushes. Room: `post:<id>` (after `post:subscribe`). */
export interface CommentsPushes extends CommonPushes {
  'comment:created': Push<CommentDto>;
  'comment:deleted': Push<{ commentId: number; postId: number }>;
  'comment:liked': Push<CommentLikedDto>;
  'post:liked': Push<PostLikedDto>;
  'post:updated': Push<PostDto>;
  'post:deleted': Push<{ postId: number; boardId: number }>;
}

/** Namespace name → its command map. */
export interface NamespaceCommands {
  '/boards': BoardsCommands;
  '/comments': CommentsCommands;
  '/timetables': TimetablesCommands;
}

/** Namespace name → its pushes (server → client). */
export interface NamespacePushes {
  '/boards': BoardsPushes;
  '/comments': CommentsPushes;
  '/timetables': CommonPushes;
}

export type NamespaceName = keyof NamespaceCommands;
export const NAMESPACES: readonly NamespaceName[] = ['/boards', '/comments', '/timetables'];

export type ClientToServerEvents<N extends NamespaceName> = CommandEvents<NamespaceCommands[N]>;
export type ServerToClientEvents<N extends NamespaceName> = NamespacePushes[N];
