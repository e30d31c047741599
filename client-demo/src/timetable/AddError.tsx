import type { JSX } from 'preact';
import type { ErrorWire } from '../../../shared/errors';
import { errorText, t } from '../i18n';
import { slotText, withParticle } from './time';

/**
 * Why an entry could not be added. A clash names the entry already there and when the two
 * overlap ("'자료구조'와 월 16:30–17:45에 겹쳐요"); the same course twice says so.
 */
export function AddError(props: { error: ErrorWire | null }): JSX.Element | null {
  const error = props.error;
  if (!error) return null;
  const clash = error.code === 'CONFLICT' ? error.clash : undefined;
  if (clash) {
    return (
      <div class="tt-clash" role="alert" data-clash={clash.entryId}>
        {t('tt.clash', { title: clash.title, wa: withParticle(clash.title), when: slotText(clash) })}
      </div>
    );
  }
  return (
    <div class="tt-clash" role="alert" data-add-error={error.code}>
      {error.code === 'CONFLICT' ? t('tt.already') : errorText(error)}
    </div>
  );
}
