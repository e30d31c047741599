import { computed, signal } from '@preact/signals';
import { connect, type NamespaceClient } from '../../../shared/client';
import type { FriendRequestDto, LoginDto, NotificationDto, UserDto } from '../../../shared/dto';
import type { Ack } from '../../../shared/events';
import { role, setSuspension } from './account';
import { rest } from './rest';

/**
 * The signed-in student: tokens, the three namespace connections, and the live state the
 * header shows everywhere (connection, unread notifications, incoming friend requests).
 *
 * Tokens: the access token lives in memory and goes to sockets as `auth.token` and to REST
 * as a Bearer header; the refresh token stays in Quad's httpOnly cookie, so a reload resumes
 * the session with `POST /api/auth/refresh` and nothing secret is in localStorage.
 */
export interface Quad {
  boards: NamespaceClient<'/boards'>;
  comments: NamespaceClient<'/comments'>;
  timetables: NamespaceClient<'/timetables'>;
}

export type ConnectionState = 'connecting' | 'live' | 'reconnecting' | 'catching-up' | 'offline';

export const user = signal<UserDto | null>(null);
/** Set once the first `refresh` on page load has answered (so the login form does not flash). */
export const restored = signal(false);
export const connection = signal<ConnectionState>('connecting');
export const unread = signal(0);
/** Notifications received live since the page loaded, newest first. */
export const liveNotifications = signal<NotificationDto[]>([]);
export const incomingRequests = signal<FriendRequestDto[]>([]);
export const incomingCount = computed(() => incomingRequests.value.length);

let quad: Quad | null = null;
/** `/moderation`, opened on first use (moderators and admins only): see useModeration. */
let moderation: NamespaceClient<'/moderation'> | null = null;
let accessToken: string | null = null;
let refreshTimer: ReturnType<typeof setTimeout> | undefined;

/** The connections of the signed-in user; screens behind login may assume they exist. */
export function useQuad(): Quad {
  if (!quad) throw new Error('not signed in');
  return quad;
}

export function token(): string | null {
  return accessToken;
}

/**
 * The moderators' namespace, connected on first use with the current token (only staff open
 * the moderation screen; anyone else is refused in the handshake with FORBIDDEN).
 */
export function useModeration(): NamespaceClient<'/moderation'> {
  if (!accessToken) throw new Error('not signed in');
  if (!moderation) {
    moderation = connect('/moderation', clientOptions(accessToken));
    moderation.socket.on('connect_error', (err: Error & { data?: { code?: string } }) => {
      if (err.data?.code === 'TOKEN_EXPIRED') void refresh();
    });
  }
  return moderation;
}

function clientOptions(token: string) {
  return { url: location.origin, token, socket: { transports: ['websocket', 'polling'] } };
}

export async function login(username: string, password: string): Promise<Ack<LoginDto>> {
  const res = await rest<LoginDto>('POST', '/auth/login', { body: { username, password } });
  if (res.ok) start(res.data);
  return res;
}

export function signup(input: {
  username: string;
  password: string;
  nickname: string;
}): Promise<Ack<{ user: UserDto }>> {
  return rest('POST', '/auth/signup', { body: input });
}

/** On page load: resume the session from the refresh cookie, if there is one. */
export async function restore(): Promise<void> {
  // Only ask when this browser has signed in before: a refresh without the cookie would be
  // a 401, which the browser console reports as an error.
  if (localStorage.getItem(SIGNED_IN) === '1') {
    const res = await rest<LoginDto>('POST', '/auth/refresh', { body: {} });
    if (res.ok) start(res.data);
    else localStorage.removeItem(SIGNED_IN);
  }
  restored.value = true;
}

/** Whether this browser holds a refresh cookie (the cookie itself is httpOnly). */
const SIGNED_IN = 'quad.signedIn';

export async function logout(): Promise<void> {
  if (accessToken) await rest('POST', '/auth/logout', { token: accessToken });
  localStorage.removeItem(SIGNED_IN);
  stop();
}

function start(tokens: LoginDto): void {
  stop();
  accessToken = tokens.accessToken;
  const options = clientOptions(tokens.accessToken);
  quad = {
    boards: connect('/boards', options),
    comments: connect('/comments', options),
    timetables: connect('/timetables', options),
  };
  user.value = tokens.user;
  role.value = tokens.user.role ?? 'user';
  localStorage.setItem(SIGNED_IN, '1');
  scheduleRefresh(tokens.accessTokenExpiresAt);
  watchConnections(quad);
  watchPersonal(quad);
  for (const reread of Object.values(CATCH_UP)) void reread(quad);
}

function stop(): void {
  clearTimeout(refreshTimer);
  if (quad) for (const c of Object.values(quad) as NamespaceClient<never>[]) c.close();
  moderation?.close();
  moderation = null;
  quad = null;
  role.value = 'user';
  setSuspension(null);
  accessToken = null;
  user.value = null;
  unread.value = 0;
  liveNotifications.value = [];
  incomingRequests.value = [];
  connection.value = 'connecting';
}

/** Refreshes the access token a minute before it expires and hands it to every socket. */
function scheduleRefresh(expiresAt: string): void {
  clearTimeout(refreshTimer);
  const wait = Math.max(5_000, new Date(expiresAt).getTime() - Date.now() - 60_000);
  refreshTimer = setTimeout(() => void refresh(), wait);
}

async function refresh(): Promise<boolean> {
  const res = await rest<LoginDto>('POST', '/auth/refresh', { body: {} });
  if (!res.ok) {
    if (res.error.code === 'UNAUTHENTICATED') {
      localStorage.removeItem(SIGNED_IN);
      stop();
    } else refreshTimer = setTimeout(() => void refresh(), 10_000);
    return false;
  }
  accessToken = res.data.accessToken;
  role.value = res.data.user.role ?? role.value;
  scheduleRefresh(res.data.accessTokenExpiresAt);
  if (quad) {
    const clients = [...Object.values(quad), ...(moderation ? [moderation] : [])] as NamespaceClient<never>[];
    for (const c of clients) {
      await c.setToken(res.data.accessToken);
      if (!c.socket.connected) c.socket.connect();
    }
  }
  return true;
}

/**
 * Connection indicator over the three namespaces, from the typed client's own states:
 * `reconnecting` while any is down (a dropped connection, or its node announced
 * `server:draining`), `catching-up` from the reconnect until every feed is resubscribed with
 * `since` and the header's counters are re-read, then `live`.
 */
function watchConnections(q: Quad): void {
  const clients = Object.values(q) as NamespaceClient<never>[];
  let catching = 0;
  let wasLive = false;
  const update = () => {
    const states = clients.map((c) => c.state);
    let next: ConnectionState;
    if (states.includes('offline')) next = 'offline';
    else if (states.some((s) => s === 'reconnecting' || s === 'connecting'))
      next = wasLive ? 'reconnecting' : 'connecting';
    else if (catching > 0 || states.includes('catching-up')) next = 'catching-up';
    else next = 'live';
    if (next === 'live') wasLive = true;
    connection.value = next;
  };
  for (const [name, c] of Object.entries(q) as [keyof Quad, NamespaceClient<never>][]) {
    let connectedBefore = false;
    c.onState(update);
    c.socket.on('connect', () => {
      if (!connectedBefore) return void (connectedBefore = true);
      const reread = CATCH_UP[name];
      if (!reread) return;
      catching++;
      update();
      void reread(q).finally(() => {
        catching--;
        update();
      });
    });
    c.socket.on('connect_error', (err: Error & { data?: { code?: string } }) => {
      if (err.data?.code === 'TOKEN_EXPIRED') void refresh();
      else if (err.data?.code === 'TOKEN_REVOKED') stop();
    });
    c.socket.on('auth:expired', () => void refresh());
  }
  update();
}

/**
 * Live notifications and friend requests for the header's bell and badge, and a suspension
 * (pushed on every namespace: one is enough).
 */
function watchPersonal(q: Quad): void {
  q.boards.on('account:suspended', (s) => setSuspension(s));
  q.boards.on('notification', (e) => {
    if (liveNotifications.value.some((n) => n.id === e.data.id)) return;
    liveNotifications.value = [e.data, ...liveNotifications.value];
    unread.value += 1;
  });
  q.timetables.on('friend:requested', (e) => {
    const mine = user.value?.id;
    if (e.data.to.id !== mine) return;
    if (incomingRequests.value.some((r) => r.id === e.data.id)) return;
    incomingRequests.value = [...incomingRequests.value, e.data];
  });
  const drop = (requestId: number) => {
    incomingRequests.value = incomingRequests.value.filter((r) => r.id !== requestId);
  };
  q.timetables.on('friend:cancelled', (e) => drop(e.data.requestId));
  q.timetables.on('friend:accepted', (e) => drop(e.data.id));
  q.timetables.on('friend:declined', (e) => drop(e.data.requestId));
}

/**
 * Re-reads the header's counters after a namespace (re)connects, so what arrived while away
 * is counted too; each namespace re-reads only what it feeds.
 */
const CATCH_UP: Partial<Record<keyof Quad, (q: Quad) => Promise<void>>> = {
  async boards(q) {
    const who = await q.boards.ask('whoami').catch(() => null);
    if (!who?.ok) return;
    unread.value = who.data.unreadNotifications;
    role.value = who.data.role;
    setSuspension(who.data.suspension);
  },
  async timetables(q) {
    const requests = await q.timetables.ask('friends:requests').catch(() => null);
    if (requests?.ok) incomingRequests.value = requests.data.incoming;
  },
};

/** Marks notifications read (all when `ids` is omitted) and updates the bell. */
export async function markRead(ids?: number[]): Promise<void> {
  if (!quad) return;
  const res = await quad.boards.ask('notifications:read', ids ? { ids } : { all: true });
  if (res.ok) unread.value = res.data.unread;
}
