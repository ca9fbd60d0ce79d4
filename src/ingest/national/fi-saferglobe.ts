/**
 * SaferGlobe's Finnish arms exports workbook (saferglobe_arms_exports_dataset_v2-*.xlsx) -> national records.
 *
 * Sheets and what each gives (docs/national-sources.md has the column-by-column reading):
 * - `actual_exp_mil_by_product`: Transfers, basis `actual`, exporter FIN, one per destination x ML category x year.
 * - `exp_licences_mil_by_product`: Transfers, basis `authorised` (number of licences, amounts and units in details).
 * - `actual_exp_mil_by_country`, `exp_licences_mil_by_country`: `fi-country-total` records. They are SaferGlobe's
 *   totals of the by-product sheets, but not only that: they split actual exports between international missions
 *   and recipients in the country, and they give licence values for the years where the by-product sheet writes
 *   "N/A" (2002-2008, 2010-2017). They are imported as totals (never to be added to the transfers) and used as a
 *   cross-check of the by-product sums wherever both have values (stats `crossCheck.*`, warnings on mismatches).
 * - `actual_exp_civ`: `fi-civilian-arms-export` records (customs data by HS code under three header rows: HS codes,
 *   English and Finnish labels). Civilian firearms are not Military List items: no ML or UNROCA category is set.
 * - `exp_licences_dual-use`: `fi-dual-use-licence` records (licence date from the Excel serial, exporter company,
 *   business ID, licence number).
 * - `info`: version, release date and citation go to metadata; the release year bounds the years. `graphs`: charts
 *   and their tables, derived from the data sheets: skipped with a warning saying so.
 */
import type { z } from '@hono/zod-openapi';
import type ExcelJS from 'exceljs';
import type { FiTransferDetails, NationalParty } from '../../model/national.js';
import type { TransferSchema } from '../../model/transfer.js';
import type { IngestLimits, StateLookup } from '../framework.js';
import {
  compareDecimals,
  decimalToString,
  absDecimal,
  subtractDecimals,
  sumDecimals,
  addDecimals,
} from '../decimal.js';
import {
  FALLBACK_MAX_YEAR,
  FileContext,
  RowScope,
  SheetContext,
  checkCells,
  readYear,
  type NationalResult,
} from './common.js';
import { parseMlList } from './ml.js';
import { floatToCents, shortestDecimalText } from './money.js';
import { PartyResolver } from './parties.js';
import {
  cellText,
  excelDateParts,
  headerKey,
  loadWorkbook,
  looksLikeLegacyXls,
  looksLikeZip,
  rowCells,
  sheetWidth,
  type Cell,
} from './xlsx.js';

export const FI_SOURCE = 'national:fin';
/** Finland's crosswalk id: the exporter of every transfer in the workbook. */
export const FI_EXPORTER_ID = 'FIN';
export const SAFERGLOBE_CITATION = 'SaferGlobe (2022), Finnish Arms Control Report';

const FILE_HINT =
  'download the workbook again from SaferGlobe (armscontrol.saferglobe.fi) and import it unchanged';

export interface FiParseOptions {
  fileName: string;
  lookup: StateLookup;
  importRunId?: string | null | undefined;
  limits?: Partial<IngestLimits> | undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Sheets and columns

interface ColumnSpec {
  key: string;
  /** Header texts accepted (compared with headerKey). */
  headers: string[];
  /** The header as SaferGlobe writes it, for messages. */
  display: string;
  required: boolean;
}

interface SheetSpec {
  name: string;
  columns: ColumnSpec[];
  /** Columns read but deliberately not stored, and why (metadata `unmappedColumns`). */
  notStored?: Record<string, string>;
  /** actual_exp_civ: columns after the fixed ones are HS codes. */
  hsColumns?: boolean;
}

const col = (key: string, header: string | string[], required = true): ColumnSpec => {
  const headers = Array.isArray(header) ? header : [header];
  return { key, headers: headers.map(headerKey), display: headers[0]!, required };
};

const YEAR = col('year', 'Year');
const DESTINATION = col('destination', 'Country of destination');
const REGION = col('region', 'Region', false);
const MISSION = col(
  'mission',
  ['Export to inter-national mission(s)', 'Export to international mission(s)'],
  false,
);
const MULTIPLE = col('multiple', 'Multiple countries of destination', false);
const COUNTRY_NOTE = col('countryNote', 'Country note', false);
const ML_NUMBER = col('mlNumber', 'Military List (ML) category number');
const ML_FULL = col('mlFull', 'Military List (ML) category full', false);
const DEFINITION = col('definition', 'Definition of material', false);

export const FI_SHEETS = {
  actualByProduct: 'actual_exp_mil_by_product',
  actualByCountry: 'actual_exp_mil_by_country',
  licencesByProduct: 'exp_licences_mil_by_product',
  licencesByCountry: 'exp_licences_mil_by_country',
  civilian: 'actual_exp_civ',
  dualUse: 'exp_licences_dual-use',
} as const;

const SHEET_SPECS: SheetSpec[] = [
  {
    name: FI_SHEETS.actualByProduct,
    columns: [
      YEAR,
      DESTINATION,
      REGION,
      MISSION,
      ML_NUMBER,
      ML_FULL,
      col('mlNote', 'Military List (ML) category note', false),
      DEFINITION,
      col('value', 'Value of export (eur)'),
    ],
  },
  {
    name: FI_SHEETS.actualByCountry,
    columns: [
      YEAR,
      DESTINATION,
      REGION,
      col('valueToMissions', 'Value of exports to international missions (eur)', false),
      col('valueToRecipients', 'Value of exports to recipients in the country (eur)', false),
      col('totalValue', 'Total value of exports (eur)'),
      col('shareMissions', 'Share of exports to international missions', false),
      col('shareOfYear', 'Share of total exports of that year', false),
    ],
    notStored: {
      shareMissions: 'a ratio of two stored values',
      shareOfYear: "a ratio of the row's total to the year's total",
    },
  },
  {
    name: FI_SHEETS.licencesByProduct,
    columns: [
      YEAR,
      DESTINATION,
      REGION,
      MULTIPLE,
      COUNTRY_NOTE,
      MISSION,
      ML_NUMBER,
      ML_FULL,
      col('severalMl', 'Several Military List (ML) categories', false),
      DEFINITION,
      col('nationalCategory', 'CL category', false),
      col('licences', 'Number of licences'),
      col('amount', 'Total amount (kg/tn/m/pcs)', false),
      col('unit', 'Unit', false),
      col('value', 'Value of licences (eur)'),
    ],
    notStored: {
      multiple: 'flag implied by the destinations list',
      severalMl: 'flag implied by the ML categories list',
    },
  },
  {
    name: FI_SHEETS.licencesByCountry,
    columns: [
      YEAR,
      DESTINATION,
      REGION,
      MULTIPLE,
      COUNTRY_NOTE,
      MISSION,
      col('totalValue', 'Total value of licences (eur)'),
    ],
    notStored: { multiple: 'flag implied by the destinations list' },
  },
  {
    name: FI_SHEETS.civilian,
    columns: [
      YEAR,
      DESTINATION,
      col('yearsIncluded', 'Years country is included in the data', false),
      REGION,
      col('totalValue', 'Total value of exports (eur)'),
    ],
    hsColumns: true,
  },
  {
    name: FI_SHEETS.dualUse,
    columns: [
      YEAR,
      col('date', 'Date'),
      DESTINATION,
      REGION,
      col('licenceType', 'Type of licence'),
      col('controlCodes', 'Export control classification'),
      col('description', 'Description of material', false),
      col('exporter', 'Exporter', false),
      col('businessId', 'Business ID of the exporter', false),
      col('licenceNumber', 'Identification number of the licence'),
    ],
  },
];

const INFO_SHEET = 'info';
const GRAPHS_SHEET = 'graphs';

interface HsColumn {
  position: number;
  hsCode: string;
  labelEn: string | null;
  labelFi: string | null;
  fromYear: number;
  toYear: number | null;
}

interface ResolvedSheet {
  spec: SheetSpec;
  worksheet: ExcelJS.Worksheet;
  /** Rows before the first data row. */
  headerRows: number;
  width: number;
  /** Column key -> 1-based position. */
  index: Map<string, number>;
  /** 1-based position -> label (header text, or "column N"). */
  labels: string[];
  hs: HsColumn[];
}

// ---------------------------------------------------------------------------------------------------------------
// Entry point

/** Parses the SaferGlobe workbook. Pure: bytes in, result out (async only because exceljs reads asynchronously). */
export async function parseFiSaferglobe(bytes: Uint8Array, options: FiParseOptions): Promise<NationalResult> {
  const context = new FileContext(bytes, options.fileName, FI_SOURCE, options);
  const { result, limits, issues } = context;
  result.metadata.citation = SAFERGLOBE_CITATION;
  result.metadata.publisher =
    'SaferGlobe (Finnish Ministry of Defence, Customs and Foreign Ministry statistics)';
  result.metadata.currency = 'EUR';
  result.metadata.valueRounding =
    'values rounded to cents from the stored floats (float noise removed; sub-cent digits reported as warnings)';
  if (bytes.length > limits.maxFileBytes) {
    return context.refuse(
      'file_too_large',
      `the file has ${bytes.length} bytes, more than the limit of ${limits.maxFileBytes}`,
      FILE_HINT,
    );
  }
  if (bytes.length === 0) return context.refuse('empty_file', 'the file is empty', FILE_HINT);
  if (looksLikeLegacyXls(bytes)) {
    return context.refuse(
      'legacy_xls',
      'the file is a legacy Excel 97-2003 workbook (.xls); only .xlsx is read',
      'open it in a spreadsheet program and save it as .xlsx, or download the .xlsx',
    );
  }
  if (!looksLikeZip(bytes)) {
    return context.refuse(
      'not_xlsx',
      'the file is not an XLSX workbook (it does not start with the ZIP signature)',
      FILE_HINT,
    );
  }
  const loaded = await loadWorkbook(bytes);
  if ('error' in loaded) {
    return context.refuse(
      'unreadable_xlsx',
      `the workbook cannot be read (${loaded.error}); the file may be truncated or damaged`,
      FILE_HINT,
    );
  }
  const { workbook } = loaded;
  const date1904 = Boolean((workbook.properties as { date1904?: boolean } | undefined)?.date1904);

  // Sheet inventory: name what was expected, read what is there.
  const byName = new Map<string, ExcelJS.Worksheet>();
  for (const worksheet of workbook.worksheets) byName.set(worksheet.name.trim().toLowerCase(), worksheet);
  const expected = SHEET_SPECS.map((spec) => spec.name);
  const present = SHEET_SPECS.filter((spec) => byName.has(spec.name));
  result.metadata.sheets = workbook.worksheets.map((worksheet) => worksheet.name).join('; ');
  if (present.length === 0) {
    return context.refuse(
      'wrong_sheets',
      `the workbook has none of the SaferGlobe data sheets: expected ${expected.join(', ')}; found ${workbook.worksheets.map((worksheet) => `"${worksheet.name}"`).join(', ') || 'no sheets'}`,
      `check that this is SaferGlobe's arms exports workbook; ${FILE_HINT}`,
    );
  }
  for (const spec of SHEET_SPECS) {
    if (!byName.has(spec.name)) {
      issues.warning(
        'missing_sheet',
        `the workbook has no sheet "${spec.name}"; its records are missing from this import`,
        'nothing to do for an older version of the workbook (dual-use data start with version 2.0); otherwise download it again',
      );
    }
  }
  const known = new Set([...expected, INFO_SHEET, GRAPHS_SHEET]);
  for (const worksheet of workbook.worksheets) {
    if (!known.has(worksheet.name.trim().toLowerCase())) {
      issues.warning(
        'unknown_sheet',
        `the sheet "${worksheet.name}" is not part of SaferGlobe's workbook; it was not read`,
        'nothing to do if SaferGlobe added a sheet; tell the maintainers so that it can be read',
      );
    }
  }
  const maxYear = readInfo(byName.get(INFO_SHEET), context);
  if (byName.has(GRAPHS_SHEET)) {
    issues.warning(
      'sheet_skipped',
      'the sheet "graphs" was not read: it holds charts and tables derived from the data sheets',
      'nothing to do',
    );
  }

  // Headers of every sheet first: a broken header refuses the file, naming every problem at once.
  const resolved: ResolvedSheet[] = [];
  let headerFailed = false;
  for (const spec of present) {
    const sheet = resolveSheet(spec, byName.get(spec.name)!, context);
    if (sheet) resolved.push(sheet);
    else headerFailed = true;
  }
  if (headerFailed) return context.finish(true);

  const resolver = new PartyResolver(options.lookup, FI_SOURCE);
  const state: ParseState = {
    context,
    resolver,
    maxYear,
    date1904,
    actualProducts: [],
    licenceProducts: [],
    actualTotals: [],
    licenceTotals: [],
    dualUse: { dateOutsideYear: [], licenceNumbers: new Map() },
  };
  for (const sheet of resolved) readSheet(sheet, state);
  crossCheck(state);
  return context.finish();
}

function readInfo(worksheet: ExcelJS.Worksheet | undefined, context: FileContext): number {
  const { result, issues } = context;
  if (!worksheet) {
    issues.warning(
      'missing_sheet',
      'the workbook has no sheet "info": version, release date and citation are unknown, and years are only checked against 2100',
      FILE_HINT,
    );
    return FALLBACK_MAX_YEAR;
  }
  const width = Math.min(sheetWidth(worksheet), 40);
  let citeNext = false;
  for (let row = 1; row <= Math.min(worksheet.rowCount, 200); row++) {
    const cells = rowCells(worksheet, row, width)
      .map(cellText)
      .map((text) => text.trim());
    const filled = cells.filter((text) => text !== '');
    if (citeNext && filled.length > 0) {
      result.metadata.sourceCitation = filled[0]!;
      citeNext = false;
    }
    cells.forEach((text, position) => {
      const next = cells.slice(position + 1).find((other) => other !== '');
      if (/^version:?$/i.test(text) && next) result.metadata.version = next.replace(/\.$/, '');
      if (/^release date:?$/i.test(text) && next) result.metadata.releaseDate = next;
      if (/^please always cite:?$/i.test(text)) citeNext = true;
    });
  }
  const releaseYear = /\b(19|20)\d{2}\b/.exec(result.metadata.releaseDate ?? '')?.[0];
  if (!releaseYear) {
    issues.warning(
      'release_date_unknown',
      'the "info" sheet gives no release date: years are only checked against 2100',
      'nothing to do unless years look wrong',
    );
    return FALLBACK_MAX_YEAR;
  }
  result.stats.releaseYear = Number(releaseYear);
  return Number(releaseYear);
}

function resolveSheet(
  spec: SheetSpec,
  worksheet: ExcelJS.Worksheet,
  context: FileContext,
): ResolvedSheet | undefined {
  const { issues } = context;
  const width = sheetWidth(worksheet);
  const first = rowCells(worksheet, 1, width);
  const labels: string[] = [''];
  const index = new Map<string, number>();
  const hs: HsColumn[] = [];
  let failed = false;
  const fixed = new Map<string, ColumnSpec>();
  for (const column of spec.columns) for (const header of column.headers) fixed.set(header, column);
  // Header rows: the first row, and (actual_exp_civ) the rows below it that repeat "Year" in the first column.
  let headerRows = 1;
  if (spec.hsColumns) {
    while (headerRows < 5 && headerKey(cellText(rowCells(worksheet, headerRows + 1, 1)[1]!)) === 'year')
      headerRows++;
  }
  const extra = Array.from({ length: headerRows - 1 }, (_, offset) => rowCells(worksheet, offset + 2, width));
  for (let position = 1; position <= width; position++) {
    const text = cellText(first[position]!).trim();
    const key = headerKey(text);
    labels.push(text === '' ? `column ${position}` : text);
    if (key === '') continue;
    const column = fixed.get(key);
    if (column) {
      if (index.has(column.key)) {
        failed = true;
        issues.error(
          'duplicate_column',
          `sheet "${spec.name}": column "${text}" appears twice (columns ${index.get(column.key)} and ${position})`,
          FILE_HINT,
          { column: text, value: text },
        );
      } else index.set(column.key, position);
      continue;
    }
    const hsMatch = spec.hsColumns
      ? /^(\d{6})\s*\(\s*(\d{4})\s*-+\s*(\d{4}|\.)\s*\)$/.exec(text.trim())
      : null;
    if (hsMatch) {
      const labelOf = (row: Cell[] | undefined) => {
        const value = row ? cellText(row[position]!).trim() : '';
        return value === '' ? null : value;
      };
      hs.push({
        position,
        hsCode: hsMatch[1]!,
        fromYear: Number(hsMatch[2]),
        toYear: hsMatch[3] === '.' ? null : Number(hsMatch[3]),
        labelEn: labelOf(extra[0]),
        labelFi: labelOf(extra[1]),
      });
      labels[position] = hsMatch[1]!;
      index.set(`hs:${position}`, position);
      continue;
    }
    issues.warning(
      'unknown_column',
      `sheet "${spec.name}": column "${text}" is not part of SaferGlobe's layout; it is ignored`,
      'nothing to do if SaferGlobe added a column; otherwise check the header',
      { column: text, value: text },
    );
  }
  for (const column of spec.columns) {
    if (index.has(column.key)) continue;
    const header = column.display;
    if (column.required) {
      failed = true;
      issues.error(
        'missing_column',
        `sheet "${spec.name}" has no column "${header}", which this import needs (row 1 is read as the header)`,
        FILE_HINT,
        { column: header },
      );
    } else {
      issues.warning(
        'missing_optional_column',
        `sheet "${spec.name}" has no column "${header}"; its field is left empty`,
        'nothing to do if SaferGlobe dropped the column',
        { column: header },
      );
    }
  }
  if (spec.hsColumns && hs.length === 0) {
    failed = true;
    issues.error(
      'missing_column',
      `sheet "${spec.name}" has no HS code columns (headers such as "930200 (2002--.)")`,
      FILE_HINT,
    );
  }
  if (spec.notStored) {
    const names = Object.entries(spec.notStored)
      .filter(([key]) => index.has(key))
      .map(([key, why]) => `${labels[index.get(key)!]} (${why})`);
    if (names.length > 0) context.result.metadata[`unmappedColumns.${spec.name}`] = names.join('; ');
  }
  return failed ? undefined : { spec, worksheet, headerRows, width, index, labels, hs };
}

// ---------------------------------------------------------------------------------------------------------------
// Rows

interface ParseState {
  context: FileContext;
  resolver: PartyResolver;
  maxYear: number;
  date1904: boolean;
  /** For the cross-check: value (or null = N/A) per (year, destination text), and the same for totals. */
  actualProducts: ProductValue[];
  licenceProducts: ProductValue[];
  actualTotals: TotalValue[];
  licenceTotals: TotalValue[];
  dualUse: DualUseTally;
}

interface ProductValue {
  key: string;
  value: string | null;
  toMissions: boolean;
}

interface TotalValue {
  key: string;
  row: number;
  sheet: SheetContext;
  total: string | null;
  toMissions: string | null;
}

/** Reads one data row's cells by column key. */
class RowReader {
  constructor(
    readonly sheet: ResolvedSheet,
    readonly cells: Cell[],
    readonly scope: RowScope,
    readonly state: ParseState,
  ) {}

  label(key: string): string {
    const position = this.sheet.index.get(key);
    return position === undefined ? key : this.sheet.labels[position]!;
  }

  cell(key: string): Cell {
    const position = this.sheet.index.get(key);
    return position === undefined ? { kind: 'empty' } : (this.cells[position] ?? { kind: 'empty' });
  }

  /** Trimmed text of a cell (numbers as their text), or null when empty. */
  text(key: string): string | null {
    const cell = this.cell(key);
    if (cell.kind === 'error') {
      this.scope.error(
        'cell_error',
        `the cell holds the spreadsheet error ${cell.error}`,
        'correct the cell in the workbook',
        this.label(key),
        cell.error,
      );
      return null;
    }
    const text = cellText(cell).trim();
    return text === '' ? null : text;
  }

  year(): number | undefined {
    const cell = this.cell('year');
    const value = cell.kind === 'number' ? cell.number : cell.kind === 'empty' ? null : cellText(cell);
    return readYear(this.scope, this.label('year'), value, this.state.maxYear, FILE_HINT);
  }

  /** Money in EUR: a number rounded to cents, "N/A" -> null (not reported), anything else an issue. */
  money(key: string, required: boolean): { value: string | null; stored: string | null } | undefined {
    const cell = this.cell(key);
    const column = this.label(key);
    if (cell.kind === 'empty') {
      if (required) {
        this.scope.error(
          'missing_value',
          'the value is empty (SaferGlobe writes "N/A" when there is none)',
          FILE_HINT,
          column,
          null,
        );
        return undefined;
      }
      return { value: null, stored: null };
    }
    if (cell.kind === 'text' && /^n\/a$/i.test(cell.text.trim())) return { value: null, stored: null };
    if (cell.kind === 'error') {
      this.scope.error(
        'cell_error',
        `the cell holds the spreadsheet error ${cell.error}`,
        'correct the cell in the workbook',
        column,
        cell.error,
      );
      return undefined;
    }
    let number: number | undefined;
    if (cell.kind === 'number') number = cell.number;
    else if (cell.kind === 'text' && /^-?\d+(\.\d+)?$/.test(cell.text.trim()))
      number = Number(cell.text.trim());
    if (number === undefined) {
      this.scope.error(
        'not_a_number',
        `"${cellText(cell)}" is not a value in euros`,
        'correct the cell in the workbook',
        column,
        cellText(cell),
      );
      return undefined;
    }
    if (number < 0) {
      this.scope.error(
        'negative_number',
        `${String(number)} is negative; a value in euros cannot be`,
        'correct the cell in the workbook',
        column,
        String(number),
      );
      return undefined;
    }
    const cents = floatToCents(number);
    if (!cents) {
      this.scope.error(
        'not_a_number',
        `${String(number)} is not a value in euros (too large or not finite)`,
        'correct the cell in the workbook',
        column,
        String(number),
      );
      return undefined;
    }
    if (cents.rounding === 'float-noise') this.state.context.count('valuesFloatNoiseRounded');
    if (cents.rounding === 'sub-cent') {
      this.state.context.count('valuesSubCentRounded');
      this.scope.warning(
        'sub_cent_value',
        `${cents.stored} has digits below the cent; stored as ${cents.value}`,
        'nothing to do; the value as stored is kept in the issue (and in transfer details)',
        column,
        cents.stored,
      );
    }
    return { value: cents.value, stored: cents.rounding === 'exact' ? null : cents.stored };
  }

  /** A count: whole, non-negative; "N/A" or blank -> null. */
  count(key: string): number | null | undefined {
    const cell = this.cell(key);
    const column = this.label(key);
    if (cell.kind === 'empty') return null;
    if (cell.kind === 'text' && /^n\/a$/i.test(cell.text.trim())) return null;
    if (cell.kind === 'error') {
      this.scope.error(
        'cell_error',
        `the cell holds the spreadsheet error ${cell.error}`,
        'correct the cell in the workbook',
        column,
        cell.error,
      );
      return undefined;
    }
    const number =
      cell.kind === 'number'
        ? cell.number
        : cell.kind === 'text' && /^-?\d+(\.\d+)?$/.test(cell.text.trim())
          ? Number(cell.text.trim())
          : undefined;
    if (number === undefined) {
      this.scope.error(
        'not_a_number',
        `"${cellText(cell)}" is not a number`,
        'correct the cell in the workbook',
        column,
        cellText(cell),
      );
      return undefined;
    }
    if (number < 0) {
      this.scope.error(
        'negative_number',
        `${number} is negative; a count cannot be`,
        'correct the cell in the workbook',
        column,
        String(number),
      );
      return undefined;
    }
    if (!Number.isSafeInteger(number)) {
      this.scope.error(
        'not_an_integer',
        `${number} is not a whole number`,
        'correct the cell in the workbook',
        column,
        String(number),
      );
      return undefined;
    }
    return number;
  }

  /** The destination cell -> one or more parties (a comma list is read when the whole text is not a name). */
  destinations(): { text: string; parties: NationalParty[] } | undefined {
    const text = this.text('destination');
    const column = this.label('destination');
    if (text === null) {
      this.scope.error('missing_value', 'the destination is empty', FILE_HINT, column, null);
      return undefined;
    }
    const whole = this.state.resolver.byName(text);
    if (whole.ok) return { text, parties: [whole.party] };
    const parts = text
      .split(',')
      .map((part) => part.trim())
      .filter((part) => part !== '');
    if (parts.length < 2) {
      this.scope.error(whole.code, whole.message, whole.hint, column, text);
      return undefined;
    }
    const parties: NationalParty[] = [];
    let ok = true;
    for (const part of parts) {
      const outcome = this.state.resolver.byName(part);
      if (outcome.ok) parties.push(outcome.party);
      else {
        ok = false;
        this.scope.error(
          outcome.code,
          `${outcome.message} (in the list "${text}")`,
          outcome.hint,
          column,
          part,
        );
      }
    }
    return ok ? { text, parties } : undefined;
  }

  raw(): Record<string, string> {
    const raw: Record<string, string> = {};
    for (let position = 1; position < this.sheet.labels.length; position++) {
      raw[this.sheet.labels[position]!] = cellText(this.cells[position] ?? { kind: 'empty' });
    }
    return raw;
  }
}

function readSheet(sheet: ResolvedSheet, state: ParseState): void {
  const { context } = state;
  const sheetContext = context.sheet(sheet.spec.name);
  const lastRow = sheet.worksheet.rowCount;
  const seen = new Map<string, number>();
  const unnamedWithData = new Set<number>();
  for (let row = sheet.headerRows + 1; row <= lastRow; row++) {
    const cells = rowCells(sheet.worksheet, row, sheet.width);
    const scope = sheetContext.row(row);
    if (cells.every((cell) => cell.kind === 'empty')) {
      scope.blank();
      continue;
    }
    for (let position = 1; position <= sheet.width; position++) {
      if (sheet.labels[position] === `column ${position}` && cells[position]!.kind !== 'empty')
        unnamedWithData.add(position);
    }
    const reader = new RowReader(sheet, cells, scope, state);
    const texts = cells.slice(1).map(cellText);
    if (
      !checkCells(
        scope,
        texts.map((text, offset) => [sheet.labels[offset + 1]!, text] as const),
        context.limits,
      )
    ) {
      scope.quarantine(reader.raw());
      continue;
    }
    const signature = texts.join('\u0001');
    const earlier = seen.get(signature);
    if (earlier !== undefined) {
      context.count(`${sheet.spec.name}.identicalRows`);
      scope.warning(
        'identical_rows',
        `the row repeats row ${earlier} exactly; both are kept`,
        'nothing to do unless the row was copied by mistake',
      );
    } else seen.set(signature, row);
    switch (sheet.spec.name) {
      case FI_SHEETS.actualByProduct:
      case FI_SHEETS.licencesByProduct:
        productRow(reader, sheet.spec.name === FI_SHEETS.actualByProduct ? 'actual' : 'authorised');
        break;
      case FI_SHEETS.actualByCountry:
      case FI_SHEETS.licencesByCountry:
        countryRow(reader, sheet.spec.name === FI_SHEETS.actualByCountry ? 'actual' : 'authorised');
        break;
      case FI_SHEETS.civilian:
        civilianRow(reader);
        break;
      case FI_SHEETS.dualUse:
        dualUseRow(reader);
        break;
    }
  }
  for (const position of unnamedWithData) {
    sheetContext.issues.warning(
      'data_without_header',
      `column ${position} has values but no header; they are ignored (kept only in quarantined rows)`,
      'check that the sheet was not edited',
    );
  }
  if (sheet.spec.name === FI_SHEETS.dualUse) dualUseSummary(sheetContext, state);
}

type TransferInput = z.input<typeof TransferSchema>;

/** Rows of the two by-product sheets -> Transfers with details. */
function productRow(reader: RowReader, basis: 'actual' | 'authorised'): void {
  const { scope, state } = reader;
  const licences = basis === 'authorised';
  const year = reader.year();
  const destinations = reader.destinations();
  const region = reader.text('region');
  const missionFlag = reader.text('mission');
  if (missionFlag !== null && !/^int$/i.test(missionFlag)) {
    scope.error(
      'invalid_flag',
      `"${missionFlag}" is not "Int" or empty`,
      'correct the cell in the workbook',
      reader.label('mission'),
      missionFlag,
    );
  }
  const ml = readMl(reader);
  const value = reader.money('value', true);
  const numberOfLicences = licences ? reader.count('licences') : null;
  const amount = licences
    ? readAmounts(reader)
    : { text: null, unit: null, amounts: [] as FiTransferDetails['amounts'] };
  const nationalCategory = licences ? reader.text('nationalCategory') : null;
  const countryNote = licences ? reader.text('countryNote') : null;
  const mlNote = licences ? null : reader.text('mlNote');
  const description = reader.text('definition');
  if (
    year === undefined ||
    !destinations ||
    !ml ||
    !value ||
    numberOfLicences === undefined ||
    scope.failed
  ) {
    scope.quarantine(reader.raw());
    return;
  }
  const toInternationalMissions = missionFlag !== null;
  const single = destinations.parties.length === 1 ? destinations.parties[0]! : undefined;
  const importerId = single?.stateId ?? null;
  const comments = [
    mlNote ? `ML category note: ${mlNote}` : null,
    ml.categories.length > 1 ? `several ML categories: ${ml.categories.join(', ')}` : null,
    nationalCategory ? `Finnish national category (CL) ${nationalCategory}` : null,
    countryNote,
  ].filter((part): part is string => part !== null);
  const items = numberOfItems(amount);
  const transfer: TransferInput = {
    source: FI_SOURCE,
    sourceRecordId: null,
    exporterId: FI_EXPORTER_ID,
    importerId,
    partnerAggregated: importerId === null,
    year,
    yearMissingReason: null,
    deliveryYears: basis === 'actual' ? [year] : [],
    orderYear: null,
    categoryScheme: 'eu-ml',
    categoryCode: ml.categories.length === 1 ? ml.categories[0]! : null,
    subcategoryCode:
      ml.categories.length === 1 && ml.subcategories.length === 1 ? ml.subcategories[0]! : null,
    description,
    designation: null,
    comments: comments.length > 0 ? comments.join('; ') : null,
    basis,
    numberOfItems: items.value,
    numberOfItemsMissingReason: items.reason,
    numberOrdered: null,
    value: value.value,
    currency: value.value === null ? null : 'EUR',
    valueMissingReason: value.value === null ? 'not_reported' : null,
    tivDelivered: null,
    tivPerUnit: null,
    tivTotalOrder: null,
    endUser: toInternationalMissions ? 'international mission(s)' : null,
    endUse: null,
    status: null,
    localProduction: null,
    uncertain: [],
    provenance: scope.provenance(),
  };
  const details: FiTransferDetails = {
    region,
    destinationText: destinations.text,
    destinations: destinations.parties,
    missionFlag,
    toInternationalMissions,
    mlCategoryNumberText: reader.text('mlNumber'),
    mlCategoryFullText: reader.text('mlFull'),
    mlCategoryNote: mlNote,
    mlCategories: ml.categories,
    mlSubcategories: ml.subcategories,
    numberOfLicences,
    amountText: amount.text,
    unitText: amount.unit,
    amounts: amount.amounts,
    nationalCategory,
    countryNote,
    valueAsStored: value.stored,
  };
  const accepted = scope.finish({ kind: 'transfer', transfer, details }, reader.raw());
  if (accepted)
    (licences ? state.licenceProducts : state.actualProducts).push({
      key: `${year}|${destinations.text}`,
      value: value.value,
      toMissions: toInternationalMissions,
    });
}

/** ML category number and full code: categories must be valid; bad sub-codes are dropped with a warning. */
function readMl(reader: RowReader): { categories: string[]; subcategories: string[] } | undefined {
  const { scope } = reader;
  const numberText = reader.text('mlNumber');
  const fullText = reader.text('mlFull');
  const isNa = (text: string | null) => text === null || /^n\/a$/i.test(text);
  let categories: string[] = [];
  if (!isNa(numberText)) {
    const parsed = parseMlList(numberText!);
    if (parsed.invalid.length > 0) {
      scope.error(
        'invalid_ml_category',
        `"${parsed.invalid.join('", "')}" is not an EU Military List category (ML1-ML22)`,
        'correct the cell in the workbook',
        reader.label('mlNumber'),
        numberText,
      );
      return undefined;
    }
    categories = [...new Set(parsed.codes.map((code) => code.category))];
  }
  let subcategories: string[] = [];
  if (!isNa(fullText)) {
    const parsed = parseMlList(fullText!);
    const wrongCategory = parsed.codes.filter(
      (code) => categories.length > 0 && !categories.includes(code.category),
    );
    if (parsed.invalid.length > 0 || wrongCategory.length > 0) {
      const bad = [...parsed.invalid, ...wrongCategory.map((code) => code.code)];
      scope.warning(
        'invalid_ml_subcategory',
        `"${bad.join('", "')}" is not an ML sub-category of ${categories.join(', ') || 'any category'}; the sub-category is left empty (the text is kept in details)`,
        'nothing to do; correct the workbook if you can tell the right code',
        reader.label('mlFull'),
        fullText,
      );
      reader.state.context.count('invalidMlSubcategories');
    }
    const good = parsed.codes.filter((code) => !wrongCategory.includes(code));
    // Sub-categories only: a code equal to its category ("ML1" in the "full" column) adds nothing.
    subcategories =
      parsed.invalid.length > 0 || wrongCategory.length > 0
        ? []
        : [...new Set(good.filter((code) => code.code !== code.category).map((code) => code.code))];
    if (categories.length === 0) categories = [...new Set(good.map((code) => code.category))];
  }
  return { categories, subcategories };
}

/** "Total amount" and "Unit": "350 + 150" with "pcs + kg" -> two amounts; spaces group thousands ("1 301 660"). */
function readAmounts(reader: RowReader): {
  text: string | null;
  unit: string | null;
  amounts: FiTransferDetails['amounts'];
} {
  const { scope } = reader;
  const cell = reader.cell('amount');
  const unit = reader.text('unit');
  const naUnit = unit === null || /^n\/a$/i.test(unit) ? null : unit;
  if (cell.kind === 'empty') return { text: null, unit: naUnit, amounts: [] };
  const text = cellText(cell).trim();
  if (/^n\/a$/i.test(text)) return { text: null, unit: naUnit, amounts: [] };
  let values: string[] | undefined;
  if (cell.kind === 'number')
    values =
      cell.number >= 0 && Number.isFinite(cell.number) ? [shortestDecimalText(cell.number)] : undefined;
  else {
    const parts = text.split('+').map((part) => part.trim());
    if (parts.every((part) => /^\d{1,3}(?: \d{3})+$|^\d+(?:[.,]\d+)?$/.test(part)))
      values = parts.map((part) => part.replace(/ /g, '').replace(',', '.'));
  }
  if (!values) {
    reader.state.context.count('amountsNotParsed');
    scope.warning(
      'unparsed_amount',
      `"${text}" is not read as amounts (expected numbers joined by "+", e.g. "350 + 150"); the text is kept`,
      'nothing to do',
      reader.label('amount'),
      text,
    );
    return { text, unit: naUnit, amounts: [] };
  }
  const units = naUnit === null ? [] : naUnit.split('+').map((part) => part.trim());
  if (units.length > 1 && units.length !== values.length) {
    scope.warning(
      'amount_unit_mismatch',
      `${values.length} amounts but ${units.length} units ("${naUnit}"); units are left empty`,
      'nothing to do; the texts are kept',
      reader.label('unit'),
      naUnit,
    );
  }
  const amounts = values.map((amount, position) => ({
    amount,
    unit: units.length === values!.length ? units[position]! : units.length === 1 ? units[0]! : null,
  }));
  return { text, unit: naUnit, amounts };
}

function numberOfItems(amount: { text: string | null; amounts: FiTransferDetails['amounts'] }): {
  value: number | null;
  reason: 'not_reported' | 'not_applicable' | 'aggregated' | null;
} {
  if (amount.amounts.length === 0) return { value: null, reason: 'not_reported' };
  if (amount.amounts.length > 1) return { value: null, reason: 'aggregated' };
  const only = amount.amounts[0]!;
  if (only.unit !== 'pcs') return { value: null, reason: 'not_applicable' };
  const count = Number(only.amount);
  return /^\d+$/.test(only.amount) && Number.isSafeInteger(count)
    ? { value: count, reason: null }
    : { value: null, reason: 'not_applicable' };
}

/** Rows of the two by-country sheets -> fi-country-total records. */
function countryRow(reader: RowReader, basis: 'actual' | 'authorised'): void {
  const { scope, state } = reader;
  const year = reader.year();
  const destinations = reader.destinations();
  const region = reader.text('region');
  const total = reader.money('totalValue', true);
  const toMissionsValue =
    basis === 'actual' ? reader.money('valueToMissions', false) : { value: null, stored: null };
  const toRecipients =
    basis === 'actual' ? reader.money('valueToRecipients', false) : { value: null, stored: null };
  const missionFlag = basis === 'authorised' ? reader.text('mission') : null;
  let toInternationalMissions: 'all' | 'partly' | null = null;
  if (missionFlag !== null) {
    if (/^int all$/i.test(missionFlag)) toInternationalMissions = 'all';
    else if (/^int partly$/i.test(missionFlag)) toInternationalMissions = 'partly';
    else
      scope.error(
        'invalid_flag',
        `"${missionFlag}" is not "Int all", "Int partly" or empty`,
        'correct the cell in the workbook',
        reader.label('mission'),
        missionFlag,
      );
  }
  const countryNote = basis === 'authorised' ? reader.text('countryNote') : null;
  if (year === undefined || !destinations || !total || !toMissionsValue || !toRecipients || scope.failed) {
    scope.quarantine(reader.raw());
    return;
  }
  if (total.value !== null && toMissionsValue.value !== null && toRecipients.value !== null) {
    const parts = addDecimals(toMissionsValue.value, toRecipients.value);
    if (compareDecimals(absDecimal(subtractDecimals(parts, total.value)), '0.01') > 0) {
      state.context.count('countryTotalsNotAddingUp');
      scope.warning(
        'total_mismatch',
        `missions ${toMissionsValue.value} + recipients ${toRecipients.value} = ${decimalToString(parts)}, but the total is ${total.value}`,
        'nothing to do; all three values are kept as written',
        reader.label('totalValue'),
        total.value,
      );
    }
  }
  const single = destinations.parties.length === 1 ? destinations.parties[0]! : undefined;
  const accepted = scope.finish(
    {
      kind: 'fi-country-total',
      basis,
      year,
      region,
      destinationText: destinations.text,
      destinations: destinations.parties,
      partnerAggregated: single?.stateId == null,
      valueToMissions: toMissionsValue.value,
      valueToRecipientsInCountry: toRecipients.value,
      totalValue: total.value,
      currency: 'EUR',
      valueMissingReason: total.value === null ? 'not_reported' : null,
      missionFlag,
      toInternationalMissions,
      countryNote,
      provenance: scope.provenance(),
    },
    reader.raw(),
  );
  if (accepted) {
    (basis === 'actual' ? state.actualTotals : state.licenceTotals).push({
      key: `${year}|${destinations.text}`,
      row: scope.row,
      sheet: scope.sheet,
      total: total.value,
      toMissions: toMissionsValue.value,
    });
  }
}

/** Rows of actual_exp_civ -> fi-civilian-arms-export records. */
function civilianRow(reader: RowReader): void {
  const { scope, state, sheet } = reader;
  const year = reader.year();
  const destinations = reader.destinations();
  if (destinations && destinations.parties.length !== 1) {
    scope.error(
      'several_destinations',
      `"${destinations.text}" names several destinations; this sheet has one per row`,
      'correct the cell in the workbook',
      reader.label('destination'),
      destinations.text,
    );
  }
  const total = reader.money('totalValue', true);
  if (total && total.value === null)
    scope.error(
      'missing_value',
      'the total is "N/A"; customs values are always numbers',
      'correct the cell in the workbook',
      reader.label('totalValue'),
      'N/A',
    );
  const values: { hsCode: string; labelEn: string | null; labelFi: string | null; value: string }[] = [];
  for (const column of sheet.hs) {
    const key = `hs:${column.position}`;
    const value = reader.money(key, true);
    if (!value) continue;
    if (value.value === null) {
      scope.error(
        'not_a_number',
        `"N/A" is not a value in euros; customs values are always numbers`,
        'correct the cell in the workbook',
        column.hsCode,
        'N/A',
      );
      continue;
    }
    if (
      year !== undefined &&
      compareDecimals(value.value, '0') > 0 &&
      (year < column.fromYear || (column.toYear !== null && year > column.toYear))
    ) {
      scope.warning(
        'hs_code_outside_years',
        `HS ${column.hsCode} is only used for ${column.fromYear}-${column.toYear ?? 'now'}, but ${year} has ${value.value}`,
        'nothing to do; the value is kept',
        column.hsCode,
        value.value,
      );
    }
    values.push({
      hsCode: column.hsCode,
      labelEn: column.labelEn,
      labelFi: column.labelFi,
      value: value.value,
    });
  }
  if (year === undefined || !destinations || !total || total.value === null || scope.failed) {
    scope.quarantine(reader.raw());
    return;
  }
  const sum = sumDecimals(values.map((value) => value.value));
  if (compareDecimals(absDecimal(subtractDecimals(sum, total.value)), '0.01') > 0) {
    state.context.count('civilianTotalsNotAddingUp');
    scope.warning(
      'total_mismatch',
      `the HS columns add up to ${decimalToString(sum)}, but the total is ${total.value}`,
      'nothing to do; the values are kept as written',
      reader.label('totalValue'),
      total.value,
    );
  }
  scope.finish(
    {
      kind: 'fi-civilian-arms-export',
      year,
      destination: destinations.parties[0]!,
      region: reader.text('region'),
      yearsIncluded: reader.text('yearsIncluded'),
      totalValue: total.value,
      currency: 'EUR',
      values,
      provenance: scope.provenance(),
    },
    reader.raw(),
  );
}

const DUAL_USE_CODE = /^(\d)([A-E])(\d{3})(.*)$/i;

/** EU dual-use codes normalised: digit, upper-case category letter, three digits, lower-case sub-items, no spaces. */
export function normaliseControlCode(token: string): string {
  const compact = token.replace(/\s+/g, '');
  const match = DUAL_USE_CODE.exec(compact);
  if (!match) return token.trim();
  return `${match[1]}${match[2]!.toUpperCase()}${match[3]}${(match[4] ?? '').toLowerCase()}`;
}

interface DualUseTally {
  dateOutsideYear: number[];
  licenceNumbers: Map<string, number>;
}

/** Rows of exp_licences_dual-use -> fi-dual-use-licence records. */
function dualUseRow(reader: RowReader): void {
  const { scope, state } = reader;
  const tally = state.dualUse;
  const year = reader.year();
  const destinations = reader.destinations();
  const dateCell = reader.cell('date');
  let date: { date: string; dateTime: string } | null = null;
  if (dateCell.kind === 'text' && /^n\/a$/i.test(dateCell.text.trim())) date = null;
  else if (dateCell.kind === 'empty') date = null;
  else {
    const parts = excelDateParts(dateCell, state.date1904);
    if (!parts)
      scope.error(
        'not_a_date',
        `"${cellText(dateCell)}" is not a date`,
        'correct the cell in the workbook',
        reader.label('date'),
        cellText(dateCell),
      );
    else if (Number(parts.date.slice(0, 4)) < 1990 || Number(parts.date.slice(0, 4)) > state.maxYear + 1) {
      scope.error(
        'impossible_date',
        `${parts.date} is not a plausible licence date (before 1990 or after ${state.maxYear + 1})`,
        'correct the cell in the workbook',
        reader.label('date'),
        cellText(dateCell),
      );
    } else date = parts;
  }
  if (date === null && dateCell.kind !== 'error') state.context.count('dualUseDatesMissing');
  const typeText = reader.text('licenceType');
  const licenceType =
    typeText === null
      ? null
      : /individual/i.test(typeText)
        ? 'individual'
        : /global/i.test(typeText)
          ? 'global'
          : null;
  if (typeText === null)
    scope.error(
      'missing_value',
      'the type of licence is empty',
      FILE_HINT,
      reader.label('licenceType'),
      null,
    );
  else if (licenceType === null)
    scope.warning(
      'unknown_licence_type',
      `"${typeText}" is neither an individual nor a global licence; the type is left empty`,
      'nothing to do; the text is kept',
      reader.label('licenceType'),
      typeText,
    );
  const codesText = reader.text('controlCodes') ?? '';
  const controlCodes =
    codesText === '-'
      ? []
      : [
          ...new Set(
            codesText
              .split(/[;,]/)
              .map((part) => part.trim())
              .filter((part) => part !== '')
              .map(normaliseControlCode),
          ),
        ];
  const licenceNumber = reader.text('licenceNumber');
  if (licenceNumber === null)
    scope.error(
      'missing_value',
      'the licence number is empty',
      FILE_HINT,
      reader.label('licenceNumber'),
      null,
    );
  const exporter = reader.text('exporter');
  const businessId = reader.text('businessId');
  if (year === undefined || !destinations || licenceNumber === null || scope.failed) {
    scope.quarantine(reader.raw());
    return;
  }
  if (date && Number(date.date.slice(0, 4)) !== year) tally.dateOutsideYear.push(scope.row);
  const first = tally.licenceNumbers.get(licenceNumber);
  if (first !== undefined) {
    state.context.count('dualUseRepeatedLicenceNumbers');
    scope.warning(
      'repeated_licence_number',
      `licence number ${licenceNumber} already appears on row ${first}; both rows are kept`,
      'nothing to do unless the row was copied by mistake',
      reader.label('licenceNumber'),
      licenceNumber,
    );
  } else tally.licenceNumbers.set(licenceNumber, scope.row);
  scope.finish(
    {
      kind: 'fi-dual-use-licence',
      year,
      licenceDate: date?.date ?? null,
      licenceDateTime: date?.dateTime ?? null,
      destinationText: destinations.text,
      destinations: destinations.parties,
      region: reader.text('region'),
      licenceType,
      licenceTypeText: typeText!,
      controlCodes,
      controlCodesText: codesText,
      description: reader.text('description'),
      exporterCompany: exporter === null || /^n\/a$/i.test(exporter) ? null : exporter,
      exporterBusinessId: businessId === null || /^n\/a$/i.test(businessId) ? null : businessId,
      licenceNumber,
      provenance: scope.provenance(),
    },
    reader.raw(),
  );
}

function dualUseSummary(sheet: SheetContext, state: ParseState): void {
  const tally = state.dualUse;
  if (tally.dateOutsideYear.length === 0) return;
  state.context.result.stats.dualUseDateOutsideYear = tally.dateOutsideYear.length;
  const shown = tally.dateOutsideYear.slice(0, 10).join(', ');
  sheet.issues.warning(
    'date_outside_year',
    `${tally.dateOutsideYear.length} licences are dated outside their "Year" (rows ${shown}${tally.dateOutsideYear.length > 10 ? ' ...' : ''}); both are kept: "Year" is the statistics year, the date is the licence date`,
    'nothing to do',
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Cross-check: by-country totals against by-product sums

/** Totals and sums may differ by SaferGlobe's rounding of the totals: up to 1 EUR counts as a match. */
export const CROSS_CHECK_TOLERANCE_EUR = '1';

function crossCheck(state: ParseState): void {
  compare(state, 'actual', state.actualProducts, state.actualTotals);
  compare(state, 'authorised', state.licenceProducts, state.licenceTotals);
}

function compare(
  state: ParseState,
  basis: 'actual' | 'authorised',
  products: ProductValue[],
  totals: TotalValue[],
): void {
  if (products.length === 0 || totals.length === 0) return;
  const prefix = `crossCheck.${basis}`;
  const groups = new Map<string, { values: (string | null)[]; missions: string[] }>();
  for (const product of products) {
    let group = groups.get(product.key);
    if (!group) groups.set(product.key, (group = { values: [], missions: [] }));
    group.values.push(product.value);
    if (product.toMissions && product.value !== null) group.missions.push(product.value);
  }
  const stats = state.context.result.stats;
  const bump = (key: string) => {
    stats[`${prefix}.${key}`] = (stats[`${prefix}.${key}`] ?? 0) + 1;
  };
  const totalKeys = new Set<string>();
  for (const total of totals) {
    totalKeys.add(total.key);
    const group = groups.get(total.key);
    if (!group) {
      if (total.total !== null && compareDecimals(total.total, '0') > 0) bump('totalWithoutProducts');
      continue;
    }
    if (total.total === null || group.values.some((value) => value === null)) {
      bump('notComparable');
      continue;
    }
    const sum = sumDecimals(group.values as string[]);
    if (compareDecimals(absDecimal(subtractDecimals(sum, total.total)), CROSS_CHECK_TOLERANCE_EUR) <= 0)
      bump('matched');
    else {
      bump('mismatched');
      total.sheet.issues.warning(
        'cross_check_mismatch',
        `the ${basis === 'actual' ? 'actual exports' : 'licences'} by product for this year and destination add up to ${decimalToString(sum)} EUR, but this total is ${total.total} EUR`,
        'nothing to do; both sheets are kept as written (report it to SaferGlobe if it matters)',
        {
          row: total.row,
          column: basis === 'actual' ? 'Total value of exports (eur)' : 'Total value of licences (eur)',
          value: total.total,
        },
      );
    }
  }
  for (const key of groups.keys()) if (!totalKeys.has(key)) bump('productsWithoutTotal');
}
