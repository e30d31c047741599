import { signal } from '@preact/signals';
import type { JSX } from 'preact';
import { useEffect } from 'preact/hooks';
import type { SemesterDto } from '../../../shared/dto';
import type { ErrorWire } from '../../../shared/errors';
import { t } from '../i18n';
import { useQuad } from '../lib/session';

/**
 * The semester the timetable and friends screens show: one choice for both, so comparing
 * with a friend shows the semester the student was just planning.
 */
export const semesters = signal<SemesterDto[] | null>(null);
export const semester = signal<string | null>(null);
export const semestersError = signal<ErrorWire | null>(null);

/** The semester running today, else the newest (the list comes newest first). */
function current(list: SemesterDto[]): string | null {
  const today = new Date().toISOString().slice(0, 10);
  return (list.find((s) => s.startsOn <= today && today <= s.endsOn) ?? list[0])?.code ?? null;
}

/** Loads the semester list once per page and picks the default semester. */
export function useSemesters(): void {
  const quad = useQuad();
  useEffect(() => {
    if (semesters.value) return;
    void quad.timetables.ask('semesters:list', {}).then(
      (res) => {
        if (!res.ok) {
          semestersError.value = res.error;
          return;
        }
        semesters.value = res.data;
        semester.value ??= current(res.data);
      },
      () => {
        semestersError.value = { code: 'UNAVAILABLE', message: 'No answer from the server' };
      },
    );
  }, [quad]);
}

/** The semester chooser; `onChange` runs after the choice (e.g. to leave a timetable of the old one). */
export function SemesterPicker(props: { onChange?: () => void }): JSX.Element | null {
  const list = semesters.value;
  if (!list || list.length === 0) return null;
  return (
    <label class="semester-picker">
      <select
        class="input tt-select"
        name="semester"
        aria-label={t('tt.semester')}
        value={semester.value ?? ''}
        onChange={(e) => {
          semester.value = e.currentTarget.value;
          props.onChange?.();
        }}
      >
        {list.map((s) => (
          <option value={s.code}>{s.name}</option>
        ))}
      </select>
    </label>
  );
}
