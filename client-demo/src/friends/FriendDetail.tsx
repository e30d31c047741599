import type { JSX } from 'preact';
import type { FreeIntervalDto, TimetableDto } from '../../../shared/dto';
import type { ErrorWire } from '../../../shared/errors';
import { dayName, errorText, t } from '../i18n';
import { user } from '../lib/session';
import { Icon } from '../ui/icons';
import { Banner, Spinner } from '../ui/kit';
import { SemesterPicker, semester, semestersError, useSemesters } from '../timetable/semester';
import { WEEK, durationText } from '../timetable/time';
import { WeekGrid } from '../timetable/WeekGrid';
import { useCompare } from './useCompare';

/** `#/friends/:id`: the friend's primary timetable over mine, and when we are both free. */
export function FriendDetail(props: { friendId: number }): JSX.Element {
  useSemesters();
  const sem = semester.value;
  return (
    <div class="fr-detail">
      <div class="tt__top">
        <a class="btn btn--ghost btn--small" href="#/friends" data-action="back">
          <Icon name="back" size={16} />
          {t('nav.friends')}
        </a>
        <SemesterPicker />
      </div>
      {semestersError.value ? (
        <Banner>{errorText(semestersError.value)}</Banner>
      ) : sem ? (
        <Comparison friendId={props.friendId} semester={sem} />
      ) : (
        <Spinner />
      )}
    </div>
  );
}

function Comparison(props: { friendId: number; semester: string }): JSX.Element {
  const c = useCompare(props.friendId, props.semester);
  if (c.friend === undefined) return <Spinner />;
  if (c.friend === null) {
    return (
      <div class="card">
        <Banner kind="info">{t('fr.notFriend')}</Banner>
      </div>
    );
  }
  const name = c.friend.nickname;
  const theirs = c.theirs && 'entries' in c.theirs ? c.theirs : null;
  const problem = c.theirs && !('entries' in c.theirs) ? c.theirs : null;
  return (
    <>
      <h2 class="fr-detail__title" data-friend-id={c.friend.id}>
        {t('fr.compareTitle', { name })}
      </h2>
      <div class="tt__layout">
        <section class="card tt__main">
          <Legend me={user.value?.nickname ?? ''} friend={name} showFriend={!!theirs} showFree={!!c.free} />
          {problem ? <Problem error={problem} name={name} /> : null}
          {c.loading ? (
            <Spinner />
          ) : (
            <WeekGrid
              mine={c.mine?.entries ?? []}
              friend={theirs?.entries ?? []}
              free={c.free ?? []}
              empty={<p>{t('fr.bothEmpty')}</p>}
            />
          )}
        </section>
        <aside class="card tt__side">
          <FreeList free={c.free} loading={c.loading} />
          <Summary label={t('fr.mine')} timetable={c.mine} empty={t('fr.mineNone')} />
          {theirs ? <Summary label={name} timetable={theirs} empty="" /> : null}
        </aside>
      </div>
    </>
  );
}

function Legend(props: { me: string; friend: string; showFriend: boolean; showFree: boolean }): JSX.Element {
  return (
    <div class="legend" data-legend>
      <span class="legend__item">
        <span class="legend__swatch legend__swatch--me" />
        {t('fr.legendMe', { name: props.me })}
      </span>
      {props.showFriend ? (
        <span class="legend__item">
          <span class="legend__swatch legend__swatch--friend" />
          {props.friend}
        </span>
      ) : null}
      {props.showFree ? (
        <span class="legend__item">
          <span class="legend__swatch legend__swatch--free" />
          {t('fr.legendFree')}
        </span>
      ) : null}
    </div>
  );
}

/** A friendly word for a timetable we may not see, or that does not exist yet. */
function Problem(props: { error: ErrorWire; name: string }): JSX.Element {
  const key =
    props.error.code === 'FORBIDDEN'
      ? 'fr.private'
      : props.error.code === 'NOT_FOUND'
        ? 'fr.noTimetable'
        : null;
  return (
    <Banner kind="info">
      <span data-friend-problem={props.error.code}>
        {key ? t(key, { name: props.name }) : errorText(props.error)}
      </span>
    </Banner>
  );
}

/** Common free time, one row a day: "월  12:50–13:30 40분 · 14:45–16:30 1시간 45분". */
function FreeList(props: { free: FreeIntervalDto[] | null; loading: boolean }): JSX.Element {
  const free = props.free;
  const body = props.loading ? (
    <Spinner />
  ) : !free ? (
    <p class="muted">{t('fr.freeUnknown')}</p>
  ) : free.length === 0 ? (
    <p class="muted">{t('fr.freeNone')}</p>
  ) : (
    <ul class="free__list">
      {WEEK.filter((d) => free.some((f) => f.day === d)).map((day) => (
        <li class="free__day" data-free-day={day}>
          <span class="free__dayname">{dayName(day)}</span>
          <span class="free__times">
            {free
              .filter((f) => f.day === day)
              .map((f) => (
                <span class="free__item" data-free-item={`${f.day} ${f.start}-${f.end}`}>
                  {f.start}–{f.end}
                  <span class="free__len">{durationText(f.minutes)}</span>
                </span>
              ))}
          </span>
        </li>
      ))}
    </ul>
  );
  return (
    <div class="free" data-free-list>
      <h3>{t('fr.freeTitle')}</h3>
      {body}
    </div>
  );
}

function Summary(props: { label: string; timetable: TimetableDto | null; empty: string }): JSX.Element {
  const tt = props.timetable;
  return (
    <div class="fr-summary">
      <strong>{props.label}</strong>
      <span class="muted">
        {tt
          ? `${tt.name} · ${t('tt.credits', { n: tt.totalCredits })} · ${t('tt.entryCount', { n: tt.entries.length })}`
          : props.empty}
      </span>
    </div>
  );
}
