/**
 * ATT annual report (XLSX, CSV or JSON; docs/att-report-format.md) -> the title page as an AttReport and every table
 * row as a Transfer (source `att-report`, category scheme `unroca`).
 *
 * Exports rows: exporter = the reporting State, importer = the partner. Imports rows: the reverse. An `aggregated`
 * partner is never a State: partnerAggregated = true with the partner side null; as the Transfer model requires an
 * exporter, an aggregated Imports row has exporterId `UNKNOWN` (see the format doc). year = the covered year; basis =
 * the form's basis (or the row's, when the form has both).
 *
 * Error policy (framework.ts): nothing in the file's content throws. A problem with the file as a whole or with the
 * title page (every row depends on it) refuses the file: report null, no rows, file-level issues. A bad row is
 * quarantined with all its issues. Formulas are never evaluated.
 */
import {
  ATT_REPORT_BASES,
  ATT_REPORT_FORMS,
  ATT_REPORT_MAX_YEAR,
  ATT_REPORT_MIN_YEAR,
  AttReportRowSchema,
  AttReportSchema,
  categoryOfSubcategory,
  type AttReport,
  type AttReportBasis,
  type AttReportCategoryCode,
  type AttReportForm,
  type AttReportFormName,
  type AttReportRow,
  type AttReportSubcategoryCode,
  type AttReportVisibility,
} from '../../model/att-report.js';
import { AppError } from '../../model/errors.js';
import type { IngestIssue, IngestResult } from '../../model/ingest.js';
import type { StateId } from '../../model/state.js';
import { TransferSchema, type Transfer } from '../../model/transfer.js';
import { assertRowAccounting, emptyResult, hasZipSignature, refuse, sha256Hex, type StateLookup } from '../framework.js';
import {
  readAmount,
  readBasisList,
  readCount,
  readCurrency,
  readDate,
  readText,
  readVisibility,
  readYear,
  readYesNo,
  type NumberStyle,
  type Parsed,
} from './cells.js';
import {
  AGGREGATED_PARTNER_WORDS,
  ATT_REPORT_SOURCE,
  ATT_REPORT_TEMPLATE_VERSION,
  CATEGORY_LOOKUP,
  COLUMNS,
  DEFAULT_ATT_REPORT_LIMITS,
  FORM_SHEETS,
  TITLE_FIELDS,
  TITLE_LOOKUP,
  TOTAL_WORDS,
  columnLookup,
  headerKey,
  wordKey,
  type AttReportFileFormat,
  type AttReportLimits,
  type ColumnKey,
} from './format.js';
import { ReportIssues, quote, type CellNote, type Where } from './issues.js';
import { readCsv } from './read-csv.js';
import { readJson } from './read-json.js';
import { readXlsx } from './read-xlsx.js';
import { cellText, isBlankRow, type RawCell, type RawReport, type RawRow, type RawTable } from './raw.js';

export interface ParseAttReportOptions {
  /** The file's name as the user gave it (kept in provenance and every issue; its extension helps detection). */
  fileName: string;
  /** Detected from the bytes (ZIP = xlsx, `{` = json) and the extension when not given. */
  format?: AttReportFileFormat;
  /** Maps partner names and codes to crosswalk ids: use createAttReportStateLookup so that ISO3 codes resolve. */
  lookup: StateLookup;
  importRunId?: string | null;
  /** The current calendar year from the caller's clock: a report cannot cover a later year. */
  currentYear?: number;
  limits?: Partial<AttReportLimits>;
}

export interface ParsedAttReport {
  /** The title page; null when the file was refused. */
  report: AttReport | null;
  /** The accepted rows in model terms, in the order of result.accepted (they keep State of origin and transit). */
  rows: AttReportRow[];
  result: IngestResult<Transfer>;
}

const UNKNOWN_STATE_FIX =
  'write the ISO 3166-1 alpha-3 code (e.g. FRA), or add the spelling to data/reference/state-aliases.csv (source att-report)';

/** Parses an ATT annual report. Pure apart from the async XLSX reader: bytes in, report and rows out. */
export async function parseAttReport(
  bytes: Uint8Array,
  options: ParseAttReportOptions,
): Promise<ParsedAttReport> {
  if (!(bytes instanceof Uint8Array)) {
    throw new AppError('validation', `${options.fileName}: expected the file's bytes as a Uint8Array`, {
      hint: 'read the file with fs.readFile and pass the Buffer',
    });
  }
  const limits: AttReportLimits = { ...DEFAULT_ATT_REPORT_LIMITS, ...options.limits };
  const issues = new ReportIssues(options.fileName);
  const result = emptyResult<Transfer>(ATT_REPORT_SOURCE, options.fileName, sha256Hex(bytes));
  result.issues = issues.issues;
  result.stats.bytes = bytes.length;
  const refused = (rowsNotRead = 0): ParsedAttReport => {
    refuse(result, rowsNotRead);
    assertRowAccounting(result);
    return { report: null, rows: [], result };
  };

  if (bytes.length === 0) {
    issues.error({}, 'empty_file', 'the file is empty', 'fill in the template and upload it again');
    return refused();
  }
  if (bytes.length > limits.maxFileBytes) {
    issues.error(
      {},
      'file_too_large',
      `the file has ${bytes.length} bytes, more than the limit of ${limits.maxFileBytes}`,
      'an annual report is far smaller: remove images, pictures and unused sheets, or send the report as CSV',
    );
    return refused();
  }
  const format = detectFormat(bytes, options.fileName, options.format, issues);
  if (!format) return refused();
  result.metadata.format = format;

  const raw =
    format === 'xlsx'
      ? await readXlsx(bytes, issues, limits, result.stats)
      : format === 'csv'
        ? readCsv(bytes, issues, limits, result.metadata)
        : readJson(bytes, issues, limits, result.metadata);
  if (!raw) return refused();
  const rowsInFile = (raw.exports?.rows.length ?? 0) + (raw.imports?.rows.length ?? 0);
  const style: NumberStyle = { decimalComma: result.metadata.delimiter === ';' };

  const title = readTitle(raw, issues, options, limits);
  if (!title) return refused(rowsInFile);
  const tables = new Map<AttReportFormName, TableColumns | null>();
  for (const form of ATT_REPORT_FORMS) {
    const table = raw[form];
    const status = title.forms[form];
    if (!table) {
      if (status.included === true && status.nilReport !== true) {
        issues.error(
          { sheet: FORM_SHEETS[form] },
          'missing_sheet',
          `the title page says the ${FORM_SHEETS[form]} form is included, but the file has no ${FORM_SHEETS[form]} ${format === 'xlsx' ? 'sheet' : format === 'csv' ? 'section' : 'list'}`,
          `add the ${FORM_SHEETS[form]} ${format === 'xlsx' ? 'sheet' : format === 'csv' ? `section [${FORM_SHEETS[form]}]` : `list "${form}"`} from the template, or answer no to "${FORM_SHEETS[form]} form included"`,
        );
        return refused(rowsInFile);
      }
      tables.set(form, null);
      continue;
    }
    const columns = resolveColumns(table, issues);
    if (!columns) return refused(rowsInFile);
    tables.set(form, columns);
  }

  const context: RowContext = {
    issues,
    lookup: options.lookup,
    title,
    limits,
    style,
    result,
    importRunId: options.importRunId ?? null,
    rows: [],
  };
  for (const form of ATT_REPORT_FORMS) {
    const table = raw[form];
    const columns = tables.get(form);
    if (!table || !columns) continue;
    const before = { read: result.rowsRead, accepted: result.accepted.length };
    for (const row of table.rows) {
      result.rowsRead++;
      if (isBlankRow(row)) {
        result.blank++;
        continue;
      }
      readRow(form, table, columns, row, context);
    }
    result.stats[`${form}RowsRead`] = result.rowsRead - before.read;
    result.stats[`${form}Accepted`] = result.accepted.length - before.accepted;
  }

  const report = finishReport(title, context.rows);
  result.metadata.reportingStateId = report.reportingStateId;
  result.metadata.coveredYear = String(report.coveredYear);
  for (const form of ATT_REPORT_FORMS)
    result.metadata[`${form}Visibility`] = report[form]?.visibility ?? 'not_included';
  if (title.templateVersion) result.metadata.templateVersion = title.templateVersion;
  result.stats.rowsRead = result.rowsRead;
  result.stats.accepted = result.accepted.length;
  result.stats.quarantined = result.quarantined.length;
  result.stats.blank = result.blank;
  assertRowAccounting(result);
  return { report, rows: context.rows, result };
}

// ---------------------------------------------------------------------------------------------------------------
// Format detection

/** xlsx when the bytes are a ZIP; json when they start with `{`; csv otherwise. An explicit format must agree. */
export function detectFormat(
  bytes: Uint8Array,
  fileName: string,
  requested: AttReportFileFormat | undefined,
  issues: ReportIssues,
): AttReportFileFormat | undefined {
  const zip = hasZipSignature(bytes);
  const ole = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1].every((byte, index) => bytes[index] === byte);
  const pdf = bytes[0] === 0x25 && bytes[1] === 0x50 && bytes[2] === 0x44 && bytes[3] === 0x46;
  if (ole) {
    issues.error(
      {},
      'old_xls',
      'the file is an Excel 97-2003 workbook (.xls), which is not read',
      'save it as .xlsx (Excel Workbook) and upload it again',
    );
    return undefined;
  }
  if (pdf) {
    issues.error(
      {},
      'pdf_file',
      'the file is a PDF; reports are read from the template, not from PDF',
      'fill in the template (.xlsx, .csv or .json) and upload that',
    );
    return undefined;
  }
  const extension = /\.([a-z0-9]+)$/i.exec(fileName)?.[1]?.toLowerCase();
  if (requested) {
    if ((requested === 'xlsx') !== zip) {
      issues.error(
        {},
        'format_mismatch',
        requested === 'xlsx'
          ? 'the file was sent as XLSX but is not an .xlsx workbook (no ZIP signature)'
          : `the file was sent as ${requested.toUpperCase()} but is an .xlsx workbook (a ZIP)`,
        'choose the format that matches the file, or let it be detected',
      );
      return undefined;
    }
    return requested;
  }
  if (zip) return 'xlsx';
  if (extension === 'xlsx' || extension === 'xlsm') {
    issues.error(
      {},
      'not_xlsx',
      `the file is named .${extension} but is not a workbook (no ZIP signature)`,
      'save the workbook again as .xlsx and upload it, or rename the file if it is CSV or JSON',
    );
    return undefined;
  }
  if (extension === 'json') return 'json';
  if (extension === 'csv' || extension === 'txt') return 'csv';
  let at = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  while (
    at < bytes.length &&
    (bytes[at] === 0x20 || bytes[at] === 0x09 || bytes[at] === 0x0a || bytes[at] === 0x0d)
  )
    at++;
  return bytes[at] === 0x7b ? 'json' : 'csv';
}

// ---------------------------------------------------------------------------------------------------------------
// Title page

interface FormStatus {
  included: boolean | null;
  nilReport: boolean | null;
  basis: AttReportBasis[];
  visibility: AttReportVisibility | null;
  withheldCommerciallySensitive: boolean | null;
  withheldNationalSecurity: boolean | null;
}

interface Title {
  reportingStateId: StateId;
  coveredYear: number;
  submittedOn: string | null;
  nationalDefinitions: { export: string | null; import: string | null };
  defaultCurrency: string | null;
  templateVersion: string | null;
  forms: Record<AttReportFormName, FormStatus>;
}

function readTitle(
  raw: RawReport,
  issues: ReportIssues,
  options: ParseAttReportOptions,
  limits: AttReportLimits,
): Title | undefined {
  const sheet = raw.title.sheet;
  const seen = new Map<string, { where: Where; cell: RawCell }>();
  let failed = false;
  for (const answer of raw.title.answers) {
    const where: Where = {
      sheet,
      row: answer.row,
      column: answer.column,
      value: cellText(answer.answer) || null,
    };
    const spec = TITLE_LOOKUP.get(headerKey(answer.label));
    if (!spec) {
      if (cellText(answer.answer).trim() !== '') {
        issues.warning(
          { ...where, value: answer.label },
          'unknown_title_field',
          `${quote(answer.label)} is not a question of the title page; its answer was not read`,
          'use the questions of the template (the Key column must stay as it is)',
        );
      }
      continue;
    }
    if (seen.has(spec.key)) {
      issues.error(
        { ...where, value: answer.label },
        'duplicate_title_field',
        `the question "${spec.label}" is answered twice`,
        'keep one answer and delete the other row',
      );
      failed = true;
      continue;
    }
    if (answer.answer.note) {
      issues.note(where, answer.answer.note);
      if (answer.answer.note.severity === 'error') failed = true;
    }
    if (cellText(answer.answer).length > limits.maxCellChars) {
      issues.error(
        where,
        'cell_too_long',
        `the answer has ${cellText(answer.answer).length} characters, more than the limit of ${limits.maxCellChars}`,
        'shorten it; a national definition can refer to the law that holds it',
      );
      failed = true;
      continue;
    }
    seen.set(spec.key, { where, cell: answer.answer });
  }
  if (failed) return undefined;

  const get = <T>(key: string, read: (cell: RawCell) => Parsed<T>, empty: T): T | undefined => {
    const found = seen.get(key);
    if (!found || found.cell.note?.severity === 'error') return empty;
    const parsed = read(found.cell);
    if (!parsed.ok) {
      issues.note(found.where, parsed.note);
      failed = true;
      return undefined;
    }
    if (parsed.warning) issues.note(found.where, parsed.warning);
    return parsed.value;
  };
  const text = (key: string) => get(key, (cell) => readText(cell.value), null);
  const yesNo = (key: string) => get(key, (cell) => readYesNo(cell.value), null);
  const label = (key: string): string => TITLE_FIELDS.find((spec) => spec.key === key)!.label;

  // Reporting State: the code wins; name and code must agree.
  const resolveState = (key: string): StateId | null | undefined => {
    const found = seen.get(key);
    const name = text(key);
    if (name === undefined) return undefined;
    if (name === null || !found) return null;
    const resolved = options.lookup.resolve(name, ATT_REPORT_SOURCE)?.stateId;
    if (!resolved) {
      issues.error(found.where, 'unknown_state', `${quote(name)} is not a known State`, UNKNOWN_STATE_FIX);
      failed = true;
      return undefined;
    }
    if (!/^[A-Z]{3}$/.test(resolved)) {
      issues.error(
        found.where,
        'not_a_state',
        `${quote(name)} (${resolved}) is not a State that can report under the ATT`,
        "write the reporting State's ISO 3166-1 alpha-3 code",
      );
      failed = true;
      return undefined;
    }
    return resolved as StateId;
  };
  const byCode = resolveState('reportingStateCode');
  const byName = resolveState('reportingState');
  let reportingStateId: StateId | undefined;
  if (byCode !== undefined && byName !== undefined) {
    if (byCode && byName && byCode !== byName) {
      issues.error(
        seen.get('reportingStateCode')!.where,
        'conflicting_reporting_state',
        `the code names ${byCode} but "Reporting State" names ${byName}`,
        'correct one of the two so that they name the same State',
      );
      failed = true;
    } else if (!byCode && !byName) {
      issues.error(
        { sheet },
        'missing_reporting_state',
        'the title page does not say which State reports',
        `answer "${label('reportingStateCode')}" (e.g. FRA)`,
      );
      failed = true;
    } else reportingStateId = (byCode ?? byName)!;
  }

  const maxYear = Math.min(ATT_REPORT_MAX_YEAR, options.currentYear ?? ATT_REPORT_MAX_YEAR);
  const year = get('coveredYear', (cell) => readYear(cell.value), null);
  let coveredYear: number | undefined;
  if (year === null) {
    issues.error(
      { sheet },
      'missing_year',
      'the title page does not say which calendar year the report covers',
      `answer "${label('coveredYear')}", e.g. 2024`,
    );
    failed = true;
  } else if (year !== undefined) {
    if (year < ATT_REPORT_MIN_YEAR || year > maxYear) {
      issues.error(
        { ...seen.get('coveredYear')!.where, value: String(year) },
        'impossible_year',
        `${year} cannot be the year covered: it must be between ${ATT_REPORT_MIN_YEAR} (the treaty entered into force on 24 December 2014) and ${maxYear}`,
        'write the calendar year the report covers, e.g. 2024 for the report due by 31 May 2025',
      );
      failed = true;
    } else coveredYear = year;
  }

  const submittedOn = get('submittedOn', (cell) => readDate(cell.value), null);
  const definitionExport = text('nationalDefinitionExport');
  const definitionImport = text('nationalDefinitionImport');
  const defaultCurrency = get('defaultCurrency', (cell) => readCurrency(cell.value), null);
  const templateVersion = text('templateVersion');
  const forms = {} as Record<AttReportFormName, FormStatus>;
  for (const form of ATT_REPORT_FORMS) {
    forms[form] = {
      included: yesNo(`${form}Included`) ?? null,
      nilReport: yesNo(`${form}NilReport`) ?? null,
      basis: get(`${form}Basis`, (cell) => readBasisList(cell.value), []) ?? [],
      visibility: get(`${form}Visibility`, (cell) => readVisibility(cell.value), null) ?? null,
      withheldCommerciallySensitive: yesNo(`${form}WithheldCommerciallySensitive`) ?? null,
      withheldNationalSecurity: yesNo(`${form}WithheldNationalSecurity`) ?? null,
    };
  }
  if (
    failed ||
    reportingStateId === undefined ||
    coveredYear === undefined ||
    submittedOn === undefined ||
    defaultCurrency === undefined
  )
    return undefined;
  if (definitionExport === undefined || definitionImport === undefined || templateVersion === undefined)
    return undefined;
  const nationalDefinitions = { export: definitionExport, import: definitionImport };

  if (submittedOn !== null && Number(submittedOn.slice(0, 4)) <= coveredYear) {
    issues.warning(
      seen.get('submittedOn')!.where,
      'submitted_before_year_end',
      `the report is dated ${submittedOn}, before the end of the year it covers (${coveredYear})`,
      'check the date of submission and the year covered',
    );
  }
  if (templateVersion !== null && templateVersion !== ATT_REPORT_TEMPLATE_VERSION) {
    issues.warning(
      seen.get('templateVersion')!.where,
      'other_template_version',
      `the template version is ${quote(templateVersion)}; this system reads "${ATT_REPORT_TEMPLATE_VERSION}"`,
      'nothing to do if every column was read; otherwise download the current template',
    );
  }
  for (const form of ATT_REPORT_FORMS) {
    const status = forms[form];
    const table = raw[form];
    const hasRows = table?.rows.some((row) => !isBlankRow(row)) ?? false;
    if (status.nilReport === true && status.included === false) {
      issues.warning(
        seen.get(`${form}Included`)!.where,
        'nil_report_not_included',
        `the ${FORM_SHEETS[form]} form is marked as not included but as a nil report; it was read as an included nil report`,
        `answer yes to "${label(`${form}Included`)}" for a nil report`,
      );
      status.included = true;
    }
    if (status.included === null) status.included = status.nilReport === true || hasRows;
    if (status.included && status.visibility === null) {
      issues.warning(
        seen.get(`${form}Visibility`)?.where ?? { sheet },
        'missing_visibility',
        `the title page does not say whether the ${FORM_SHEETS[form]} form is public or private; it was recorded as private, so nothing from it is published`,
        `answer "${label(`${form}Visibility`)}" with public or private`,
      );
      status.visibility = 'private';
    }
    if (status.included && status.nilReport !== true && table && !hasRows) {
      issues.warning(
        { sheet: table.sheet },
        'empty_form',
        `the ${FORM_SHEETS[form]} form is included but has no rows`,
        `if there were no ${form}, answer yes to "${label(`${form}NilReport`)}"; otherwise fill in the rows`,
      );
    }
  }
  if (!forms.exports.included && !forms.imports.included) {
    issues.error(
      { sheet },
      'nothing_reported',
      `the report includes neither form: the ${FORM_SHEETS.exports} and ${FORM_SHEETS.imports} tables have no rows and neither is marked as a nil report`,
      `fill in the rows, or answer yes to "${label('exportsNilReport')}" / "${label('importsNilReport')}" for a nil report`,
    );
    return undefined;
  }
  return {
    reportingStateId,
    coveredYear,
    submittedOn,
    nationalDefinitions,
    defaultCurrency,
    templateVersion,
    forms,
  };
}

function finishReport(title: Title, rows: readonly AttReportRow[]): AttReport {
  const formsIncluded = ATT_REPORT_FORMS.filter((form) => title.forms[form].included === true);
  const formOf = (form: AttReportFormName): AttReportForm | null => {
    const status = title.forms[form];
    if (!status.included) return null;
    // No basis on the title page: the rows say it (each then had to).
    const basis =
      status.basis.length > 0 || status.nilReport
        ? status.basis
        : ATT_REPORT_BASES.filter((basis) => rows.some((row) => row.form === form && row.basis === basis));
    return {
      basis,
      visibility: status.visibility ?? 'private',
      nilReport: status.nilReport === true,
      withheldCommerciallySensitive: status.withheldCommerciallySensitive === true,
      withheldNationalSecurity: status.withheldNationalSecurity === true,
    };
  };
  const report = {
    reportingStateId: title.reportingStateId,
    coveredYear: title.coveredYear,
    nationalDefinitions: title.nationalDefinitions,
    formsIncluded,
    exports: formOf('exports'),
    imports: formOf('imports'),
    defaultCurrency: title.defaultCurrency,
    ...(title.submittedOn === null ? {} : { submittedOn: title.submittedOn }),
  };
  // Built from checked parts: a failure here is a bug, not bad input.
  const parsed = AttReportSchema.safeParse(report);
  if (!parsed.success)
    throw new AppError('internal', `att-report title page failed its own schema: ${parsed.error.message}`, {
      hint: 'this is a bug in the parser: report it with the file',
    });
  return parsed.data;
}

// ---------------------------------------------------------------------------------------------------------------
// Columns

interface TableColumns {
  /** Column key -> position. */
  index: Map<ColumnKey, number>;
  /** A unique label per position (issues, quarantined raw rows). */
  labels: string[];
}

function resolveColumns(table: RawTable, issues: ReportIssues): TableColumns | undefined {
  const lookup = columnLookup(table.form);
  const index = new Map<ColumnKey, number>();
  const labels: string[] = [];
  let failed = false;
  const width = Math.max(table.headers.length, ...table.rows.map((row) => row.cells.length));
  for (let position = 0; position < width; position++) {
    const header = table.headers[position] ?? '';
    let label = header || `(column ${position + 1})`;
    for (let n = 2; labels.includes(label); n++) label = `${header || `(column ${position + 1})`} (${n})`;
    labels.push(label);
    const hasValues = table.rows.some((row) => cellText(row.cells[position]).trim() !== '');
    if (header === '') {
      if (hasValues) {
        issues.warning(
          { sheet: table.sheet, row: table.headerRow, column: label },
          'unnamed_column',
          `column ${position + 1} has values but no header; they were not imported`,
          'give the column a template header, or delete it',
        );
      }
      continue;
    }
    const spec = lookup.get(headerKey(header));
    if (!spec) {
      issues.warning(
        { sheet: table.sheet, row: table.headerRow, column: header, value: header },
        'unknown_column',
        `${quote(header)} is not a column of the template; its values were not imported`,
        'rename it to a template column if it is one, or move its content to Comments',
      );
      continue;
    }
    if (index.has(spec.key)) {
      issues.error(
        { sheet: table.sheet, row: table.headerRow, column: header, value: header },
        'duplicate_column',
        `the column "${spec.header[table.form]}" appears twice (as ${quote(labels[index.get(spec.key)!]!)} and ${quote(header)})`,
        'keep one of the two columns',
      );
      failed = true;
      continue;
    }
    index.set(spec.key, position);
  }
  // JSON rows may leave keys out (null); a spreadsheet table must have the template's required columns.
  if (table.headerRow !== null) {
    for (const spec of COLUMNS) {
      if (spec.required && !index.has(spec.key)) {
        issues.error(
          { sheet: table.sheet, row: table.headerRow, column: spec.header[table.form] },
          'missing_column',
          `the required column "${spec.header[table.form]}" is missing from the header row`,
          `add a column headed "${spec.header[table.form]}" (see the template)`,
        );
        failed = true;
      }
    }
  }
  return failed ? undefined : { index, labels };
}

// ---------------------------------------------------------------------------------------------------------------
// Rows

interface RowContext {
  issues: ReportIssues;
  lookup: StateLookup;
  title: Title;
  limits: AttReportLimits;
  style: NumberStyle;
  result: IngestResult<Transfer>;
  importRunId: string | null;
  rows: AttReportRow[];
}

function readRow(
  form: AttReportFormName,
  table: RawTable,
  columns: TableColumns,
  row: RawRow,
  context: RowContext,
): void {
  const { issues, title, limits } = context;
  const rowIssues: IngestIssue[] = [];
  const at = (key: ColumnKey | null, value?: string): Where => ({
    sheet: table.sheet,
    row: row.row,
    column: key === null ? null : (columns.labels[columns.index.get(key) ?? -1] ?? key),
    value: value ?? (key === null ? null : cellText(cellOf(key))),
  });
  const error = (where: Where, code: string, what: string, fix: string) =>
    rowIssues.push(issues.error(where, code, what, fix));
  const noteAt = (where: Where, note: CellNote) => {
    const issue = issues.note(where, note);
    if (note.severity === 'error') rowIssues.push(issue);
  };
  const cellOf = (key: ColumnKey): RawCell | undefined => {
    const position = columns.index.get(key);
    return position === undefined ? undefined : row.cells[position];
  };
  const raw: Record<string, string> = {};
  columns.labels.forEach((label, position) => {
    const text = cellText(row.cells[position]);
    if (text !== '')
      raw[label] =
        text.length > limits.maxCellChars
          ? `${text.slice(0, limits.maxCellChars)}… (${text.length} characters)`
          : text;
  });
  const quarantine = () => {
    context.result.quarantined.push({ row: row.row, sheet: table.sheet, raw, issues: rowIssues });
  };

  if (row.note) {
    noteAt({ sheet: table.sheet, row: row.row }, row.note);
    quarantine();
    return;
  }
  // Cells: reader notes (formulas, error values) and length, for every column read. A cell with an error is blocked:
  // it is not parsed further (its issue is recorded once). An absent column reads as empty.
  const blocked = new Set<ColumnKey>();
  for (const [key, position] of columns.index) {
    const cell = row.cells[position];
    if (!cell) continue;
    if (cell.note) noteAt(at(key), cell.note);
    const length = cellText(cell).length;
    if (length > limits.maxCellChars) {
      error(
        at(key, cellText(cell)),
        'cell_too_long',
        `the cell has ${length} characters, more than the limit of ${limits.maxCellChars}`,
        'shorten it, or move the detail to a document sent with the report',
      );
      blocked.add(key);
    } else if (cell.note?.severity === 'error') blocked.add(key);
  }
  const value = (key: ColumnKey) => (blocked.has(key) ? null : (cellOf(key)?.value ?? null));
  const take = <T>(key: ColumnKey, parsed: Parsed<T>): T | undefined => {
    if (blocked.has(key)) return undefined;
    if (!parsed.ok) {
      noteAt(at(key), parsed.note);
      return undefined;
    }
    if (parsed.warning) noteAt(at(key), parsed.warning);
    return parsed.value;
  };

  const status = title.forms[form];
  const sheetName = FORM_SHEETS[form];
  if (status.nilReport === true) {
    error(
      at(null),
      'rows_in_nil_report',
      `the title page says there were no ${form} (nil report), but this row reports one`,
      `answer no to "Nil report: no ${form} to report" on the title page, or delete the row`,
    );
  } else if (status.included === false) {
    error(
      at(null),
      'form_not_included',
      `the title page says the ${sheetName} form is not included, but this row reports one`,
      `answer yes to "${sheetName} form included" on the title page, or delete the row`,
    );
  }

  // A totals row: the template wants none (totals are computed), and it is not a partner or a category.
  const isTotal = (key: ColumnKey) =>
    !blocked.has(key) && TOTAL_WORDS.map(wordKey).includes(wordKey(cellText(cellOf(key))));
  if (isTotal('category') || isTotal('partner')) {
    error(
      at(isTotal('partner') ? 'partner' : 'category'),
      'total_row',
      'this looks like a totals row',
      'delete totals rows: totals are computed from the rows',
    );
    quarantine();
    return;
  }

  // Category and sub-category.
  let categoryCode: AttReportCategoryCode | undefined;
  let subcategoryCode: AttReportSubcategoryCode | null = null;
  const categoryText = take('category', readText(value('category')));
  const subText = take('subcategory', readText(value('subcategory')));
  let categoryOk = categoryText !== undefined && subText !== undefined;
  if (subText) {
    const match = CATEGORY_LOOKUP.get(wordKey(subText));
    if (!match || match.subcategory === null) {
      error(
        at('subcategory'),
        'unknown_subcategory',
        `${quote(subText)} is not a sub-category`,
        'choose one from the list: IV(a), IV(b), V(a), V(b), VII(a), VII(b), SA, SA1-SA6, LW, LW1-LW7, or leave it empty',
      );
      categoryOk = false;
    } else subcategoryCode = match.subcategory;
  }
  if (categoryText) {
    const match = CATEGORY_LOOKUP.get(wordKey(categoryText));
    if (!match) {
      error(
        at('category'),
        'unknown_category',
        `${quote(categoryText)} is not an ATT category`,
        'choose I to VIII from the list (I battle tanks ... VIII small arms and light weapons); items outside these categories go in Comments of a related row or in a separate note',
      );
      categoryOk = false;
    } else {
      categoryCode = match.category;
      if (match.subcategory !== null) {
        if (subcategoryCode !== null && subcategoryCode !== match.subcategory) {
          error(
            at('subcategory'),
            'subcategory_mismatch',
            `the sub-category ${subcategoryCode} differs from the category ${quote(categoryText)}`,
            'make the two columns agree',
          );
          categoryOk = false;
        }
        subcategoryCode = match.subcategory;
      }
    }
  } else if (categoryText === null) {
    if (subcategoryCode !== null) categoryCode = categoryOfSubcategory(subcategoryCode);
    else if (subText === null)
      error(
        at('category'),
        'missing_category',
        'the category is empty',
        'choose the category (I to VIII) from the list',
      );
  }
  if (
    categoryOk &&
    categoryCode !== undefined &&
    subcategoryCode !== null &&
    categoryOfSubcategory(subcategoryCode) !== categoryCode
  ) {
    error(
      at('subcategory'),
      'subcategory_mismatch',
      `${subcategoryCode} is a sub-category of ${categoryOfSubcategory(subcategoryCode)}, not of ${categoryCode}`,
      'correct the category or the sub-category',
    );
  }

  const resolveState = (name: string, key: ColumnKey): StateId | undefined => {
    const id = context.lookup.resolve(name, ATT_REPORT_SOURCE)?.stateId;
    if (!id) {
      error(at(key, name), 'unknown_state', `${quote(name)} is not a known State`, UNKNOWN_STATE_FIX);
      return undefined;
    }
    return id as StateId;
  };

  // Partner.
  const partnerText = take('partner', readText(value('partner')));
  let partnerId: StateId | null = null;
  let partnerAggregated = false;
  if (partnerText === null) {
    error(
      at('partner'),
      'missing_partner',
      `the ${form === 'exports' ? 'final importing' : 'exporting'} State is empty`,
      `write its ISO 3166-1 alpha-3 code, or "aggregated" when the row totals several States`,
    );
  } else if (partnerText !== undefined) {
    if (AGGREGATED_PARTNER_WORDS.includes(wordKey(partnerText))) partnerAggregated = true;
    else {
      const id = resolveState(partnerText, 'partner');
      if (id === title.reportingStateId) {
        error(
          at('partner'),
          'partner_is_reporting_state',
          `${quote(partnerText)} is the reporting State itself`,
          `write the ${form === 'exports' ? 'State the items went to' : 'State the items came from'}`,
        );
      } else if (id) partnerId = id;
    }
  }

  // Numbers.
  const count = take('numberOfItems', readCount(value('numberOfItems'), context.style));
  const amount = take('value', readAmount(value('value'), context.style));
  const rowCurrency = take('currency', readCurrency(value('currency')));
  let currency: string | null = null;
  if (amount?.value != null && rowCurrency !== undefined) {
    currency = rowCurrency ?? title.defaultCurrency;
    if (currency === null) {
      error(
        at('currency'),
        'missing_currency',
        `the value ${amount.value} has no currency`,
        "write the ISO 4217 code in the Currency column, or the report's currency on the title page",
      );
    }
  }

  // Basis.
  const rowBasis = take('basis', readBasisList(value('basis')));
  let basis: AttReportBasis | undefined;
  if (rowBasis !== undefined) {
    if (rowBasis.length > 1) {
      error(
        at('basis'),
        'two_bases',
        `${quote(cellText(cellOf('basis')))} gives both bases for one row`,
        'write authorised or actual; report a transfer that is both on two rows',
      );
    } else if (rowBasis.length === 1) {
      basis = rowBasis[0]!;
      if (status.basis.length > 0 && !status.basis.includes(basis)) {
        error(
          at('basis'),
          'basis_conflict',
          `the row says ${basis}, but the title page says the ${sheetName} form reports ${status.basis.join(' and ')} transfers`,
          'correct the row or the title page',
        );
        basis = undefined;
      }
    } else if (status.basis.length === 1) {
      basis = status.basis[0]!;
    } else {
      error(
        at('basis'),
        status.basis.length === 2 ? 'basis_required' : 'missing_basis',
        status.basis.length === 2
          ? `the title page says the ${sheetName} form has authorised and actual transfers, so each row must say which`
          : `neither the title page nor this row says whether it is authorised or actual`,
        status.basis.length === 2
          ? 'write authorised or actual in the column "Authorised or actual"'
          : `answer "${sheetName} reported as" on the title page, or fill the column "Authorised or actual"`,
      );
    }
  }

  // Free text and optional details.
  const description = take('description', readText(value('description')));
  const comments = take('comments', readText(value('comments')));
  const endUser = take('endUser', readText(value('endUser')));
  const endUse = take('endUse', readText(value('endUse')));
  const originText = take('stateOfOrigin', readText(value('stateOfOrigin')));
  const stateOfOriginId = originText ? (resolveState(originText, 'stateOfOrigin') ?? null) : null;
  const transitText = take('intermediateLocations', readText(value('intermediateLocations')));
  const intermediateLocationIds: StateId[] = [];
  for (const part of (transitText ?? '').split(/[;\n]/)) {
    if (part.trim() === '') continue;
    const id = resolveState(part.trim(), 'intermediateLocations');
    if (id) intermediateLocationIds.push(id);
  }

  if (
    rowIssues.length > 0 ||
    categoryCode === undefined ||
    basis === undefined ||
    count === undefined ||
    amount === undefined
  ) {
    if (rowIssues.length === 0)
      error(
        at(null),
        'invalid_row',
        'the row could not be read',
        'check every cell of the row against the template',
      );
    quarantine();
    return;
  }
  if (count.reason === 'not_reported' && amount.reason === 'not_reported') {
    issues.warning(
      at('numberOfItems'),
      'no_quantity',
      'the row gives neither a number of items nor a value',
      'nothing to do if that is all the State reports; otherwise fill one of them',
    );
  }

  const reportRow: AttReportRow = {
    form,
    partnerId,
    partnerAggregated,
    categoryCode,
    subcategoryCode,
    basis,
    numberOfItems: count.value,
    numberOfItemsMissingReason: count.reason,
    value: amount.value,
    currency: amount.value === null ? null : currency,
    valueMissingReason: amount.reason,
    description: description ?? null,
    comments: comments ?? null,
    endUser: endUser ?? null,
    endUse: endUse ?? null,
    stateOfOriginId,
    intermediateLocationIds,
  };
  const checkedRow = AttReportRowSchema.safeParse(reportRow);
  const transfer = checkedRow.success
    ? TransferSchema.safeParse(toTransfer(checkedRow.data, title, row.row, table.sheet, context))
    : undefined;
  if (!checkedRow.success || !transfer?.success) {
    const message = (checkedRow.success ? transfer?.error?.issues : checkedRow.error.issues)
      ?.map((issue) => `${issue.path.join('.')}: ${issue.message}`)
      .join('; ');
    error(
      at(null),
      'invalid_row',
      `the row does not fit the data model (${message ?? 'unknown reason'})`,
      'check every cell of the row against the template',
    );
    quarantine();
    return;
  }
  context.rows.push(checkedRow.data);
  context.result.accepted.push(transfer.data);
}

/** The Transfer a report row stands for. */
function toTransfer(
  row: AttReportRow,
  title: Title,
  rowNumber: number,
  sheet: string,
  context: RowContext,
): Transfer {
  const reporting = title.reportingStateId;
  // The Transfer model needs an exporter: an aggregated Imports row records UNKNOWN with partnerAggregated = true.
  const partnerSide = row.partnerAggregated ? null : row.partnerId;
  const exporterId = row.form === 'exports' ? reporting : (partnerSide ?? ('UNKNOWN' as StateId));
  const importerId = row.form === 'exports' ? partnerSide : reporting;
  return {
    source: ATT_REPORT_SOURCE,
    sourceRecordId: null,
    exporterId,
    importerId,
    partnerAggregated: row.partnerAggregated,
    year: title.coveredYear,
    yearMissingReason: null,
    deliveryYears: [],
    orderYear: null,
    categoryScheme: 'unroca',
    categoryCode: row.categoryCode,
    subcategoryCode: row.subcategoryCode,
    description: row.description,
    designation: null,
    comments: row.comments,
    basis: row.basis,
    numberOfItems: row.numberOfItems,
    numberOfItemsMissingReason: row.numberOfItemsMissingReason,
    numberOrdered: null,
    value: row.value,
    currency: row.currency,
    valueMissingReason: row.valueMissingReason,
    tivDelivered: null,
    tivPerUnit: null,
    tivTotalOrder: null,
    endUser: row.endUser,
    endUse: row.endUse,
    status: null,
    localProduction: null,
    uncertain: [],
    provenance: {
      source: ATT_REPORT_SOURCE,
      fileName: context.result.fileName,
      fileSha256: context.result.fileSha256,
      row: rowNumber,
      sheet,
      importRunId: context.importRunId,
    },
  };
}
