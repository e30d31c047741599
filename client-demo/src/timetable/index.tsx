import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import type { CourseDto, EntryDto, TimetableDto } from '../../../shared/dto';
import type { Ack } from '../../../shared/events';
import type { AddCustomInput } from '../../../shared/schemas/timetables';
import { t } from '../i18n';
import { go, type Route } from '../lib/router';
import { useQuad } from '../lib/session';
import { ErrorBanner, Spinner, Tabs } from '../ui/kit';
import { colorsOf } from './colors';
import { CourseSearch } from './CourseSearch';
import { CustomEntryForm } from './CustomEntryForm';
import { EntrySheet } from './EntrySheet';
import { SemesterPicker, semester, semestersError, useSemesters } from './semester';
import { TimetableHeader, TimetableTabs } from './TimetableBar';
import { settle, useTimetables } from './useTimetables';
import { WeekGrid } from './WeekGrid';
import './timetable.css';

/** `#/timetable`, `#/timetable/:id`. */
export function TimetableRoutes(props: { route: Route }): JSX.Element {
  useSemesters();
  const id = Number(props.route.parts[1]);
  if (semestersError.value) return <ErrorBanner error={semestersError.value} />;
  if (!semester.value) return <Spinner />;
  return <TimetableScreen routeId={Number.isInteger(id) && id > 0 ? id : null} semester={semester.value} />;
}

function TimetableScreen(props: { routeId: number | null; semester: string }): JSX.Element {
  const quad = useQuad();
  const tables = useTimetables(props.routeId);
  const [preview, setPreview] = useState<CourseDto | null>(null);
  const [selected, setSelected] = useState<EntryDto | null>(null);
  const [panel, setPanel] = useState<'search' | 'custom'>('search');
  const current = tables.current;

  /** Runs a change on the current timetable (made on first use) and shows its answer. */
  const change = async (
    work: (timetableId: number) => Promise<Ack<TimetableDto>>,
  ): Promise<Ack<TimetableDto>> => {
    const id = await tables.ensure();
    if (!id.ok) return id;
    const res = await settle(work(id.data));
    if (res.ok) tables.show(res.data);
    return res;
  };
  const addCourse = (course: CourseDto) =>
    change((timetableId) => quad.timetables.ask('timetable:addCourse', { timetableId, courseId: course.id }));
  const addCustom = (input: Omit<AddCustomInput, 'timetableId'>) =>
    change((timetableId) => quad.timetables.ask('timetable:addCustom', { timetableId, ...input }));
  const removeEntry = (entry: EntryDto) =>
    change((timetableId) => quad.timetables.ask('timetable:removeEntry', { timetableId, entryId: entry.id }));

  return (
    <div class="tt" data-timetable={current?.id ?? ''}>
      <div class="tt__top">
        <h2>{t('nav.timetable')}</h2>
        <SemesterPicker onChange={() => go('/timetable')} />
      </div>
      <TimetableTabs tables={tables} semester={props.semester} />
      <ErrorBanner error={tables.error} />
      <div class="tt__layout">
        <section class="card tt__main">
          {current ? (
            <TimetableHeader key={current.id} tables={tables} timetable={current} />
          ) : tables.list ? (
            <NoTimetable create={() => void tables.ensure()} />
          ) : null}
          {tables.loading && !current ? (
            <Spinner />
          ) : (
            <WeekGrid
              mine={current?.entries ?? []}
              preview={preview}
              selectedId={selected?.id ?? null}
              onSelect={setSelected}
              empty={<p>{t(current ? 'tt.emptyGrid' : 'tt.noTimetableGrid')}</p>}
            />
          )}
        </section>
        <aside class="card tt__side">
          <Tabs
            value={panel}
            options={[
              { value: 'search', label: t('tt.searchTab') },
              { value: 'custom', label: t('tt.customTab') },
            ]}
            onChange={(p) => {
              setPanel(p);
              setPreview(null);
            }}
          />
          {panel === 'search' ? (
            <CourseSearch
              semester={props.semester}
              timetable={current}
              add={addCourse}
              preview={setPreview}
            />
          ) : (
            <CustomEntryForm add={addCustom} />
          )}
        </aside>
      </div>
      {selected && current ? (
        <EntrySheet
          entry={selected}
          color={colorsOf(current.entries).get(selected.id) ?? ''}
          remove={() => removeEntry(selected)}
          close={() => setSelected(null)}
        />
      ) : null}
    </div>
  );
}

/** A semester without a timetable: one click makes "시간표 1" (so does the first add). */
function NoTimetable(props: { create: () => void }): JSX.Element {
  return (
    <div class="tt-head" data-no-timetable>
      <div class="tt-head__title">
        <h3>{t('tt.noTimetable')}</h3>
        <span class="muted">{t('tt.noTimetableHint')}</span>
      </div>
      <button
        type="button"
        class="btn btn--primary btn--small"
        data-action="create-first"
        onClick={props.create}
      >
        {t('tt.createFirst')}
      </button>
    </div>
  );
}
