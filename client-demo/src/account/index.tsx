import type { JSX } from 'preact';
import { t, when } from '../i18n';
import { isStaff, role, suspension } from '../lib/account';
import type { Route } from '../lib/router';
import { user } from '../lib/session';
import { Icon, type IconName } from '../ui/icons';
import { Blocks } from './Blocks';
import { DeleteAccount } from './DeleteAccount';
import { MyComments, MyPosts } from './MyContent';
import { NicknameSettings } from './NicknameSettings';
import { NotificationSwitches } from './NotificationSwitches';
import { PasswordSettings } from './PasswordSettings';
import { Sessions } from './Sessions';
import { Verification } from './Verification';
import './account.css';
import './settings.css';

/** The settings screens under `#/me/<id>`, in the order the menu lists them. */
const SETTINGS: { id: string; icon: IconName; screen: () => JSX.Element }[] = [
  { id: 'nickname', icon: 'pencil', screen: NicknameSettings },
  { id: 'verify', icon: 'shield', screen: Verification },
  { id: 'password', icon: 'lock', screen: PasswordSettings },
  { id: 'sessions', icon: 'user', screen: Sessions },
  { id: 'notifications', icon: 'bell', screen: NotificationSwitches },
  { id: 'posts', icon: 'boards', screen: MyPosts },
  { id: 'comments', icon: 'comment', screen: MyComments },
  { id: 'delete', icon: 'trash', screen: DeleteAccount },
];

/** `#/me` and its settings screens `#/me/<id>`. */
export function AccountRoutes(props: { route: Route }): JSX.Element {
  const id = props.route.parts[1];
  const setting = SETTINGS.find((s) => s.id === id);
  if (setting) return <setting.screen />;
  return <AccountScreen />;
}

/** `#/me`: who I am (role, suspension), the settings menu, and whom I blocked (차단 목록). */
function AccountScreen(): JSX.Element {
  const me = user.value!;
  const s = suspension.value;
  return (
    <div class="account" data-screen="me">
      <section class="card account__me">
        <span class="author-avatar account__avatar">
          <Icon name="user" size={26} />
        </span>
        <div class="account__who">
          <h2 data-role="nickname">{me.nickname}</h2>
          <span class="muted">@{me.username}</span>
        </div>
        <span class={`role-chip role-chip--${role.value}`} data-role={role.value}>
          {t(`me.role.${role.value}`)}
        </span>
      </section>
      {s ? (
        <section class="card account__suspended" data-suspended={s.until}>
          <Icon name="lock" size={18} />
          <div>
            <strong>{t('suspended.title', { until: when(s.until) })}</strong>
            {s.reason ? <p class="muted">{t('suspended.reason', { reason: s.reason })}</p> : null}
          </div>
        </section>
      ) : null}
      {isStaff.value ? (
        <a class="card account__link" href="#/moderation" data-nav="moderation">
          <Icon name="shield" size={18} />
          <span>{t('me.moderation')}</span>
          <span class="spacer" />
          <Icon name="back" size={16} />
        </a>
      ) : null}
      <SettingsMenu />
      <Blocks />
    </div>
  );
}

function SettingsMenu(): JSX.Element {
  const verified = user.value?.verified;
  return (
    <nav class="card settings-menu" data-section="settings" aria-label={t('settings.title')}>
      <h3>{t('settings.title')}</h3>
      <ul>
        {SETTINGS.map((s) => (
          <li key={s.id}>
            <a
              class={`settings-menu__item${s.id === 'delete' ? ' settings-menu__item--danger' : ''}`}
              href={`#/me/${s.id}`}
              data-settings-link={s.id}
            >
              <Icon name={s.icon} size={18} />
              <span>{t(`settings.${s.id}`)}</span>
              <span class="spacer" />
              {s.id === 'verify' && verified ? (
                <span class="chip chip--ok" data-verified="true">
                  {t('verify.yes')}
                </span>
              ) : null}
              <Icon name="back" size={14} />
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}
