/**
 * UK export-control reference tables as CAAT publishes them (caatdata/uk-arms-export-data), CSV with a header:
 * - ratings.csv (`rating,military,short_description,full_description`) -> `uk-control-rating`;
 * - refusal-criteria.csv (`licence_cohort_id,criterion,description`) -> `uk-refusal-criterion`;
 * - footnotes-region.csv (`name,text`) -> `uk-destination-footnote`.
 * These are not transfers: without CAAT's items/values files the refusal criteria cannot be joined to destinations.
 */
import type { IngestLimits, StateLookup } from '../framework.js';
import type { PhysicalRecord } from '../csv-records.js';
import {
  FileContext,
  RowScope,
  SheetContext,
  checkCells,
  isBlankFields,
  openCsv,
  rawByLabel,
  textOrNull,
  type NationalResult,
} from './common.js';
import { parseMlCode } from './ml.js';
import { PartyResolver } from './parties.js';

export const UK_SOURCE = 'national:gbr';

const FILE_HINT = "obtain the file again from CAAT's uk-arms-export-data repository and import it unchanged";
const ROW_HINT = 'correct the row, or obtain the file again from CAAT';

export type UkTableKind = 'ratings' | 'refusal-criteria' | 'footnotes-region';

export interface UkParseOptions {
  fileName: string;
  lookup: StateLookup;
  importRunId?: string | null | undefined;
  limits?: Partial<IngestLimits> | undefined;
}

export const UK_COLUMNS: Readonly<Record<UkTableKind, readonly string[]>> = Object.freeze({
  ratings: ['rating', 'military', 'short_description', 'full_description'],
  'refusal-criteria': ['licence_cohort_id', 'criterion', 'description'],
  'footnotes-region': ['name', 'text'],
});

/** The UK Strategic Export Licensing Criteria number eight criteria. */
export const UK_CRITERIA_COUNT = 8;

interface UkState {
  context: FileContext;
  sheet: SheetContext;
  kind: UkTableKind;
  labels: string[];
  /** Column name -> position. */
  index: Map<string, number>;
  resolver: PartyResolver;
  seen: Map<string, number>;
  criterionText: Map<number, { text: string; row: number }>;
}

/** Parses one of CAAT's UK tables. Pure: bytes in, result out. */
export function parseUkCaat(bytes: Uint8Array, kind: UkTableKind, options: UkParseOptions): NationalResult {
  const context = new FileContext(bytes, options.fileName, UK_SOURCE, options);
  const { issues, result } = context;
  result.metadata.publisher =
    'CAAT (caatdata/uk-arms-export-data), from the UK Strategic Export Controls reports';
  const records = openCsv(bytes, context, FILE_HINT);
  if (!records) return context.result;
  const headerAt = records.findIndex((record) => !isBlankFields(record.fields));
  if (headerAt < 0) return context.refuse('empty_file', 'the file holds only blank lines', FILE_HINT);
  const header = records[headerAt]!;
  const expected = UK_COLUMNS[kind];
  const index = new Map<string, number>();
  const labels: string[] = [];
  let failed = false;
  header.fields.forEach((cell, position) => {
    const name = cell
      .replace(/^\uFEFF/, '')
      .trim()
      .toLowerCase();
    labels.push(name === '' ? `column ${position + 1}` : name);
    if (!expected.includes(name)) {
      issues.warning(
        'unknown_column',
        `column "${cell.trim()}" is not part of CAAT's ${kind} table; it is ignored`,
        'nothing to do if CAAT added a column; otherwise check the header',
        { column: cell.trim(), value: cell.trim() },
      );
      return;
    }
    if (index.has(name)) {
      failed = true;
      issues.error(
        'duplicate_column',
        `column "${name}" appears twice in the header (columns ${index.get(name)! + 1} and ${position + 1})`,
        FILE_HINT,
        { column: name, value: name },
      );
      return;
    }
    index.set(name, position);
  });
  for (const name of expected) {
    if (!index.has(name)) {
      failed = true;
      issues.error(
        'missing_column',
        `the header (line ${header.line}) has no column "${name}"; expected ${expected.join(',')}`,
        FILE_HINT,
        { column: name },
      );
    }
  }
  const data = records.slice(headerAt + 1);
  if (failed) return context.finish(true, data.length);
  result.stats.headerLine = header.line;
  if (!data.some((record) => !isBlankFields(record.fields)))
    return context.refuse('no_data_rows', 'the file has a header but no data rows', FILE_HINT, data.length);
  const last = data[data.length - 1]!;
  if (
    !last.terminated &&
    !isBlankFields(last.fields) &&
    (last.fields.length < labels.length || last.quoteProblem)
  ) {
    return context.refuse(
      'truncated_file',
      `the file ends in the middle of a row (line ${last.line} has ${last.fields.length} of ${labels.length} fields and no line end)`,
      'the download or copy was cut short: obtain the file again',
      data.length,
    );
  }
  const state: UkState = {
    context,
    sheet: context.sheet(null),
    kind,
    labels,
    index,
    resolver: new PartyResolver(options.lookup, UK_SOURCE),
    seen: new Map(),
    criterionText: new Map(),
  };
  for (const record of data) readRecord(record, state);
  return context.finish();
}

function readRecord(record: PhysicalRecord, state: UkState): void {
  const scope = state.sheet.row(record.line);
  if (isBlankFields(record.fields)) {
    scope.blank();
    return;
  }
  const raw = rawByLabel(record.fields, state.labels);
  if (record.fields.length !== state.labels.length) {
    scope.error(
      'wrong_field_count',
      `the row has ${record.fields.length} fields but the header has ${state.labels.length}${record.quoteProblem ? ' (a quote did not close)' : ''}`,
      'a comma or a line break inside an unquoted cell broke the row: correct the file',
      null,
      record.raw,
    );
    scope.quarantine(raw);
    return;
  }
  if (
    !checkCells(
      scope,
      record.fields.map((field, position) => [state.labels[position]!, field] as const),
      state.context.limits,
    )
  ) {
    scope.quarantine(raw);
    return;
  }
  const cell = (name: string) => (record.fields[state.index.get(name)!] ?? '').trim();
  const candidate =
    state.kind === 'ratings'
      ? ratingRow(scope, cell, state)
      : state.kind === 'refusal-criteria'
        ? criterionRow(scope, cell, state)
        : footnoteRow(scope, cell, state);
  scope.finish(candidate, raw);
}

/** Which list a rating belongs to. */
export function ratingScheme(rating: string): {
  scheme: 'eu-ml' | 'uk-national' | 'dual-use' | 'other';
  mlCategory: string | null;
} {
  const ml = parseMlCode(rating);
  if (ml && /^ML\s*\d+[a-z0-9.]*$/i.test(rating.trim())) return { scheme: 'eu-ml', mlCategory: ml.category };
  if (/^PL\d{4}/i.test(rating)) return { scheme: 'uk-national', mlCategory: null };
  if (/^\d[A-E]\d{3}/.test(rating)) return { scheme: 'dual-use', mlCategory: null };
  return { scheme: 'other', mlCategory: null };
}

function ratingRow(scope: RowScope, cell: (name: string) => string, state: UkState): unknown {
  const rating = cell('rating');
  if (rating === '') scope.error('missing_value', 'the rating is empty', ROW_HINT, 'rating', null);
  const militaryText = cell('military');
  if (militaryText !== '0' && militaryText !== '1')
    scope.error(
      'invalid_flag',
      `"${militaryText}" is not 1 (military) or 0`,
      ROW_HINT,
      'military',
      militaryText,
    );
  if (rating === '' || scope.failed) return undefined;
  const first = state.seen.get(rating);
  if (first !== undefined)
    scope.warning(
      'repeated_rating',
      `rating ${rating} already appears on row ${first}; both rows are kept`,
      'nothing to do unless the row was copied by mistake',
      'rating',
      rating,
    );
  else state.seen.set(rating, scope.row);
  const { scheme, mlCategory } = ratingScheme(rating);
  const military = militaryText === '1';
  if (scheme === 'eu-ml' && !military)
    scope.warning(
      'military_flag_unexpected',
      `${rating} is a Military List rating but is flagged as not military`,
      'nothing to do; the flag is kept as written',
      'military',
      militaryText,
    );
  state.context.count(`ratings.${scheme}`);
  return {
    kind: 'uk-control-rating',
    rating,
    scheme,
    mlCategory,
    military,
    shortDescription: textOrNull(cell('short_description')),
    fullDescription: textOrNull(cell('full_description')),
    provenance: scope.provenance(),
  };
}

function criterionRow(scope: RowScope, cell: (name: string) => string, state: UkState): unknown {
  const cohort = cell('licence_cohort_id');
  if (cohort === '')
    scope.error('missing_value', 'the licence cohort id is empty', ROW_HINT, 'licence_cohort_id', null);
  else if (!/^\d{1,18}$/.test(cohort))
    scope.error(
      /^-/.test(cohort) ? 'negative_number' : 'not_a_number',
      `"${cohort}" is not a licence cohort id (a whole number)`,
      ROW_HINT,
      'licence_cohort_id',
      cohort,
    );
  const criterionText = cell('criterion');
  let criterion: number | undefined;
  if (!/^\d+$/.test(criterionText))
    scope.error(
      /^-/.test(criterionText) ? 'negative_number' : 'not_a_number',
      `"${criterionText}" is not a criterion number (1-${UK_CRITERIA_COUNT})`,
      ROW_HINT,
      'criterion',
      criterionText,
    );
  else if (Number(criterionText) < 1 || Number(criterionText) > UK_CRITERIA_COUNT)
    scope.error(
      'impossible_criterion',
      `criterion ${criterionText} does not exist (the criteria are numbered 1-${UK_CRITERIA_COUNT})`,
      ROW_HINT,
      'criterion',
      criterionText,
    );
  else criterion = Number(criterionText);
  const description = cell('description');
  if (description === '')
    scope.error('missing_value', 'the description is empty', ROW_HINT, 'description', null);
  if (criterion === undefined || scope.failed) return undefined;
  const key = `${cohort}|${criterion}`;
  const first = state.seen.get(key);
  if (first !== undefined)
    scope.warning(
      'repeated_row',
      `cohort ${cohort} already cites criterion ${criterion} on row ${first}; both rows are kept`,
      'nothing to do unless the row was copied by mistake',
    );
  else state.seen.set(key, scope.row);
  const known = state.criterionText.get(criterion);
  if (!known) state.criterionText.set(criterion, { text: description, row: scope.row });
  else if (known.text !== description) {
    state.context.count('criterionTextVariants');
    scope.warning(
      'criterion_text_differs',
      `criterion ${criterion} is described differently from row ${known.row}`,
      'nothing to do; each row keeps its own text',
      'description',
      description,
    );
  }
  state.context.count(`criterion.${criterion}`);
  return {
    kind: 'uk-refusal-criterion',
    licenceCohortId: cohort,
    criterion,
    description,
    provenance: scope.provenance(),
  };
}

function footnoteRow(scope: RowScope, cell: (name: string) => string, state: UkState): unknown {
  const name = cell('name');
  const text = cell('text');
  if (text === '') scope.error('missing_value', 'the footnote text is empty', ROW_HINT, 'text', null);
  if (name === '') {
    scope.error('missing_value', 'the destination name is empty', ROW_HINT, 'name', null);
    return undefined;
  }
  const outcome = state.resolver.byName(name);
  if (!outcome.ok) {
    scope.error(outcome.code, outcome.message, outcome.hint, 'name', name);
    return undefined;
  }
  if (scope.failed) return undefined;
  return {
    kind: 'uk-destination-footnote',
    destination: outcome.party,
    text,
    provenance: scope.provenance(),
  };
}
