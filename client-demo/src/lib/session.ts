import { computed, signal } from '@preact/signals';
import { connect, type NamespaceClient } from '../../../shared/client';
import type { FriendRequestDto, LoginDto, UserDto } from '../../../shared/dto';
import type { Ack } from '../../../shared/events';
import { role, setSuspension } from './account';
import {
  applyRead,
  loadNotificationSettings,
  notificationSettings,
  resetNotifications,
  unread,
  watchNotifications,
} from './notify';
import { connection, watchConnections } from './connections';
import { catchUpMessages, resetInbox, watchMessages } from './inbox';
import { rest } from './rest';
import { needsVerification, watchRefusals } from './refusals';

export { liveNotifications, unread } from './notify';
export { messageUnread } from './inbox';

/**
 * The signed-in student: tokens, the four namespace connections, and the live state the
 * header shows everywhere (connection, unread notifications and 쪽지, incoming friend requests).
 *
 * Tokens: the access token lives in memory and goes to sockets as `auth.token` and to REST
 * as a Bearer header; the refresh token stays in Quad's httpOnly cookie, so a reload resumes
 * the session with `POST /api/auth/refresh` and nothing secret is in localStorage.
 */
export interface Quad {
  boards: NamespaceClient<'/boards'>;
  comments: NamespaceClient<'/comments'>;
  timetables: NamespaceClient<'/timetables'>;
  messages: NamespaceClient<'/messages'>;
}

export { connection, type ConnectionState } from './connections';

export const user = signal<UserDto | null>(null);
/** Set once the first `refresh` on page load has answered (so the login form does not flash). */
export const restored = signal(false);
export const incomingRequests = signal<FriendRequestDto[]>([]);
/** The friends badge; with the `friend` switch off, requests are listed but not counted. */
export const incomingCount = computed(() =>
  notificationSettings.value?.kinds.friend === false ? 0 : incomingRequests.value.length,
);
/**
 * Why this browser was signed out without asking (shown on the login screen): its session was
 * ended elsewhere (another device, a password change), the account was deleted, or the
 * password was reset from a mailed link.
 */
export type SignedOut = 'revoked' | 'deleted' | 'reset';
export const signedOut = signal<SignedOut | null>(null);

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
  if (res.ok) {
    signedOut.value = null;
    start(res.data);
  }
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
  await leaving(async () => {
    if (accessToken) await rest('POST', '/auth/logout', { token: accessToken });
  });
  localStorage.removeItem(SIGNED_IN);
  stop();
}

/** Set while this browser ends its own session: the server's disconnect is then no surprise. */
let ending = false;

/**
 * Runs `work`, which may end this very session (logout, deleting the account): meanwhile the
 * sockets' disconnect is expected, not a sign of a session ended elsewhere to refresh for.
 */
export async function leaving<T>(work: () => Promise<T>): Promise<T> {
  ending = true;
  try {
    return await work();
  } finally {
    ending = false;
  }
}

/**
 * Forgets this browser's session without telling the server, which already ended it (a deleted
 * account, a password reset, a session ended from another device): back to the login screen.
 */
export function endLocally(reason: SignedOut): void {
  localStorage.removeItem(SIGNED_IN);
  stop();
  signedOut.value = reason;
}

/** The header and the account screen show the new nickname at once. */
export function updateUser(change: Partial<UserDto>): void {
  if (user.value) user.value = { ...user.value, ...change };
}

function start(tokens: LoginDto): void {
  stop();
  accessToken = tokens.accessToken;
  const options = clientOptions(tokens.accessToken);
  quad = {
    boards: connect('/boards', options),
    comments: connect('/comments', options),
    timetables: connect('/timetables', options),
    messages: connect('/messages', options),
  };
  user.value = tokens.user;
  role.value = tokens.user.role ?? 'user';
  localStorage.setItem(SIGNED_IN, '1');
  scheduleRefresh(tokens.accessTokenExpiresAt);
  const q = quad;
  // Each namespace's client type differs; the watcher only reads states and socket events.
  watchConnections(q as unknown as Record<string, NamespaceClient<never>>, {
    current: () => quad === q && !ending,
    refresh: () => void refresh(),
    revoked: () => endLocally('revoked'),
    catchUp: Object.fromEntries(Object.entries(CATCH_UP).map(([name, reread]) => [name, () => reread(q)])),
  });
  watchPersonal(quad);
  for (const c of Object.values(quad) as NamespaceClient<never>[]) watchRefusals(c);
  for (const reread of Object.values(CATCH_UP)) void reread(quad);
}

function stop(): void {
  clearTimeout(refreshTimer);
  // Forgotten first: closing makes the sockets `offline`, which must not look like a revocation.
  const closing = quad;
  quad = null;
  if (closing) for (const c of Object.values(closing) as NamespaceClient<never>[]) c.close();
  moderation?.close();
  moderation = null;
  role.value = 'user';
  setSuspension(null);
  accessToken = null;
  user.value = null;
  resetNotifications();
  resetInbox();
  needsVerification.value = false;
  incomingRequests.value = [];
  connection.value = 'connecting';
}

/** Refreshes the access token a minute before it expires and hands it to every socket. */
function scheduleRefresh(expiresAt: string): void {
  clearTimeout(refreshTimer);
  const wait = Math.max(5_000, new Date(expiresAt).getTime() - Date.now() - 60_000);
  refreshTimer = setTimeout(() => void refresh(), wait);
}

let refreshing: Promise<boolean> | null = null;

/**
 * One refresh at a time: a refresh token works once, and the namespaces may all ask at
 * the same moment (an ended session drops them together).
 */
function refresh(): Promise<boolean> {
  refreshing ??= refreshNow().finally(() => (refreshing = null));
  return refreshing;
}

async function refreshNow(): Promise<boolean> {
  if (!accessToken) return false;
  const res = await rest<LoginDto>('POST', '/auth/refresh', { body: {} });
  if (!accessToken) return false; // logged out meanwhile
  if (!res.ok) {
    if (res.error.code === 'UNAUTHENTICATED') endLocally('revoked');
    else refreshTimer = setTimeout(() => void refresh(), 10_000);
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
 * Live notifications and friend requests for the header's bell and badge, and a suspension
 * (pushed on every namespace: one is enough).
 */
function watchPersonal(q: Quad): void {
  q.boards.on('account:suspended', (s) => setSuspension(s));
  // My nickname changed on another device (or this one): the header and my screens follow.
  q.boards.on('account:renamed', ({ nickname }) => {
    if (user.value) user.value = { ...user.value, nickname };
  });
  watchNotifications(q.boards);
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
  watchMessages(q.messages);
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
    // Verified meanwhile on another device: the banner and the settings follow.
    updateUser({ verified: who.data.verified });
    if (who.data.verified) needsVerification.value = false;
    setSuspension(who.data.suspension);
    await loadNotificationSettings(q.boards);
  },
  async timetables(q) {
    const requests = await q.timetables.ask('friends:requests').catch(() => null);
    if (requests?.ok) incomingRequests.value = requests.data.incoming;
  },
  async messages(q) {
    if (user.value) await catchUpMessages(q.messages, user.value.id);
  },
};

/**
 * Marks notifications read (all when `ids` is omitted) and updates the bell; the user's other
 * devices hear it as `notification:read`.
 */
export async function markRead(ids?: number[]): Promise<void> {
  if (!quad) return;
  const res = await quad.boards.ask('notifications:read', ids ? { ids } : { all: true });
  if (res.ok) applyRead(ids ? { ids, unread: res.data.unread } : { all: true, unread: res.data.unread });
}
