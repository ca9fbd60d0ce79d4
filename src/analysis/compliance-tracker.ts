/**
 * Reporting compliance (ATT Art. 13): the calendar's obligations (reporting-calendar.ts) matched with the registry of
 * reports received (src/model/report-registry.ts), as of an instant. Rules and definitions: docs/methods/compliance.md.
 */
import {
  COMPLIANCE_STATUSES,
  PENDING_STATUSES,
  RECEIVED_STATUSES,
  type ComplianceCounts,
  type ComplianceRates,
  type ComplianceStatus,
  type FormOutcome,
  type ObligationCompliance,
  type ReportVisibilitySummary,
  type Share,
  type StateComplianceHistory,
  type StateYearStatus,
  type Submission,
  type UnmatchedReport,
} from '../model/compliance.js';
import { dateInTimeZone, type IsoDate } from '../model/dates.js';
import { AppError } from '../model/errors.js';
import type { RegistryFormStatus, ReportRegistryEntry } from '../model/report-registry.js';
import type { ReportingObligation, ReportingRules } from '../model/reporting.js';
import type { State, StateId } from '../model/state.js';
import type { TreatyRecord } from '../model/treaty.js';
import { reportingObligations } from './reporting-calendar.js';

export { COMPLIANCE_STATUSES };
export type { ComplianceStatus, ObligationCompliance, ComplianceRates, StateComplianceHistory };

/** What every count and rate means; published with the results. */
export const COMPLIANCE_DEFINITIONS: Readonly<Record<string, string>> = Object.freeze({
  obliged:
    'States owing the report by the reporting calendar (ATT Art. 13; first annual report: the first full calendar year after entry into force unless configured otherwise). For a covered year these are the States Parties obliged to report on it.',
  reported:
    'obligations for which a report was received by the as-of date: on_time + within_grace + late + received_undated. A report counts once, however many sources record it.',
  onTime:
    'received by the end of the due date in the deadline time zone (31 May, Geneva time, for annual reports); share of the States obliged.',
  withinGrace:
    'received after the due date but within the grace days (the Secretariat counts reports by 7 June as on time).',
  onTimeOrWithinGrace:
    'on_time + within_grace; share of the States obliged. This is the "on time" of the Secretariat and of Stimson.',
  late: 'received after the grace period; daysLate counts the days after the due date.',
  receivedUndated:
    'received, but no submission date is recorded and the entry was recorded after the due date.',
  missing: 'the due date and the grace period have ended and nothing is recorded.',
  pending:
    'not yet overdue: not_yet_due (window not open), due (window open), deadline_passed (grace period running).',
  private:
    'reports received whose every included form is private (an initial report marked private); share of the reports received. A private report shows only "submitted, private".',
  anyFormPrivate:
    'reports received with at least one private form (wholly or partly private); share of the reports received.',
  visibilityNotRecorded: 'reports received whose source does not record the forms or their visibility.',
  notOwed:
    'the State owes no such report: not a State Party by then, or a year before its first covered year.',
});

const MS_PER_DAY = 86_400_000;

function daysBetween(from: IsoDate, to: IsoDate): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / MS_PER_DAY);
}

/**
 * Timeliness of a report received on `submittedOn` (a calendar day in the deadline zone): `on_time` by the due date,
 * `within_grace` up to due date + graceDays, `late` after that. daysLate counts days after the due date.
 */
export function timeliness(
  submittedOn: IsoDate,
  dueDate: IsoDate,
  graceDays: number,
): { status: 'on_time' | 'within_grace' | 'late'; daysLate: number | null } {
  if (submittedOn <= dueDate) return { status: 'on_time', daysLate: null };
  const daysLate = daysBetween(dueDate, submittedOn);
  return { status: daysLate <= graceDays ? 'within_grace' : 'late', daysLate };
}

export interface ComplianceInput {
  records: readonly TreatyRecord[];
  entries: readonly ReportRegistryEntry[];
  asOf: Date;
  rules: ReportingRules;
}

export interface ComplianceResult {
  /** The as-of date in the deadline zone, and the instant itself. */
  asOf: IsoDate;
  asOfInstant: string;
  rules: ReportingRules;
  definitions: Readonly<Record<string, string>>;
  obligations: ObligationCompliance[];
  unmatched: UnmatchedReport[];
}

/** Entries are matched to obligations by State, by kind (initial / annual) and by covered year. */
function obligationKey(stateId: string, kind: 'initial' | 'annual', coveredYear: number | null): string {
  return `${stateId}|${kind}|${coveredYear ?? '-'}`;
}

function entryKey(entry: ReportRegistryEntry): string {
  // An update with a covered year replaces an annual report; one without, the initial report (Art. 13(1)).
  const kind =
    entry.kind === 'initial' || (entry.kind === 'update' && entry.coveredYear === null)
      ? 'initial'
      : 'annual';
  return obligationKey(entry.stateId, kind, entry.coveredYear);
}

const ORIGIN_RANK: Record<ReportRegistryEntry['origin'], number> = {
  'submission-log': 0,
  recorded: 1,
  'att-report-import': 2,
};

function formOutcome(form: 'exports' | 'imports', entry: ReportRegistryEntry): FormOutcome {
  if (!entry.formsRecorded)
    return { form, included: null, visibility: null, details: null, detailsRedacted: false };
  const status: RegistryFormStatus | null = entry[form];
  if (status === null)
    return { form, included: false, visibility: null, details: null, detailsRedacted: false };
  return {
    form,
    included: true,
    visibility: status.visibility,
    details: {
      nil: status.nil,
      withheldCommerciallySensitive: status.withheldCommerciallySensitive,
      withheldNationalSecurity: status.withheldNationalSecurity,
    },
    detailsRedacted: false,
  };
}

function visibilitySummary(
  entry: ReportRegistryEntry,
  forms: readonly FormOutcome[],
): ReportVisibilitySummary {
  if (entry.coveredYear === null) return entry.reportVisibility ?? 'not_recorded';
  const seen = forms.filter((f) => f.included === true).map((f) => f.visibility);
  if (seen.length === 0) return 'not_recorded';
  if (seen.every((v) => v === 'public')) return 'public';
  if (seen.every((v) => v === 'private')) return 'private';
  return 'partly_public';
}

/**
 * The submission answering one obligation from the entries known as of the instant. The earliest evidence of
 * receipt decides timeliness; the latest version received (updates replace) decides the forms shown.
 */
function submissionOf(
  entries: readonly ReportRegistryEntry[],
  timeZone: string,
): { submission: Submission; first: ReportRegistryEntry } {
  const dayOf = (entry: ReportRegistryEntry) =>
    entry.submittedOn ?? dateInTimeZone(new Date(entry.recordedAt), timeZone);
  const byTime = [...entries].sort(
    (a, b) =>
      dayOf(a).localeCompare(dayOf(b)) ||
      ORIGIN_RANK[a.origin] - ORIGIN_RANK[b.origin] ||
      a.recordedAt.localeCompare(b.recordedAt) ||
      a.id.localeCompare(b.id),
  );
  // Originals (initial, annual) before updates: an update is not the first submission unless nothing else is known.
  const originals = byTime.filter((e) => e.kind !== 'update');
  const first = (originals.length > 0 ? originals : byTime)[0]!;
  const withForms = byTime.filter((e) => e.formsRecorded);
  const current = (withForms.length > 0 ? withForms : byTime).at(-1)!;
  const forms =
    current.coveredYear === null ? [] : (['exports', 'imports'] as const).map((f) => formOutcome(f, current));
  return {
    first,
    submission: {
      entryId: first.id,
      kind: first.kind,
      submittedOn: first.submittedOn,
      origin: first.origin,
      currentVersionEntryId: current.id,
      visibility: visibilitySummary(current, forms),
      forms,
      sourceUrl: current.sourceUrl ?? first.sourceUrl,
    },
  };
}

function describeReport(obligation: Pick<ReportingObligation, 'kind' | 'coveredYear' | 'stateId'>): string {
  return obligation.kind === 'initial'
    ? `${obligation.stateId}'s initial report (Art. 13(1))`
    : `${obligation.stateId}'s annual report on ${obligation.coveredYear} (Art. 13(3))`;
}

/** One obligation's status as of `today` (a date in the deadline zone) from the entries matched to it. */
function complianceOf(
  obligation: ReportingObligation,
  matched: readonly ReportRegistryEntry[],
  today: IsoDate,
  rules: ReportingRules,
): ObligationCompliance {
  const base = {
    stateId: obligation.stateId,
    iso3: obligation.iso3,
    kind: obligation.kind,
    article: obligation.article,
    coveredYear: obligation.coveredYear,
    windowOpens: obligation.windowOpens,
    dueDate: obligation.dueDate,
    graceEndsOn: obligation.graceEndsOn,
    deadlineTimeZone: obligation.deadlineTimeZone,
    calendarStatus: obligation.status,
    entryIds: matched.map((e) => e.id).sort(),
  };
  const what = describeReport(obligation);
  const deadline = `the due date ${obligation.dueDate} (ending at midnight, ${obligation.deadlineTimeZone})`;
  if (matched.length === 0) {
    let status: ComplianceStatus;
    let reason: string;
    if (obligation.status === 'not_yet_due') {
      status = 'not_yet_due';
      reason = `The window for ${what} opens on ${obligation.windowOpens}; it is due by ${obligation.dueDate}.`;
    } else if (obligation.status === 'due') {
      status = 'due';
      reason = `${what} is due by ${obligation.dueDate}; no report is recorded yet.`;
    } else if (today <= obligation.graceEndsOn) {
      status = 'deadline_passed';
      reason = `${deadline} has passed and the ${rules.graceDays}-day grace period runs until ${obligation.graceEndsOn}; no report is recorded yet.`;
    } else {
      status = 'missing';
      reason = `No ${what.replace(/^\S+'s /, '')} from ${obligation.stateId} is recorded: it was due by ${obligation.dueDate} and the ${rules.graceDays}-day grace period ended on ${obligation.graceEndsOn}.`;
    }
    return { ...base, status, daysLate: null, submission: null, reason };
  }

  const { submission } = submissionOf(matched, rules.timeZone);
  const undatedBound = matched
    .filter((e) => e.submittedOn === null)
    .map((e) => dateInTimeZone(new Date(e.recordedAt), rules.timeZone))
    .sort()[0];
  const earliestDated = matched
    .map((e) => e.submittedOn)
    .filter((d): d is IsoDate => d !== null)
    .sort()[0];
  // Several versions (an update, or the same report from two sources): the earliest decides timeliness, the latest
  // the forms shown, and the reason says so.
  const sources =
    matched.length > 1
      ? ` (${matched.length} registry entries record it; the earliest, ${submission.entryId}, decides timeliness and the latest, ${submission.currentVersionEntryId}, the forms shown)`
      : '';
  if (
    undatedBound !== undefined &&
    undatedBound <= obligation.dueDate &&
    (earliestDated === undefined || earliestDated > undatedBound)
  ) {
    return {
      ...base,
      status: 'on_time',
      daysLate: null,
      submission,
      reason: `${what} has no recorded submission date, but it was recorded on ${undatedBound}, by ${deadline}: on time${sources}.`,
    };
  }
  if (earliestDated !== undefined && (undatedBound === undefined || earliestDated <= undatedBound)) {
    const { status, daysLate } = timeliness(earliestDated, obligation.dueDate, rules.graceDays);
    const early = earliestDated < obligation.windowOpens ? ' (before the covered period ended)' : '';
    const reason =
      status === 'on_time'
        ? `${what} was received on ${earliestDated}${early}, by ${deadline}${sources}.`
        : status === 'within_grace'
          ? `${what} was received on ${earliestDated}, ${daysLate} day(s) after ${deadline}, within the ${rules.graceDays}-day grace period ending ${obligation.graceEndsOn}${sources}.`
          : `${what} was received on ${earliestDated}, ${daysLate} days after ${deadline} and after the ${rules.graceDays}-day grace period ending ${obligation.graceEndsOn}${sources}.`;
    return { ...base, status, daysLate, submission, reason };
  }
  return {
    ...base,
    status: 'received_undated',
    daysLate: null,
    submission,
    reason: `${what} is recorded, but no submission date is known and it was first recorded on ${undatedBound ?? 'an unknown date'}, after ${deadline}: whether it was on time cannot be told${sources}.`,
  };
}

/** Is the entry known as of the instant? Dated entries by their date; undated ones from when they were recorded. */
function knownBy(entry: ReportRegistryEntry, today: IsoDate, asOf: Date): boolean {
  return entry.submittedOn !== null
    ? entry.submittedOn <= today
    : Date.parse(entry.recordedAt) <= asOf.getTime();
}

/**
 * Every reporting obligation (reportingObligations) with its compliance status as of an instant, and the reports
 * received that answer no obligation (`not_owed`).
 */
export function trackCompliance(input: ComplianceInput): ComplianceResult {
  const { records, entries, asOf, rules } = input;
  const today = dateInTimeZone(asOf, rules.timeZone);
  const obligations = reportingObligations(records, asOf, rules);
  const known = entries.filter((entry) => knownBy(entry, today, asOf));
  const byKey = new Map<string, ReportRegistryEntry[]>();
  for (const entry of known) {
    const key = entryKey(entry);
    const list = byKey.get(key);
    if (list) list.push(entry);
    else byKey.set(key, [entry]);
  }
  const obligationKeys = new Set<string>();
  const result: ObligationCompliance[] = obligations.map((obligation) => {
    const key = obligationKey(obligation.stateId, obligation.kind, obligation.coveredYear);
    obligationKeys.add(key);
    return complianceOf(obligation, byKey.get(key) ?? [], today, rules);
  });

  const statesWithObligations = new Map<string, ReportingObligation[]>();
  for (const obligation of obligations) {
    const list = statesWithObligations.get(obligation.stateId);
    if (list) list.push(obligation);
    else statesWithObligations.set(obligation.stateId, [obligation]);
  }
  const unmatched: UnmatchedReport[] = [];
  for (const [key, list] of [...byKey.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    if (obligationKeys.has(key)) continue;
    const { submission, first } = submissionOf(list, rules.timeZone);
    const own = statesWithObligations.get(first.stateId);
    const firstAnnual = own?.find((o) => o.kind === 'annual')?.coveredYear;
    const what =
      first.coveredYear === null
        ? `an initial report from ${first.stateId}`
        : `a report on ${first.coveredYear} from ${first.stateId}`;
    const reason =
      own === undefined
        ? `${what} is recorded, but ${first.stateId} had deposited no instrument by ${today}: it owes no report under Art. 13, so the report is voluntary.`
        : first.coveredYear !== null &&
            firstAnnual !== undefined &&
            firstAnnual !== null &&
            first.coveredYear < firstAnnual
          ? `${what} is recorded, but ${first.stateId}'s first annual report covers ${firstAnnual}: no report on ${first.coveredYear} is owed.`
          : `${what} is recorded, but no such report is owed as of ${today}.`;
    unmatched.push({
      stateId: first.stateId,
      kind: first.kind,
      coveredYear: first.coveredYear,
      status: 'not_owed',
      submission,
      reason,
    });
  }
  return {
    asOf: today,
    asOfInstant: asOf.toISOString(),
    rules,
    definitions: COMPLIANCE_DEFINITIONS,
    obligations: result,
    unmatched,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Visibility

/**
 * The public view of a result: a private form shows only "included, private" (no nil or withheld details). The
 * visibility layer (which knows the viewer) calls this for anyone who may not see private reports.
 */
export function redactPrivateDetails<T extends { submission: Submission | null }>(item: T): T {
  if (item.submission === null) return item;
  const forms = item.submission.forms.map((form) =>
    form.visibility === 'private' ? { ...form, details: null, detailsRedacted: true } : form,
  );
  return { ...item, submission: { ...item.submission, forms } };
}

// ---------------------------------------------------------------------------------------------------------------
// Counts, rates, histories

function share(numerator: number, denominator: number): Share {
  return {
    numerator,
    denominator,
    percent: denominator === 0 ? null : Math.round((numerator * 1000) / denominator) / 10,
  };
}

const percentText = (s: Share) => (s.percent === null ? 'n/a' : `${s.percent.toFixed(1)} %`);

/** Counts over obligations; the statuses partition `obliged`, the visibilities partition `reported`. */
export function complianceCounts(obligations: readonly ObligationCompliance[]): ComplianceCounts {
  const counts: ComplianceCounts = {
    obliged: obligations.length,
    reported: 0,
    onTime: 0,
    withinGrace: 0,
    late: 0,
    receivedUndated: 0,
    missing: 0,
    pending: 0,
    public: 0,
    partlyPublic: 0,
    private: 0,
    visibilityNotRecorded: 0,
  };
  for (const o of obligations) {
    if ((RECEIVED_STATUSES as readonly string[]).includes(o.status)) {
      counts.reported += 1;
      const visibility = o.submission?.visibility ?? 'not_recorded';
      if (visibility === 'public') counts.public += 1;
      else if (visibility === 'partly_public') counts.partlyPublic += 1;
      else if (visibility === 'private') counts.private += 1;
      else counts.visibilityNotRecorded += 1;
    }
    if (o.status === 'on_time') counts.onTime += 1;
    else if (o.status === 'within_grace') counts.withinGrace += 1;
    else if (o.status === 'late') counts.late += 1;
    else if (o.status === 'received_undated') counts.receivedUndated += 1;
    else if (o.status === 'missing') counts.missing += 1;
    else if ((PENDING_STATUSES as readonly string[]).includes(o.status)) counts.pending += 1;
  }
  return counts;
}

function ratesOf(
  obligations: readonly ObligationCompliance[],
  kind: 'initial' | 'annual',
  coveredYear: number | null,
  groupBy: ComplianceRates['groupBy'],
  group: string,
  asOf: IsoDate,
): ComplianceRates {
  const counts = complianceCounts(obligations);
  const rates = {
    reported: share(counts.reported, counts.obliged),
    onTime: share(counts.onTime, counts.obliged),
    onTimeOrWithinGrace: share(counts.onTime + counts.withinGrace, counts.obliged),
    private: share(counts.private, counts.reported),
    anyFormPrivate: share(counts.private + counts.partlyPublic, counts.reported),
  };
  const where = groupBy === 'all' ? '' : ` in ${group === 'none' ? 'no recorded group' : group}`;
  const subject = kind === 'initial' ? 'their initial report' : `for ${coveredYear}`;
  const summary =
    `${counts.reported} of ${counts.obliged} States Parties${where} reported ${subject} (${percentText(rates.reported)}), as of ${asOf}: ` +
    `${counts.onTime} on time (${percentText(rates.onTime)} of those obliged; ${percentText(rates.onTimeOrWithinGrace)} with the grace period), ` +
    `${counts.withinGrace} within the grace period, ${counts.late} late, ${counts.receivedUndated} undated; ` +
    `${counts.missing} missing, ${counts.pending} not yet overdue. ` +
    `${counts.private} of the ${counts.reported} reports were wholly private (${percentText(rates.private)}), ${counts.partlyPublic} partly private, ${counts.visibilityNotRecorded} of unrecorded visibility.`;
  return { kind, coveredYear, groupBy, group, asOf, counts, rates, summary };
}

export interface RatesOptions {
  kind?: 'initial' | 'annual';
  /** Annual reports: the covered year (required). */
  coveredYear?: number;
  /** For the regional breakdowns (M49 region, UN regional group); without it only `all` is given. */
  states?: readonly State[];
}

/**
 * Reporting rates for one covered year (or for initial reports): overall, then by M49 region and by UN regional
 * group when `states` is given. Definitions: COMPLIANCE_DEFINITIONS.
 */
export function complianceRates(result: ComplianceResult, options: RatesOptions): ComplianceRates[] {
  const kind = options.kind ?? 'annual';
  const coveredYear = kind === 'annual' ? (options.coveredYear ?? null) : null;
  if (kind === 'annual' && coveredYear === null)
    throw new AppError('validation', 'reporting rates for annual reports need a covered year', {
      hint: 'pass coveredYear, e.g. 2022',
    });
  const selected = result.obligations.filter(
    (o) => o.kind === kind && (kind === 'initial' || o.coveredYear === coveredYear),
  );
  const out = [ratesOf(selected, kind, coveredYear, 'all', 'all', result.asOf)];
  if (options.states) {
    const byId = new Map(options.states.map((s) => [s.id as string, s]));
    for (const groupBy of ['m49Region', 'unRegionalGroup'] as const) {
      const groups = new Map<string, ObligationCompliance[]>();
      for (const o of selected) {
        const group = byId.get(o.stateId)?.[groupBy] ?? 'none';
        const list = groups.get(group);
        if (list) list.push(o);
        else groups.set(group, [o]);
      }
      for (const [group, list] of [...groups.entries()].sort(([a], [b]) => a.localeCompare(b)))
        out.push(ratesOf(list, kind, coveredYear, groupBy, group, result.asOf));
    }
  }
  return out;
}

/** One State's obligations (oldest first) and voluntary reports, with counts. */
export function stateComplianceHistory(
  result: ComplianceResult,
  stateId: StateId | string,
): StateComplianceHistory {
  const obligations = result.obligations
    .filter((o) => o.stateId === stateId)
    .sort(
      (a, b) =>
        (a.kind === b.kind ? 0 : a.kind === 'initial' ? -1 : 1) ||
        (a.coveredYear ?? 0) - (b.coveredYear ?? 0),
    );
  const unmatched = result.unmatched.filter((u) => u.stateId === stateId);
  const counts = complianceCounts(obligations);
  const due = counts.obliged - counts.pending;
  const summary =
    obligations.length === 0
      ? `${stateId} owed no report under ATT Art. 13 as of ${result.asOf}${unmatched.length > 0 ? `; ${unmatched.length} voluntary report(s) recorded` : ''}.`
      : `${stateId} has submitted ${counts.reported} of the ${due} reports that fell due by ${result.asOf} (${counts.onTime} on time, ${counts.withinGrace} within grace, ${counts.late} late, ${counts.receivedUndated} undated, ${counts.missing} missing); ${counts.pending} not yet overdue.`;
  return {
    stateId: stateId as StateId,
    asOf: result.asOf,
    obligations,
    unmatched,
    counts,
    summary,
  };
}

/**
 * Every State's status for one covered year, `not_owed` included (non-parties, and parties whose first annual report
 * covers a later year). `states` gives the list of States (kind `state`).
 */
export function stateYearStatuses(
  result: ComplianceResult,
  states: readonly State[],
  coveredYear: number,
): StateYearStatus[] {
  const byState = new Map<string, ObligationCompliance>();
  const anyObligation = new Map<string, number | null>();
  for (const o of result.obligations) {
    if (o.kind === 'annual') {
      const first = anyObligation.get(o.stateId);
      if (first === undefined || first === null || (o.coveredYear ?? 0) < first)
        anyObligation.set(o.stateId, o.coveredYear);
      if (o.coveredYear === coveredYear) byState.set(o.stateId, o);
    }
  }
  return states
    .filter((s) => s.kind === 'state')
    .map((s): StateYearStatus => {
      const obligation = byState.get(s.id) ?? null;
      if (obligation)
        return {
          stateId: s.id,
          coveredYear,
          status: obligation.status,
          obligation,
          reason: obligation.reason,
        };
      const firstYear = anyObligation.get(s.id);
      const voluntary = result.unmatched.find((u) => u.stateId === s.id && u.coveredYear === coveredYear);
      const extra = voluntary ? ' A voluntary report is recorded.' : '';
      const reason =
        firstYear === undefined
          ? `${s.id} was not a State Party (no instrument deposited) as of ${result.asOf}: no report on ${coveredYear} is owed.${extra}`
          : `${s.id}'s first annual report covers ${firstYear}: no report on ${coveredYear} is owed.${extra}`;
      return { stateId: s.id, coveredYear, status: 'not_owed', obligation: null, reason };
    })
    .sort((a, b) => a.stateId.localeCompare(b.stateId));
}
