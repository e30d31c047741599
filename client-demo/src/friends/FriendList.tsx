import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import type { FriendDto } from '../../../shared/dto';
import { ago, t } from '../i18n';
import { useQuad } from '../lib/session';
import { Icon } from '../ui/icons';
import { Empty, Spinner } from '../ui/kit';
import { MessageButton } from '../messages/MessageButton';
import { Confirm } from '../timetable/fields';
import { settle } from '../timetable/useTimetables';
import { Person } from './Avatar';
import type { Friends } from './useFriends';

/** My friends: open one to compare timetables, or remove them (after a second click). */
export function FriendList(props: { friends: Friends }): JSX.Element {
  const list = props.friends.friends;
  return (
    <section class="card fr-card fr-friends" data-section="friends">
      <h3>
        {t('fr.friends')}
        {list ? <span class="fr-count">{list.length}</span> : null}
      </h3>
      {list === null ? (
        <Spinner />
      ) : list.length === 0 ? (
        <Empty>
          <strong class="fr-empty__title">{t('fr.noFriends')}</strong>
          <br />
          {t('fr.noFriendsHint')}
        </Empty>
      ) : (
        <ul class="fr-list">
          {list.map((f) => (
            <FriendRow friend={f} friends={props.friends} />
          ))}
        </ul>
      )}
    </section>
  );
}

function FriendRow(props: { friend: FriendDto; friends: Friends }): JSX.Element {
  const quad = useQuad();
  const [confirming, setConfirming] = useState(false);
  const f = props.friend;
  const remove = async () => {
    await settle(quad.timetables.ask('friend:remove', { friendId: f.id }));
    await props.friends.reload();
  };
  return (
    <li class="slide-in" data-friend-id={f.id} data-username={f.username}>
      <Person user={f} note={t('fr.since', { when: ago(f.since) })}>
        {confirming ? (
          <Confirm
            action="confirm-remove"
            label={t('fr.remove')}
            yes={() => void remove()}
            no={() => setConfirming(false)}
          />
        ) : (
          <>
            <a class="btn btn--small" href={`#/friends/${f.id}`} data-action="open-friend">
              <Icon name="timetable" size={15} />
              {t('fr.compare')}
            </a>
            <MessageButton
              from={{ kind: 'user', id: f.id }}
              to={f.nickname}
              class="btn btn--small"
              iconSize={15}
            />
            <button
              type="button"
              class="btn btn--ghost btn--small"
              data-action="remove-friend"
              aria-label={t('fr.remove')}
              onClick={() => setConfirming(true)}
            >
              <Icon name="trash" size={15} />
            </button>
          </>
        )}
      </Person>
    </li>
  );
}
