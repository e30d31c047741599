import type { JSX, TargetedEvent } from 'preact';
import { useState } from 'preact/hooks';
import type { ModerationCaseDto } from '../../../shared/dto';
import type { Ack } from '../../../shared/events';
import type { ReportReason } from '../../../shared/schemas/moderation';
import { ago, errorText, t, when } from '../i18n';
import { useModeration } from '../lib/session';
import { clock } from '../boards/store';
import { toast } from '../boards/toast';
import { hiddenReason, REASON_KEYS, reasonLabel } from '../safety/reasons';
import { Icon } from '../ui/icons';
import { useAction } from '../ui/kit';

/** Limits of shared/schemas/moderation.ts (`suspendInput`, `targetRemoveInput`). */
const DAYS_MAX = 3650;
const REASON_MAX = 500;

/**
 * One reported post or comment as a moderator sees it: the text in its context (the post's
 * title, the thread alias — never who wrote it), the reports by reason, and the actions:
 * restore, remove (with a reason), suspend its author (days and a reason).
 */
export function CaseCard(props: {
  kase: ModerationCaseDto;
  fresh: boolean;
  onChange: (c: ModerationCaseDto) => void;
}): JSX.Element {
  const c = props.kase;
  const target = c.target;
  const [form, setForm] = useState<'remove' | 'suspend' | null>(null);
  void clock.value;
  const ref = { kind: target.kind, id: target.id };
  const open = c.status === 'open';

  const restore = useAction<ModerationCaseDto>();
  const doRestore = () =>
    restore
      .run(
        () => useModeration().ask('target:restore', { target: ref }),
        (data) => {
          props.onChange(data);
          toast(t('mod.doneRestore'));
        },
      )
      .then(tell);

  return (
    <article
      class={`case card${props.fresh ? ' slide-in' : ''}`}
      data-case-id={c.id}
      data-target={`${target.kind}:${target.id}`}
      data-status={c.status}
      data-hidden={c.hidden ? 'true' : undefined}
    >
      <header class="case__head">
        <span class="case__kind">{t(`mod.kind.${target.kind}`)}</span>
        <Status kase={c} />
        <span class="case__count" data-role="report-count">
          <Icon name="flag" size={13} />
          {t('mod.reports', { n: c.reportCount })}
        </span>
        <span class="spacer" />
        <time class="muted" dateTime={c.lastReportedAt}>
          {t('mod.reportedAt', { when: ago(c.lastReportedAt) })}
        </time>
      </header>

      <div class="case__target">
        {target.kind === 'comment' && target.title ? (
          <p class="case__context muted">{t('mod.commentOn', { title: target.title })}</p>
        ) : null}
        {target.kind === 'post' && target.title ? (
          <h3 class="case__title" data-role="title">
            {target.title}
          </h3>
        ) : null}
        <p class="case__content" data-role="content">
          {target.content}
        </p>
        <p class="case__by muted">
          <span class={`case__author${target.anonymous ? ' is-anon' : ''}`} data-role="author">
            {target.authorName}
          </span>
          {' · '}
          {ago(target.createdAt)}
          {target.postId ? (
            <a class="case__view" href={`#/posts/${target.postId}`} data-action="view">
              {t('mod.view')}
            </a>
          ) : null}
        </p>
      </div>

      <Reasons reasons={c.reasons} />

      <footer class="case__actions">
        {open ? (
          <button
            type="button"
            class="btn btn--small"
            data-action="restore"
            disabled={restore.busy}
            onClick={() => void doRestore()}
          >
            <Icon name="undo" size={14} />
            {t('mod.restore')}
          </button>
        ) : null}
        {open ? (
          <button
            type="button"
            class={`btn btn--small${form === 'remove' ? ' btn--on' : ''}`}
            data-action="remove"
            onClick={() => setForm(form === 'remove' ? null : 'remove')}
          >
            <Icon name="trash" size={14} />
            {t('mod.remove')}
          </button>
        ) : null}
        <button
          type="button"
          class={`btn btn--small${form === 'suspend' ? ' btn--on' : ''}`}
          data-action="suspend"
          onClick={() => setForm(form === 'suspend' ? null : 'suspend')}
        >
          <Icon name="lock" size={14} />
          {t('mod.suspend')}
        </button>
      </footer>
      {form === 'remove' && open ? (
        <RemoveForm
          kase={c}
          onDone={(data) => {
            setForm(null);
            props.onChange(data);
          }}
        />
      ) : null}
      {form === 'suspend' ? <SuspendForm kase={c} onDone={() => setForm(null)} /> : null}
    </article>
  );
}

/** A refused action, told at the bottom of the screen. */
function tell(res: Ack<unknown> | null): void {
  if (res && !res.ok) toast(errorText(res.error));
}

function Status(props: { kase: ModerationCaseDto }): JSX.Element {
  const c = props.kase;
  if (c.resolution)
    return (
      <span class={`case__status case__status--${c.resolution}`} data-resolution={c.resolution}>
        {t(c.resolution === 'restored' ? 'mod.restored' : 'mod.removed')}
      </span>
    );
  if (c.hidden)
    return (
      <span class="case__status case__status--hidden">
        <Icon name="eyeOff" size={12} />
        {t('mod.hidden', { reason: hiddenReason(c.hidden) })}
      </span>
    );
  return <span class="case__status">{t('mod.visible')}</span>;
}

/** The reports by reason, most reported first. */
function Reasons(props: { reasons: ModerationCaseDto['reasons'] }): JSX.Element | null {
  const counted = REASON_KEYS.map((key) => [key, props.reasons[key] ?? 0] as [ReportReason, number])
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1]);
  if (!counted.length) return null;
  return (
    <ul class="case__reasons">
      {counted.map(([key, n]) => (
        <li class="chip" data-reason={key}>
          {reasonLabel(key)} <strong>{n}</strong>
        </li>
      ))}
    </ul>
  );
}

const input = (set: (v: string) => void) => (e: TargetedEvent<HTMLInputElement>) =>
  set(e.currentTarget.value);

function RemoveForm(props: { kase: ModerationCaseDto; onDone: (c: ModerationCaseDto) => void }): JSX.Element {
  const [reason, setReason] = useState('');
  const action = useAction<ModerationCaseDto>();
  const { kind, id } = props.kase.target;
  const submit = (e: Event) => {
    e.preventDefault();
    void action
      .run(
        () => useModeration().ask('target:remove', { target: { kind, id }, reason: reason.trim() }),
        (data) => {
          props.onDone(data);
          toast(t('mod.doneRemove'));
        },
      )
      .then(tell);
  };
  return (
    <form class="case__form" onSubmit={submit} data-form="remove">
      <label class="case__field">
        <span>{t('mod.removeReason')}</span>
        <input
          name="reason"
          class="input"
          required
          maxLength={REASON_MAX}
          value={reason}
          onInput={input(setReason)}
        />
      </label>
      <p class="muted">{t('mod.removeHint')}</p>
      <button
        type="submit"
        class="btn btn--danger btn--small"
        disabled={action.busy || !reason.trim()}
        data-action="confirm-remove"
      >
        {t('mod.confirmRemove')}
      </button>
    </form>
  );
}

function SuspendForm(props: { kase: ModerationCaseDto; onDone: () => void }): JSX.Element {
  const [days, setDays] = useState('3');
  const [reason, setReason] = useState('');
  const action = useAction<{ until: string }>();
  const { kind, id } = props.kase.target;
  const n = Number(days);
  const valid = Number.isInteger(n) && n >= 1 && n <= DAYS_MAX && reason.trim() !== '';
  const submit = (e: Event) => {
    e.preventDefault();
    void action
      .run(
        () => useModeration().ask('user:suspend', { target: { kind, id }, days: n, reason: reason.trim() }),
        (data) => {
          props.onDone();
          toast(t('mod.doneSuspend', { until: when(data.until) }));
        },
      )
      .then(tell);
  };
  return (
    <form class="case__form" onSubmit={submit} data-form="suspend">
      <label class="case__field case__field--days">
        <span>{t('mod.suspendDays')}</span>
        <input
          name="days"
          class="input"
          type="number"
          min={1}
          max={DAYS_MAX}
          value={days}
          onInput={input(setDays)}
        />
      </label>
      <label class="case__field">
        <span>{t('mod.suspendReason')}</span>
        <input
          name="reason"
          class="input"
          required
          maxLength={REASON_MAX}
          value={reason}
          onInput={input(setReason)}
        />
      </label>
      <p class="muted">
        {t('mod.suspendHint', { what: t(`hidden.what.${kind === 'comment' ? 'comment' : 'post'}`) })}
      </p>
      <button
        type="submit"
        class="btn btn--danger btn--small"
        disabled={action.busy || !valid}
        data-action="confirm-suspend"
      >
        {t('mod.confirmSuspend')}
      </button>
    </form>
  );
}
