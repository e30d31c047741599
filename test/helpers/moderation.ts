import type { NamespaceClient } from '../../shared/client';
import type { ReportDto } from '../../shared/dto';
import type { Ack, NamespaceName } from '../../shared/events';
import type { ReportReason, Role, TargetRef } from '../../shared/schemas/moderation';
import type { RunningApp } from './app';
import { socket, type TestUser } from './clients';

/**
 * Gives `u` a role straight in the database (no dependency on the admin CLI). Open the user's
 * sockets after this: the handshake reads the role when it connects.
 */
export async function promote(app: RunningApp, u: TestUser, role: Role = 'moderator'): Promise<void> {
  await app.app.db.query('UPDATE users SET role = :role WHERE id = :id', {
    replacements: { role, id: u.user.id },
  });
}

/** A socket to /moderation for `u` on `app`. */
export function moderationOn(app: RunningApp, u: TestUser): NamespaceClient<'/moderation'> {
  return socket(app.url, '/moderation', { token: u.accessToken });
}

/** `report:create` through a /boards socket. */
export function report(
  client: NamespaceClient<'/boards'> | NamespaceClient<'/comments'>,
  target: TargetRef,
  reason: ReportReason = 'abuse',
  detail?: string,
): Promise<Ack<ReportDto>> {
  // Both namespaces answer report:create alike; their client types differ only in the other commands.
  const c = client as NamespaceClient<'/boards'>;
  return c.ask('report:create', { target, reason, ...(detail !== undefined && { detail }) });
}

/** Everything some clients receive, pushes and acks alike, for a leak test. */
export class Recorder {
  readonly items: unknown[] = [];

  /** Records every push `client` receives from now on. */
  watch(client: NamespaceClient<NamespaceName>): void {
    client.socket.onAny((event: string, ...args: unknown[]) => this.items.push({ event, args }));
  }

  /** Records an ack and hands it on. */
  ack<T>(res: T): T {
    this.items.push(res);
    return res;
  }
}

/**
 * Where recorded traffic names `who`: a number field `authorId` or `userId` holding their id, or
 * any string holding their username or nickname. Answers the paths (empty: no leak).
 */
export function mentions(
  items: unknown[],
  who: { id: number; username: string; nickname: string },
): string[] {
  const found: string[] = [];
  const walk = (v: unknown, path: string, key: string): void => {
    if (typeof v === 'number' && (key === 'authorId' || key === 'userId') && v === who.id) found.push(path);
    else if (typeof v === 'string' && (v.includes(who.username) || v.includes(who.nickname)))
      found.push(`${path}: ${v}`);
    else if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${path}[${i}]`, key));
    else if (v && typeof v === 'object')
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) walk(x, `${path}.${k}`, k);
  };
  items.forEach((item, i) => walk(item, `#${i}`, ''));
  return found;
}
