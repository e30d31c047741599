/**
 * docs/openapi.yaml: every route the HTTP app mounts (core/http.ts, the features' *.http.ts
 * routers), with bodies and queries from the shared zod schemas the routes parse with and answers
 * from shared/contract.ts's RestResponses, which the routers `satisfies`.
 */
import type { ZodType } from 'zod';
import type { RestResponses } from '../../shared/contract';
import { HTTP_STATUS, type ErrorCode } from '../../shared/errors';
import { loginInput, refreshInput, signupInput } from '../../shared/schemas/auth';
import { commentsListInput } from '../../shared/schemas/comments';
import { popularTagsInput, postRef, postsListInput } from '../../shared/schemas/boards';
import { coursesSearchInput } from '../../shared/schemas/timetables';
import { ACCESS_COOKIE, REFRESH_COOKIE } from '../core/auth';
import { BODY_LIMIT } from '../core/http';
import { at, Definitions, inputSchema, wireContractSchema, type JsonSchema } from './json-schema';

const SCHEMAS = '#/components/schemas/';

/** Who may call a route: anyone, an access token (header or cookie), a refresh token (body or cookie), the metrics token. */
type Auth = 'public' | 'access' | 'refresh' | 'metrics';

interface Route {
  method: 'get' | 'post';
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
const ROUTES: Route[] = [
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

const SECURITY: Record<Auth, object[]> = {
  public: [],
  access: [{ bearerAuth: [] }, { accessCookie: [] }],
  // The refresh token in the body needs no scheme; the cookie is one.
  refresh: [{}, { refreshCookie: [] }],
  metrics: [{}, { metricsToken: [] }],
};

const ERROR_TEXT: Record<ErrorCode, string> = {
  VALIDATION: 'VALIDATION: the input is wrong; `fields` names each offending field',
  UNAUTHENTICATED: 'UNAUTHENTICATED: no or bad token (`reason` says which), or a failed login',
  FORBIDDEN: 'FORBIDDEN: not allowed (a cookie-authenticated write from an origin not allowed, among others)',
  NOT_FOUND: 'NOT_FOUND: no such thing',
  CONFLICT: 'CONFLICT: it clashes with what exists (a taken username, …)',
  RATE_LIMITED: 'RATE_LIMITED: too many attempts; retry after `Retry-After` seconds',
  RESYNC_REQUIRED: 'RESYNC_REQUIRED: the `since` cannot be served; reload',
  UNAVAILABLE: 'UNAVAILABLE: the database or Redis is down, or the node is draining; retry',
  INTERNAL: 'INTERNAL: a bug; the message says nothing more (the log has it under X-Request-Id)',
};

export interface OpenApiInput {
  version: string;
  wire?: ReturnType<typeof wireContractSchema>;
}

export function openApiDocument({ version, wire = wireContractSchema() }: OpenApiInput): object {
  const defs = new Definitions(wire.definitions, SCHEMAS);
  const json = (schema: JsonSchema) => ({ 'application/json': { schema } });
  const paths: Record<string, Record<string, object>> = {};
  // The error responses refer to ErrorBody: a component like the DTOs.
  defs.resolve(at(defs, wire.root, 'errorBody'));

  for (const route of ROUTES) {
    const responses: Record<string, object> = {};
    const { ok } = route;
    responses[String(ok.status)] = {
      description: ok.description,
      headers: {
        'X-Request-Id': { $ref: '#/components/headers/RequestId' },
        ...(ok.setsCookies ? { 'Set-Cookie': { $ref: '#/components/headers/AuthCookies' } } : {}),
      },
      ...(ok.json ? { content: json(defs.resolve(at(defs, wire.root, 'rest', ok.json)) as JsonSchema) } : {}),
      ...(ok.text ? { content: { [ok.text]: { schema: { type: 'string' } } } } : {}),
    };
    for (const code of route.errors) {
      const status = String(HTTP_STATUS[code]);
      responses[status] = { $ref: `#/components/responses/${code}` };
    }
    if (route.body) {
      responses['413'] = { $ref: '#/components/responses/TooLarge' };
      responses['415'] = { $ref: '#/components/responses/Unsupported' };
    }
    if (route.operationId === 'ready')
      responses['503'] = {
        description: 'Not ready: draining (shutting down) or the database does not answer',
        content: json(defs.resolve(at(defs, wire.root, 'notReady')) as JsonSchema),
      };
    if (route.operationId === 'metrics')
      responses['401'] = {
        description: 'METRICS_TOKEN is set and the request does not carry it',
        content: { 'text/plain': { schema: { type: 'string' } } },
      };
    responses.default = { $ref: '#/components/responses/Unexpected' };

    paths[route.path] ??= {};
    paths[route.path]![route.method] = {
      operationId: route.operationId,
      tags: [route.tag],
      summary: route.summary,
      security: SECURITY[route.auth],
      ...(route.query ? { parameters: parameters(route) } : {}),
      ...(route.body
        ? { requestBody: { required: route.auth !== 'refresh', content: json(body(route.body)) } }
        : {}),
      responses,
    };
  }

  return {
    openapi: '3.1.0',
    info: { title: 'Quad REST API', version, description: INFO },
    servers: [{ url: '/', description: 'The node that serves this document' }],
    tags: [
      { name: 'auth', description: 'Accounts and tokens' },
      { name: 'boards', description: 'Reads for apps that hold no socket' },
      { name: 'timetables', description: 'The course catalog' },
      { name: 'operations', description: 'Health, readiness, metrics' },
      { name: 'documents', description: 'The API documents' },
    ],
    paths,
    components: {
      schemas: defs.components(),
      responses: { ...errorResponses(), ...bodyResponses(), Unexpected: unexpected() },
      headers: {
        RequestId: {
          description: 'The request id; the server logs the request under it (a sane incoming one is kept)',
          schema: { type: 'string' },
        },
        RetryAfter: { description: 'Seconds to wait before retrying', schema: { type: 'integer' } },
        AuthCookies: {
          description: `\`${ACCESS_COOKIE}\` (httpOnly, SameSite=Lax, path /) and \`${REFRESH_COOKIE}\` (httpOnly, SameSite=Strict, path /api/auth); Secure over HTTPS`,
          schema: { type: 'string' },
        },
      },
      securitySchemes: {
        bearerAuth: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: 'The access token from login or refresh: `Authorization: Bearer <token>`',
        },
        accessCookie: {
          type: 'apiKey',
          in: 'cookie',
          name: ACCESS_COOKIE,
          description:
            'Browsers: the httpOnly access cookie. A cookie-authenticated write must come from the server’s own origin or one in CORS_ORIGINS, else 403.',
        },
        refreshCookie: {
          type: 'apiKey',
          in: 'cookie',
          name: REFRESH_COOKIE,
          description: 'Browsers: the httpOnly refresh cookie (origin-checked like the access cookie)',
        },
        metricsToken: {
          type: 'http',
          scheme: 'bearer',
          description: 'METRICS_TOKEN, when it is set',
        },
      },
    },
  };

  function body(schema: ZodType): JsonSchema {
    return inputSchema(schema, 'draft-2020-12');
  }
}

/** Path and query parameters from the schema the route parses them with. */
function parameters(route: Route): object[] {
  const schema = inputSchema(route.query!, 'draft-2020-12');
  const props = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((schema.required ?? []) as string[]);
  const fromPath = new Map(Object.entries(route.params ?? {}).map(([param, prop]) => [prop, param]));
  const out: object[] = [];
  for (const [prop, param] of fromPath) {
    if (!props[prop]) throw new Error(`${route.path}: the schema has no ${prop}`);
    out.push({ name: param, in: 'path', required: true, schema: props[prop] });
  }
  for (const [name, s] of Object.entries(props)) {
    if (fromPath.has(name)) continue;
    out.push({ name, in: 'query', required: required.has(name), schema: s });
  }
  return out;
}

function errorResponses(): Record<string, object> {
  const out: Record<string, object> = {};
  for (const code of Object.keys(ERROR_TEXT) as ErrorCode[]) {
    const retry = code === 'RATE_LIMITED' || code === 'UNAVAILABLE';
    out[code] = {
      description: `${HTTP_STATUS[code]} ${ERROR_TEXT[code]}`,
      headers: {
        'X-Request-Id': { $ref: '#/components/headers/RequestId' },
        ...(retry ? { 'Retry-After': { $ref: '#/components/headers/RetryAfter' } } : {}),
      },
      content: { 'application/json': { schema: { $ref: `${SCHEMAS}ErrorBody` } } },
    };
  }
  return out;
}

function bodyResponses(): Record<string, object> {
  const error = { 'application/json': { schema: { $ref: `${SCHEMAS}ErrorBody` } } };
  return {
    TooLarge: { description: `VALIDATION: the body is larger than ${BODY_LIMIT}`, content: error },
    Unsupported: { description: 'VALIDATION: the body is not UTF-8 JSON', content: error },
  };
}

function unexpected(): object {
  return {
    description: `${ERROR_TEXT.UNAVAILABLE} (503); ${ERROR_TEXT.INTERNAL} (500)`,
    headers: {
      'X-Request-Id': { $ref: '#/components/headers/RequestId' },
      'Retry-After': { $ref: '#/components/headers/RetryAfter' },
    },
    content: { 'application/json': { schema: { $ref: `${SCHEMAS}ErrorBody` } } },
  };
}

const INFO = `Quad's REST API, generated from shared/ by \`npm run docs:api\` (do not edit by hand): logging in, and reads for apps that hold no socket. Everything else is Socket.IO: docs/asyncapi.yaml; docs/protocol.md is the guide.

Errors are always \`{ "error": { "code", "message", "fields"?, "reason"?, "retryAfter"? } }\` (ErrorBody) with the status of their code. Every response carries \`X-Request-Id\`.`;
