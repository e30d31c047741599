import type { JSX, TargetedEvent } from 'preact';
import { useState } from 'preact/hooks';
import { t, errorText } from '../i18n';
import { go } from '../lib/router';
import { login, signedOut, signup } from '../lib/session';
import { Banner, Field, useAction } from '../ui/kit';

/** Log in and sign up: server validation errors appear next to the field they concern. */
export function AuthScreen(props: { mode: 'login' | 'signup' }): JSX.Element {
  const signingUp = props.mode === 'signup';
  const [form, setForm] = useState({ username: '', password: '', nickname: '' });
  const [welcome, setWelcome] = useState(false);
  const action = useAction<unknown>();
  const fields = action.error?.fields ?? {};

  const set = (name: keyof typeof form) => (e: TargetedEvent<HTMLInputElement>) =>
    setForm({ ...form, [name]: e.currentTarget.value });

  const submit = async (e: Event) => {
    e.preventDefault();
    if (signingUp) {
      const res = await action.run(() => signup(form));
      if (res?.ok) {
        setWelcome(true);
        go('/login');
      }
    } else {
      const res = await action.run(() => login(form.username, form.password));
      if (res?.ok) go('/boards');
    }
  };

  // A wrong password is UNAUTHENTICATED without fields: show it under the password.
  const passwordError =
    fields.password ?? (!signingUp && action.error?.code === 'UNAUTHENTICATED' ? t('auth.wrong') : undefined);
  const general =
    action.error && !Object.keys(fields).length && action.error.code !== 'UNAUTHENTICATED'
      ? errorText(action.error)
      : null;

  return (
    <div class="auth">
      <div class="auth__brand">
        <div class="logo logo--big">Q</div>
        <h1>Quad</h1>
        <p>{t('app.tagline')}</p>
      </div>
      <form class="card auth__card" onSubmit={submit} noValidate data-screen={props.mode}>
        <h2>{signingUp ? t('auth.signup') : t('auth.login')}</h2>
        {welcome && !signingUp ? <Banner kind="ok">{t('auth.welcome')}</Banner> : null}
        {signedOut.value && !signingUp ? (
          <Banner kind={signedOut.value === 'revoked' ? 'info' : 'ok'}>
            <span data-signed-out={signedOut.value}>{t(`signedOut.${signedOut.value}`)}</span>
          </Banner>
        ) : null}
        {general ? <Banner>{general}</Banner> : null}
        <Field
          label={t('auth.username')}
          name="username"
          error={fields.username}
          hint={signingUp ? t('auth.usernameHint') : undefined}
        >
          <input
            name="username"
            autocomplete="username"
            value={form.username}
            onInput={set('username')}
            required
          />
        </Field>
        <Field
          label={t('auth.password')}
          name="password"
          error={passwordError}
          hint={signingUp ? t('auth.passwordHint') : undefined}
        >
          <input
            name="password"
            type="password"
            autocomplete={signingUp ? 'new-password' : 'current-password'}
            value={form.password}
            onInput={set('password')}
            required
          />
        </Field>
        {signingUp ? (
          <Field
            label={t('auth.nickname')}
            name="nickname"
            error={fields.nickname}
            hint={t('auth.nicknameHint')}
          >
            <input name="nickname" value={form.nickname} onInput={set('nickname')} required />
          </Field>
        ) : null}
        <button class="btn btn--primary btn--block" type="submit" disabled={action.busy} data-action="submit">
          {signingUp ? t('auth.signup') : t('auth.login')}
        </button>
        {signingUp ? null : (
          <p class="auth__switch">
            <a href="#/forgot" data-nav="forgot">
              {t('auth.forgot')}
            </a>
          </p>
        )}
        <p class="auth__switch">
          {signingUp ? t('auth.haveAccount') : t('auth.noAccount')}{' '}
          <a href={signingUp ? '#/login' : '#/signup'}>{signingUp ? t('auth.login') : t('auth.signup')}</a>
        </p>
      </form>
    </div>
  );
}
