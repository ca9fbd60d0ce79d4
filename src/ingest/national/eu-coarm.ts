/**
 * EU annual report tables (Common Position 2008/944/CFSP, before 2008 the 1998 Code of Conduct) as CAAT extracted
 * them into headerless CSV files: broker.csv (brokering licences), mission.csv (exports to UN and other international
 * missions), consult.csv (consultations between Member States). Column meanings are inferred from CAAT's README, the
 * structure of the EU report tables and the data (docs/national-sources.md).
 *
 * Messy input and the rules applied:
 * - broker.csv: CAAT's README names columns 5-6 "source country" and 12-13 "destination country". The data say the
 *   reverse, as in the EU report's brokering table (destination first, country of origin last): rows for repairs
 *   and recycling name only the first country; origins such as "Worldwide excluding embargoed countries" or "Not
 *   applicable - licence for promotional activity only" sit in the last columns; goods of a known maker's country
 *   appear there (docs/national-sources.md gives the evidence). Columns 5-6 are read as destinations, 12-13 as origins.
 * - Multi-valued cells are joined with ";" inside one field ("US; GB; FR"); codes and names are paired by position.
 * - A row with more fields than the layout has (an unquoted comma inside a free-text cell) is rejoined only when
 *   exactly one free-text column can absorb the extra fields and the row then passes the layout's shape check
 *   (codes, numbers, status and ratings where they belong; broker.csv: no cell starting "0" plus digits, the tail of
 *   a number split at its thousands comma); otherwise it is quarantined (`ambiguous_field_count` or
 *   `wrong_field_count`). Never dropped.
 * - Lines that are a printed Python list (`[u'AUSTRIA', 'issued', ...]`: 195 lines of broker.csv, the raw 2013 rows
 *   before CAAT cleaned them; the cleaned rows follow in the file) have no year and numbers split at thousands
 *   separators: quarantined as `python_repr_residue`.
 * - An optional header line (first field "year") is skipped with a warning.
 */
import type { NationalParty } from '../../model/national.js';
import type { IngestLimits, StateLookup } from '../framework.js';
import type { PhysicalRecord } from '../csv-records.js';
import { AppError } from '../../model/errors.js';
import {
  FALLBACK_MAX_YEAR,
  FileContext,
  RowScope,
  SheetContext,
  checkCells,
  isBlankFields,
  openCsv,
  rawByLabel,
  readCount,
  readDecimal,
  readYear,
  textOrNull,
  type NationalResult,
} from './common.js';
import { parseMlCode, type MlCode } from './ml.js';
import { PartyResolver, type Iso2Lookup } from './parties.js';

export const EU_SOURCE = 'eu-coarm';
/** The EU Code of Conduct's first annual report covers 1998: earlier years are impossible in these tables. */
export const EU_MIN_YEAR = 1998;

const FILE_HINT = "obtain the file again from CAAT's eu-arms-export-data repository and import it unchanged";
const ROW_HINT = 'correct the row, or obtain the file again from CAAT';

export type EuTableKind = 'broker' | 'mission' | 'consult';

export interface EuParseOptions {
  fileName: string;
  lookup: StateLookup;
  /** ISO 3166-1 alpha-2 codes -> crosswalk ids (createIso2Lookup over data/reference/states.csv). */
  iso2: Iso2Lookup;
  importRunId?: string | null | undefined;
  limits?: Partial<IngestLimits> | undefined;
}

interface Layout {
  kind: EuTableKind;
  /** Inferred column names (the files have no header). */
  labels: string[];
  /** Columns that may hold an unquoted comma. */
  freeText: number[];
  /** Does a row of the right length look like this layout (codes, numbers, status in place)? */
  shape(fields: readonly string[]): boolean;
}

const YEAR = /^\s*\d{4}\s*$/;
const ISO2_OR_EMPTY = /^\s*(?:[A-Z]{2})?\s*$/;
const ISO2_LIST = /^\s*(?:[A-Z]{2})?(?:\s*;\s*(?:[A-Z]{2})?)*\s*$/;
const COUNT_OR_EMPTY = /^\s*\d*\s*$/;
const DECIMAL_OR_EMPTY = /^\s*(?:\d+(?:\.\d+)?)?\s*$/;
const DECIMAL_LIST = /^\s*(?:\d+(?:\.\d+)?)?(?:\s*;\s*\d+(?:\.\d+)?)*\s*$/;
/** A cell starting with "0" and more digits is the tail of a number split at its thousands separator ("5,000"). */
const SPLIT_THOUSANDS = /^\s*0\d/;

export const EU_LAYOUTS: Readonly<Record<EuTableKind, Layout>> = Object.freeze({
  broker: {
    kind: 'broker',
    labels: [
      'year',
      'broker ISO2',
      'broker',
      'status',
      'destination ISO2 list',
      'destination names',
      'number of licences',
      'value of licensed items',
      'rating',
      'quantity',
      'value of brokered items',
      'origin ISO2 list',
      'origin names',
    ],
    freeText: [5, 8, 9, 12],
    shape: (f) =>
      YEAR.test(f[0] ?? '') &&
      ISO2_OR_EMPTY.test(f[1] ?? '') &&
      /^\s*(issued|refused)\s*$/i.test(f[3] ?? '') &&
      ISO2_LIST.test(f[4] ?? '') &&
      COUNT_OR_EMPTY.test(f[6] ?? '') &&
      DECIMAL_OR_EMPTY.test(f[7] ?? '') &&
      parseRatingText(f[8] ?? '').invalid.length === 0 &&
      !SPLIT_THOUSANDS.test(f[9] ?? '') &&
      DECIMAL_LIST.test(f[10] ?? '') &&
      ISO2_LIST.test(f[11] ?? ''),
  },
  mission: {
    kind: 'mission',
    labels: ['year', 'exporter ISO2', 'exporter', 'destination ISO2', 'destination', 'mission', 'items'],
    freeText: [2, 4, 5, 6],
    shape: (f) => YEAR.test(f[0] ?? '') && ISO2_OR_EMPTY.test(f[1] ?? '') && ISO2_OR_EMPTY.test(f[3] ?? ''),
  },
  consult: {
    kind: 'consult',
    labels: [
      'year',
      'member state ISO2',
      'member state',
      'destination ISO2',
      'destination',
      'consultations initiated',
      'consultations received',
      'consultations concerning destination',
    ],
    freeText: [2, 4],
    shape: (f) =>
      YEAR.test(f[0] ?? '') &&
      ISO2_OR_EMPTY.test(f[1] ?? '') &&
      ISO2_OR_EMPTY.test(f[3] ?? '') &&
      COUNT_OR_EMPTY.test(f[5] ?? '') &&
      COUNT_OR_EMPTY.test(f[6] ?? '') &&
      COUNT_OR_EMPTY.test(f[7] ?? ''),
  },
});

/** Parses one of CAAT's EU tables. Pure: bytes in, result out. */
export function parseEuCoarm(bytes: Uint8Array, kind: EuTableKind, options: EuParseOptions): NationalResult {
  if (!options.iso2 || typeof options.iso2.resolveIso2 !== 'function') {
    throw new AppError(
      'validation',
      `${options.fileName}: the EU tables name States by ISO 3166-1 alpha-2 code; pass iso2 (createIso2Lookup over data/reference/states.csv)`,
      {
        hint: 'build the lookups with createNationalLookups(states, aliases)',
      },
    );
  }
  const layout = EU_LAYOUTS[kind];
  const context = new FileContext(bytes, options.fileName, EU_SOURCE, options);
  const { result } = context;
  result.metadata.layout = `${kind}: ${layout.labels.join(', ')} (no header; columns inferred, see docs/national-sources.md)`;
  result.metadata.currency = 'EUR';
  result.metadata.publisher =
    'CAAT (caatdata/eu-arms-export-data), from the EU annual reports under Common Position 2008/944/CFSP';
  const records = openCsv(bytes, context, FILE_HINT);
  if (!records) return context.result;

  let start = records.findIndex((record) => !isBlankFields(record.fields));
  if (start < 0) return context.refuse('empty_file', 'the file holds only blank lines', FILE_HINT);
  const first = records[start]!;
  if ((first.fields[0] ?? '').trim().toLowerCase() === 'year') {
    context.issues.warning(
      'header_line_skipped',
      `line ${first.line} is a header ("${first.raw.slice(0, 80)}"); CAAT's files have none, so it is skipped and the columns are still read by position`,
      'nothing to do',
      { row: first.line },
    );
    result.stats.headerLine = first.line;
    start++;
  }
  const data = records.slice(start);
  if (!data.some((record) => !isBlankFields(record.fields))) {
    return context.refuse('no_data_rows', 'the file has no data rows', FILE_HINT, data.length);
  }
  const last = data[data.length - 1]!;
  if (
    !last.terminated &&
    !isResidue(last) &&
    (last.fields.length < layout.labels.length || last.quoteProblem) &&
    !isBlankFields(last.fields)
  ) {
    return context.refuse(
      'truncated_file',
      `the file ends in the middle of a row (line ${last.line} has ${last.fields.length} of ${layout.labels.length} fields and no line end)`,
      'the download or copy was cut short: obtain the file again',
      data.length,
    );
  }

  const sheet = context.sheet(null);
  const state: EuState = {
    context,
    sheet,
    layout,
    resolver: new PartyResolver(options.lookup, EU_SOURCE, options.iso2),
    unlisted: new Map(),
    consultTotals: [],
    consultSums: new Map(),
  };
  for (const record of data) readRecord(record, state);
  reportUnlistedNames(state);
  if (kind === 'consult') checkConsultTotals(state);
  return context.finish();
}

interface EuState {
  context: FileContext;
  sheet: SheetContext;
  layout: Layout;
  resolver: PartyResolver;
  /** Names written beside a valid ISO code that data/reference does not know (for one warning per name). */
  unlisted: Map<string, { code: string; row: number; count: number }>;
  consultTotals: { year: number; row: number; initiated: number | null; received: number | null }[];
  consultSums: Map<number, { initiated: number; received: number }>;
}

function isResidue(record: PhysicalRecord): boolean {
  return /^\s*\[\s*u?['"]/.test(record.raw);
}

function readRecord(record: PhysicalRecord, state: EuState): void {
  const { layout, sheet, context } = state;
  const scope = sheet.row(record.line);
  if (isBlankFields(record.fields)) {
    scope.blank();
    return;
  }
  if (isResidue(record)) {
    context.count('pythonReprResidue');
    scope.error(
      'python_repr_residue',
      'the line is a printed Python list (CAAT extraction residue), not a CSV row: it has no year and its numbers are split at the thousands separators',
      "nothing to do: the cleaned version of these rows follows in CAAT's file (2013); the line is kept in quarantine",
      null,
      record.raw,
    );
    scope.quarantine(record.fields.slice());
    return;
  }
  let fields = record.fields;
  const expected = layout.labels.length;
  if (fields.length > expected) {
    const rejoined = rejoin(fields, layout);
    if (rejoined.kind === 'one') {
      context.count('rejoinedRows');
      scope.warning(
        'rejoined_fields',
        `the row has ${fields.length} fields for ${expected} columns; the extra commas were read as part of column "${layout.labels[rejoined.column]}"`,
        'nothing to do; quote cells that contain commas to avoid this',
        layout.labels[rejoined.column]!,
        rejoined.fields[rejoined.column]!,
      );
      fields = rejoined.fields;
    } else {
      scope.error(
        rejoined.kind === 'many' ? 'ambiguous_field_count' : 'wrong_field_count',
        rejoined.kind === 'many'
          ? `the row has ${fields.length} fields for ${expected} columns and the extra commas could belong to more than one free-text column (${rejoined.columns.map((column) => `"${layout.labels[column]}"`).join(', ')})`
          : `the row has ${fields.length} fields for ${expected} columns and no single free-text column can take the extra commas`,
        'quote the cell that contains commas, or correct the row',
        null,
        record.raw,
      );
      scope.quarantine(fields.slice());
      return;
    }
  } else if (fields.length < expected) {
    scope.error(
      'wrong_field_count',
      `the row has ${fields.length} fields for ${expected} columns`,
      ROW_HINT,
      null,
      record.raw,
    );
    scope.quarantine(fields.slice());
    return;
  }
  if (record.quoteProblem)
    scope.warning(
      'quote_problem',
      'a quote at the start of a cell did not close; the cell was read as plain text',
      'check the row',
      null,
      record.raw,
    );
  const raw = rawByLabel(fields, layout.labels);
  if (
    !checkCells(
      scope,
      fields.map((field, index) => [layout.labels[index]!, field] as const),
      context.limits,
    )
  ) {
    scope.quarantine(raw);
    return;
  }
  const reader = new EuRow(scope, fields, state);
  const candidate =
    layout.kind === 'broker'
      ? brokerRow(reader)
      : layout.kind === 'mission'
        ? missionRow(reader)
        : consultRow(reader);
  scope.finish(candidate, raw);
}

type Rejoined =
  { kind: 'one'; fields: string[]; column: number } | { kind: 'many'; columns: number[] } | { kind: 'none' };

/** Tries each free-text column as the home of the extra fields; exactly one passing the shape check wins. */
export function rejoinFields(fields: readonly string[], kind: EuTableKind): Rejoined {
  return rejoin(fields, EU_LAYOUTS[kind]);
}

function rejoin(fields: readonly string[], layout: Layout): Rejoined {
  const extra = fields.length - layout.labels.length;
  const fits: { column: number; fields: string[] }[] = [];
  for (const column of layout.freeText) {
    const joined = [
      ...fields.slice(0, column),
      fields.slice(column, column + extra + 1).join(','),
      ...fields.slice(column + extra + 1),
    ];
    if (layout.shape(joined)) fits.push({ column, fields: joined });
  }
  if (fits.length === 1) return { kind: 'one', ...fits[0]! };
  if (fits.length > 1) return { kind: 'many', columns: fits.map((fit) => fit.column) };
  return { kind: 'none' };
}

/** Reads the cells of one row by position. */
class EuRow {
  constructor(
    readonly scope: RowScope,
    readonly fields: readonly string[],
    readonly state: EuState,
  ) {}

  label(position: number): string {
    return this.state.layout.labels[position]!;
  }

  text(position: number): string {
    return (this.fields[position] ?? '').trim();
  }

  year(): number | undefined {
    return readYear(this.scope, this.label(0), this.text(0), FALLBACK_MAX_YEAR, ROW_HINT, EU_MIN_YEAR);
  }

  count(position: number): number | null | undefined {
    return readCount(this.scope, this.label(position), this.text(position), ROW_HINT);
  }

  /** One party from a code column and a name column; null when both are empty. */
  party(codePosition: number, namePosition: number): NationalParty | null | undefined {
    const list = this.parties(codePosition, namePosition);
    if (list === undefined) return undefined;
    if (list.length > 1) {
      this.scope.error(
        'several_parties',
        `"${this.text(namePosition)}" names several parties where one is expected`,
        ROW_HINT,
        this.label(namePosition),
        this.text(namePosition),
      );
      return undefined;
    }
    return list[0] ?? null;
  }

  /** Parties from a ";" list of codes and a ";" list of names, paired by position. */
  parties(codePosition: number, namePosition: number): NationalParty[] | undefined {
    const codesText = this.text(codePosition);
    const namesText = this.text(namePosition);
    if (codesText === '' && namesText === '') return [];
    const codes = codesText.split(';').map((code) => code.trim());
    const names = namesText.split(';').map((name) => name.trim());
    let pairs: [string, string][];
    if (codesText === '') pairs = names.map((name) => ['', name]);
    else if (namesText === '') pairs = codes.map((code) => [code, '']);
    else if (codes.length === names.length) pairs = codes.map((code, index) => [code, names[index]!]);
    else {
      this.scope.error(
        'party_list_mismatch',
        `${codes.length} codes ("${codesText}") but ${names.length} names ("${namesText}")`,
        ROW_HINT,
        this.label(namePosition),
        namesText,
      );
      return undefined;
    }
    const parties: NationalParty[] = [];
    let ok = true;
    for (const [code, name] of pairs) {
      if (code === '' && name === '') continue;
      if (code !== '') {
        const outcome = this.state.resolver.byCode(code, name);
        if (!outcome.ok) {
          this.scope.error(outcome.code, outcome.message, outcome.hint, this.label(codePosition), code);
          ok = false;
          continue;
        }
        if (name !== '' && outcome.nameId === undefined) this.noteUnlisted(name, code);
        else if (outcome.nameId !== undefined && outcome.nameId !== outcome.party.stateId) {
          this.scope.warning(
            'code_name_mismatch',
            `code ${code} is ${outcome.party.stateId} but "${name}" is ${outcome.nameId} in data/reference; the code is used`,
            'check the row; correct data/reference/state-aliases.csv if the alias is wrong',
            this.label(namePosition),
            name,
          );
        }
        parties.push(outcome.party);
        continue;
      }
      const outcome = this.state.resolver.byName(name);
      if (!outcome.ok) {
        this.scope.error(outcome.code, outcome.message, outcome.hint, this.label(namePosition), name);
        ok = false;
        continue;
      }
      parties.push(outcome.party);
    }
    return ok ? parties : undefined;
  }

  private noteUnlisted(name: string, code: string): void {
    const entry = this.state.unlisted.get(name);
    if (entry) entry.count++;
    else this.state.unlisted.set(name, { code, row: this.scope.row, count: 1 });
  }
}

function reportUnlistedNames(state: EuState): void {
  for (const [name, entry] of state.unlisted) {
    state.context.count('namesNotInAliases');
    state.sheet.issues.warning(
      'name_not_in_aliases',
      `"${name}" (code ${entry.code}, ${entry.count} row${entry.count === 1 ? '' : 's'}) is not a spelling data/reference knows; the rows were read by their code`,
      `nothing to do; add it to data/reference/state-aliases.csv (source ${EU_SOURCE}) so that the name is checked too`,
      { row: entry.row, value: name },
    );
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Brokering licences

export interface RatingParse {
  ratings: string[];
  mlCategories: string[];
  aggregated: boolean;
  /** Tokens that look like ML codes but are not (ML134), or bare numbers that could be anything (100, 12). */
  invalid: string[];
  /** Other national tokens kept as written (NLR). */
  other: string[];
}

/**
 * A rating cell: ";" separates items, "," continues a list whose later items may drop "ML" ("ML2, 14, 18"), a UK
 * national code glued to an ML code is split ("ML1aPL5017" -> ML1a, PL5017), "Multiple categories" means the report
 * did not list them. Bare numbers not following an ML code are never read as ML categories (the 2011 Czech rows
 * write item numbers such as 100 and 110 there).
 */
export function parseRatingText(text: string): RatingParse {
  const parse: RatingParse = { ratings: [], mlCategories: [], aggregated: false, invalid: [], other: [] };
  const trimmed = text.trim();
  if (trimmed === '') return parse;
  if (/^(?:ml\s*)?multiple categories$/i.test(trimmed)) {
    parse.aggregated = true;
    return parse;
  }
  for (const piece of trimmed.split(';')) {
    let previous: MlCode | undefined;
    for (const part of piece.split(',')) {
      for (const token of part.trim().split(/(?=PL\d{4})/i)) {
        const written = token.trim();
        if (written === '') continue;
        const ml =
          parseMlCode(written) ??
          (previous && /^\d{1,2}(?:[a-z]\d{0,2})*\.?$/i.test(written)
            ? parseMlCode(`ML${written}`)
            : undefined);
        if (ml) {
          parse.ratings.push(ml.code);
          if (!parse.mlCategories.includes(ml.category)) parse.mlCategories.push(ml.category);
          previous = ml;
        } else if (/^PL\d{4}[a-z]?$/i.test(written)) {
          parse.ratings.push(`PL${written.slice(2, 6)}${written.slice(6).toLowerCase()}`);
        } else if (/^ml/i.test(written) || /^\d/.test(written)) {
          parse.invalid.push(written);
        } else {
          parse.other.push(written);
          parse.ratings.push(written);
        }
      }
    }
  }
  return parse;
}

function brokerRow(row: EuRow): unknown {
  const { scope } = row;
  const year = row.year();
  const broker = row.party(1, 2);
  if (broker === null)
    scope.error('missing_value', 'the broker Member State is empty', ROW_HINT, row.label(2), null);
  const statusText = row.text(3).toLowerCase();
  if (statusText !== 'issued' && statusText !== 'refused')
    scope.error(
      'invalid_status',
      `"${row.text(3)}" is not "issued" or "refused"`,
      ROW_HINT,
      row.label(3),
      row.text(3),
    );
  // CAAT's README calls columns 5-6 "source" and 12-13 "destination"; the data show the reverse (see the file doc).
  const destinations = row.parties(4, 5);
  const origins = row.parties(11, 12);
  const numberOfLicences = row.count(6);
  const licensedValue = readDecimal(scope, row.label(7), row.text(7), ROW_HINT);
  const ratingText = row.text(8);
  const ratings = parseRatingText(ratingText);
  if (ratings.invalid.length > 0) {
    scope.error(
      'invalid_rating',
      `"${ratings.invalid.join('", "')}" is not an EU Military List rating (ML1-ML22) nor a known national code; it is not guessed`,
      'correct the rating in the row',
      row.label(8),
      ratingText,
    );
  }
  if (ratings.other.length > 0) {
    scope.warning(
      'unknown_rating_token',
      `"${ratings.other.join('", "')}" is kept as a rating as written (not an ML code)`,
      'nothing to do',
      row.label(8),
      ratingText,
    );
  }
  const valueBrokered: string[] = [];
  let valuesOk = true;
  for (const token of row.text(10).split(';')) {
    if (token.trim() === '') continue;
    const value = readDecimal(scope, row.label(10), token, ROW_HINT);
    if (value === undefined) valuesOk = false;
    else if (value !== null) valueBrokered.push(value);
  }
  if (
    year === undefined ||
    !broker ||
    !origins ||
    !destinations ||
    numberOfLicences === undefined ||
    licensedValue === undefined ||
    !valuesOk
  )
    return undefined;
  return {
    kind: 'eu-brokering-licence',
    year,
    brokerState: broker,
    status: statusText,
    destinations,
    origins,
    numberOfLicences,
    licensedValue,
    valueBrokered,
    currency: 'EUR',
    ratingText,
    ratings: ratings.ratings,
    mlCategories: ratings.mlCategories,
    ratingsAggregated: ratings.aggregated,
    quantityText: textOrNull(row.text(9)),
    provenance: scope.provenance(),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Exports to international missions

function missionRow(row: EuRow): unknown {
  const { scope } = row;
  const year = row.year();
  const exporter = row.party(1, 2);
  if (exporter === null)
    scope.error('missing_value', 'the exporting Member State is empty', ROW_HINT, row.label(2), null);
  const destination = row.party(3, 4);
  if (destination === null)
    scope.error('missing_value', 'the destination is empty', ROW_HINT, row.label(4), null);
  const mission = textOrNull(row.text(5));
  const items = textOrNull(row.text(6));
  if (mission === null && items === null)
    scope.warning(
      'no_mission_or_items',
      'neither the mission nor the items are given',
      'nothing to do',
      null,
      null,
    );
  if (year === undefined || !exporter || !destination) return undefined;
  return {
    kind: 'eu-mission-export',
    year,
    exporterState: exporter,
    destination,
    mission,
    items,
    provenance: scope.provenance(),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Consultations

function consultRow(row: EuRow): unknown {
  const { scope, state } = row;
  const year = row.year();
  const memberState = row.party(1, 2);
  const destination = row.party(3, 4);
  const initiated = row.count(5);
  const received = row.count(6);
  const concerning = row.count(7);
  if (
    year === undefined ||
    memberState === undefined ||
    destination === undefined ||
    initiated === undefined ||
    received === undefined ||
    concerning === undefined
  )
    return undefined;
  let role: 'member-state' | 'destination' | 'total';
  if (memberState && destination) {
    scope.error(
      'inconsistent_row',
      'the row names both a Member State and a destination; CAAT writes one or the other',
      ROW_HINT,
      null,
      row.fields.join(','),
    );
    return undefined;
  }
  if (memberState) {
    role = 'member-state';
    if (concerning !== null)
      scope.error(
        'inconsistent_row',
        'a Member State row has a count of consultations concerning a destination',
        ROW_HINT,
        row.label(7),
        String(concerning),
      );
    const sums = state.consultSums.get(year) ?? { initiated: 0, received: 0 };
    sums.initiated += initiated ?? 0;
    sums.received += received ?? 0;
    state.consultSums.set(year, sums);
  } else if (destination) {
    role = 'destination';
    if (initiated !== null || received !== null)
      scope.error(
        'inconsistent_row',
        'a destination row has counts of consultations initiated or received',
        ROW_HINT,
        row.label(5),
        `${initiated ?? ''},${received ?? ''}`,
      );
    if (concerning === null)
      scope.error(
        'missing_value',
        'a destination row has no count of consultations',
        ROW_HINT,
        row.label(7),
        null,
      );
  } else {
    role = 'total';
    state.context.count('consultTotalRows');
    state.consultTotals.push({ year, row: scope.row, initiated, received });
  }
  return {
    kind: 'eu-consultation',
    year,
    role,
    party: memberState ?? destination ?? null,
    initiated,
    received,
    concerning,
    provenance: scope.provenance(),
  };
}

/** A row without any party is the year's total: it is kept (role `total`) and compared with the Member State rows. */
function checkConsultTotals(state: EuState): void {
  for (const total of state.consultTotals) {
    const sums = state.consultSums.get(total.year);
    if (!sums) continue;
    const differences = [
      total.initiated !== null && total.initiated !== sums.initiated
        ? `initiated ${total.initiated} (Member State rows: ${sums.initiated})`
        : null,
      total.received !== null && total.received !== sums.received
        ? `received ${total.received} (Member State rows: ${sums.received})`
        : null,
    ].filter((text): text is string => text !== null);
    if (differences.length > 0) {
      state.context.count('consultTotalsDiffering');
      state.sheet.issues.warning(
        'total_mismatch',
        `the ${total.year} total row differs from the sum of the Member State rows: ${differences.join('; ')}`,
        'nothing to do; the total row is kept as written (role "total"), never add it to the other rows',
        { row: total.row },
      );
    }
  }
}
