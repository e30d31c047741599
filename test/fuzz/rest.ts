/**
 * REST requests for the fuzzer: every route of the thin REST layer, with bodies from the
 * shared schemas (near-valid and mutated), malformed JSON, the wrong content type, bodies past
 * the size limit, deep nesting, random query strings and path ids, garbage bearer tokens,
 * cookies and origins. A signup near-valid enough to pass costs an argon2 hash; the mix keeps
 * those few so the run measures the parser, not the hash.
 */
import fc from 'fast-check';
import { loginInput, refreshInput, signupInput } from '../../shared/schemas/auth';
import { arbitraryOf, payloadOf } from './zod-arbitrary';

export interface RestRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  headers: Record<string, string>;
  body?: string | Buffer;
}

const LIMIT = 100 * 1024;

const junkToken = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom('eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0.', 'Bearer', 'a.b.c', ''),
);

/** A body for a JSON route: its schema's near-valid values, or anything that is not them. */
function body(schema: Parameters<typeof payloadOf>[0]) {
  return fc.oneof(
    {
      weight: 8,
      arbitrary: payloadOf(schema).map((v) => ({ type: 'application/json', body: JSON.stringify(v) ?? '' })),
    },
    {
      weight: 2,
      arbitrary: fc
        .oneof(
          fc.string({ maxLength: 80 }),
          fc.constantFrom('{', '{"username":', '[1,', 'null', '"x"', '{"a":1}}'),
        )
        .map((b) => ({ type: 'application/json', body: b })),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(
          fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data', ''),
          fc.string({ maxLength: 60 }),
        )
        .map(([type, b]) => ({ type, body: b })),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom(LIMIT + 1, LIMIT - 100, 10_000).map((n) => ({
        type: 'application/json',
        body: n > 50_000 ? `{"password":"${'x'.repeat(n)}"}` : '['.repeat(n) + ']'.repeat(n),
      })),
    },
    {
      weight: 1,
      arbitrary: fc
        .uint8Array({ maxLength: 200 })
        .map((b) => ({ type: 'application/json', body: Buffer.from(b) })),
    },
  );
}

/** Signup bodies: near-valid ones are rare, because each valid one hashes a password. */
const signupBody = fc.oneof(
  {
    weight: 1,
    arbitrary: arbitraryOf(signupInput).map((v) => ({
      type: 'application/json',
      body: JSON.stringify(v) ?? '',
    })),
  },
  { weight: 6, arbitrary: body(loginInput) },
);

const query = fc
  .array(
    fc.tuple(
      fc.oneof(
        fc.constantFrom(
          'limit',
          'cursor',
          'q',
          'tag',
          'order',
          'from',
          'to',
          'author',
          'semester',
          'limit[]',
        ),
        fc.string({ maxLength: 8 }),
      ),
      fc.oneof(
        fc.string({ maxLength: 30 }),
        fc.integer().map(String),
        fc.constantFrom('', '-1', '1e9', 'NaN', '%', '%zz'),
      ),
    ),
    { maxLength: 4 },
  )
  .map((pairs) =>
    pairs
      .map(([k, v]) => `${encodeURIComponent(k)}=${v.includes('%') ? v : encodeURIComponent(v)}`)
      .join('&'),
  );

const pathId = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 1, max: 50 }).map(String) },
  {
    weight: 1,
    arbitrary: fc.constantFrom('0', '-1', '1.5', 'abc', '99999999999999999999', '%00', '1%2F2', "1'"),
  },
);

/** A request, with the caller's valid access token for the routes that need one (usually). */
export function restRequests(token: string, ownOrigin: string): fc.Arbitrary<RestRequest> {
  const auth = fc.oneof(
    { weight: 6, arbitrary: fc.constant(`Bearer ${token}`) },
    { weight: 2, arbitrary: junkToken.map((t) => `Bearer ${t}`) },
    { weight: 1, arbitrary: fc.constant('') },
  );
  const extra = fc.record(
    {
      origin: fc.constantFrom(ownOrigin, 'https://evil.example', 'null', 'http://club.localhost'),
      cookie: fc.oneof(
        junkToken.map((t) => `quad_refresh=${t}`),
        fc.constant('quad_access=x; quad_refresh='),
      ),
    },
    { requiredKeys: [] },
  );
  const post = (path: string, b: fc.Arbitrary<{ type: string; body: string | Buffer }>, withAuth = false) =>
    fc.tuple(b, extra, withAuth ? auth : fc.constant('')).map(([{ type, body }, h, a]) => ({
      method: 'POST' as const,
      path,
      headers: { ...(type && { 'content-type': type }), ...h, ...(a && { authorization: a }) },
      body,
    }));
  const get = (path: fc.Arbitrary<string>) =>
    fc.tuple(path, query, auth).map(([p, q, a]) => ({
      method: 'GET' as const,
      path: q ? `${p}?${q}` : p,
      headers: a ? { authorization: a } : ({} as Record<string, string>),
    }));
  return fc.oneof(
    { weight: 2, arbitrary: post('/api/auth/signup', signupBody) },
    { weight: 3, arbitrary: post('/api/auth/login', body(loginInput)) },
    { weight: 3, arbitrary: post('/api/auth/refresh', body(refreshInput)) },
    // Logout only with a junk token: the fuzzer's own session must survive the run.
    {
      weight: 1,
      arbitrary: fc.tuple(junkToken, extra).map(([t, h]) => ({
        method: 'POST' as const,
        path: '/api/auth/logout',
        headers: { authorization: `Bearer ${t}`, ...h },
      })),
    },
    { weight: 1, arbitrary: get(fc.constant('/api/auth/me')) },
    { weight: 1, arbitrary: get(fc.constant('/api/boards')) },
    { weight: 3, arbitrary: get(pathId.map((id) => `/api/boards/${id}/posts`)) },
    { weight: 2, arbitrary: get(pathId.map((id) => `/api/posts/${id}`)) },
    { weight: 2, arbitrary: get(pathId.map((id) => `/api/posts/${id}/comments`)) },
    { weight: 1, arbitrary: get(fc.constant('/api/tags/popular')) },
    { weight: 1, arbitrary: get(fc.constant('/api/semesters')) },
    { weight: 2, arbitrary: get(fc.constant('/api/courses')) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(
          fc.constantFrom('PUT', 'DELETE') as fc.Arbitrary<'PUT' | 'DELETE'>,
          fc.constantFrom('/api/auth/login', '/api/boards', '/api/nope', '/api/posts/1'),
        )
        .map(([method, path]) => ({ method, path, headers: {} })),
    },
  );
}
