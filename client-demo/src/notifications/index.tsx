import type { JSX } from 'preact';

/** `#/notifications`. */
export function NotificationsScreen(): JSX.Element {
  return <div class="card">notifications</div>;
}
