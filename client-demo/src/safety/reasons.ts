import type { HiddenDto } from '../../../shared/dto';
import { REPORT_REASONS, type ReportReason } from '../../../shared/schemas/moderation';
import { lang, t } from '../i18n';

/** The reasons in the order students know them (shared/schemas/moderation.ts). */
export const REASON_KEYS = Object.keys(REPORT_REASONS) as ReportReason[];

/** A report reason's label in the UI language (a key the dashboard does not know shows as is). */
export function reasonLabel(reason: string): string {
  const labels = (REPORT_REASONS as Record<string, { ko: string; en: string } | undefined>)[reason];
  return labels ? labels[lang.value] : reason;
}

/** Why something is hidden: the most reported reason, or a moderator's removal. */
export function hiddenReason(hidden: HiddenDto): string {
  return hidden.reason === 'moderator' ? t('hidden.byModerator') : reasonLabel(hidden.reason);
}
