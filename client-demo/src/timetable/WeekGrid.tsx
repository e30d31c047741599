import type { ComponentChildren, JSX } from 'preact';
import type { CourseDto, EntryDto, FreeIntervalDto, SlotDto } from '../../../shared/dto';
import { dayName, t } from '../i18n';
import { colorFor, colorsOf } from './colors';
import { WEEK, WEEKDAYS, minutes, overlapsAny, slotText, type Day } from './time';
import './grid.css';

/** A free band says "공강" when this much of it is on the grid (shorter ones have no room). */
const LABEL_MINUTES = 50;

/**
 * The weekly grid: Monday to Friday (the weekend only when something meets then), from 9:00
 * (earlier if needed) to the latest end, at least 18:00. My entries are solid colored blocks;
 * a friend's, when given, are hatched outlines beside mine; common free time is a green band
 * behind both; a previewed search result is a dashed block.
 */
export function WeekGrid(props: {
  mine: readonly EntryDto[];
  friend?: readonly EntryDto[];
  free?: readonly FreeIntervalDto[];
  preview?: CourseDto | null;
  selectedId?: number | null;
  onSelect?: (entry: EntryDto) => void;
  /** Shown over the grid while it has no blocks. */
  empty?: ComponentChildren;
}): JSX.Element {
  const friend = props.friend ?? [];
  const preview = props.preview ?? null;
  const all: SlotDto[] = [...props.mine, ...friend, ...(preview ? [preview] : [])].flatMap((e) => e.slots);
  const days = WEEK.filter((d) => WEEKDAYS.includes(d) || all.some((s) => s.day === d));
  const first = Math.min(9, ...all.map((s) => Math.floor(minutes(s.start) / 60)));
  const last = Math.max(18, ...all.map((s) => Math.ceil(minutes(s.end) / 60)));
  const hours = Array.from({ length: last - first }, (_, i) => first + i);
  const span = { from: first * 60, to: last * 60 };
  const colors = colorsOf(props.mine);
  // Side by side only where mine and the friend's meet at once; elsewhere full width.
  const beside = (slot: SlotDto, others: readonly EntryDto[]) => overlapsAny([slot], others);

  const visible = (f: FreeIntervalDto) =>
    Math.min(span.to, minutes(f.end)) - Math.max(span.from, minutes(f.start));
  const place = (start: string, end: string) => {
    const top = Math.max(0, minutes(start) - span.from);
    const bottom = Math.min(span.to, minutes(end)) - span.from;
    const total = span.to - span.from;
    return { top: `${(top / total) * 100}%`, height: `${((bottom - top) / total) * 100}%` };
  };

  const blocks = (day: Day) => [
    ...(props.free ?? [])
      .filter((f) => f.day === day && minutes(f.start) < span.to && minutes(f.end) > span.from)
      .map((f) => (
        <div
          class="wg__free"
          data-free={`${f.day} ${f.start}-${f.end}`}
          style={place(f.start, f.end)}
          title={t('tt.freeAt', { when: slotText(f) })}
        >
          {visible(f) >= LABEL_MINUTES ? <span>{t('tt.free')}</span> : null}
        </div>
      )),
    ...props.mine.flatMap((e) =>
      e.slots
        .filter((s) => s.day === day)
        .map((s) => (
          <button
            type="button"
            class={`wg__block wg__block--me${beside(s, friend) ? ' wg__block--left' : ''}${props.selectedId === e.id ? ' wg__block--on' : ''}`}
            data-owner="me"
            data-entry-id={e.id}
            style={{ ...place(s.start, s.end), '--c': colors.get(e.id) }}
            title={`${e.title} · ${slotText(s)}${s.place ? ` · ${s.place}` : ''}`}
            onClick={() => props.onSelect?.(e)}
            disabled={!props.onSelect}
          >
            <BlockText title={e.title} place={s.place} />
          </button>
        )),
    ),
    ...friend.flatMap((e) =>
      e.slots
        .filter((s) => s.day === day)
        .map((s) => (
          <div
            class={`wg__block wg__block--friend${beside(s, props.mine) ? ' wg__block--right' : ''}`}
            data-owner="friend"
            data-entry-id={e.id}
            style={place(s.start, s.end)}
            title={`${e.title} · ${slotText(s)}`}
          >
            <BlockText title={e.title} place={s.place} />
          </div>
        )),
    ),
    ...(preview?.slots ?? [])
      .filter((s) => s.day === day)
      .map((s) => (
        <div
          class="wg__block wg__block--preview"
          data-owner="preview"
          data-preview={preview!.id}
          style={{
            ...place(s.start, s.end),
            '--c': colorFor({ courseId: preview!.id, title: preview!.name }),
          }}
        >
          <BlockText title={preview!.name} place={s.place} />
        </div>
      )),
  ];

  const isEmpty = props.mine.length === 0 && friend.length === 0 && !preview;
  return (
    <div class="wg" style={{ '--days': days.length, '--hours': hours.length }} data-grid>
      <div class="wg__head">
        <span />
        {days.map((d) => (
          <span class="wg__day" data-day={d}>
            {dayName(d)}
          </span>
        ))}
      </div>
      <div class="wg__body">
        <div class="wg__times" aria-hidden="true">
          {hours.map((h) => (
            <span class="wg__hour">{h}</span>
          ))}
        </div>
        {days.map((d) => (
          <div class="wg__col" data-day={d}>
            {blocks(d)}
          </div>
        ))}
        {isEmpty && props.empty ? <div class="wg__empty">{props.empty}</div> : null}
      </div>
    </div>
  );
}

function BlockText(props: { title: string; place: string | null }): JSX.Element {
  return (
    <>
      <strong class="wg__title">{props.title}</strong>
      {props.place ? <span class="wg__place">{props.place}</span> : null}
    </>
  );
}
