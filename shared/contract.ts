/**
 * The contract as lists and types that docs/asyncapi.yaml and docs/openapi.yaml are generated from
 * (`npm run docs:api`). The lists name every command and push of each namespace; each is checked
 * against the event maps of ./events at compile time, so a push or command added to, or removed
 * from, an event map and not here (or the other way round) fails `npm run check`.
 */
import type {
  AccountExportDto,
  BoardDto,
  CourseDto,
  LoginDto,
  MyCommentDto,
  NicknameDto,
  OutboxMailDto,
  Page,
  PostDto,
  SemesterDto,
  SessionDto,
  TagCountDto,
  ThreadDto,
  UserDto,
  VerificationStartedDto,
  VerifiedDto,
} from './dto';
import type { ErrorWire, TokenProblem } from './errors';
import type {
  BoardsCommands,
  BoardsPushes,
  CommentsCommands,
  CommentsPushes,
  CommonCommands,
  CommonPushes,
  NamespaceCommands,
  NamespaceName,
  NamespacePushes,
  ModerationCommands,
  ModerationPushes,
  MessagesCommands,
  MessagesPushes,
  TimetablesCommands,
  TimetablesPushes,
} from './events';

/**
 * Every key of `T` and nothing else, as a list. A name that `T` lacks is refused by the list's
 * element type; a key of `T` that the list misses turns the parameter into a type with a
 * `missing` property naming it, which no array literal has.
 */
function keysOf<T>() {
  return <const L extends readonly (keyof T & string)[]>(
    list: L &
      ([Exclude<keyof T & string, L[number]>] extends [never]
        ? unknown
        : { missing: Exclude<keyof T & string, L[number]> }),
  ): readonly (keyof T & string)[] => list;
}

/** Commands every namespace answers. */
export const COMMON_COMMANDS = keysOf<CommonCommands>()(['whoami', 'auth:refresh']);

/** Pushes every namespace may send. */
export const COMMON_PUSHES = keysOf<CommonPushes>()([
  'auth:expired',
  'server:draining',
  'server:resync',
  'account:suspended',
  'account:renamed',
]);

type Own<T, Common> = Omit<T, keyof Common>;

/** Every command of each namespace (the common ones first). */
export const COMMANDS: { readonly [N in NamespaceName]: readonly (keyof NamespaceCommands[N] & string)[] } = {
  '/boards': [
    ...COMMON_COMMANDS,
    ...keysOf<Own<BoardsCommands, CommonCommands>>()([
      'boards:list',
      'board:subscribe',
      'board:unsubscribe',
      'posts:list',
      'post:get',
      'post:create',
      'post:update',
      'post:delete',
      'post:like',
      'post:unlike',
      'post:scrap',
      'post:unscrap',
      'scraps:list',
      'tags:popular',
      'posts:hot',
      'posts:best',
      'notifications:list',
      'notifications:read',
      'notifications:settings',
      'notifications:settings:set',
      'post:mute',
      'post:unmute',
      'me:resume',
      'me:posts',
      'me:comments',
      'account:nickname',
      'account:verify:start',
      'account:verify:confirm',
      'report:create',
      'user:block',
      'user:unblock',
      'blocks:list',
    ]),
  ],
  '/comments': [
    ...COMMON_COMMANDS,
    ...keysOf<Own<CommentsCommands, CommonCommands>>()([
      'post:subscribe',
      'post:unsubscribe',
      'comments:list',
      'comment:create',
      'comment:delete',
      'comment:like',
      'comment:unlike',
      'report:create',
      'user:block',
    ]),
  ],
  '/timetables': [
    ...COMMON_COMMANDS,
    ...keysOf<Own<TimetablesCommands, CommonCommands>>()([
      'semesters:list',
      'courses:search',
      'course:get',
      'timetables:list',
      'timetable:create',
      'timetable:rename',
      'timetable:delete',
      'timetable:setPrimary',
      'timetable:setVisibility',
      'timetable:get',
      'timetable:addCourse',
      'timetable:addCustom',
      'timetable:removeEntry',
      'friend:request',
      'friend:accept',
      'friend:decline',
      'friend:cancel',
      'friend:remove',
      'friends:list',
      'friends:requests',
      'friend:timetable',
      'friend:watch',
      'friend:unwatch',
      'freetime:find',
      'me:resume',
    ]),
  ],
  '/moderation': [
    ...COMMON_COMMANDS,
    ...keysOf<Own<ModerationCommands, CommonCommands>>()([
      'queue:subscribe',
      'queue:list',
      'target:restore',
      'target:remove',
      'user:suspend',
      'user:unsuspend',
      'log:list',
      'role:set',
    ]),
  ],
  '/messages': [
    ...COMMON_COMMANDS,
    ...keysOf<Own<MessagesCommands, CommonCommands>>()([
      'conversation:open',
      'conversation:get',
      'message:send',
      'conversations:list',
      'messages:list',
      'conversation:read',
      'conversation:leave',
      'conversations:resume',
      'typing',
    ]),
  ],
};

/** Every push (server → client event) of each namespace (the common ones first). */
export const PUSHES: { readonly [N in NamespaceName]: readonly (keyof NamespacePushes[N] & string)[] } = {
  '/boards': [
    ...COMMON_PUSHES,
    ...keysOf<Own<BoardsPushes, CommonPushes>>()([
      'post:created',
      'post:updated',
      'post:deleted',
      'post:liked',
      'post:commented',
      'post:hot',
      'post:best',
      'post:hidden',
      'post:restored',
      'notification',
      'notification:read',
      'notification:settings',
      'presence:changed',
    ]),
  ],
  '/comments': [
    ...COMMON_PUSHES,
    ...keysOf<Own<CommentsPushes, CommonPushes>>()([
      'comment:created',
      'comment:deleted',
      'comment:liked',
      'post:liked',
      'post:updated',
      'post:deleted',
      'post:hidden',
      'post:restored',
      'comment:hidden',
      'comment:restored',
      'presence:changed',
    ]),
  ],
  '/timetables': [
    ...COMMON_PUSHES,
    ...keysOf<Own<TimetablesPushes, CommonPushes>>()([
      'friend:requested',
      'friend:accepted',
      'friend:declined',
      'friend:cancelled',
      'friend:removed',
      'timetable:changed',
    ]),
  ],
  '/moderation': [
    ...COMMON_PUSHES,
    ...keysOf<Own<ModerationPushes, CommonPushes>>()(['report:created', 'target:hidden', 'case:resolved']),
  ],
  '/messages': [
    ...COMMON_PUSHES,
    ...keysOf<Own<MessagesPushes, CommonPushes>>()(['message:created', 'conversation:read', 'typing']),
  ],
};

/** `GET /healthz`: the process runs; `redis` says whether Redis is connected (`off`: none configured). */
export interface HealthDto {
  status: 'ok';
  redis: 'up' | 'down' | 'off';
}

/** `GET /readyz` when the database answers. */
export interface ReadyDto {
  status: 'ready';
}

/** `GET /readyz` with 503: the node is shutting down (`draining`) or the database does not answer. */
export interface NotReadyDto {
  status: 'draining' | 'unavailable';
}

/** The REST error body, with the status HTTP_STATUS (./errors) gives its code. */
export interface ErrorBody {
  error: ErrorWire;
}

/**
 * What each JSON REST route answers on success, keyed `METHOD path` (OpenAPI's `{param}`
 * spelling). The routers answer with `satisfies` these types.
 */
export interface RestResponses {
  'POST /api/auth/signup': { user: UserDto };
  'POST /api/auth/login': LoginDto;
  'POST /api/auth/refresh': LoginDto;
  'GET /api/auth/me': { user: UserDto };
  /** How many other sessions the change ended. */
  'POST /api/account/password': { ended: number };
  'GET /api/account/sessions': { sessions: SessionDto[] };
  /** How many other sessions were ended. */
  'DELETE /api/account/sessions': { ended: number };
  /** Everything the server keeps about me (sent as an attachment, `quad-export-<username>.json`). */
  'GET /api/account/export': AccountExportDto;
  'POST /api/account/verification': VerificationStartedDto;
  'POST /api/account/verification/confirm': VerifiedDto;
  /** The same answer whether or not the email belongs to an account. */
  'POST /api/account/password/reset': { ok: true };
  /** How many sessions the reset ended (all of them). */
  'POST /api/account/password/reset/confirm': { ended: number };
  /** Only when NODE_ENV=development and no SMTP_URL: the mails written to DATA_DIR/outbox, newest first. */
  'GET /api/dev/outbox': { mails: OutboxMailDto[] };
  'GET /api/boards': { boards: BoardDto[] };
  'GET /api/boards/{id}/posts': Page<PostDto>;
  'GET /api/posts/{id}': { post: PostDto };
  'GET /api/posts/{id}/comments': Page<ThreadDto>;
  'GET /api/tags/popular': { tags: TagCountDto[] };
  'POST /api/account/nickname': NicknameDto;
  'GET /api/me/posts': Page<PostDto>;
  'GET /api/me/comments': Page<MyCommentDto>;
  'GET /api/semesters': { semesters: SemesterDto[] };
  'GET /api/courses': Page<CourseDto>;
  'GET /healthz': HealthDto;
  'GET /readyz': ReadyDto;
}

/**
 * The types the documents' JSON Schemas are generated from (ts-json-schema-generator reads this
 * declaration): each command's ack data (`output`), each push's payload, the error shapes.
 */
export interface WireContract {
  commands: NamespaceCommands;
  pushes: NamespacePushes;
  error: ErrorWire;
  tokenProblem: TokenProblem;
  errorBody: ErrorBody;
  rest: RestResponses;
  notReady: NotReadyDto;
}
