import type { ComponentChildren, JSX } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { t } from '../i18n';
import { Icon, type IconName } from './icons';
import './overlays.css';

/**
 * A modal dialog (the browser's own `<dialog>`: focus stays inside, Escape closes it). Clicking
 * outside the box closes it too; `onClose` runs once it is closed, however that happened.
 */
export function Dialog(props: {
  name: string;
  title: string;
  onClose: () => void;
  children: ComponentChildren;
}): JSX.Element {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);
  const close = () => ref.current?.close();
  return (
    <dialog
      ref={ref}
      class="dialog"
      data-dialog={props.name}
      aria-label={props.title}
      onClose={props.onClose}
      onClick={(e) => {
        if (e.target === ref.current) close();
      }}
    >
      <div class="dialog__box">
        <header class="dialog__head">
          <h3 class="dialog__title">{props.title}</h3>
          <button type="button" class="dialog__x" aria-label={t('common.close')} onClick={close}>
            <Icon name="x" size={18} />
          </button>
        </header>
        {props.children}
      </div>
    </dialog>
  );
}

export interface MenuItem {
  /** Also the item's `data-action`. */
  id: string;
  label: string;
  icon: IconName;
  danger?: boolean;
  disabled?: boolean;
  onSelect: () => void;
}

/** A "⋯" button that opens a short list of actions; a click elsewhere or Escape closes it. */
export function MoreMenu(props: { label: string; items: MenuItem[] }): JSX.Element {
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const outside = (e: Event) => {
      if (!ref.current?.contains(e.target as Node)) setOpen(false);
    };
    const escape = (e: KeyboardEvent) => {
      if (e.key === 'Escape') setOpen(false);
    };
    document.addEventListener('pointerdown', outside);
    document.addEventListener('keydown', escape);
    return () => {
      document.removeEventListener('pointerdown', outside);
      document.removeEventListener('keydown', escape);
    };
  }, [open]);
  return (
    <div class="menu" ref={ref}>
      <button
        type="button"
        class="menu__toggle"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-label={props.label}
        title={props.label}
        data-action="menu"
        onClick={() => setOpen(!open)}
      >
        <Icon name="more" size={18} />
      </button>
      {open ? (
        <div class="menu__list" role="menu">
          {props.items.map((item) => (
            <button
              type="button"
              role="menuitem"
              class={`menu__item${item.danger ? ' menu__item--danger' : ''}`}
              data-action={item.id}
              disabled={item.disabled}
              onClick={() => {
                setOpen(false);
                item.onSelect();
              }}
            >
              <Icon name={item.icon} size={16} />
              {item.label}
            </button>
          ))}
        </div>
      ) : null}
    </div>
  );
}
