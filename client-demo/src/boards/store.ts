import { signal } from '@preact/signals';
import type { BoardDto } from '../../../shared/dto';
import { useQuad } from '../lib/session';

/**
 * The boards (names, flags, post counts), read once per visit to a boards screen and shared
 * by the list, the feed header and the write screen.
 */
export const boardList = signal<BoardDto[] | null>(null);

export async function loadBoards(): Promise<void> {
  const res = await useQuad()
    .boards.ask('boards:list', {})
    .catch(() => null);
  if (res?.ok) boardList.value = res.data;
}

export function boardById(id: number | undefined): BoardDto | undefined {
  return boardList.value?.find((b) => b.id === id);
}

/** Ticks every 30 s so "3분 전" labels age while a screen stays open (read it where `ago` is). */
export const clock = signal(Date.now());
setInterval(() => (clock.value = Date.now()), 30_000);

/** Tags compare like the server does: Unicode NFKC, case-insensitive. */
export const foldTag = (s: string): string => s.trim().normalize('NFKC').toLowerCase();
