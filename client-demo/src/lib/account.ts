import { computed, signal } from '@preact/signals';
import type { SuspensionDto } from '../../../shared/dto';
import type { Role } from '../../../shared/schemas/moderation';

/**
 * What the signed-in account may do: its role (from login, then every `whoami`) and its
 * suspension (from `whoami` on connect, and the `account:suspended` push). A suspended account
 * reads but cannot write; the suspension ends by itself at `until`.
 */
export const role = signal<Role>('user');
export const suspension = signal<SuspensionDto | null>(null);

/** Moderators and admins: they get the moderation screen (`/moderation`). */
export const isStaff = computed(() => role.value === 'moderator' || role.value === 'admin');
/** Writing (posts, comments, likes, reports, blocks) is refused while suspended. */
export const canWrite = computed(() => suspension.value === null);

/** The longest a browser timer can wait (about 24.8 days); a longer suspension re-arms it. */
const MAX_TIMER_MS = 2 ** 31 - 1;
let ends: ReturnType<typeof setTimeout> | undefined;

/** Sets (or, with null, lifts) the suspension, and lifts it by itself when `until` passes. */
export function setSuspension(next: SuspensionDto | null): void {
  clearTimeout(ends);
  const left = next ? Date.parse(next.until) - Date.now() : 0;
  suspension.value = next && left > 0 ? next : null;
  if (next && left > 0) ends = setTimeout(() => setSuspension(next), Math.min(left, MAX_TIMER_MS));
}
