import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import type { TimetableDto } from '../../../shared/dto';
import type { ErrorWire } from '../../../shared/errors';
import type { Ack } from '../../../shared/events';
import type { AddCustomInput } from '../../../shared/schemas/timetables';
import { t } from '../i18n';
import { Icon } from '../ui/icons';
import { Field } from '../ui/kit';
import { AddError } from './AddError';
import { Choice, dayOptions } from './fields';
import type { Day } from './time';
import './panel.css';

type SlotForm = { day: Day; start: string; end: string; place: string };
const MAX_SLOTS = 10;
const blank = (): SlotForm => ({ day: 'MON', start: '09:00', end: '10:00', place: '' });

/** A custom entry (club, part-time job, study group): a title and one or more weekly slots. */
export function CustomEntryForm(props: {
  add: (input: Omit<AddCustomInput, 'timetableId'>) => Promise<Ack<TimetableDto>>;
}): JSX.Element {
  const [title, setTitle] = useState('');
  const [slots, setSlots] = useState<SlotForm[]>([blank()]);
  const [error, setError] = useState<ErrorWire | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  const fields = error?.fields ?? {};

  const setSlot = (i: number, patch: Partial<SlotForm>) =>
    setSlots(slots.map((s, j) => (j === i ? { ...s, ...patch } : s)));

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setDone(false);
    const res = await props.add({
      title: title.trim(),
      slots: slots.map((s) => ({
        day: s.day,
        start: s.start,
        end: s.end,
        place: s.place.trim() || undefined,
      })),
    });
    setBusy(false);
    setError(res.ok ? null : res.error);
    if (res.ok) {
      setTitle('');
      setSlots([blank()]);
      setDone(true);
    }
  };

  return (
    <form class="custom stack" onSubmit={submit} noValidate data-form="custom">
      <p class="muted custom__hint">{t('tt.customHint')}</p>
      <Field label={t('tt.customTitle')} name="title" error={fields.title && t('tt.titleProblem')}>
        <input
          name="title"
          maxLength={100}
          placeholder={t('tt.customTitlePlaceholder')}
          value={title}
          onInput={(e) => setTitle(e.currentTarget.value)}
        />
      </Field>
      {slots.map((s, i) => {
        const slotError = slotProblem(fields, i);
        return (
          <fieldset class={`custom__slot${slotError ? ' field--error' : ''}`} data-slot={i}>
            <legend class="field__label">{t('tt.slotN', { n: i + 1 })}</legend>
            <div class="custom__when">
              <Choice
                name="day"
                label={t('tt.day')}
                options={dayOptions()}
                value={s.day}
                onChange={(d) => setSlot(i, { day: d || 'MON' })}
              />
              {(['start', 'end'] as const).map((key) => (
                <>
                  {key === 'end' ? <span class="custom__dash">–</span> : null}
                  <input
                    class="input"
                    type="time"
                    name={key}
                    step={300}
                    aria-label={t(`tt.${key}`)}
                    value={s[key]}
                    onInput={(e) => setSlot(i, { [key]: e.currentTarget.value })}
                  />
                </>
              ))}
              {slots.length > 1 ? (
                <button
                  type="button"
                  class="btn btn--ghost btn--small"
                  aria-label={t('tt.removeSlot')}
                  onClick={() => setSlots(slots.filter((_, j) => j !== i))}
                >
                  <Icon name="trash" size={15} />
                </button>
              ) : null}
            </div>
            <input
              class="input"
              name="place"
              maxLength={50}
              placeholder={t('tt.placePlaceholder')}
              aria-label={t('tt.place')}
              value={s.place}
              onInput={(e) => setSlot(i, { place: e.currentTarget.value })}
            />
            {slotError ? <span class="field__error">{slotError}</span> : null}
          </fieldset>
        );
      })}
      {slots.length < MAX_SLOTS ? (
        <button
          type="button"
          class="btn btn--ghost btn--small custom__more"
          onClick={() => setSlots([...slots, blank()])}
        >
          <Icon name="plus" size={15} />
          {t('tt.addSlot')}
        </button>
      ) : null}
      {error && !fields.title && !slots.some((_, i) => slotProblem(fields, i)) ? (
        <AddError error={error} />
      ) : null}
      {done ? <div class="banner banner--ok">{t('tt.customAdded')}</div> : null}
      <button class="btn btn--primary" data-action="add-custom" disabled={busy || !title.trim()}>
        {t('tt.addCustom')}
      </button>
    </form>
  );
}

/** The server's field messages are English; say the problem with a slot in the user's language. */
function slotProblem(fields: Record<string, string>, i: number): string | undefined {
  if (fields[`slots.${i}.end`]) return t('tt.endAfterStart');
  if (fields[`slots.${i}`]) return t('tt.slotsOverlap');
  if (fields[`slots.${i}.start`] || fields[`slots.${i}.day`]) return t('tt.badTime');
  if (fields[`slots.${i}.place`]) return t('tt.placeProblem');
  return undefined;
}
