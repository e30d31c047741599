/**
 * The components of docs/openapi.yaml that the operations refer to, besides the schemas: one
 * response per error code and for a refused body, the headers, and the security schemes with the
 * requirement each kind of route (`Auth`) names them in.
 */
import { HTTP_STATUS, type ErrorCode } from '../../shared/errors';
import { ACCESS_COOKIE, REFRESH_COOKIE } from '../core/auth';
import { BODY_LIMIT } from '../core/http';
import type { Auth } from './openapi-routes';

export const SCHEMAS = '#/components/schemas/';

export const SECURITY: Record<Auth, object[]> = {
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

/** The content of every error response. */
const ERROR_BODY = { 'application/json': { schema: { $ref: `${SCHEMAS}ErrorBody` } } };

/** `components` without `schemas` (those come from the routes, through `Definitions`). */
export function sharedComponents(): object {
  return {
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
  };
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
      content: ERROR_BODY,
    };
  }
  return out;
}

function bodyResponses(): Record<string, object> {
  return {
    TooLarge: { description: `VALIDATION: the body is larger than ${BODY_LIMIT}`, content: ERROR_BODY },
    Unsupported: { description: 'VALIDATION: the body is not UTF-8 JSON', content: ERROR_BODY },
  };
}

function unexpected(): object {
  return {
    description: `${ERROR_TEXT.UNAVAILABLE} (503); ${ERROR_TEXT.INTERNAL} (500)`,
    headers: {
      'X-Request-Id': { $ref: '#/components/headers/RequestId' },
      'Retry-After': { $ref: '#/components/headers/RetryAfter' },
    },
    content: ERROR_BODY,
  };
}
