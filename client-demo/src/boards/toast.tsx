import { signal } from '@preact/signals';
import type { JSX } from 'preact';

/** One short message at the bottom of the screen (a failed like, a copied link…). */
const message = signal<{ text: string; id: number } | null>(null);
let timer: ReturnType<typeof setTimeout> | undefined;

export function toast(text: string): void {
  clearTimeout(timer);
  message.value = { text, id: Date.now() };
  timer = setTimeout(() => (message.value = null), 2600);
}

export function Toast(): JSX.Element | null {
  const m = message.value;
  if (!m) return null;
  return (
    <div class="boards-toast" role="status" key={m.id} data-toast>
      {m.text}
    </div>
  );
}
