import type { JSX } from 'preact';
import { useEffect } from 'preact/hooks';
import { AuthScreen } from './auth/AuthScreen';
import { BoardsRoutes } from './boards';
import { FriendsRoutes } from './friends';
import { lang, setLang, t } from './i18n';
import { NotificationsScreen } from './notifications';
import { go, route } from './lib/router';
import { connection, incomingCount, logout, restored, unread, user } from './lib/session';
import { TimetableRoutes } from './timetable';
import { Icon, type IconName } from './ui/icons';
import { Badge, Spinner } from './ui/kit';

/** The shell: header (navigation, bell, connection, language, account) and the routed screen. */
export function App(): JSX.Element {
  const r = route.value;
  const me = user.value;
  const section = r.parts[0] ?? '';

  // Signed in on a sign-in address (or none): show the boards. Reads the route afresh, since
  // the hash may have changed again before this effect runs.
  useEffect(() => {
    const now = route.value.parts[0] ?? '';
    if (me && (now === 'login' || now === 'signup' || now === '')) go('/boards');
  }, [me, section]);

  if (!restored.value) return <Spinner />;
  if (!me) return <AuthScreen mode={section === 'signup' ? 'signup' : 'login'} />;

  return (
    <div class="shell">
      <Header section={section} />
      <main class="main" data-screen={section}>
        <Screen section={section} />
      </main>
      <BottomNav section={section} />
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
    case 'timetable':
      return <TimetableRoutes route={r} />;
    case 'friends':
      return <FriendsRoutes route={r} />;
    default:
      return null;
  }
}

const SECTIONS = [
  { id: 'boards', icon: 'boards', label: 'nav.boards' },
  { id: 'timetable', icon: 'timetable', label: 'nav.timetable' },
  { id: 'friends', icon: 'friends', label: 'nav.friends' },
] as const satisfies readonly { id: string; icon: IconName; label: string }[];

function Header(props: { section: string }): JSX.Element {
  const me = user.value!;
  return (
    <header class="header">
      <a class="header__brand" href="#/boards">
        <span class="logo">Q</span>
        <span class="header__name">Quad</span>
      </a>
      <nav class="header__nav">
        {SECTIONS.map((s) => (
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
        <span class="header__me" title={me.username}>
          {me.nickname}
        </span>
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
    </nav>
  );
}
