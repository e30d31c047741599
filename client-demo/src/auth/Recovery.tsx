import type { ComponentChildren, JSX } from 'preact';
import { useState } from 'preact/hooks';
import { confirmReset, requestReset } from '../account/api';
import { errorText, t } from '../i18n';
import { go, route } from '../lib/router';
import { endLocally, leaving } from '../lib/session';
import { Banner, Field, useAction } from '../ui/kit';

/** The sign-in screens' frame: the brand above one card. */
function AuthFrame(props: { screen: string; children: ComponentChildren }): JSX.Element {
  return (
    <div class="auth">
      <div class="auth__brand">
        <div class="logo logo--big">Q</div>
        <h1>Quad</h1>
        <p>{t('app.tagline')}</p>
      </div>
      <div class="card auth__card" data-screen={props.screen}>
        {props.children}
      </div>
    </div>
  );
}

/**
 * `#/forgot`: asks for the verified school email and mails a reset link. The answer is the same
 * whether or not an account has that email (nobody learns which emails are registered).
 */
export function ForgotScreen(): JSX.Element {
  const [email, setEmail] = useState('');
  const [sent, setSent] = useState(false);
  const action = useAction<{ ok: true }>();
  const submit = async (e: Event) => {
    e.preventDefault();
    await action.run(
      () => requestReset(email.trim()),
      () => setSent(true),
    );
  };
  const fieldError = action.error?.fields?.email;
  return (
    <AuthFrame screen="forgot">
      <h2>{t('forgot.title')}</h2>
      {sent ? (
        <Banner kind="ok">
          <span data-done="forgot">{t('forgot.sent')}</span>
        </Banner>
      ) : (
        <form class="stack" onSubmit={submit} noValidate data-form="forgot">
          <p class="muted">{t('forgot.hint')}</p>
          {action.error && !fieldError ? <Banner>{errorText(action.error)}</Banner> : null}
          <Field label={t('verify.email')} name="email" error={fieldError}>
            <input
              name="email"
              type="email"
              autocomplete="email"
              placeholder={t('verify.emailPlaceholder')}
              value={email}
              onInput={(e) => setEmail(e.currentTarget.value)}
              required
            />
          </Field>
          <button
            class="btn btn--primary btn--block"
            type="submit"
            data-action="submit"
            disabled={action.busy || !email}
          >
            {t('forgot.submit')}
          </button>
        </form>
      )}
      <p class="auth__switch">
        <a href="#/login">{t('forgot.back')}</a>
      </p>
    </AuthFrame>
  );
}

/**
 * `#/reset?token=…`, the mailed link: sets a new password. Every session of the account ends
 * (this browser's too, if it was signed in); then log in with the new password.
 */
export function ResetScreen(): JSX.Element {
  const resetToken = route.value.query.get('token') ?? '';
  const [form, setForm] = useState({ next: '', confirm: '' });
  const [mismatch, setMismatch] = useState(false);
  const action = useAction<{ ended: number }>();

  const submit = async (e: Event) => {
    e.preventDefault();
    const differ = form.next !== form.confirm;
    setMismatch(differ);
    if (differ) return;
    // Signed in here too? The reset ends this session as well: no surprise.
    const res = await leaving(() => action.run(() => confirmReset(resetToken, form.next)));
    if (res?.ok) {
      // The server ended every session, this browser's included (if it was signed in).
      endLocally('reset');
      go('/login');
    }
  };

  const fields = action.error?.fields ?? {};
  // A used, expired or unknown token: the link is spent, ask for a new one.
  const badLink =
    !resetToken ||
    Boolean(fields.token) ||
    action.error?.code === 'NOT_FOUND' ||
    action.error?.code === 'UNAUTHENTICATED';
  const general = action.error && !badLink && !fields.next ? errorText(action.error) : null;
  return (
    <AuthFrame screen="reset">
      <h2>{t('reset.title')}</h2>
      {badLink ? (
        <Banner>
          <span data-bad-link>{resetToken ? t('reset.badLink') : t('reset.noToken')}</span>{' '}
          <a href="#/forgot">{t('reset.again')}</a>
        </Banner>
      ) : null}
      {general ? <Banner>{general}</Banner> : null}
      <form class="stack" onSubmit={submit} noValidate data-form="reset">
        <Field label={t('password.next')} name="next" error={fields.next} hint={t('auth.passwordHint')}>
          <input
            name="next"
            type="password"
            autocomplete="new-password"
            value={form.next}
            onInput={(e) => setForm({ ...form, next: e.currentTarget.value })}
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
            onInput={(e) => setForm({ ...form, confirm: e.currentTarget.value })}
            required
          />
        </Field>
        <button
          class="btn btn--primary btn--block"
          type="submit"
          data-action="submit"
          disabled={action.busy || !resetToken || !form.next}
        >
          {t('reset.submit')}
        </button>
      </form>
    </AuthFrame>
  );
}
