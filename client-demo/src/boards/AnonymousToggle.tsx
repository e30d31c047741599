import type { JSX } from 'preact';
import { t } from '../i18n';

/** The 익명 checkbox of posts and comments; locked on for anonymous-only boards. */
export function AnonymousToggle(props: {
  forced: boolean;
  value: boolean;
  onChange: (anonymous: boolean) => void;
  /** Say why it is locked (the write screen has room for it). */
  explain?: boolean;
}): JSX.Element {
  return (
    <label class={`anon-check${props.forced ? ' anon-check--locked' : ''}`} data-field="anonymous">
      <input
        type="checkbox"
        name="anonymous"
        checked={props.forced || props.value}
        disabled={props.forced}
        onChange={(e) => props.onChange(e.currentTarget.checked)}
      />
      <span>{t('post.anonymous')}</span>
      {props.forced && props.explain ? <span class="muted">{t('post.anonymousOnly')}</span> : null}
    </label>
  );
}
