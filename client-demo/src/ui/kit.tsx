import type { ComponentChildren, JSX } from 'preact';
import { useState } from 'preact/hooks';
import type { ErrorWire } from '../../../shared/errors';
import type { Ack } from '../../../shared/events';
import { errorText, fieldText, t } from '../i18n';

/**
 * Small building blocks every screen uses. Everything users typed is passed as text
 * children, which Preact renders as text nodes: no screen uses dangerouslySetInnerHTML.
 */

export function Field(props: {
  label: string;
  name: string;
  error?: string;
  hint?: string;
  children: ComponentChildren;
}): JSX.Element {
  return (
    <label class={`field${props.error ? ' field--error' : ''}`} data-field={props.name}>
      <span class="field__label">{props.label}</span>
      {props.children}
      {props.error ? (
        <span class="field__error" role="alert" data-error-for={props.name}>
          {fieldText(props.error)}
        </span>
      ) : props.hint ? (
        <span class="field__hint">{props.hint}</span>
      ) : null}
    </label>
  );
}

export function Banner(props: { kind?: 'error' | 'info' | 'ok'; children: ComponentChildren }): JSX.Element {
  return (
    <div class={`banner banner--${props.kind ?? 'error'}`} role={props.kind === 'error' ? 'alert' : 'status'}>
      {props.children}
    </div>
  );
}

/** The localized sentence for a failed ack (with the server's message for detail). */
export function ErrorBanner(props: { error: ErrorWire | null }): JSX.Element | null {
  if (!props.error) return null;
  return <Banner kind="error">{errorText(props.error)}</Banner>;
}

export function Spinner(): JSX.Element {
  return (
    <div class="spinner" aria-label={t('common.loading')}>
      <span />
    </div>
  );
}

export function Empty(props: { children?: ComponentChildren }): JSX.Element {
  return <div class="empty">{props.children ?? t('common.empty')}</div>;
}

export function Badge(props: { count: number; label?: string }): JSX.Element | null {
  if (props.count <= 0) return null;
  return (
    <span class="badge" aria-label={props.label}>
      {props.count > 99 ? '99+' : props.count}
    </span>
  );
}

export function Tabs<T extends string>(props: {
  value: T;
  options: { value: T; label: string }[];
  onChange: (v: T) => void;
}): JSX.Element {
  return (
    <div class="tabs" role="tablist">
      {props.options.map((o) => (
        <button
          type="button"
          role="tab"
          aria-selected={o.value === props.value}
          class={`tabs__tab${o.value === props.value ? ' tabs__tab--on' : ''}`}
          data-tab={o.value}
          onClick={() => props.onChange(o.value)}
        >
          {o.label}
        </button>
      ))}
    </div>
  );
}

/**
 * Runs a command from a button or form: tracks `busy`, keeps the last error for display.
 * `run` returns the ack; on success `then` gets the data.
 */
export function useAction<T>(): {
  busy: boolean;
  error: ErrorWire | null;
  setError: (e: ErrorWire | null) => void;
  run: (work: () => Promise<Ack<T>>, then?: (data: T) => void) => Promise<Ack<T> | null>;
} {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorWire | null>(null);
  const run = async (work: () => Promise<Ack<T>>, then?: (data: T) => void) => {
    setBusy(true);
    setError(null);
    try {
      const res = await work();
      if (res.ok) then?.(res.data);
      else setError(res.error);
      return res;
    } catch {
      const err: ErrorWire = { code: 'UNAVAILABLE', message: 'No answer from the server' };
      setError(err);
      return { ok: false as const, error: err };
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, setError, run };
}
