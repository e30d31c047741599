import type { JSX } from 'preact';
import type { Route } from '../lib/router';
import { ConversationView } from './Conversation';
import { Inbox } from './Inbox';
import './messages.css';

/** `#/messages` (the inbox), `#/messages/:id` (one conversation). */
export function MessagesRoutes(props: { route: Route }): JSX.Element {
  const id = Number(props.route.parts[1]);
  return Number.isInteger(id) && id > 0 ? <ConversationView key={id} id={id} /> : <Inbox />;
}
