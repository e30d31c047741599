import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { errorText, t } from '../i18n';
import { go } from '../lib/router';
import { endLocally, leaving } from '../lib/session';
import { Icon } from '../ui/icons';
import { Banner, Field, useAction } from '../ui/kit';
import { deleteAccount, downloadExport } from './api';
import { SettingsPage } from './Page';
import '../ui/overlays.css';

/**
 * `#/me/delete`: first a copy of one's data (`GET /api/account/export`), then
 * `DELETE /api/account` with the password. Every session ends, on every node; this browser
 * goes back to the login screen.
 */
export function DeleteAccount(): JSX.Element {
  const exporting = useAction<undefined>();
  const [exported, setExported] = useState(false);
  const [password, setPassword] = useState('');
  const [understood, setUnderstood] = useState(false);
  const action = useAction<undefined>();

  const submit = async (e: Event) => {
    e.preventDefault();
    const res = await leaving(() => action.run(() => deleteAccount(password)));
    if (res?.ok) {
      endLocally('deleted');
      go('/login');
    }
  };
  const fields = action.error?.fields ?? {};
  // A wrong password may come as a field error or as UNAUTHENTICATED: both go under the field.
  const passwordError =
    fields.password ?? (action.error?.code === 'UNAUTHENTICATED' ? t('auth.wrong') : undefined);
  const general = action.error && !passwordError ? errorText(action.error) : null;

  return (
    <SettingsPage id="delete">
      <p class="muted">{t('delete.hint')}</p>
      <div class="settings__step" data-step="export">
        <h3>{t('delete.step1')}</h3>
        <p class="muted">{t('delete.exportHint')}</p>
        {exporting.error ? <Banner>{errorText(exporting.error)}</Banner> : null}
        <button
          type="button"
          class="btn"
          data-action="export"
          disabled={exporting.busy}
          onClick={() => void exporting.run(downloadExport, () => setExported(true))}
        >
          <Icon name={exported ? 'check' : 'send'} size={16} />
          {exported ? t('delete.exported') : t('delete.export')}
        </button>
      </div>
      <form class="settings__step settings__form" onSubmit={submit} noValidate data-form="delete">
        <h3>{t('delete.step2')}</h3>
        {general ? <Banner>{general}</Banner> : null}
        <Field label={t('delete.password')} name="password" error={passwordError}>
          <input
            name="password"
            type="password"
            autocomplete="current-password"
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
            required
          />
        </Field>
        <label class="settings__check">
          <input
            type="checkbox"
            name="understand"
            checked={understood}
            onChange={(e) => setUnderstood(e.currentTarget.checked)}
          />
          <span>{t('delete.understand')}</span>
        </label>
        <button
          class="btn btn--danger"
          type="submit"
          data-action="delete-account"
          disabled={action.busy || !password || !understood}
        >
          <Icon name="trash" size={16} />
          {t('delete.submit')}
        </button>
      </form>
    </SettingsPage>
  );
}
