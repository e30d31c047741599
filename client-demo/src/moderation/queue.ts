import { useEffect, useState } from 'preact/hooks';
import type { ModerationCaseDto, PushEvent } from '../../../shared/dto';
import type { ErrorWire } from '../../../shared/errors';
import { useModeration } from '../lib/session';

export type CaseStatus = ModerationCaseDto['status'];

export interface QueueState {
  /** Every case seen, by id: pages of either tab and what was pushed since. */
  cases: ReadonlyMap<number, ModerationCaseDto>;
  /** Per tab: the cursor of its next page (null: none), absent until its first page is read. */
  cursors: Partial<Record<CaseStatus, string | null>>;
  loading: boolean;
  error: ErrorWire | null;
  /** Subscribed to the queue (`queue:subscribe`): reports and hidings arrive live. */
  live: boolean;
  /** Cases that arrived or changed live: their cards slide in. */
  fresh: ReadonlySet<number>;
}

const INITIAL: QueueState = {
  cases: new Map(),
  cursors: {},
  loading: true,
  error: null,
  live: false,
  fresh: new Set(),
};

/** The cases of one tab, newest first (the order `queue:list` pages in). */
export function casesOf(s: QueueState, status: CaseStatus): ModerationCaseDto[] {
  return [...s.cases.values()].filter((c) => c.status === status).sort((a, b) => b.id - a.id);
}

/**
 * The moderation queue, live: `queue:subscribe` on /moderation (again after every reconnect),
 * then the first page of the tab shown; `report:created`, `target:hidden` and `case:resolved`
 * replace a case (or add it), so a case moves to 처리 완료 when any moderator resolves it.
 */
export function useQueue(status: CaseStatus): QueueState & {
  more: () => void;
  /** A case as an action's answer returned it. */
  put: (c: ModerationCaseDto) => void;
} {
  const [state, setState] = useState<QueueState>(INITIAL);

  const put = (c: ModerationCaseDto, fresh = false) =>
    setState((s) => ({
      ...s,
      cases: new Map(s.cases).set(c.id, c),
      fresh: fresh ? new Set([...s.fresh, c.id]) : s.fresh,
    }));

  const load = (tab: CaseStatus, cursor?: string) => {
    setState((s) => ({ ...s, loading: true }));
    useModeration()
      .ask('queue:list', { status: tab, ...(cursor && { cursor }) })
      .then(
        (res) =>
          setState((s) => {
            if (!res.ok) return { ...s, loading: false, error: res.error };
            const cases = new Map(s.cases);
            for (const c of res.data.items) cases.set(c.id, c);
            const cursors = { ...s.cursors, [tab]: res.data.nextCursor };
            return { ...s, cases, cursors, loading: false, error: null };
          }),
        () => setState((s) => ({ ...s, loading: false, error: { code: 'UNAVAILABLE', message: '' } })),
      );
  };

  useEffect(() => {
    const mod = useModeration();
    const apply = (e: PushEvent<ModerationCaseDto>) => put(e.data, true);
    const offs = [
      mod.onEvent('report:created', apply),
      mod.onEvent('target:hidden', apply),
      mod.onEvent('case:resolved', apply),
    ];
    // Join the room first, then (below) read the list: nothing falls between the two. After a
    // reconnect the first pages are read again, for what happened meanwhile.
    const join = () => {
      mod.ask('queue:subscribe', {}).then(
        (res) =>
          setState((s) =>
            res.ok
              ? { ...s, live: true, error: null, cursors: {} }
              : { ...s, live: false, loading: false, error: res.error },
          ),
        () => setState((s) => ({ ...s, live: false, loading: false })),
      );
    };
    const down = () => setState((s) => ({ ...s, live: false }));
    const refused = (err: Error & { data?: { code?: string } }) => {
      if (err.data?.code === 'FORBIDDEN')
        setState((s) => ({ ...s, loading: false, error: { code: 'FORBIDDEN', message: err.message } }));
    };
    mod.socket.on('connect', join);
    mod.socket.on('disconnect', down);
    mod.socket.on('connect_error', refused);
    if (mod.socket.connected) join();
    return () => {
      for (const off of offs) off();
      mod.socket.off('connect', join);
      mod.socket.off('disconnect', down);
      mod.socket.off('connect_error', refused);
    };
  }, []);

  // A tab's first page, once subscribed, when it is first shown (and again after a reconnect).
  const unread = state.cursors[status] === undefined;
  useEffect(() => {
    if (state.live && unread) load(status);
  }, [status, state.live, unread]);

  return {
    ...state,
    put: (c) => put(c),
    more: () => {
      const cursor = state.cursors[status];
      if (!state.loading && cursor) load(status, cursor);
    },
  };
}
