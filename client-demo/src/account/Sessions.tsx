import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { SessionDto } from '../../../shared/dto';
import type { ErrorWire } from '../../../shared/errors';
import { ago, errorText, t, when } from '../i18n';
import { clock } from '../boards/store';
import { toast } from '../boards/toast';
import { Icon } from '../ui/icons';
import { ErrorBanner, Spinner } from '../ui/kit';
import { endOtherSessions, endSession, listSessions } from './api';
import { SettingsPage } from './Page';

/**
 * `#/me/sessions`: every device logged in to this account (most recently used first), each
 * with 로그아웃; ending one disconnects its sockets on every node and its screen goes to login.
 */
export function Sessions(): JSX.Element {
  const [sessions, setSessions] = useState<SessionDto[] | null>(null);
  const [error, setError] = useState<ErrorWire | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  const load = async () => {
    const res = await listSessions();
    if (res.ok) {
      setSessions(res.data.sessions);
      setError(null);
    } else setError(res.error);
  };
  useEffect(() => void load(), []);

  const end = async (s: SessionDto) => {
    setBusy(s.id);
    const res = await endSession(s.id);
    setBusy(null);
    // Already gone (ended elsewhere, or expired) is as good as done.
    if (res.ok || res.error.code === 'NOT_FOUND') {
      setSessions((list) => list?.filter((x) => x.id !== s.id) ?? null);
      toast(t('sessions.ended'));
    } else toast(errorText(res.error));
  };
  const endOthers = async () => {
    setBusy('others');
    const res = await endOtherSessions();
    setBusy(null);
    if (!res.ok) return toast(errorText(res.error));
    setSessions((list) => list?.filter((x) => x.current) ?? null);
    toast(t('sessions.endedOthers', { n: res.data.ended }));
  };
  void clock.value;

  const others = sessions?.filter((s) => !s.current).length ?? 0;
  return (
    <SettingsPage id="sessions">
      <p class="muted">{t('sessions.hint')}</p>
      <ErrorBanner error={error} />
      {!sessions && !error ? <Spinner /> : null}
      <ul class="session-list">
        {sessions?.map((s) => (
          <li
            class={`session${s.current ? ' session--current' : ''}`}
            key={s.id}
            data-session-id={s.id}
            data-current={String(s.current)}
          >
            <Icon name={s.current ? 'check' : 'user'} size={18} />
            <div class="session__text">
              <strong data-role="device">{device(s.userAgent)}</strong>
              <span class="muted">
                {s.ip ?? t('sessions.unknownIp')} · {t('sessions.lastUsed', { when: ago(s.lastUsedAt) })}
              </span>
              <span class="muted session__since">{t('sessions.signedIn', { when: when(s.createdAt) })}</span>
            </div>
            {s.current ? (
              <span class="chip chip--ok">{t('sessions.current')}</span>
            ) : (
              <button
                type="button"
                class="btn btn--small"
                data-action="end-session"
                disabled={busy !== null}
                onClick={() => void end(s)}
              >
                {t('sessions.end')}
              </button>
            )}
          </li>
        ))}
      </ul>
      <div class="settings__actions">
        <button
          type="button"
          class="btn btn--small btn--ghost"
          data-action="reload"
          onClick={() => void load()}
        >
          <Icon name="undo" size={14} />
          {t('sessions.reload')}
        </button>
        <span class="spacer" />
        <button
          type="button"
          class="btn btn--small"
          data-action="end-others"
          disabled={busy !== null || others === 0}
          onClick={() => void endOthers()}
        >
          <Icon name="logout" size={14} />
          {t('sessions.endOthers')}
        </button>
      </div>
    </SettingsPage>
  );
}

const BROWSERS: [RegExp, string][] = [
  [/Edg\//, 'Edge'],
  [/OPR\//, 'Opera'],
  [/SamsungBrowser\//, 'Samsung Internet'],
  [/Whale\//, 'Whale'],
  [/Firefox\//, 'Firefox'],
  [/Chrom(e|ium)\//, 'Chrome'],
  [/Version\/.*Safari\//, 'Safari'],
];
const SYSTEMS: [RegExp, string][] = [
  [/iPhone|iPad|iPod/, 'iOS'],
  [/Android/, 'Android'],
  [/Windows/, 'Windows'],
  [/Mac OS X|Macintosh/, 'macOS'],
  [/CrOS/, 'ChromeOS'],
  [/Linux/, 'Linux'],
];

/** "Chrome · Windows" from a User-Agent; an app's own agent ("quad-bot/1.2") as it is. */
function device(ua: string | null): string {
  if (!ua) return t('sessions.unknownDevice');
  const browser = BROWSERS.find(([re]) => re.test(ua))?.[1];
  const os = SYSTEMS.find(([re]) => re.test(ua))?.[1];
  if (browser && os) return t('sessions.on', { browser, os });
  return browser ?? os ?? ua.split(/[\s(]/)[0]!.slice(0, 40);
}
