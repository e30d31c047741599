import type { JSX } from 'preact';
import type { HiddenDto } from '../../../shared/dto';
import { t, when } from '../i18n';
import { suspension } from '../lib/account';
import { Icon } from '../ui/icons';
import { hiddenReason } from './reasons';
import './safety.css';

/**
 * A hidden post or comment as the few who still get it see it: its author (why it is hidden,
 * and that moderators will review it) and moderators.
 */
export function HiddenNote(props: {
  hidden: HiddenDto;
  kind: 'post' | 'comment';
  mine: boolean;
}): JSX.Element {
  const vars = { what: t(`hidden.what.${props.kind}`), reason: hiddenReason(props.hidden) };
  return (
    <div class="hidden-note" role="status" data-hidden={props.hidden.reason}>
      <Icon name="eyeOff" size={18} />
      <div>
        <strong>{t(props.mine ? 'hidden.mine' : 'hidden.staff', vars)}</strong>
        {props.mine ? <p>{t('hidden.mineBody')}</p> : null}
      </div>
    </div>
  );
}

/** The short mark on a hidden post's row or comment: "숨김 · 욕설/비하". */
export function HiddenChip(props: { hidden: HiddenDto }): JSX.Element {
  return (
    <span class="hidden-chip" data-hidden={props.hidden.reason} title={hiddenReason(props.hidden)}>
      <Icon name="eyeOff" size={12} />
      {t('hidden.chip')} · {hiddenReason(props.hidden)}
    </span>
  );
}

/** Across the top of every screen while the account is suspended: until when, and why. */
export function SuspensionBanner(): JSX.Element | null {
  const s = suspension.value;
  if (!s) return null;
  return (
    <div class="suspension" role="alert" data-suspended={s.until}>
      <Icon name="lock" size={20} />
      <div>
        <strong>{t('suspended.title', { until: when(s.until) })}</strong>
        <p>
          {t('suspended.body')}
          {s.reason ? ` ${t('suspended.reason', { reason: s.reason })}` : ''}
        </p>
      </div>
    </div>
  );
}
