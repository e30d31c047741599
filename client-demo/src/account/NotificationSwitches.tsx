import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { NotificationKind } from '../../../shared/dto';
import { errorText, t } from '../i18n';
import { loadNotificationSettings, notificationSettings } from '../lib/notify';
import { useQuad } from '../lib/session';
import { toast } from '../boards/toast';
import { Spinner } from '../ui/kit';
import { SettingsPage } from './Page';

const KINDS: NotificationKind[] = ['comment', 'reply', 'hot', 'friend', 'moderation', 'message'];

/**
 * `#/me/notifications`: one switch per kind. A change is pushed to the user's other devices
 * (`notification:settings`), whose switches move with it, live.
 */
export function NotificationSwitches(): JSX.Element {
  const settings = notificationSettings.value;
  const [busy, setBusy] = useState<NotificationKind | null>(null);
  useEffect(() => {
    if (!notificationSettings.value) void loadNotificationSettings(useQuad().boards);
  }, []);

  const flip = async (kind: NotificationKind, on: boolean) => {
    setBusy(kind);
    const res = await useQuad()
      .boards.ask('notifications:settings:set', { kinds: { [kind]: on } })
      .catch(() => null);
    setBusy(null);
    if (res?.ok) notificationSettings.value = res.data;
    else toast(res ? errorText(res.error) : t('error.UNAVAILABLE'));
  };

  return (
    <SettingsPage id="notifications">
      <p class="muted">{t('notifset.hint')}</p>
      {!settings ? <Spinner /> : null}
      {settings ? (
        <ul class="switch-list">
          {KINDS.map((kind) => {
            const on = settings.kinds[kind];
            return (
              <li key={kind}>
                <label class="switch-row" data-kind={kind} data-on={String(on)}>
                  <span class="switch-row__text">
                    <strong>{t(`notifset.${kind}`)}</strong>
                    <span class="muted">{t(`notifset.${kind}Desc`)}</span>
                  </span>
                  <input
                    type="checkbox"
                    role="switch"
                    class="switch"
                    name={kind}
                    checked={on}
                    aria-checked={on}
                    disabled={busy === kind}
                    onChange={(e) => void flip(kind, e.currentTarget.checked)}
                  />
                  <span class="switch-row__state">{t(on ? 'notifset.on' : 'notifset.off')}</span>
                </label>
              </li>
            );
          })}
        </ul>
      ) : null}
    </SettingsPage>
  );
}
