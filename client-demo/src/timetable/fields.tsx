import type { JSX } from 'preact';
import { dayName, t } from '../i18n';
import { WEEK, type Day } from './time';

/**
 * A compact select. `any` adds a first option with that label and the value '' (a filter
 * that is off).
 */
export function Choice<T extends string>(props: {
  name: string;
  label: string;
  value: T | '';
  options: readonly { value: T; label: string }[];
  onChange: (value: T | '') => void;
  any?: string;
}): JSX.Element {
  return (
    <select
      class="input tt-select"
      name={props.name}
      aria-label={props.label}
      value={props.value}
      onChange={(e) => props.onChange(e.currentTarget.value as T | '')}
    >
      {props.any !== undefined ? <option value="">{props.any}</option> : null}
      {props.options.map((o) => (
        <option value={o.value}>{o.label}</option>
      ))}
    </select>
  );
}

/** Monday … Sunday in the current language, for a `Choice`. */
export const dayOptions = (): { value: Day; label: string }[] =>
  WEEK.map((d) => ({ value: d, label: dayName(d) }));

/** Times on the half hour from 07:00 to 24:00, read through `format` ("09:00부터"). */
export function halfHours(format: (time: string) => string): { value: string; label: string }[] {
  return Array.from({ length: 35 }, (_, i) => {
    const m = 7 * 60 + i * 30;
    const time = `${String(Math.floor(m / 60)).padStart(2, '0')}:${m % 60 ? '30' : '00'}`;
    return { value: time, label: format(time) };
  });
}

/** A second, explicit click before something is deleted: "삭제" and "취소" side by side. */
export function Confirm(props: {
  action: string;
  label: string;
  yes: () => void;
  no: () => void;
}): JSX.Element {
  return (
    <span class="tt-confirm__buttons">
      <button
        type="button"
        class="btn btn--primary btn--small"
        data-action={props.action}
        onClick={props.yes}
      >
        {props.label}
      </button>
      <button type="button" class="btn btn--small" onClick={props.no}>
        {t('common.cancel')}
      </button>
    </span>
  );
}
