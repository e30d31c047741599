import { signal } from '@preact/signals';
import type { JSX } from 'preact';
import type { TargetRef } from '../../../shared/schemas/moderation';
import { t } from '../i18n';
import { canWrite } from '../lib/account';
import { MoreMenu } from '../ui/dialog';
import { BlockDialog } from './BlockDialog';
import { ReportDialog } from './ReportDialog';
import './safety.css';

interface Open {
  kind: 'report' | 'block';
  target: TargetRef;
  authorName: string;
  onBlocked: (message: string) => void;
}

/**
 * The dialog open now. It lives in the shell (SafetyDialogs), not under the post or comment:
 * a report can hide its target at once, and the reporter must still read the answer.
 */
const opened = signal<Open | null>(null);

/**
 * The "⋯" of someone else's post or comment: 신고 (report) and 차단 (block), each in its
 * dialog. Both are writes, so a suspended account sees them disabled. `onBlocked` gets the
 * sentence to show; the caller takes the author's content off the screen.
 */
export function SafetyMenu(props: Omit<Open, 'kind'>): JSX.Element {
  const writable = canWrite.value;
  return (
    <MoreMenu
      label={t('safety.menu')}
      items={[
        {
          id: 'report',
          label: t('report.action'),
          icon: 'flag',
          disabled: !writable,
          onSelect: () => (opened.value = { kind: 'report', ...props }),
        },
        {
          id: 'block',
          label: t('block.action'),
          icon: 'ban',
          danger: true,
          disabled: !writable,
          onSelect: () => (opened.value = { kind: 'block', ...props }),
        },
      ]}
    />
  );
}

/** Renders the report or block dialog a SafetyMenu opened (once, in the shell). */
export function SafetyDialogs(): JSX.Element | null {
  const open = opened.value;
  if (!open) return null;
  const close = () => (opened.value = null);
  if (open.kind === 'report')
    return (
      <ReportDialog key={`${open.target.kind}:${open.target.id}`} target={open.target} onClose={close} />
    );
  return (
    <BlockDialog
      target={open.target}
      authorName={open.authorName}
      onClose={close}
      onBlocked={(message) => {
        close();
        open.onBlocked(message);
      }}
    />
  );
}
