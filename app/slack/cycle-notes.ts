import type { AlertStatus } from '../../agent/alert';

/** How DataDog names each state, so a note reads like the notification it stands for. */
const NAMES: Record<AlertStatus, string> = {
  triggered: 'Triggered',
  warn: 'Warn',
  no_data: 'No Data',
  recovered: 'recovered',
  unknown: 'unknown',
};

const SEVERITY: Partial<Record<AlertStatus, number>> = { warn: 1, triggered: 2 };

/**
 * The short note a re-notification leaves in its cycle's thread: the cycle recovered, escalated
 * (Warn to Triggered), eased, or stopped reporting data. Only states, never alert text; the
 * intake still posts it through untrustedMrkdwn (mrkdwn.ts), as every text from data is posted.
 */
export function cycleNoteText(from: AlertStatus, to: AlertStatus): string {
  if (to === 'recovered') return ':white_check_mark: DataDog reports this alert as recovered.';
  if (to === 'no_data')
    return `:grey_question: DataDog reports No Data for this alert (it was ${NAMES[from]}).`;
  const up = (SEVERITY[to] ?? 0) > (SEVERITY[from] ?? 0);
  return up
    ? `:arrow_up: DataDog escalated this alert from ${NAMES[from]} to ${NAMES[to]}; same alert cycle, so this thread carries on.`
    : `:arrow_down: DataDog now reports this alert as ${NAMES[to]} (it was ${NAMES[from]}).`;
}
