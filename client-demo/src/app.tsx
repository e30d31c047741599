import type { JSX } from 'preact';
import { useEffect } from 'preact/hooks';
import { AccountRoutes } from './account';
import { AuthScreen } from './auth/AuthScreen';
import { ForgotScreen, ResetScreen } from './auth/Recovery';
import { BoardsRoutes } from './boards';
import { Toast } from './boards/toast';
import { FriendsRoutes } from './friends';
import { lang, setLang, t } from './i18n';
import { isStaff } from './lib/account';
import { ModerationScreen } from './moderation';
import { MessagesRoutes } from './messages';
import { NotificationsScreen } from './notifications';
import { go, route } from './lib/router';
import { connection, incomingCount, logout, messageUnread, restored, unread, user } from './lib/session';
import { SuspensionBanner } from './safety/HiddenNote';
import { VerifyBanner } from './account/VerifyBanner';
import { SafetyDialogs } from './safety/SafetyMenu';
import { TimetableRoutes } from './timetable';
import { Icon, type IconName } from './ui/icons';
import { Badge, Empty, Spinner } from './ui/kit';

/** The shell: header (navigation, bell, connection, language, account) and the routed screen. */
export function App(): JSX.Element {
  const r = route.value;
  const me = user.value;
  const section = r.parts[0] ?? '';

  // Signed in on a sign-in address (or none): show the boards. Reads the route afresh, since
  // the hash may have changed again before this effect runs.
  useEffect(() => {
    const now = route.value.parts[0] ?? '';
    if (me && (now === 'login' || now === 'signup' || now === 'forgot' || now === '')) go('/boards');
  }, [me, section]);

  if (!restored.value) return <Spinner />;
  // The mailed reset link works signed in or not (it ends every session either way).
  if (section === 'reset') return <ResetScreen />;
  if (!me) {
    if (section === 'forgot') return <ForgotScreen />;
    return <AuthScreen mode={section === 'signup' ? 'signup' : 'login'} />;
  }

  return (
    <div class="shell">
      <Header section={section} />
      <main class="main" data-screen={section}>
        <SuspensionBanner />
        <VerifyBanner />
        <Screen section={section} />
      </main>
      <BottomNav section={section} />
      <SafetyDialogs />
      <Toast />
    </div>
  );
}

function Screen(props: { section: string }): JSX.Element | null {
  const r = route.value;
  switch (props.section) {
    case 'boards':
    case 'posts':
      return <BoardsRoutes route={r} />;
    case 'notifications':
      return <NotificationsScreen />;
    case 'messages':
      return <MessagesRoutes route={r} />;
    case 'timetable':
      return <TimetableRoutes route={r} />;
    case 'friends':
      return <FriendsRoutes route={r} />;
    case 'me':
      return <AccountRoutes route={r} />;
    case 'moderation':
      return isStaff.value ? <ModerationScreen /> : <Empty>{t('mod.forbidden')}</Empty>;
    default:
      return null;
  }
}

const SECTIONS = [
  { id: 'boards', icon: 'boards', label: 'nav.boards' },
  { id: 'timetable', icon: 'timetable', label: 'nav.timetable' },
  { id: 'friends', icon: 'friends', label: 'nav.friends' },
] as const satisfies readonly { id: string; icon: IconName; label: string }[];

/** Moderators and admins also get the moderation queue. */
const STAFF_SECTION = { id: 'moderation', icon: 'shield', label: 'nav.moderation' } as const;

function sections(): readonly { id: string; icon: IconName; label: string }[] {
  return isStaff.value ? [...SECTIONS, STAFF_SECTION] : SECTIONS;
}

function Header(props: { section: string }): JSX.Element {
  const me = user.value!;
  return (
    <header class="header">
      <a class="header__brand" href="#/boards">
        <span class="logo">Q</span>
        <span class="header__name">Quad</span>
      </a>
      <nav class="header__nav">
        {sections().map((s) => (
          <a
            href={`#/${s.id}`}
            class={`header__link${props.section === s.id || (s.id === 'boards' && props.section === 'posts') ? ' header__link--on' : ''}`}
            data-nav={s.id}
          >
            {t(s.label)}
            {s.id === 'friends' ? <Badge count={incomingCount.value} /> : null}
          </a>
        ))}
      </nav>
      <div class="header__tools">
        <ConnectionPill />
        <a class="bell" href="#/messages" data-nav="messages" title={t('nav.messages')}>
          <Icon name="mail" />
          <span data-unread-messages={messageUnread.value}>
            <Badge count={messageUnread.value} />
          </span>
        </a>
        <a class="bell" href="#/notifications" data-nav="notifications" title={t('nav.notifications')}>
          <Icon name="bell" />
          <span data-unread={unread.value}>
            <Badge count={unread.value} />
          </span>
        </a>
        <button
          class="btn btn--ghost btn--small"
          type="button"
          data-action="language"
          onClick={() => setLang(lang.value === 'ko' ? 'en' : 'ko')}
        >
          <Icon name="globe" size={16} />
          <span class="hide-phone">{t('nav.language')}</span>
        </button>
        <a
          class={`header__me${props.section === 'me' ? ' header__me--on' : ''}`}
          href="#/me"
          title={me.username}
          data-nav="me"
        >
          {me.nickname}
        </a>
        <button
          class="btn btn--ghost btn--small"
          type="button"
          data-action="logout"
          onClick={() => void logout().then(() => go('/login'))}
        >
          <Icon name="logout" size={16} />
          <span class="hide-phone">{t('nav.logout')}</span>
        </button>
      </div>
    </header>
  );
}

function ConnectionPill(): JSX.Element {
  const state = connection.value;
  return (
    <span class={`conn conn--${state}`} data-connection={state} role="status">
      <span class="conn__dot" />
      <span class="conn__text">{t(`conn.${state}`)}</span>
    </span>
  );
}

/** Phone-sized windows get the sections at the bottom, within thumb reach. */
function BottomNav(props: { section: string }): JSX.Element {
  return (
    <nav class="bottomnav">
      {SECTIONS.map((s) => (
        <a
          href={`#/${s.id}`}
          class={`bottomnav__item${props.section === s.id || (s.id === 'boards' && props.section === 'posts') ? ' bottomnav__item--on' : ''}`}
        >
          <span class="bottomnav__icon">
            <Icon name={s.icon} />
          </span>
          {t(s.label)}
          {s.id === 'friends' ? <Badge count={incomingCount.value} /> : null}
        </a>
      ))}
      <a
        href="#/notifications"
        class={`bottomnav__item${props.section === 'notifications' ? ' bottomnav__item--on' : ''}`}
      >
        <span class="bottomnav__icon">
          <Icon name="bell" />
        </span>
        {t('nav.notifications')}
        <Badge count={unread.value} />
      </a>
      <a href="#/me" class={`bottomnav__item${props.section === 'me' ? ' bottomnav__item--on' : ''}`}>
        <span class="bottomnav__icon">
          <Icon name="user" />
        </span>
        {t('nav.me')}
      </a>
    </nav>
  );
}
