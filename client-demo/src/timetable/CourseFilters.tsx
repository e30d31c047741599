import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import type { CoursesSearchInput } from '../../../shared/schemas/timetables';
import { t } from '../i18n';
import { Icon } from '../ui/icons';
import { Choice, dayOptions, halfHours } from './fields';
import type { Day } from './time';

export interface Filters {
  q: string;
  department: string;
  professor: string;
  day: Day | '';
  from: string;
  to: string;
  credits: string;
}

export const NO_FILTERS: Filters = {
  q: '',
  department: '',
  professor: '',
  day: '',
  from: '',
  to: '',
  credits: '',
};

/** The `courses:search` payload for these filters (empty ones left out). */
export function searchInput(semester: string, f: Filters): Omit<CoursesSearchInput, 'limit'> {
  const text = (v: string) => v.trim() || undefined;
  return {
    semester,
    q: text(f.q),
    department: text(f.department),
    professor: text(f.professor),
    day: f.day || undefined,
    from: f.from || undefined,
    to: f.to || undefined,
    credits: f.credits === '' ? undefined : Number(f.credits),
  };
}

const CREDITS = ['1', '2', '3', '4'];

/** The search box, and the other filters behind a toggle (they take room on a phone). */
export function CourseFilters(props: { value: Filters; onChange: (f: Filters) => void }): JSX.Element {
  const f = props.value;
  const set = <K extends keyof Filters>(key: K, v: Filters[K]) => props.onChange({ ...f, [key]: v });
  const active = (['department', 'professor', 'day', 'from', 'to', 'credits'] as const).filter(
    (k) => f[k],
  ).length;
  const [open, setOpen] = useState(false);
  return (
    <div class="filters" data-filters>
      <div class="filters__top">
        <label class="filters__q">
          <Icon name="search" size={17} />
          <input
            class="input"
            name="q"
            type="search"
            placeholder={t('tt.searchPlaceholder')}
            aria-label={t('tt.searchPlaceholder')}
            value={f.q}
            onInput={(e) => set('q', e.currentTarget.value)}
          />
        </label>
        <button
          type="button"
          class={`btn btn--small${open || active ? ' btn--on' : ''}`}
          data-action="filters"
          aria-expanded={open}
          onClick={() => setOpen(!open)}
        >
          {t('tt.filters')}
          {active ? <span class="filters__count">{active}</span> : null}
        </button>
      </div>
      {open ? (
        <div class="filters__more">
          {(['department', 'professor'] as const).map((key) => (
            <input
              class="input"
              name={key}
              placeholder={t(`tt.${key}`)}
              aria-label={t(`tt.${key}`)}
              value={f[key]}
              onInput={(e) => set(key, e.currentTarget.value)}
            />
          ))}
          <Choice
            name="day"
            label={t('tt.day')}
            any={t('tt.anyDay')}
            options={dayOptions()}
            value={f.day}
            onChange={(d) => set('day', d)}
          />
          <Choice
            name="credits"
            label={t('tt.creditsLabel')}
            any={t('tt.anyCredits')}
            options={CREDITS.map((n) => ({ value: n, label: t('tt.creditsShort', { n }) }))}
            value={f.credits}
            onChange={(c) => set('credits', c)}
          />
          {(['from', 'to'] as const).map((key) => (
            <Choice
              name={key}
              label={t(`tt.${key}`)}
              any={t(`tt.${key}Any`)}
              options={halfHours((time) => t(`tt.${key}Time`, { time }))}
              value={f[key]}
              onChange={(v) => set(key, v)}
            />
          ))}
          {active ? (
            <button
              type="button"
              class="btn btn--ghost btn--small filters__reset"
              data-action="reset-filters"
              onClick={() => props.onChange({ ...NO_FILTERS, q: f.q })}
            >
              {t('tt.resetFilters')}
            </button>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
