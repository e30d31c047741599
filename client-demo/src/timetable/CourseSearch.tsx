import type { JSX } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { CourseDto, TimetableDto } from '../../../shared/dto';
import type { ErrorWire } from '../../../shared/errors';
import type { Ack } from '../../../shared/events';
import { errorText, t } from '../i18n';
import { useQuad } from '../lib/session';
import { Icon } from '../ui/icons';
import { Empty, Spinner } from '../ui/kit';
import { AddError } from './AddError';
import { CourseFilters, NO_FILTERS, searchInput, type Filters } from './CourseFilters';
import { settle } from './useTimetables';
import { bySlot, overlapsAny, slotText } from './time';
import './panel.css';

/** How long typing pauses before the catalog is asked (keeps within the socket's rate limit). */
const TYPING_PAUSE_MS = 300;

/**
 * The course catalog of the semester: filters, results page by page ("더 보기"), and an
 * add button per course. Pointing at (or tapping) a result previews it on the grid.
 */
export function CourseSearch(props: {
  semester: string;
  timetable: TimetableDto | null;
  add: (course: CourseDto) => Promise<Ack<TimetableDto>>;
  preview: (course: CourseDto | null) => void;
}): JSX.Element {
  const quad = useQuad();
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [items, setItems] = useState<CourseDto[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<ErrorWire | null>(null);
  const [addErrors, setAddErrors] = useState<Record<number, ErrorWire>>({});
  const [adding, setAdding] = useState<number | null>(null);
  const [picked, setPicked] = useState<number | null>(null);
  const asked = useRef(0);

  const search = async (after: string | null) => {
    const mine = ++asked.current;
    setLoading(true);
    const res = await settle(
      quad.timetables.ask('courses:search', {
        ...searchInput(props.semester, filters),
        ...(after && { cursor: after }),
      }),
    );
    if (mine !== asked.current) return;
    setLoading(false);
    if (!res.ok) return setError(res.error);
    setError(null);
    if (!after) {
      // A new list: a preview of a course no longer listed would be a ghost on the grid.
      setPicked(null);
      props.preview(null);
    }
    setItems((prev) => (after ? [...(prev ?? []), ...res.data.items] : res.data.items));
    setCursor(res.data.nextCursor);
  };

  useEffect(() => {
    const timer = setTimeout(() => void search(null), items ? TYPING_PAUSE_MS : 0);
    return () => clearTimeout(timer);
  }, [props.semester, filters]);

  const add = async (course: CourseDto) => {
    setAdding(course.id);
    const res = await props.add(course);
    setAdding(null);
    setAddErrors(({ [course.id]: _, ...rest }) => (res.ok ? rest : { ...rest, [course.id]: res.error }));
  };

  const entries = props.timetable?.entries ?? [];
  const added = new Set(entries.map((e) => e.courseId));

  return (
    <div class="search" data-panel="search">
      <CourseFilters value={filters} onChange={setFilters} />
      {error ? <div class="banner banner--error">{errorText(error)}</div> : null}
      {items === null ? (
        <Spinner />
      ) : items.length === 0 ? (
        <Empty>{t('tt.noCourses')}</Empty>
      ) : (
        <ul class="courses" onMouseLeave={() => props.preview(null)}>
          {items.map((c) => (
            <li
              class={`course${picked === c.id ? ' course--on' : ''}`}
              data-course-id={c.id}
              onMouseEnter={() => props.preview(added.has(c.id) ? null : c)}
              onClick={() => {
                setPicked(picked === c.id ? null : c.id);
                props.preview(picked === c.id || added.has(c.id) ? null : c);
              }}
            >
              <div class="course__body">
                <div class="course__name">
                  <strong>{c.name}</strong>
                  <span class="course__code">{c.code}</span>
                </div>
                <div class="course__meta">
                  {c.professor}
                  <span class="tt-dot">·</span>
                  {c.department}
                  <span class="tt-dot">·</span>
                  {t('tt.creditsShort', { n: c.credits })}
                </div>
                <div class="course__time" data-times>
                  {[...c.slots].sort(bySlot).map((s, i) => (
                    <>
                      {i > 0 ? ', ' : ''}
                      <span class="course__slot">{slotText(s)}</span>
                    </>
                  ))}
                  {places(c) ? (
                    <>
                      {' · '}
                      <span class="course__slot">{places(c)}</span>
                    </>
                  ) : null}
                </div>
                <AddError error={addErrors[c.id] ?? null} />
              </div>
              <div class="course__side">
                {added.has(c.id) ? (
                  <span class="chip" data-added>
                    {t('tt.added')}
                  </span>
                ) : (
                  <>
                    <button
                      type="button"
                      class="btn btn--small course__add"
                      data-action="add-course"
                      disabled={adding === c.id}
                      onClick={(e) => {
                        e.stopPropagation();
                        void add(c);
                      }}
                    >
                      <Icon name="plus" size={14} />
                      {t('tt.add')}
                    </button>
                    {overlapsAny(c.slots, entries) ? (
                      <span class="course__warn">{t('tt.overlaps')}</span>
                    ) : null}
                  </>
                )}
              </div>
            </li>
          ))}
        </ul>
      )}
      {cursor ? (
        <button
          type="button"
          class="btn btn--block"
          data-action="more"
          disabled={loading}
          onClick={() => void search(cursor)}
        >
          {loading ? t('common.loading') : t('common.more')}
        </button>
      ) : null}
    </div>
  );
}

/** The rooms a course meets in, each once. */
function places(c: CourseDto): string {
  return [...new Set(c.slots.map((s) => s.place).filter(Boolean))].join(', ');
}
