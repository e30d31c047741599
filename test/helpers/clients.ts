import crypto from 'node:crypto';
import { connect, type ClientOptions, type NamespaceClient } from '../../shared/client';
import type { LoginDto, UserDto } from '../../shared/dto';
import type { NamespaceName } from '../../shared/events';

const open = new Set<NamespaceClient<NamespaceName>>();

export function closeAllClients(): void {
  for (const c of open) c.close();
  open.clear();
}

/** A socket.io-client to one namespace, closed automatically after the test. */
export function socket<N extends NamespaceName>(
  baseUrl: string,
  namespace: N,
  options: Omit<ClientOptions, 'url'> = {},
): NamespaceClient<N> {
  const client = connect(namespace, {
    url: baseUrl,
    timeoutMs: 5_000,
    ...options,
    socket: { transports: ['websocket'], reconnection: false, forceNew: true, ...options.socket },
  });
  open.add(client as NamespaceClient<NamespaceName>);
  return client;
}

export interface HttpResult<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

/** Real HTTP with fetch; JSON in and out. `raw` sends a string body as-is. */
export async function http<T = Record<string, unknown>>(
  baseUrl: string,
  method: string,
  path: string,
  options: { json?: unknown; raw?: string; token?: string; headers?: Record<string, string> } = {},
): Promise<HttpResult<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.json !== undefined || options.raw !== undefined) headers['content-type'] ??= 'application/json';
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const res = await fetch(baseUrl + path, {
    method,
    headers,
    body: options.raw ?? (options.json === undefined ? undefined : JSON.stringify(options.json)),
    redirect: 'manual',
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, body: body as T, headers: res.headers };
}

/** Eight random hex digits, for names and titles no other test uses. */
export const hex = () => crypto.randomBytes(4).toString('hex');

/** A username no other test (or earlier run on the same database) has used. */
export function uniqueName(base = 'user'): string {
  return `${base.slice(0, 10)}_${hex()}`;
}

/** A nickname no other test has used (nicknames are unique, 2–10 characters). */
export function uniqueNick(base = '닉'): string {
  return `${[...base].slice(0, 2).join('')}${hex()}`;
}

export const PASSWORD = 'quad-test-passphrase-7';

export interface TestUser extends LoginDto {
  password: string;
  /** Sockets to each namespace, opened on first use with this user's access token. */
  boards: NamespaceClient<'/boards'>;
  comments: NamespaceClient<'/comments'>;
  timetables: NamespaceClient<'/timetables'>;
  messages: NamespaceClient<'/messages'>;
}

/** Signs up and logs in a fresh user through the real REST API. */
export async function newUser(baseUrl: string, base = 'user', nickname = uniqueNick()): Promise<TestUser> {
  const username = uniqueName(base);
  const signup = await http<{ user: UserDto }>(baseUrl, 'POST', '/api/auth/signup', {
    json: { username, password: PASSWORD, nickname },
  });
  if (signup.status !== 201)
    throw new Error(`signup failed: ${signup.status} ${JSON.stringify(signup.body)}`);
  const login = await http<LoginDto>(baseUrl, 'POST', '/api/auth/login', {
    json: { username, password: PASSWORD },
  });
  if (login.status !== 200) throw new Error(`login failed: ${login.status} ${JSON.stringify(login.body)}`);
  const sockets: Partial<Record<NamespaceName, NamespaceClient<NamespaceName>>> = {};
  const lazy = <N extends NamespaceName>(n: N) =>
    (sockets[n] ??= socket(baseUrl, n, { token: login.body.accessToken })) as NamespaceClient<N>;
  return {
    ...login.body,
    password: PASSWORD,
    get boards() {
      return lazy('/boards');
    },
    get comments() {
      return lazy('/comments');
    },
    get timetables() {
      return lazy('/timetables');
    },
    get messages() {
      return lazy('/messages');
    },
  };
}

/** Fresh users, one per name, made in parallel (a tuple, so destructuring needs no undefined checks). */
export async function newUsers<T extends readonly string[]>(
  baseUrl: string,
  names: T,
  nickname?: (name: string, i: number) => string,
): Promise<{ [K in keyof T]: TestUser }> {
  const made = await Promise.all(names.map((name, i) => newUser(baseUrl, name, nickname?.(name, i))));
  return made as unknown as { [K in keyof T]: TestUser }; // map() drops the tuple type; same length
}

/** Resolves with the connect_error a socket gets, or rejects if it connects. */
export function connectError(
  client: NamespaceClient<NamespaceName>,
): Promise<Error & { data?: { code?: string } }> {
  return client.connected().then(
    () => {
      throw new Error('expected the connection to be refused');
    },
    (err: Error) => err,
  );
}
