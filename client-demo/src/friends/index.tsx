import type { JSX } from 'preact';
import type { Route } from '../lib/router';

/** `#/friends`, `#/friends/:id`. */
export function FriendsRoutes(props: { route: Route }): JSX.Element {
  return <div class="card">friends: {props.route.path}</div>;
}
