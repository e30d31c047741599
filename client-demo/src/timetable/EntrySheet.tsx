import type { JSX } from 'preact';
import { useEffect } from 'preact/hooks';
import type { EntryDto, TimetableDto } from '../../../shared/dto';
import type { Ack } from '../../../shared/events';
import { errorText, t } from '../i18n';
import { Icon } from '../ui/icons';
import { useAction } from '../ui/kit';
import { bySlot, slotText } from './time';

/** A clicked block's details, with a button to take the entry out of the timetable. */
export function EntrySheet(props: {
  entry: EntryDto;
  color: string;
  remove: () => Promise<Ack<TimetableDto>>;
  close: () => void;
}): JSX.Element {
  const e = props.entry;
  const action = useAction<TimetableDto>();
  useEffect(() => {
    const onKey = (ev: KeyboardEvent) => ev.key === 'Escape' && props.close();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  return (
    <div class="sheet" onClick={props.close}>
      <div
        class="sheet__card"
        role="dialog"
        aria-modal="true"
        aria-label={e.title}
        data-entry-sheet={e.id}
        style={{ '--c': props.color }}
        onClick={(ev) => ev.stopPropagation()}
      >
        <div class="sheet__bar" />
        <div class="sheet__head">
          <div>
            <h3>{e.title}</h3>
            <p class="muted">
              {e.kind === 'course'
                ? [e.code, e.professor, t('tt.creditsShort', { n: e.credits })].filter(Boolean).join(' · ')
                : t('tt.customKind')}
            </p>
          </div>
          <button
            type="button"
            class="btn btn--ghost btn--small"
            aria-label={t('common.close')}
            onClick={props.close}
          >
            ✕
          </button>
        </div>
        <ul class="sheet__slots">
          {[...e.slots].sort(bySlot).map((s) => (
            <li>
              <strong>{slotText(s)}</strong>
              {s.place ? <span class="muted">{s.place}</span> : null}
            </li>
          ))}
        </ul>
        {action.error ? <div class="banner banner--error">{errorText(action.error)}</div> : null}
        <button
          type="button"
          class="btn btn--block tt-danger"
          data-action="remove-entry"
          disabled={action.busy}
          onClick={() => void action.run(props.remove, props.close)}
        >
          <Icon name="trash" size={16} />
          {t('tt.removeEntry')}
        </button>
      </div>
    </div>
  );
}
