import type { ObligationCompliance } from '../model/compliance.js';
import type { IsoDate } from '../model/dates.js';
import type { AlertEventInput } from '../model/alert-event.js';

const MS_PER_DAY = 86_400_000;

/** Whole days from `from` to `to` (calendar dates). */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / MS_PER_DAY);
}

export interface ApproachingDeadline {
  obligation: ObligationCompliance;
  /** Days from today to the due date (0: due today). */
  daysLeft: number;
  /** The smallest threshold the deadline is within: the one announced. */
  threshold: number;
  /** Every threshold the deadline is within: all are marked as announced, so a wider one never fires later. */
  covered: number[];
}

/**
 * Reports owed (ATT Art. 13(1) initial, 13(3) annual by 31 May) whose due date is within a threshold of today and for
 * which nothing has been received: the obligation is still pending (no registry entry matched it) and its due date
 * has not ended. Thresholds are days (default 30).
 */
export function approachingDeadlines(
  obligations: readonly ObligationCompliance[],
  today: IsoDate,
  thresholds: readonly number[],
): ApproachingDeadline[] {
  const sorted = [...new Set(thresholds)].sort((a, b) => a - b);
  const out: ApproachingDeadline[] = [];
  for (const obligation of obligations) {
    if (obligation.submission !== null || obligation.entryIds.length > 0) continue;
    if (obligation.status !== 'due' && obligation.status !== 'not_yet_due') continue;
    const daysLeft = daysBetween(today, obligation.dueDate);
    if (daysLeft < 0) continue;
    const covered = sorted.filter((t) => daysLeft <= t);
    if (covered.length === 0) continue;
    out.push({ obligation, daysLeft, threshold: covered[0]!, covered });
  }
  return out;
}

/** A stable key per obligation: `FRA:annual:2025`, `FRA:initial`. */
export function obligationKey(o: Pick<ObligationCompliance, 'stateId' | 'kind' | 'coveredYear'>): string {
  return o.kind === 'initial' ? `${o.stateId}:initial` : `${o.stateId}:annual:${o.coveredYear}`;
}

/** The public alert for an approaching deadline (the reporting calendar is public, so is this). */
export function deadlineEvent(deadline: ApproachingDeadline, stateName: string, at: string): AlertEventInput {
  const { obligation, daysLeft, threshold } = deadline;
  const report =
    obligation.kind === 'initial'
      ? 'initial report (ATT Art. 13(1))'
      : `annual report on ${obligation.coveredYear} (ATT Art. 13(3))`;
  const left = daysLeft === 0 ? 'due today' : `${daysLeft} day${daysLeft === 1 ? '' : 's'} left`;
  return {
    kind: 'deadline_approaching',
    at,
    stateId: obligation.stateId,
    subject: `deadline:${obligationKey(obligation)}:${threshold}`,
    title: `${stateName}: ${report} due ${obligation.dueDate}, ${left}`,
    summary:
      `Nothing has been received for ${stateName}'s ${report}. It is due by the end of ${obligation.dueDate} ` +
      `(${obligation.deadlineTimeZone} time); reports received by ${obligation.graceEndsOn} still count as on time.`,
    link: `/states/${obligation.iso3}`,
    audience: 'public',
  };
}
