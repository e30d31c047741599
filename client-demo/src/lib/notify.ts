import { signal } from '@preact/signals';
import type { NamespaceClient } from '../../../shared/client';
import type { NotificationDto, NotificationSettingsDto, NotificationReadDto } from '../../../shared/dto';

/**
 * The signed-in user's notification state shared by the header and the screens: the unread
 * badge, what arrived live, what was read on another device, and the switches. Every device of
 * the user gets `notification:read` and `notification:settings` pushes (on every node), so the
 * badge and the switches agree everywhere without a reload.
 */
export const unread = signal(0);
/** Notifications received live since the page loaded, newest first. */
export const liveNotifications = signal<NotificationDto[]>([]);
/** Ids read on any device (this one included) since the page loaded. */
export const readIds = signal<ReadonlySet<number>>(new Set());
/** Every notification with an id up to this one was read ("read all" on some device). */
export const readUpTo = signal(0);
/** The switches, once read (`notifications:settings`) or pushed. */
export const notificationSettings = signal<NotificationSettingsDto | null>(null);

/** The newest notification id this page has seen (live or listed): what "all" covers. */
let newestSeen = 0;

/** The notifications screen tells what it listed, so a "read all" elsewhere covers them too. */
export function noteListed(items: readonly NotificationDto[]): void {
  for (const n of items) newestSeen = Math.max(newestSeen, n.id);
}

export function isReadNow(n: NotificationDto): boolean {
  return n.read || n.id <= readUpTo.value || readIds.value.has(n.id);
}

/** Applies a read, from this device's ack or another device's push. */
export function applyRead(read: NotificationReadDto): void {
  unread.value = read.unread;
  if ('all' in read) readUpTo.value = Math.max(readUpTo.value, newestSeen);
  else readIds.value = new Set([...readIds.value, ...read.ids]);
}

/** Listens for the user's notification pushes on `/boards` (call once per connection set). */
export function watchNotifications(boards: NamespaceClient<'/boards'>): void {
  boards.on('notification', (e) => {
    if (liveNotifications.value.some((n) => n.id === e.data.id)) return;
    noteListed([e.data]);
    liveNotifications.value = [e.data, ...liveNotifications.value];
    unread.value += 1;
  });
  boards.on('notification:read', applyRead);
  boards.on('notification:settings', (s) => (notificationSettings.value = s));
}

/** Reads the switches (after each (re)connect: a change made while away was not replayed). */
export async function loadNotificationSettings(boards: NamespaceClient<'/boards'>): Promise<void> {
  const res = await boards.ask('notifications:settings').catch(() => null);
  if (res?.ok) notificationSettings.value = res.data;
}

/** Forgets everything (logout). */
export function resetNotifications(): void {
  unread.value = 0;
  liveNotifications.value = [];
  readIds.value = new Set();
  readUpTo.value = 0;
  notificationSettings.value = null;
  newestSeen = 0;
}
