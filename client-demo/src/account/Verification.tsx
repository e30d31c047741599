import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { VerificationStartedDto, VerifiedDto } from '../../../shared/dto';
import type { ErrorWire } from '../../../shared/errors';
import { duration, errorText, fieldText, t, when } from '../i18n';
import { needsVerification } from '../lib/refusals';
import { updateUser, user } from '../lib/session';
import { Banner, Field, useAction } from '../ui/kit';
import { confirmVerification, startVerification } from './api';
import { SettingsPage } from './Page';

type VerificationSent = VerificationStartedDto;
type Verified = VerifiedDto;

/**
 * `#/me/verify`: the school email, then the 6-digit code mailed to it (valid 10 minutes, a few
 * tries, resend limited). Done, the account is verified for its school and writes are open.
 */
export function Verification(): JSX.Element {
  const mine = user.value!;
  const [sent, setSent] = useState<VerificationSent | null>(null);
  const [done, setDone] = useState<Verified | null>(null);
  if (done) {
    return (
      <SettingsPage id="verify">
        <Banner kind="ok">
          <span data-done="verify">{t('verify.done', { school: done.school })}</span>
        </Banner>
        <p>
          <span class="muted">{t('verify.verified')}</span> <strong data-role="email">{done.email}</strong>
        </p>
      </SettingsPage>
    );
  }
  return (
    <SettingsPage id="verify">
      <p class="muted">{t('verify.hint')}</p>
      {mine.verified && mine.email ? (
        <p data-verified="true">
          <span class="muted">{t('verify.verified')}</span> <strong data-role="email">{mine.email}</strong>
        </p>
      ) : sent ? (
        <CodeForm sent={sent} onResent={setSent} onBack={() => setSent(null)} onDone={setDone} />
      ) : (
        <EmailForm initial={mine.email ?? ''} onSent={setSent} />
      )}
    </SettingsPage>
  );
}

/** Why a code could not be sent, as a sentence for the email field (or `undefined`: say it above). */
function emailError(error: ErrorWire | null): string | undefined {
  const problem = error?.fields?.email;
  if (problem === undefined) return error?.code === 'CONFLICT' ? t('verify.taken') : undefined;
  const domains = /^must be an address at (.+)$/.exec(problem)?.[1];
  if (domains) return t('verify.wrongDomain', { domains });
  if (problem === 'verifies another account') return t('verify.taken');
  if (problem === 'already verifies this account') return t('verify.already');
  if (problem === 'must be an email address') return t('verify.notEmail');
  return fieldText(problem);
}

function generalError(error: ErrorWire): string {
  if (error.code === 'UNAVAILABLE') return t('verify.mailDown');
  // Verification is off on this server (no SCHOOL_EMAIL_DOMAINS).
  if (error.code === 'FORBIDDEN' && !error.reason) return t('verify.unsupported');
  return errorText(error);
}

function EmailForm(props: { initial: string; onSent: (s: VerificationSent) => void }): JSX.Element {
  const [email, setEmail] = useState(props.initial);
  const action = useAction<VerificationSent>();
  const submit = async (e: Event) => {
    e.preventDefault();
    await action.run(() => startVerification(email.trim()), props.onSent);
  };
  const fieldError = emailError(action.error);
  return (
    <form class="settings__form" onSubmit={submit} noValidate data-form="verify-email">
      {action.error && !fieldError ? <Banner>{generalError(action.error)}</Banner> : null}
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
      <button class="btn btn--primary" type="submit" data-action="send-code" disabled={action.busy || !email}>
        {t('verify.send')}
      </button>
    </form>
  );
}

function CodeForm(props: {
  sent: VerificationSent;
  onResent: (s: VerificationSent) => void;
  onBack: () => void;
  onDone: (v: Verified) => void;
}): JSX.Element {
  const { sent } = props;
  const [code, setCode] = useState('');
  const [now, setNow] = useState(Date.now());
  const action = useAction<Verified>();
  const resend = useAction<VerificationSent>();
  const resendAt = Date.parse(sent.resendAfter);
  useEffect(() => {
    if (now >= resendAt) return;
    const timer = setTimeout(() => setNow(Date.now()), 1000);
    return () => clearTimeout(timer);
  }, [now, resendAt]);

  const submit = async (e: Event) => {
    e.preventDefault();
    await action.run(
      () => confirmVerification(code.trim()),
      (data) => {
        updateUser({ email: data.email, verified: true });
        needsVerification.value = false;
        props.onDone(data);
      },
    );
  };
  const again = () =>
    void resend.run(
      () => startVerification(sent.email),
      (data) => {
        setCode('');
        props.onResent(data);
      },
    );

  const wait = Math.ceil((resendAt - now) / 1000);
  return (
    <form class="settings__form" onSubmit={submit} noValidate data-form="verify-code">
      <Banner kind="info">
        <span data-sent-to={sent.email}>
          {t('verify.sent', { email: sent.email, when: when(sent.expiresAt) })}
        </span>
      </Banner>
      {resend.error ? <Banner>{generalError(resend.error)}</Banner> : null}
      {action.error && !codeError(action.error) ? <Banner>{errorText(action.error)}</Banner> : null}
      <Field label={t('verify.code')} name="code" error={codeError(action.error)}>
        <input
          name="code"
          inputMode="numeric"
          autocomplete="one-time-code"
          maxLength={6}
          pattern="[0-9]{6}"
          value={code}
          onInput={(e) => setCode(e.currentTarget.value.replace(/\D/g, ''))}
          required
        />
      </Field>
      <div class="settings__actions">
        <button
          class="btn btn--primary"
          type="submit"
          data-action="confirm-code"
          disabled={action.busy || code.length !== 6}
        >
          {t('verify.confirm')}
        </button>
        <span class="spacer" />
        <button
          type="button"
          class="btn btn--ghost btn--small"
          data-action="other-email"
          onClick={props.onBack}
        >
          {t('verify.otherEmail')}
        </button>
        <button
          type="button"
          class="btn btn--small"
          data-action="resend-code"
          disabled={resend.busy || wait > 0}
          title={wait > 0 ? t('verify.resendIn', { after: duration(wait) }) : undefined}
          onClick={again}
        >
          {wait > 0 ? t('verify.resendIn', { after: duration(wait) }) : t('verify.resend')}
        </button>
      </div>
    </form>
  );
}

/** The code's problems the server names in `fields.code`, and the sentence for each. */
const CODE_PROBLEMS: [RegExp, string][] = [
  [/no tries left/, 'verify.noTriesLeft'],
  [/^is wrong \((\d+) left\)$/, 'verify.triesLeft'],
  [/expired/, 'verify.expired'],
  [/already used/, 'verify.used'],
  [/not sent/, 'verify.notSent'],
  [/6 digits/, 'verify.sixDigits'],
];

/** A wrong, expired or spent code (with the tries left), or too many wrong ones (locked until `retryAfter`). */
function codeError(error: ErrorWire | null): string | undefined {
  if (!error) return undefined;
  if (error.code === 'RATE_LIMITED') return t('verify.locked', { after: duration(error.retryAfter ?? 60) });
  const problem = error.fields?.code;
  if (problem === undefined) return undefined;
  for (const [re, key] of CODE_PROBLEMS) {
    const m = re.exec(problem);
    if (m) return t(key, { n: m[1] ?? '' });
  }
  return fieldText(problem);
}
