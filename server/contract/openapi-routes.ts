/**
 * The routes docs/openapi.yaml describes: every route the HTTP app mounts (core/http.ts, the
 * features' *.http.ts routers), with the shared zod schemas they parse their bodies and queries
 * with and the RestResponses key (shared/contract.ts) their answer `satisfies`.
 */
import type { ZodType } from 'zod';
import type { RestResponses } from '../../shared/contract';
import type { ErrorCode } from '../../shared/errors';
import { loginInput, nicknameInput, refreshInput, signupInput } from '../../shared/schemas/auth';
import {
  resetConfirmInput,
  resetRequestInput,
  verifyConfirmInput,
  verifyStartInput,
} from '../../shared/schemas/verification';
import { changePasswordInput, deleteAccountInput, sessionRef } from '../../shared/schemas/sessions';
import { commentsListInput } from '../../shared/schemas/comments';
import { pageInput, popularTagsInput, postRef, postsListInput } from '../../shared/schemas/boards';
import { coursesSearchInput } from '../../shared/schemas/timetables';
import { REFRESH_COOKIE } from '../core/auth';

/** Who may call a route: anyone, an access token (header or cookie), a refresh token (body or cookie), the metrics token. */
export type Auth = 'public' | 'access' | 'refresh' | 'metrics';

export interface Route {
  method: 'get' | 'post' | 'delete';
  path: string;
  operationId: string;
  tag: 'auth' | 'boards' | 'timetables' | 'operations' | 'documents';
  summary: string;
  auth: Auth;
  body?: ZodType;
  /** The schema the route parses its query (and path parameters) with. */
  query?: ZodType;
  /** Path parameter → the property of `query` it fills. */
  params?: Record<string, string>;
  ok: { status: number; description: string; json?: keyof RestResponses; text?: string; setsCookies?: true };
  errors: ErrorCode[];
}

const READ = ['VALIDATION', 'UNAUTHENTICATED'] as const;

/** In the order the README lists them. */
export const ROUTES: Route[] = [
  {
    method: 'post',
    path: '/api/auth/signup',
    operationId: 'signup',
    tag: 'auth',
    summary: 'Create an account',
    auth: 'public',
    body: signupInput,
    ok: { status: 201, description: 'The new account', json: 'POST /api/auth/signup' },
    errors: ['VALIDATION', 'CONFLICT'],
  },
  {
    method: 'post',
    path: '/api/auth/login',
    operationId: 'login',
    tag: 'auth',
    summary: 'Log in: a token pair, also set as httpOnly cookies',
    auth: 'public',
    body: loginInput,
    ok: { status: 200, description: 'Logged in', json: 'POST /api/auth/login', setsCookies: true },
    errors: ['VALIDATION', 'UNAUTHENTICATED', 'RATE_LIMITED'],
  },
  {
    method: 'post',
    path: '/api/auth/refresh',
    operationId: 'refresh',
    tag: 'auth',
    summary: `A new token pair for a refresh token (in the body, or the ${REFRESH_COOKIE} cookie); the old one is spent`,
    auth: 'refresh',
    body: refreshInput,
    ok: { status: 200, description: 'A new pair', json: 'POST /api/auth/refresh', setsCookies: true },
    errors: ['VALIDATION', 'UNAUTHENTICATED', 'FORBIDDEN'],
  },
  {
    method: 'post',
    path: '/api/auth/logout',
    operationId: 'logout',
    tag: 'auth',
    summary: 'Revoke this session: its tokens die and its sockets are disconnected on every node',
    auth: 'access',
    ok: { status: 204, description: 'Logged out; the cookies are cleared' },
    errors: ['UNAUTHENTICATED', 'FORBIDDEN'],
  },
  {
    method: 'get',
    path: '/api/auth/me',
    operationId: 'me',
    tag: 'auth',
    summary: 'The logged-in user',
    auth: 'access',
    ok: { status: 200, description: 'The user', json: 'GET /api/auth/me' },
    errors: ['UNAUTHENTICATED'],
  },
  {
    method: 'post',
    path: '/api/account/password',
    operationId: 'changePassword',
    tag: 'auth',
    summary:
      'Change the password: `current` is checked (a wrong one counts as a failed login), `next` follows signup’s rules and differs from it; every other session ends and its sockets are disconnected on every node, this one stays',
    auth: 'access',
    body: changePasswordInput,
    ok: {
      status: 200,
      description: 'Changed; how many other sessions ended',
      json: 'POST /api/account/password',
    },
    errors: ['VALIDATION', 'UNAUTHENTICATED', 'FORBIDDEN', 'RATE_LIMITED'],
  },
  {
    method: 'post',
    path: '/api/account/nickname',
    operationId: 'changeNickname',
    tag: 'auth',
    summary:
      'Change my nickname (as `account:nickname`): 2–10 characters, unique regardless of case and width, once per NICKNAME_CHANGE_DAYS',
    auth: 'access',
    body: nicknameInput,
    ok: {
      status: 200,
      description: 'The nickname and when it may change again',
      json: 'POST /api/account/nickname',
    },
    errors: ['VALIDATION', 'UNAUTHENTICATED', 'FORBIDDEN', 'CONFLICT', 'RATE_LIMITED'],
  },
  {
    method: 'post',
    path: '/api/account/verification',
    operationId: 'startVerification',
    tag: 'auth',
    summary:
      'Mail a 6-digit code (10 minutes, 5 tries) to my school email (as `account:verify:start`); the domain must be one of SCHOOL_EMAIL_DOMAINS. UNAVAILABLE when the mail server does not take it (nothing changes)',
    auth: 'access',
    body: verifyStartInput,
    ok: { status: 202, description: 'The code was mailed', json: 'POST /api/account/verification' },
    errors: ['VALIDATION', 'UNAUTHENTICATED', 'FORBIDDEN', 'CONFLICT', 'RATE_LIMITED', 'UNAVAILABLE'],
  },
  {
    method: 'post',
    path: '/api/account/verification/confirm',
    operationId: 'confirmVerification',
    tag: 'auth',
    summary: 'The code from the mail (as `account:verify:confirm`): my account is verified with that email',
    auth: 'access',
    body: verifyConfirmInput,
    ok: { status: 200, description: 'Verified', json: 'POST /api/account/verification/confirm' },
    errors: ['VALIDATION', 'UNAUTHENTICATED', 'FORBIDDEN', 'CONFLICT', 'RATE_LIMITED'],
  },
  {
    method: 'post',
    path: '/api/account/password/reset',
    operationId: 'requestPasswordReset',
    tag: 'auth',
    summary:
      'Mail a single-use reset link (30 minutes) to a verified school email. The answer is the same whether or not the email belongs to an account; limited per email and per IP (RESET_MAX_PER_EMAIL, RESET_MAX_PER_IP)',
    auth: 'public',
    body: resetRequestInput,
    ok: {
      status: 202,
      description: 'Accepted (mailed if the email verifies an account)',
      json: 'POST /api/account/password/reset',
    },
    errors: ['VALIDATION', 'RATE_LIMITED'],
  },
  {
    method: 'post',
    path: '/api/account/password/reset/confirm',
    operationId: 'confirmPasswordReset',
    tag: 'auth',
    summary:
      'Set a new password with the token from the reset link (once, within 30 minutes): every session of the account ends, its sockets disconnected on every node',
    auth: 'public',
    body: resetConfirmInput,
    ok: {
      status: 200,
      description: 'How many sessions ended',
      json: 'POST /api/account/password/reset/confirm',
    },
    errors: ['VALIDATION'],
  },
  {
    method: 'get',
    path: '/api/dev/outbox',
    operationId: 'devOutbox',
    tag: 'operations',
    summary:
      'Development only (NODE_ENV=development without SMTP_URL): the mails written to DATA_DIR/outbox, newest first',
    auth: 'public',
    ok: { status: 200, description: 'The outbox', json: 'GET /api/dev/outbox' },
    errors: [],
  },
  {
    method: 'get',
    path: '/api/account/sessions',
    operationId: 'listSessions',
    tag: 'auth',
    summary: 'My live sessions (devices), the most recently used first; `current` marks this one',
    auth: 'access',
    ok: { status: 200, description: 'The sessions', json: 'GET /api/account/sessions' },
    errors: ['UNAUTHENTICATED'],
  },
  {
    method: 'delete',
    path: '/api/account/sessions',
    operationId: 'endOtherSessions',
    tag: 'auth',
    summary:
      'End every session but this one: their tokens die and their sockets are disconnected on every node',
    auth: 'access',
    ok: { status: 200, description: 'How many sessions ended', json: 'DELETE /api/account/sessions' },
    errors: ['UNAUTHENTICATED', 'FORBIDDEN'],
  },
  {
    method: 'delete',
    path: '/api/account/sessions/{id}',
    operationId: 'endSession',
    tag: 'auth',
    summary:
      'End one of my sessions (this one too: a logout, its cookies cleared); its sockets are disconnected on every node. Another user’s session is NOT_FOUND',
    auth: 'access',
    query: sessionRef,
    params: { id: 'id' },
    ok: { status: 204, description: 'Ended' },
    errors: ['VALIDATION', 'UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND'],
  },
  {
    method: 'get',
    path: '/api/account/export',
    operationId: 'exportAccount',
    tag: 'auth',
    summary:
      'Everything the server keeps about me as JSON (an attachment, `quad-export-<username>.json`): profile, sessions, posts and comments (anonymous ones marked), scraps, likes, timetables, friends, notifications and their settings, blocks, reports',
    auth: 'access',
    ok: { status: 200, description: 'My data', json: 'GET /api/account/export' },
    errors: ['UNAUTHENTICATED'],
  },
  {
    method: 'delete',
    path: '/api/account',
    operationId: 'deleteAccount',
    tag: 'auth',
    summary:
      'Delete my account: `password` is checked (a wrong one counts as a failed login); every session ends and its sockets are disconnected on every node, my personal data is deleted, my posts and comments stay as `(탈퇴한 사용자)` (anonymous ones keep their alias), and my username and school email are held for DELETED_ACCOUNT_HOLD_DAYS',
    auth: 'access',
    body: deleteAccountInput,
    ok: { status: 204, description: 'Deleted; the cookies are cleared' },
    errors: ['VALIDATION', 'UNAUTHENTICATED', 'FORBIDDEN', 'RATE_LIMITED'],
  },
  {
    method: 'get',
    path: '/healthz',
    operationId: 'health',
    tag: 'operations',
    summary: 'Liveness: 200 while the process runs',
    auth: 'public',
    ok: { status: 200, description: 'Running', json: 'GET /healthz' },
    errors: [],
  },
  {
    method: 'get',
    path: '/readyz',
    operationId: 'ready',
    tag: 'operations',
    summary: 'Readiness: 200 when the database answers, 503 when it does not or the node is draining',
    auth: 'public',
    ok: { status: 200, description: 'Ready', json: 'GET /readyz' },
    errors: [],
  },
  {
    method: 'get',
    path: '/metrics',
    operationId: 'metrics',
    tag: 'operations',
    summary:
      'Prometheus metrics. Served here unless METRICS_PORT moves it to a port of its own; in production only with METRICS_TOKEN (then as a bearer token)',
    auth: 'metrics',
    ok: { status: 200, description: 'The Prometheus text format', text: 'text/plain; version=0.0.4' },
    errors: [],
  },
  {
    method: 'get',
    path: '/api/boards',
    operationId: 'listBoards',
    tag: 'boards',
    summary: 'Every board',
    auth: 'access',
    ok: { status: 200, description: 'The boards', json: 'GET /api/boards' },
    errors: ['UNAUTHENTICATED'],
  },
  {
    method: 'get',
    path: '/api/boards/{id}/posts',
    operationId: 'listPosts',
    tag: 'boards',
    summary: 'A page of a board’s posts, filtered and ordered (as the `posts:list` command)',
    auth: 'access',
    query: postsListInput,
    params: { id: 'boardId' },
    ok: { status: 200, description: 'A page of posts', json: 'GET /api/boards/{id}/posts' },
    errors: [...READ, 'NOT_FOUND'],
  },
  {
    method: 'get',
    path: '/api/posts/{id}',
    operationId: 'getPost',
    tag: 'boards',
    summary: 'A post, with `likedByMe` and `scrappedByMe` (as `post:get`)',
    auth: 'access',
    query: postRef,
    params: { id: 'postId' },
    ok: { status: 200, description: 'The post', json: 'GET /api/posts/{id}' },
    errors: [...READ, 'NOT_FOUND'],
  },
  {
    method: 'get',
    path: '/api/posts/{id}/comments',
    operationId: 'listComments',
    tag: 'boards',
    summary: 'A page of a post’s threads: top-level comments with their replies (as `comments:list`)',
    auth: 'access',
    query: commentsListInput,
    params: { id: 'postId' },
    ok: { status: 200, description: 'A page of threads', json: 'GET /api/posts/{id}/comments' },
    errors: [...READ, 'NOT_FOUND'],
  },
  {
    method: 'get',
    path: '/api/tags/popular',
    operationId: 'popularTags',
    tag: 'boards',
    summary: 'The most used tags, of one board or all (as `tags:popular`)',
    auth: 'access',
    query: popularTagsInput,
    ok: { status: 200, description: 'Tags with their counts', json: 'GET /api/tags/popular' },
    errors: [...READ],
  },
  {
    method: 'get',
    path: '/api/me/posts',
    operationId: 'myPosts',
    tag: 'boards',
    summary: 'My posts on every board, newest first, anonymous and hidden ones included (as `me:posts`)',
    auth: 'access',
    query: pageInput,
    ok: { status: 200, description: 'A page of my posts', json: 'GET /api/me/posts' },
    errors: [...READ],
  },
  {
    method: 'get',
    path: '/api/me/comments',
    operationId: 'myComments',
    tag: 'boards',
    summary: "My comments on every board, newest first, with their post's board and title (as `me:comments`)",
    auth: 'access',
    query: pageInput,
    ok: { status: 200, description: 'A page of my comments', json: 'GET /api/me/comments' },
    errors: [...READ],
  },
  {
    method: 'get',
    path: '/api/semesters',
    operationId: 'listSemesters',
    tag: 'timetables',
    summary: 'The semesters of the course catalog (as `semesters:list`)',
    auth: 'access',
    ok: { status: 200, description: 'The semesters', json: 'GET /api/semesters' },
    errors: ['UNAUTHENTICATED'],
  },
  {
    method: 'get',
    path: '/api/courses',
    operationId: 'searchCourses',
    tag: 'timetables',
    summary: 'Search the course catalog (as `courses:search`)',
    auth: 'access',
    query: coursesSearchInput,
    ok: { status: 200, description: 'A page of courses', json: 'GET /api/courses' },
    errors: [...READ],
  },
  {
    method: 'get',
    path: '/api/asyncapi.yaml',
    operationId: 'asyncapi',
    tag: 'documents',
    summary: 'The Socket.IO API as AsyncAPI 3.0 (docs/asyncapi.yaml)',
    auth: 'public',
    ok: { status: 200, description: 'The document', text: 'application/yaml' },
    errors: ['NOT_FOUND'],
  },
  {
    method: 'get',
    path: '/api/openapi.yaml',
    operationId: 'openapi',
    tag: 'documents',
    summary: 'This document (docs/openapi.yaml)',
    auth: 'public',
    ok: { status: 200, description: 'The document', text: 'application/yaml' },
    errors: ['NOT_FOUND'],
  },
];
