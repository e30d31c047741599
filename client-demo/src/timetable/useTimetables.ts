import { useEffect, useRef, useState } from 'preact/hooks';
import type { TimetableDto, TimetableSummaryDto } from '../../../shared/dto';
import type { ErrorWire } from '../../../shared/errors';
import type { Ack } from '../../../shared/events';
import { t } from '../i18n';
import { go } from '../lib/router';
import { useQuad } from '../lib/session';
import { semester } from './semester';
import { useReconnect } from './useReconnect';

const NO_ANSWER: ErrorWire = { code: 'UNAVAILABLE', message: 'No answer from the server' };

/** An ack, or UNAVAILABLE when none came in time (the typed client rejects then). */
export function settle<T>(p: Promise<Ack<T>>): Promise<Ack<T>> {
  return p.catch(() => ({ ok: false as const, error: NO_ANSWER }));
}

export interface Timetables {
  /** My timetables of the semester; `null` while loading. */
  list: TimetableSummaryDto[] | null;
  /** The one shown: the route's, else the primary, else the first; `null` when there is none. */
  current: TimetableDto | null;
  loading: boolean;
  error: ErrorWire | null;
  /** Shows a timetable a command answered, and its summary in the list. */
  show(timetable: TimetableDto): void;
  /** Puts a changed summary (rename, visibility, primary) into the list. */
  patch(summary: TimetableSummaryDto): void;
  reloadList(): Promise<void>;
  /** The current timetable's id, creating "시간표 1" first when the semester has none. */
  ensure(): Promise<Ack<number>>;
}

/** My timetables of the chosen semester and the one on screen (`#/timetable/:id`). */
export function useTimetables(routeId: number | null): Timetables {
  const quad = useQuad();
  const sem = semester.value;
  const [list, setList] = useState<TimetableSummaryDto[] | null>(null);
  const [current, setCurrent] = useState<TimetableDto | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<ErrorWire | null>(null);
  const asked = useRef(0);

  const reloadList = async () => {
    if (!sem) return;
    const res = await settle(quad.timetables.ask('timetables:list', { semester: sem }));
    if (res.ok) setList(res.data);
    else setError(res.error);
  };

  const load = async (id: number) => {
    const mine = ++asked.current;
    setLoading(true);
    const res = await settle(quad.timetables.ask('timetable:get', { timetableId: id }));
    if (mine !== asked.current) return;
    setLoading(false);
    if (!res.ok) {
      setError(res.error);
      setCurrent(null);
      return;
    }
    setError(null);
    setCurrent(res.data);
    // A link to a timetable of another semester switches the semester too.
    if (res.data.semester !== semester.value) semester.value = res.data.semester;
  };

  useEffect(() => {
    setList(null);
    void reloadList();
  }, [sem]);

  // Which timetable to show follows the route and the list.
  const target = routeId ?? list?.find((x) => x.isPrimary)?.id ?? list?.[0]?.id ?? (list ? null : undefined);
  useEffect(() => {
    if (target === undefined) return;
    if (target === null) {
      asked.current++;
      setCurrent(null);
      setLoading(false);
      return;
    }
    if (current?.id !== target) void load(target);
  }, [target]);

  useReconnect(() => {
    void reloadList();
    if (current) void load(current.id);
  });

  const patch = (summary: TimetableSummaryDto) =>
    setList((l) => l && l.map((x) => (x.id === summary.id ? summary : x)));

  const show = (timetable: TimetableDto) => {
    asked.current++;
    setCurrent(timetable);
    setError(null);
    const { id, semester: s, name, isPrimary, visibility } = timetable;
    const summary = { id, semester: s, name, isPrimary, visibility };
    setList((l) =>
      l?.some((x) => x.id === id) ? l.map((x) => (x.id === id ? summary : x)) : [...(l ?? []), summary],
    );
  };

  return {
    list,
    current,
    loading,
    error,
    show,
    patch,
    reloadList,
    async ensure() {
      if (current) return { ok: true, data: current.id };
      if (!sem) return { ok: false, error: { code: 'NOT_FOUND', message: 'No semester' } };
      const n = (list?.length ?? 0) + 1;
      const res = await settle(
        quad.timetables.ask('timetable:create', { semester: sem, name: t('tt.defaultName', { n }) }),
      );
      if (!res.ok) return res;
      show(res.data);
      go(`/timetable/${res.data.id}`);
      return { ok: true, data: res.data.id };
    },
  };
}
