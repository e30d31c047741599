import type { JSX } from 'preact';
import type { Route } from '../lib/router';

/** `#/timetable`, `#/timetable/:id`. */
export function TimetableRoutes(props: { route: Route }): JSX.Element {
  return <div class="card">timetable: {props.route.path}</div>;
}
