import type { JSX } from 'preact';
import type { Route } from '../lib/router';

/** `#/boards`, `#/boards/:id`, `#/boards/:id/write`, `#/posts/:id`. */
export function BoardsRoutes(props: { route: Route }): JSX.Element {
  return <div class="card">boards: {props.route.path}</div>;
}
