import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import type { FriendRequestDto } from '../../../shared/dto';
import type { ErrorWire } from '../../../shared/errors';
import { ago, errorText, t } from '../i18n';
import { incomingRequests, useQuad, user } from '../lib/session';
import { Badge, Field } from '../ui/kit';
import { settle } from '../timetable/useTimetables';
import { Person } from './Avatar';
import type { Friends } from './useFriends';

/** The answers to a request: command, button (`data-action` and string key), style. */
const ANSWERS = [
  ['friend:accept', 'accept', ' btn--primary'],
  ['friend:decline', 'decline', ''],
] as const;

/** Requests addressed to me, live (session.ts keeps them from pushes): accept or decline. */
export function IncomingRequests(props: { friends: Friends }): JSX.Element {
  const quad = useQuad();
  const [errors, setErrors] = useState<Record<number, ErrorWire>>({});
  const [busy, setBusy] = useState<number | null>(null);
  const answer = async (r: FriendRequestDto, verb: 'friend:accept' | 'friend:decline') => {
    setBusy(r.id);
    const res = await settle(quad.timetables.ask(verb, { requestId: r.id }));
    setBusy(null);
    // NOT_FOUND: it was cancelled meanwhile; either way it is no longer waiting for me.
    if (res.ok || res.error.code === 'NOT_FOUND') {
      incomingRequests.value = incomingRequests.value.filter((x) => x.id !== r.id);
      if (verb === 'friend:accept') void props.friends.reload();
    } else setErrors({ ...errors, [r.id]: res.error });
  };
  const list = incomingRequests.value;
  return (
    <section class="card fr-card fr-incoming" data-section="incoming">
      <h3>
        {t('fr.incoming')}
        <Badge count={list.length} />
      </h3>
      {list.length === 0 ? (
        <p class="muted fr-none">{t('fr.noIncoming')}</p>
      ) : (
        <ul class="fr-list">
          {list.map((r) => (
            <li class="slide-in" data-request-id={r.id} data-from={r.from.username}>
              <Person user={r.from} note={ago(r.createdAt)}>
                {ANSWERS.map(([verb, action, style]) => (
                  <button
                    type="button"
                    class={`btn btn--small${style}`}
                    data-action={action}
                    disabled={busy === r.id}
                    onClick={() => void answer(r, verb)}
                  >
                    {t(`fr.${action}`)}
                  </button>
                ))}
              </Person>
              {errors[r.id] ? <span class="field__error">{errorText(errors[r.id]!)}</span> : null}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** My pending requests, each with a cancel button. */
export function OutgoingRequests(props: { friends: Friends }): JSX.Element | null {
  const quad = useQuad();
  const list = props.friends.outgoing;
  const cancel = async (r: FriendRequestDto) => {
    await settle(quad.timetables.ask('friend:cancel', { requestId: r.id }));
    await props.friends.reload();
  };
  return (
    <section class="card fr-card fr-outgoing" data-section="outgoing">
      <h3>{t('fr.outgoing')}</h3>
      {list.length === 0 ? (
        <p class="muted fr-none">{t('fr.noOutgoing')}</p>
      ) : (
        <ul class="fr-list">
          {list.map((r) => (
            <li data-request-id={r.id} data-to={r.to.username}>
              <Person user={r.to} note={t('fr.waiting')}>
                <button
                  type="button"
                  class="btn btn--small"
                  data-action="cancel"
                  onClick={() => void cancel(r)}
                >
                  {t('fr.cancel')}
                </button>
              </Person>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** Ask someone by username; NOT_FOUND and CONFLICT appear next to the field. */
export function RequestForm(props: { friends: Friends }): JSX.Element {
  const quad = useQuad();
  const [username, setUsername] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [sent, setSent] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    const name = username.trim().replace(/^@/, '');
    if (!name) return;
    setBusy(true);
    setSent(null);
    const res = await settle(quad.timetables.ask('friend:request', { username: name }));
    setBusy(false);
    if (!res.ok) return setError(requestProblem(res.error, name));
    setError(null);
    setUsername('');
    const other = res.data.to.id === user.value?.id ? res.data.from : res.data.to;
    setSent(t(res.data.status === 'accepted' ? 'fr.nowFriends' : 'fr.sent', { name: other.nickname }));
    await props.friends.reload();
  };
  return (
    <section class="card fr-card fr-add" data-section="add">
      <h3>{t('fr.add')}</h3>
      <form class="fr-add__form" onSubmit={submit} noValidate data-form="friend-request">
        <Field
          label={t('fr.username')}
          name="username"
          error={error ?? undefined}
          hint={t('fr.usernameHint')}
        >
          <div class="fr-add__row">
            <input
              name="username"
              autocomplete="off"
              autocapitalize="off"
              spellcheck={false}
              placeholder="username"
              value={username}
              onInput={(e) => {
                setUsername(e.currentTarget.value);
                setError(null);
              }}
            />
            <button class="btn btn--primary" data-action="send-request" disabled={busy || !username.trim()}>
              {t('fr.send')}
            </button>
          </div>
        </Field>
      </form>
      {sent ? (
        <div class="banner banner--ok" data-request-sent>
          {sent}
        </div>
      ) : null}
    </section>
  );
}

function requestProblem(error: ErrorWire, name: string): string {
  if (error.code === 'NOT_FOUND') return t('fr.noSuchUser', { name });
  if (error.code === 'CONFLICT') return t('fr.alreadyAsked');
  if (error.code === 'VALIDATION' && name === user.value?.username) return t('fr.notYourself');
  return errorText(error);
}
