/**
 * The transparency score of one annual report, by the published rubric docs/transparency-rubric.md (its version is in
 * every result). The score measures what the public can see: the contents of a private form cannot be assessed and
 * earn nothing. Every point lost carries a finding naming the form and the rows.
 */
import type { AttReportFormName, AttReportRow } from '../model/att-report.js';
import type { ScoreCriterion, ScoreFinding, ScoredRowRef, TransparencyScore } from '../model/compliance.js';
import { AppError } from '../model/errors.js';
import type { ReportRegistryEntry } from '../model/report-registry.js';
import { DEFAULT_REPORTING_RULES, type ReportingRules } from '../model/reporting.js';
import type { MissingReason, Transfer } from '../model/transfer.js';
import { timeliness } from './compliance-tracker.js';
import { annualReportDueDate } from './reporting-calendar.js';

export type { TransparencyScore };

/** Bump on any change to criteria, points or rules, and record the change in docs/transparency-rubric.md. */
export const TRANSPARENCY_RUBRIC_VERSION = 'att-transparency-rubric/1';

/** The criteria in rubric order, with their maximum points (they sum to 100). */
export const TRANSPARENCY_CRITERIA = [
  { id: 'timeliness', label: 'Submitted on time', maxPoints: 15 },
  { id: 'public', label: 'Public', maxPoints: 10 },
  { id: 'partner', label: 'Disaggregated by partner State', maxPoints: 10 },
  { id: 'numberOfItems', label: 'Numbers of items', maxPoints: 10 },
  { id: 'value', label: 'Values', maxPoints: 10 },
  { id: 'salwSubcategories', label: 'SALW sub-categories', maxPoints: 5 },
  { id: 'description', label: 'Descriptions of items', maxPoints: 10 },
  { id: 'endUserEndUse', label: 'End user and end use', maxPoints: 5 },
  { id: 'nilReport', label: 'Nil report where there was nothing to report', maxPoints: 5 },
  { id: 'nothingWithheld', label: 'Nothing withheld', maxPoints: 10 },
  { id: 'bothForms', label: 'Both exports and imports', maxPoints: 10 },
] as const;
export type TransparencyCriterionId = (typeof TRANSPARENCY_CRITERIA)[number]['id'];

/** Timeliness points: on time, within grace, late by up to 90 days, up to 365 days, later or undated. */
export const TIMELINESS_POINTS = {
  onTime: 15,
  withinGrace: 12,
  lateUpTo90Days: 6,
  lateUpTo365Days: 3,
  later: 0,
} as const;

const SPECIFIC_SALW = new Set([
  'SA1',
  'SA2',
  'SA3',
  'SA4',
  'SA5',
  'SA6',
  'LW1',
  'LW2',
  'LW3',
  'LW4',
  'LW5',
  'LW6',
  'LW7',
]);

/** A report row reduced to what the rubric looks at. */
interface ScoredRow {
  ref: ScoredRowRef;
  partnerAggregated: boolean;
  categoryCode: string | null;
  subcategoryCode: string | null;
  numberOfItems: number | null;
  numberOfItemsMissingReason: MissingReason | null;
  value: string | null;
  valueMissingReason: MissingReason | null;
  description: string | null;
  endUser: string | null;
  endUse: string | null;
}

function isAttReportRow(row: AttReportRow | Transfer): row is AttReportRow {
  return 'form' in row;
}

/** The form a Transfer came from: its sheet, else which side the reporting State is on. */
function formOfTransfer(transfer: Transfer, stateId: string): AttReportFormName | null {
  const sheet = transfer.provenance.sheet?.toLowerCase();
  if (sheet === 'exports' || sheet === 'imports') return sheet;
  if (transfer.exporterId === stateId && transfer.importerId !== stateId) return 'exports';
  if (transfer.importerId === stateId && transfer.exporterId !== stateId) return 'imports';
  return null;
}

function toScoredRows(rows: readonly (AttReportRow | Transfer)[], stateId: string): ScoredRow[] {
  const out: ScoredRow[] = [];
  rows.forEach((row, index) => {
    const form = isAttReportRow(row) ? row.form : formOfTransfer(row, stateId);
    if (form === null) return;
    out.push({
      ref: { form, index, sourceRow: isAttReportRow(row) ? null : row.provenance.row },
      partnerAggregated: row.partnerAggregated,
      categoryCode: row.categoryCode,
      subcategoryCode: row.subcategoryCode,
      numberOfItems: row.numberOfItems,
      numberOfItemsMissingReason: row.numberOfItemsMissingReason,
      value: row.value,
      valueMissingReason: row.valueMissingReason,
      description: row.description,
      endUser: row.endUser,
      endUse: row.endUse,
    });
  });
  return out;
}

/** floor(max x share) with a guard against float noise (shares are ratios of small integers). */
function pointsFor(maxPoints: number, share: number): number {
  return Math.max(0, Math.min(maxPoints, Math.floor(maxPoints * share + 1e-9)));
}

const FORMS: readonly AttReportFormName[] = ['exports', 'imports'];

interface FormContext {
  form: AttReportFormName;
  visibility: 'public' | 'private';
  nil: boolean;
  withheldCommerciallySensitive: boolean | null;
  withheldNationalSecurity: boolean | null;
  rows: ScoredRow[];
}

export interface TransparencyScoreInput {
  entry: ReportRegistryEntry;
  /** The report's rows (AttReportRow[] from the parser, or its Transfers). Rows of private forms are not looked at. */
  rows: readonly (AttReportRow | Transfer)[];
  /** Due date and grace days (default: DEFAULT_REPORTING_RULES). */
  rules?: ReportingRules;
}

/**
 * Scores one annual report (or an update of one) by the rubric. Throws AppError('validation') for an initial report,
 * which the rubric does not cover.
 */
export function transparencyScore(input: TransparencyScoreInput): TransparencyScore {
  const { entry } = input;
  const rules = input.rules ?? DEFAULT_REPORTING_RULES;
  if (entry.coveredYear === null)
    throw new AppError(
      'validation',
      `entry ${entry.id} is an initial report: the transparency rubric scores annual reports`,
      {
        hint: 'score the annual reports (kind annual or update with a covered year)',
      },
    );
  const coveredYear = entry.coveredYear;
  const rows = toScoredRows(input.rows, entry.stateId);
  const forms: FormContext[] = [];
  for (const form of FORMS) {
    const status = entry[form];
    if (!entry.formsRecorded || status === null) continue;
    forms.push({
      form,
      visibility: status.visibility,
      nil: status.nil,
      withheldCommerciallySensitive: status.withheldCommerciallySensitive,
      withheldNationalSecurity: status.withheldNationalSecurity,
      rows: rows.filter((row) => row.ref.form === form),
    });
  }
  const criteria: ScoreCriterion[] = [
    timelinessCriterion(entry, coveredYear, rules),
    publicCriterion(entry, forms),
    rowCriterion('partner', entry, forms, {
      applies: () => true,
      score: (row) => (row.partnerAggregated ? 0 : 1),
      missing: (n, total) => `${n} of ${total} rows give an aggregated partner instead of naming the State`,
      full: 'every row names its partner State',
    }),
    rowCriterion('numberOfItems', entry, forms, {
      applies: () => true,
      score: (row) => (row.numberOfItems !== null ? 1 : 0),
      missing: (n, total) => `${n} of ${total} rows give no number of items`,
      full: 'every row gives a number of items',
    }),
    rowCriterion('value', entry, forms, {
      applies: () => true,
      score: (row) => (row.value !== null ? 1 : 0),
      missing: (n, total) => `${n} of ${total} rows give no value`,
      full: 'every row gives a value',
    }),
    rowCriterion('salwSubcategories', entry, forms, {
      applies: (row) => row.categoryCode === 'VIII',
      score: (row) => (row.subcategoryCode !== null && SPECIFIC_SALW.has(row.subcategoryCode) ? 1 : 0),
      missing: (n, total) =>
        `${n} of ${total} small arms and light weapons rows give no specific sub-category (SA1-SA6, LW1-LW7)`,
      full: 'every small arms and light weapons row gives its sub-category',
      notApplicable: 'no small arms and light weapons (category VIII) rows to assess',
    }),
    rowCriterion('description', entry, forms, {
      applies: () => true,
      score: (row) => ((row.description ?? '').trim() !== '' ? 1 : 0),
      missing: (n, total) => `${n} of ${total} rows give no description of the items`,
      full: 'every row describes the items',
    }),
    rowCriterion('endUserEndUse', entry, forms, {
      applies: () => true,
      score: (row) =>
        (((row.endUser ?? '').trim() !== '' ? 1 : 0) + ((row.endUse ?? '').trim() !== '' ? 1 : 0)) / 2,
      missing: (n, total) =>
        `${n} of ${total} rows lack the end user, the end use, or both (each counts half)`,
      full: 'every row gives the end user and the end use',
    }),
    nilCriterion(entry, forms),
    withheldCriterion(entry, forms),
    bothFormsCriterion(entry, forms),
  ];
  return {
    rubricVersion: TRANSPARENCY_RUBRIC_VERSION,
    entryId: entry.id,
    stateId: entry.stateId,
    coveredYear,
    score: criteria.reduce((sum, c) => sum + c.points, 0),
    maxScore: criteria.reduce((sum, c) => sum + c.maxPoints, 0),
    criteria,
  };
}

function meta(id: TransparencyCriterionId) {
  return TRANSPARENCY_CRITERIA.find((c) => c.id === id)!;
}

function criterion(
  id: TransparencyCriterionId,
  points: number,
  reason: string,
  findings: ScoreFinding[],
  applicable = true,
): ScoreCriterion {
  const { label, maxPoints } = meta(id);
  return { id, label, points, maxPoints, applicable, reason, findings: points < maxPoints ? findings : [] };
}

function timelinessCriterion(
  entry: ReportRegistryEntry,
  coveredYear: number,
  rules: ReportingRules,
): ScoreCriterion {
  const due = annualReportDueDate(coveredYear);
  if (entry.submittedOn === null) {
    const message = `the submission date is not recorded, so timeliness (due ${due}) cannot be credited`;
    return criterion('timeliness', TIMELINESS_POINTS.later, message, [{ form: null, message, rows: [] }]);
  }
  const { status, daysLate } = timeliness(entry.submittedOn, due, rules.graceDays);
  if (status === 'on_time')
    return criterion(
      'timeliness',
      TIMELINESS_POINTS.onTime,
      `submitted on ${entry.submittedOn}, by the due date ${due}`,
      [],
    );
  const points =
    status === 'within_grace'
      ? TIMELINESS_POINTS.withinGrace
      : (daysLate ?? 0) <= 90
        ? TIMELINESS_POINTS.lateUpTo90Days
        : (daysLate ?? 0) <= 365
          ? TIMELINESS_POINTS.lateUpTo365Days
          : TIMELINESS_POINTS.later;
  const message =
    status === 'within_grace'
      ? `submitted on ${entry.submittedOn}, ${daysLate} day(s) after the due date ${due}, within the ${rules.graceDays}-day grace period`
      : `submitted on ${entry.submittedOn}, ${daysLate} days after the due date ${due}, after the ${rules.graceDays}-day grace period`;
  return criterion('timeliness', points, message, [{ form: null, message, rows: [] }]);
}

function formsNotRecordedFinding(entry: ReportRegistryEntry): ScoreFinding | null {
  if (entry.formsRecorded) return null;
  return {
    form: null,
    message: 'the registry does not record which forms the report included or whether they are public',
    rows: [],
  };
}

function publicCriterion(entry: ReportRegistryEntry, forms: readonly FormContext[]): ScoreCriterion {
  const notRecorded = formsNotRecordedFinding(entry);
  if (notRecorded) return criterion('public', 0, notRecorded.message, [notRecorded]);
  if (forms.length === 0) {
    const message = 'no form is included';
    return criterion('public', 0, message, [{ form: null, message, rows: [] }]);
  }
  const privateForms = forms.filter((f) => f.visibility === 'private');
  const points = pointsFor(meta('public').maxPoints, (forms.length - privateForms.length) / forms.length);
  const findings = privateForms.map((f) => ({
    form: f.form,
    message: `the ${f.form} form is private`,
    rows: [],
  }));
  const reason =
    privateForms.length === 0
      ? `every included form is public (${forms.map((f) => f.form).join(', ')})`
      : `${forms.length - privateForms.length} of ${forms.length} included forms are public`;
  return criterion('public', points, reason, findings);
}

interface RowRule {
  applies: (row: ScoredRow) => boolean;
  score: (row: ScoredRow) => number;
  missing: (count: number, total: number) => string;
  full: string;
  notApplicable?: string;
}

/**
 * A criterion scored on rows: each included form scores the mean of its applicable rows (a private form scores 0,
 * since its contents cannot be seen); forms without applicable rows are left out; points = floor(max x mean).
 */
function rowCriterion(
  id: TransparencyCriterionId,
  entry: ReportRegistryEntry,
  forms: readonly FormContext[],
  rule: RowRule,
): ScoreCriterion {
  const notRecorded = formsNotRecordedFinding(entry);
  if (notRecorded)
    return criterion(id, 0, `${notRecorded.message}: the contents cannot be assessed`, [notRecorded]);
  if (forms.length === 0) {
    const message = 'no form is included: nothing can be assessed';
    return criterion(id, 0, message, [{ form: null, message, rows: [] }]);
  }
  const shares: number[] = [];
  const findings: ScoreFinding[] = [];
  const notes: string[] = [];
  for (const form of forms) {
    if (form.visibility === 'private') {
      shares.push(0);
      const message = `the ${form.form} form is private: its contents cannot be assessed`;
      findings.push({ form: form.form, message, rows: [] });
      notes.push(message);
      continue;
    }
    const applicable = form.rows.filter(rule.applies);
    if (applicable.length === 0) continue;
    const lacking = applicable.filter((row) => rule.score(row) < 1);
    shares.push(applicable.reduce((sum, row) => sum + rule.score(row), 0) / applicable.length);
    if (lacking.length > 0) {
      const message = `${form.form}: ${rule.missing(lacking.length, applicable.length)}`;
      findings.push({ form: form.form, message, rows: lacking.map((row) => row.ref) });
      notes.push(message);
    } else notes.push(`${form.form}: ${rule.full}`);
  }
  const { maxPoints } = meta(id);
  if (shares.length === 0)
    return criterion(
      id,
      maxPoints,
      rule.notApplicable ?? 'no rows to assess (nil reports): nothing is missing',
      [],
      false,
    );
  const mean = shares.reduce((a, b) => a + b, 0) / shares.length;
  return criterion(id, pointsFor(maxPoints, mean), notes.join('; '), findings);
}

function nilCriterion(entry: ReportRegistryEntry, forms: readonly FormContext[]): ScoreCriterion {
  const notRecorded = formsNotRecordedFinding(entry);
  if (notRecorded) return criterion('nilReport', 0, notRecorded.message, [notRecorded]);
  if (forms.length === 0) {
    const message = 'no form is included';
    return criterion('nilReport', 0, message, [{ form: null, message, rows: [] }]);
  }
  let good = 0;
  const findings: ScoreFinding[] = [];
  const notes: string[] = [];
  for (const form of forms) {
    if (form.visibility === 'private') {
      const message = `the ${form.form} form is private: whether it is complete cannot be assessed`;
      findings.push({ form: form.form, message, rows: [] });
      notes.push(message);
    } else if (form.rows.length === 0 && !form.nil) {
      const message = `the ${form.form} form is included but lists no rows and is not marked as a nil report`;
      findings.push({ form: form.form, message, rows: [] });
      notes.push(message);
    } else if (form.rows.length > 0 && form.nil) {
      const message = `the ${form.form} form is marked as a nil report but lists ${form.rows.length} rows`;
      findings.push({ form: form.form, message, rows: form.rows.map((r) => r.ref) });
      notes.push(message);
    } else {
      good += 1;
      notes.push(form.nil ? `${form.form}: nil report` : `${form.form}: ${form.rows.length} rows`);
    }
  }
  return criterion(
    'nilReport',
    pointsFor(meta('nilReport').maxPoints, good / forms.length),
    notes.join('; '),
    findings,
  );
}

function withheldCriterion(entry: ReportRegistryEntry, forms: readonly FormContext[]): ScoreCriterion {
  const notRecorded = formsNotRecordedFinding(entry);
  if (notRecorded) return criterion('nothingWithheld', 0, notRecorded.message, [notRecorded]);
  if (forms.length === 0) {
    const message = 'no form is included';
    return criterion('nothingWithheld', 0, message, [{ form: null, message, rows: [] }]);
  }
  const shares: number[] = [];
  const findings: ScoreFinding[] = [];
  const notes: string[] = [];
  for (const form of forms) {
    if (form.visibility === 'private') {
      shares.push(0);
      const message = `the ${form.form} form is private: what it withholds cannot be assessed`;
      findings.push({ form: form.form, message, rows: [] });
      notes.push(message);
      continue;
    }
    const flags = [
      form.withheldCommerciallySensitive === true ? 'commercially sensitive' : null,
      form.withheldNationalSecurity === true ? 'national security' : null,
    ].filter((f): f is string => f !== null);
    const withheldRows = form.rows.filter(
      (row) => row.numberOfItemsMissingReason === 'withheld' || row.valueMissingReason === 'withheld',
    );
    if (flags.length > 0) {
      shares.push(0);
      const message = `the ${form.form} form says ${flags.join(' and ')} information was withheld (ATT Art. 13(3))`;
      findings.push({ form: form.form, message, rows: withheldRows.map((r) => r.ref) });
      notes.push(message);
      continue;
    }
    const unknownFlags =
      form.withheldCommerciallySensitive === null || form.withheldNationalSecurity === null
        ? ' (whether the title page declares information withheld is not recorded)'
        : '';
    if (withheldRows.length > 0) {
      shares.push((form.rows.length - withheldRows.length) / form.rows.length);
      const message = `${form.form}: ${withheldRows.length} of ${form.rows.length} rows withhold the number of items or the value${unknownFlags}`;
      findings.push({ form: form.form, message, rows: withheldRows.map((r) => r.ref) });
      notes.push(message);
    } else {
      shares.push(1);
      notes.push(`${form.form}: nothing withheld${unknownFlags}`);
    }
  }
  const mean = shares.reduce((a, b) => a + b, 0) / shares.length;
  return criterion(
    'nothingWithheld',
    pointsFor(meta('nothingWithheld').maxPoints, mean),
    notes.join('; '),
    findings,
  );
}

function bothFormsCriterion(entry: ReportRegistryEntry, forms: readonly FormContext[]): ScoreCriterion {
  const notRecorded = formsNotRecordedFinding(entry);
  if (notRecorded) return criterion('bothForms', 0, notRecorded.message, [notRecorded]);
  const missing = FORMS.filter((form) => !forms.some((f) => f.form === form));
  const points = pointsFor(meta('bothForms').maxPoints, (FORMS.length - missing.length) / FORMS.length);
  const findings = missing.map((form) => ({
    form,
    message: `the ${form} form is not included (a nil report would say there was nothing to report)`,
    rows: [],
  }));
  const reason =
    missing.length === 0
      ? 'both the exports and the imports forms are included'
      : findings.map((f) => f.message).join('; ');
  return criterion('bothForms', points, reason, findings);
}
