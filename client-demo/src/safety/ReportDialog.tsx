import type { JSX, TargetedEvent } from 'preact';
import { useState } from 'preact/hooks';
import type { ReportDto } from '../../../shared/dto';
import type { ErrorWire } from '../../../shared/errors';
import type { ReportReason, TargetRef } from '../../../shared/schemas/moderation';
import { errorText, t } from '../i18n';
import { useQuad } from '../lib/session';
import { Dialog } from '../ui/dialog';
import { Icon } from '../ui/icons';
import { Banner, Field, useAction } from '../ui/kit';
import { REASON_KEYS, reasonLabel } from './reasons';

/** Limit of shared/schemas/moderation.ts (`reportCreateInput.detail`). */
const DETAIL_MAX = 500;

/** How a report ended, as the reporter is told. */
type Outcome = 'done' | 'conflict' | 'own' | 'gone';

/** `report:create` on /boards (posts) or /comments (comments). */
function sendReport(input: { target: TargetRef; reason: ReportReason; detail?: string }) {
  const q = useQuad();
  return input.target.kind === 'comment'
    ? q.comments.ask('report:create', input)
    : q.boards.ask('report:create', input);
}

/**
 * 신고: pick one of the seven reasons, add a detail if you like, send. The answer says what
 * happened: reported, already reported (CONFLICT), or one's own content (FORBIDDEN).
 */
export function ReportDialog(props: { target: TargetRef; onClose: () => void }): JSX.Element {
  const [reason, setReason] = useState<ReportReason | null>(null);
  const [detail, setDetail] = useState('');
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const action = useAction<ReportDto>();
  const fields = action.error?.fields ?? {};

  const submit = async (e: Event) => {
    e.preventDefault();
    if (!reason) return;
    const text = detail.trim();
    const res = await action.run(() =>
      sendReport({ target: props.target, reason, ...(text && { detail: text }) }),
    );
    const told = res && (res.ok ? 'done' : outcomeOf(res.error));
    if (!told) return;
    action.setError(null);
    setOutcome(told);
  };

  return (
    <Dialog name="report" title={t('report.title')} onClose={props.onClose}>
      {outcome ? (
        <Result outcome={outcome} onClose={props.onClose} />
      ) : (
        <form class="report-form" onSubmit={submit} noValidate data-form="report">
          <p class="report-form__ask">{t(`report.${props.target.kind}`)}</p>
          <div class="reason-list" role="radiogroup">
            {REASON_KEYS.map((key) => (
              <label class={`reason${reason === key ? ' reason--on' : ''}`} data-reason={key}>
                <input
                  type="radio"
                  name="reason"
                  value={key}
                  checked={reason === key}
                  onChange={() => setReason(key)}
                />
                <span>{reasonLabel(key)}</span>
              </label>
            ))}
          </div>
          <Field label={t('report.detail')} name="detail" error={fields.detail}>
            <textarea
              name="detail"
              rows={3}
              maxLength={DETAIL_MAX}
              value={detail}
              placeholder={t('report.detailPlaceholder')}
              onInput={(e: TargetedEvent<HTMLTextAreaElement>) => setDetail(e.currentTarget.value)}
            />
          </Field>
          {action.error && !fields.detail ? <Banner>{errorText(action.error)}</Banner> : null}
          <p class="muted report-form__private">{t('report.private')}</p>
          <footer class="dialog__foot">
            <button type="button" class="btn" onClick={props.onClose}>
              {t('common.cancel')}
            </button>
            <button
              type="submit"
              class="btn btn--danger"
              disabled={action.busy || !reason}
              data-action="submit-report"
            >
              <Icon name="flag" size={15} />
              {t('report.submit')}
            </button>
          </footer>
        </form>
      )}
    </Dialog>
  );
}

/**
 * The refusals told as an outcome rather than as an error: already reported, one's own content
 * (a FORBIDDEN without an account `reason`: a suspension is an error), gone meanwhile.
 */
function outcomeOf(error: ErrorWire): Outcome | null {
  if (error.code === 'CONFLICT') return 'conflict';
  if (error.code === 'FORBIDDEN' && !error.reason) return 'own';
  if (error.code === 'NOT_FOUND') return 'gone';
  return null;
}

function Result(props: { outcome: Outcome; onClose: () => void }): JSX.Element {
  const good = props.outcome === 'done';
  return (
    <div class={`report-result report-result--${good ? 'ok' : 'info'}`} data-report-result={props.outcome}>
      <span class="report-result__icon">
        <Icon name={good ? 'check' : props.outcome === 'own' ? 'x' : 'flag'} size={22} />
      </span>
      <p>{t(`report.${props.outcome}`)}</p>
      <button type="button" class="btn btn--primary" data-action="close-report" onClick={props.onClose}>
        {t('common.close')}
      </button>
    </div>
  );
}
