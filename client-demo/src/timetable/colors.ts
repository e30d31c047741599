/**
 * Course block colors. Each entry's color comes from what it is (its catalog course, or a
 * custom entry's title), so it stays put when other entries come and go; within one
 * timetable a taken color moves the later entry to the next free one.
 */
const PALETTE = [
  '#e8685a',
  '#ef9a3c',
  '#cf9f2a',
  '#79b04a',
  '#3fae9a',
  '#4a90d9',
  '#7f6fd6',
  '#d96a9c',
  '#6f86a6',
  '#b97d4e',
  '#2fa3c4',
  '#a86fc2',
] as const;

interface Colorable {
  id: number;
  courseId: number | null;
  title: string;
}

function hashIndex(entry: { courseId: number | null; title: string }): number {
  const key = entry.courseId !== null ? `course:${entry.courseId}` : `custom:${entry.title}`;
  let hash = 2166136261;
  for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 16777619);
  return (hash >>> 0) % PALETTE.length;
}

/** The color of one course or entry on its own (e.g. a search result being previewed). */
export function colorFor(entry: { courseId: number | null; title: string }): string {
  return PALETTE[hashIndex(entry)]!;
}

/** Colors for a timetable's entries: oldest first, so adding an entry never recolors others. */
export function colorsOf(entries: readonly Colorable[]): Map<number, string> {
  const taken = new Set<number>();
  const colors = new Map<number, string>();
  for (const e of [...entries].sort((a, b) => a.id - b.id)) {
    if (taken.size >= PALETTE.length) taken.clear();
    let i = hashIndex(e);
    while (taken.has(i)) i = (i + 1) % PALETTE.length;
    taken.add(i);
    colors.set(e.id, PALETTE[i]!);
  }
  return colors;
}
