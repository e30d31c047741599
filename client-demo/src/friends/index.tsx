import type { JSX } from 'preact';
import { t } from '../i18n';
import type { Route } from '../lib/router';
import { ErrorBanner } from '../ui/kit';
import { FriendDetail } from './FriendDetail';
import { FriendList } from './FriendList';
import { IncomingRequests, OutgoingRequests, RequestForm } from './Requests';
import { useFriends } from './useFriends';
import '../timetable/timetable.css';
import './friends.css';

/** `#/friends`, `#/friends/:id`. */
export function FriendsRoutes(props: { route: Route }): JSX.Element {
  const id = Number(props.route.parts[1]);
  return Number.isInteger(id) && id > 0 ? <FriendDetail friendId={id} /> : <FriendsHome />;
}

/** Requests in and out, a form to ask someone, and the friends list, all kept live. */
function FriendsHome(): JSX.Element {
  const friends = useFriends();
  return (
    <div class="fr">
      <div class="tt__top">
        <h2>{t('nav.friends')}</h2>
      </div>
      <ErrorBanner error={friends.error} />
      <div class="fr__layout">
        <IncomingRequests friends={friends} />
        <RequestForm friends={friends} />
        <FriendList friends={friends} />
        <OutgoingRequests friends={friends} />
      </div>
    </div>
  );
}
