import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import type { NicknameDto } from '../../../shared/dto';
import type { ErrorWire } from '../../../shared/errors';
import { duration, errorText, t, when } from '../i18n';
import { updateUser, useQuad, user } from '../lib/session';
import { Banner, Field, useAction } from '../ui/kit';
import { SettingsPage } from './Page';

/**
 * `#/me/nickname`: `account:nickname`. Unique regardless of case and width, 2–10 characters,
 * once per NICKNAME_CHANGE_DAYS: too soon answers RATE_LIMITED with `retryAfter` and `until`,
 * shown under the field.
 */
export function NicknameSettings(): JSX.Element {
  const me = user.value!;
  const [nickname, setNickname] = useState('');
  const [saved, setSaved] = useState<NicknameDto | null>(null);
  const action = useAction<NicknameDto>();

  const submit = async (e: Event) => {
    e.preventDefault();
    setSaved(null);
    await action.run(
      () => useQuad().boards.ask('account:nickname', { nickname }),
      (data) => {
        setSaved(data);
        setNickname('');
        updateUser({ nickname: data.nickname });
      },
    );
  };

  const fieldError = nicknameError(action.error);
  return (
    <SettingsPage id="nickname">
      <p class="muted">{t('nickname.note')}</p>
      <p class="settings__now">
        <span class="muted">{t('nickname.current')}</span>{' '}
        <strong data-role="current-nickname">{me.nickname}</strong>
      </p>
      {saved ? (
        <Banner kind="ok">
          <span data-saved="nickname">{t('nickname.saved', { nickname: saved.nickname })}</span>{' '}
          {t('nickname.next', { when: when(saved.changeableAt) })}
        </Banner>
      ) : null}
      {action.error && !fieldError ? <Banner>{errorText(action.error)}</Banner> : null}
      <form class="settings__form" onSubmit={submit} noValidate data-form="nickname">
        <Field label={t('nickname.label')} name="nickname" error={fieldError} hint={t('nickname.hint')}>
          <input
            name="nickname"
            value={nickname}
            maxLength={30}
            autocomplete="nickname"
            onInput={(e) => setNickname(e.currentTarget.value)}
            required
          />
        </Field>
        <button
          class="btn btn--primary"
          type="submit"
          data-action="save-nickname"
          disabled={action.busy || !nickname.trim()}
        >
          {t('nickname.submit')}
        </button>
      </form>
    </SettingsPage>
  );
}

/** What to say under the field: the server's field message, or when a change is allowed again. */
function nicknameError(error: ErrorWire | null): string | undefined {
  if (!error) return undefined;
  if (error.fields?.nickname) return error.fields.nickname;
  if (error.code === 'RATE_LIMITED' && error.retryAfter) {
    const until = error.until ?? new Date(Date.now() + error.retryAfter * 1000).toISOString();
    return t('nickname.tooSoon', { after: duration(error.retryAfter), when: when(until) });
  }
  return undefined;
}
