import type { JSX, TargetedEvent } from 'preact';
import { useState } from 'preact/hooks';
import { errorText, t } from '../i18n';
import { Banner, Field, useAction } from '../ui/kit';
import { changePassword } from './api';
import { SettingsPage } from './Page';

/**
 * `#/me/password`: `POST /api/account/password`. Every other session ends (their sockets are
 * disconnected at once, on every node); this one stays. A wrong current password is
 * `fields.current` and counts as a failed login.
 */
export function PasswordSettings(): JSX.Element {
  const [form, setForm] = useState({ current: '', next: '', confirm: '' });
  const [mismatch, setMismatch] = useState(false);
  const [ended, setEnded] = useState<number | null>(null);
  const action = useAction<{ ended: number }>();
  const fields = action.error?.fields ?? {};

  const set = (name: keyof typeof form) => (e: TargetedEvent<HTMLInputElement>) =>
    setForm({ ...form, [name]: e.currentTarget.value });

  const submit = async (e: Event) => {
    e.preventDefault();
    setEnded(null);
    const differ = form.next !== form.confirm;
    setMismatch(differ);
    if (differ) return;
    await action.run(
      () => changePassword(form.current, form.next),
      (data) => {
        setEnded(data.ended);
        setForm({ current: '', next: '', confirm: '' });
      },
    );
  };

  const general = action.error && !Object.keys(fields).length ? errorText(action.error) : null;
  return (
    <SettingsPage id="password">
      <p class="muted">{t('password.note')}</p>
      {ended !== null ? (
        <Banner kind="ok">
          <span data-done="password">{t('password.done', { n: ended })}</span>
        </Banner>
      ) : null}
      {general ? <Banner>{general}</Banner> : null}
      <form class="settings__form" onSubmit={submit} noValidate data-form="password">
        <Field label={t('password.current')} name="current" error={fields.current}>
          <input
            name="current"
            type="password"
            autocomplete="current-password"
            value={form.current}
            onInput={set('current')}
            required
          />
        </Field>
        <Field label={t('password.next')} name="next" error={fields.next} hint={t('auth.passwordHint')}>
          <input
            name="next"
            type="password"
            autocomplete="new-password"
            value={form.next}
            onInput={set('next')}
            required
          />
        </Field>
        <Field
          label={t('password.confirm')}
          name="confirm"
          error={mismatch ? t('password.mismatch') : undefined}
        >
          <input
            name="confirm"
            type="password"
            autocomplete="new-password"
            value={form.confirm}
            onInput={set('confirm')}
            required
          />
        </Field>
        <button
          class="btn btn--primary"
          type="submit"
          data-action="change-password"
          disabled={action.busy || !form.current || !form.next}
        >
          {t('password.submit')}
        </button>
      </form>
    </SettingsPage>
  );
}
