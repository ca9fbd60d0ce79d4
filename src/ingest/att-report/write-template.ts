/**
 * Writes the ATT annual report template (empty, for a State and year) and a filled report, as XLSX, CSV or JSON, in
 * exactly the format parseAttReport reads (docs/att-report-format.md): template -> filled -> import round-trips.
 */
import ExcelJS from 'exceljs';
import {
  ATT_REPORT_CATEGORIES,
  ATT_REPORT_FORMS,
  ATT_REPORT_MAX_YEAR,
  ATT_REPORT_MIN_YEAR,
  ATT_REPORT_SUBCATEGORIES,
  AttReportCategoryCodeSchema,
  type AttReport,
  type AttReportFormName,
  type AttReportRow,
} from '../../model/att-report.js';
import { AppError } from '../../model/errors.js';
import type { StateId } from '../../model/state.js';
import type { Transfer } from '../../model/transfer.js';
import { numberToDecimalText } from './cells.js';
import { csvLine } from './csv-text.js';
import {
  ATT_REPORT_FORMAT_NAME,
  ATT_REPORT_FORMAT_VERSION,
  ATT_REPORT_TEMPLATE_VERSION,
  COLUMNS,
  DEFAULT_ATT_REPORT_LIMITS,
  SHEETS,
  TITLE_COLUMNS,
  TITLE_FIELDS,
  categoryLabel,
  subcategoryLabel,
  type AttReportFileFormat,
  type ColumnKey,
  type TitleFieldSpec,
} from './format.js';

export interface AttReportTemplateOptions {
  stateId: string;
  stateName: string;
  year: number;
  format: AttReportFileFormat;
  /** XLSX: rows below the header that get drop-down lists (default 500). */
  listRows?: number;
}

/** An empty template for one State and year: title page pre-filled with State, code, year and template version. */
export async function writeAttReportTemplate(options: AttReportTemplateOptions): Promise<Uint8Array> {
  if (!/^[A-Z]{3}$/.test(options.stateId)) {
    throw new AppError('validation', `"${options.stateId}" is not the ISO 3166-1 alpha-3 code of a State`, {
      location: { parameter: 'stateId', value: options.stateId },
      hint: 'pass a code such as FRA',
    });
  }
  if (
    !Number.isInteger(options.year) ||
    options.year < ATT_REPORT_MIN_YEAR ||
    options.year > ATT_REPORT_MAX_YEAR
  ) {
    throw new AppError('validation', `${options.year} is not a year an ATT annual report can cover`, {
      location: { parameter: 'year', value: String(options.year) },
      hint: `pass a year from ${ATT_REPORT_MIN_YEAR}`,
    });
  }
  const answers: TitleAnswers = {
    reportingState: options.stateName,
    reportingStateCode: options.stateId,
    coveredYear: options.year,
    templateVersion: ATT_REPORT_TEMPLATE_VERSION,
  };
  return render({ answers, rows: { exports: [], imports: [] } }, options.format, options.listRows);
}

/**
 * A filled report in the template's format. `rows` are report rows (parseAttReport's `rows`) or Transfers of the
 * reporting State (State of origin and transit are then empty, the Transfer model has no field for them).
 */
export async function writeAttReport(
  report: AttReport,
  rows: readonly (AttReportRow | Transfer)[],
  format: AttReportFileFormat,
  options: { stateName?: string; listRows?: number } = {},
): Promise<Uint8Array> {
  const reportRows = rows.map((row) => ('form' in row ? row : rowFromTransfer(row, report)));
  const byForm: Record<AttReportFormName, AttReportRow[]> = { exports: [], imports: [] };
  for (const row of reportRows) {
    const form = report[row.form];
    if (!form || form.nilReport) {
      throw new AppError(
        'validation',
        `the report has ${row.form} rows but its title page says the ${row.form} form is ${form ? 'a nil report' : 'not included'}`,
        {
          hint: 'include the form (formsIncluded) or drop the rows',
        },
      );
    }
    byForm[row.form].push(row);
  }
  const answers: TitleAnswers = {
    reportingState: options.stateName ?? report.reportingStateId,
    reportingStateCode: report.reportingStateId,
    coveredYear: report.coveredYear,
    submittedOn: report.submittedOn ?? null,
    nationalDefinitionExport: report.nationalDefinitions.export,
    nationalDefinitionImport: report.nationalDefinitions.import,
    defaultCurrency: report.defaultCurrency,
    templateVersion: ATT_REPORT_TEMPLATE_VERSION,
  };
  for (const name of ATT_REPORT_FORMS) {
    const form = report[name];
    answers[`${name}Included`] = form !== null;
    if (!form) continue;
    answers[`${name}NilReport`] = form.nilReport;
    answers[`${name}Basis`] = form.basis.length === 0 ? null : form.basis.join(' and ');
    answers[`${name}Visibility`] = form.visibility;
    answers[`${name}WithheldCommerciallySensitive`] = form.withheldCommerciallySensitive;
    answers[`${name}WithheldNationalSecurity`] = form.withheldNationalSecurity;
  }
  return render({ answers, rows: byForm }, format, options.listRows);
}

/** The report row a Transfer of the reporting State stands for; throws AppError('validation') for any other Transfer. */
export function rowFromTransfer(transfer: Transfer, report: AttReport): AttReportRow {
  const reporting = report.reportingStateId;
  const form: AttReportFormName | undefined =
    transfer.exporterId === reporting ? 'exports' : transfer.importerId === reporting ? 'imports' : undefined;
  const category = AttReportCategoryCodeSchema.safeParse(transfer.categoryCode);
  const problem =
    form === undefined
      ? `neither exporter nor importer is the reporting State ${reporting}`
      : transfer.categoryScheme !== 'unroca' || !category.success
        ? `its category ${transfer.categoryScheme} ${transfer.categoryCode ?? '(none)'} is not a UNROCA category I-VIII`
        : transfer.basis !== 'authorised' && transfer.basis !== 'actual'
          ? `its basis "${transfer.basis}" is neither authorised nor actual`
          : undefined;
  if (problem !== undefined || form === undefined || !category.success) {
    throw new AppError(
      'validation',
      `a transfer cannot go into the annual report of ${reporting}: ${problem}`,
      { hint: "pass only the reporting State's own exports and imports under UNROCA categories" },
    );
  }
  const partner = transfer.partnerAggregated
    ? null
    : form === 'exports'
      ? transfer.importerId
      : transfer.exporterId;
  const reason = (value: unknown, missing: Transfer['valueMissingReason']) =>
    value !== null ? null : missing === 'withheld' || missing === 'aggregated' ? missing : 'not_reported';
  return {
    form,
    partnerId: partner,
    partnerAggregated: transfer.partnerAggregated,
    categoryCode: category.data,
    subcategoryCode:
      ATT_REPORT_SUBCATEGORIES.find((sub) => sub.code === transfer.subcategoryCode)?.code ?? null,
    basis: transfer.basis as 'authorised' | 'actual',
    numberOfItems: transfer.numberOfItems,
    numberOfItemsMissingReason: reason(transfer.numberOfItems, transfer.numberOfItemsMissingReason),
    value: transfer.value,
    currency: transfer.value === null ? null : transfer.currency,
    valueMissingReason: reason(transfer.value, transfer.valueMissingReason),
    description: transfer.description,
    comments: transfer.comments,
    endUser: transfer.endUser,
    endUse: transfer.endUse,
    stateOfOriginId: null,
    intermediateLocationIds: [] as StateId[],
  };
}

// ---------------------------------------------------------------------------------------------------------------

type Answer = string | number | boolean | null;
type TitleAnswers = Record<string, Answer>;

interface Document {
  answers: TitleAnswers;
  rows: Record<AttReportFormName, AttReportRow[]>;
}

function render(
  document: Document,
  format: AttReportFileFormat,
  listRows = 500,
): Promise<Uint8Array> | Uint8Array {
  if (format === 'xlsx') return renderXlsx(document, listRows);
  if (format === 'csv') return renderCsv(document);
  return renderJson(document);
}

type CellOut = string | number | null;

/** A row's cells by column key. Categories as codes (CSV, JSON) or as the drop-down labels (XLSX). */
function rowCells(row: AttReportRow, labels: boolean): Record<ColumnKey, CellOut> {
  const missing = (reason: string | null) =>
    reason === 'withheld' || reason === 'aggregated' ? reason : null;
  return {
    category: labels ? categoryLabel(row.categoryCode) : row.categoryCode,
    subcategory:
      row.subcategoryCode === null
        ? null
        : labels
          ? subcategoryLabel(row.subcategoryCode)
          : row.subcategoryCode,
    partner: row.partnerAggregated ? 'aggregated' : row.partnerId,
    numberOfItems: row.numberOfItems ?? missing(row.numberOfItemsMissingReason),
    value: row.value ?? missing(row.valueMissingReason),
    currency: row.value === null ? null : row.currency,
    description: row.description,
    comments: row.comments,
    basis: row.basis,
    endUser: row.endUser,
    endUse: row.endUse,
    stateOfOrigin: row.stateOfOriginId,
    intermediateLocations:
      row.intermediateLocationIds.length === 0 ? null : row.intermediateLocationIds.join('; '),
  };
}

function answerText(value: Answer): string | number | null {
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return value;
}

function instructions(): string[] {
  const limits = DEFAULT_ATT_REPORT_LIMITS;
  return [
    'Annual report under Article 13(3) of the Arms Trade Treaty: exports and imports of conventional arms (categories I-VIII) in one calendar year.',
    `${ATT_REPORT_TEMPLATE_VERSION}.`,
    '',
    `1. "${SHEETS.title}": answer every question in the column "${TITLE_COLUMNS.answer}". Do not change the columns "${TITLE_COLUMNS.question}" and "${TITLE_COLUMNS.key}".`,
    `2. "${SHEETS.exports}" and "${SHEETS.imports}": one row per partner State and category (or sub-category). Keep the header row.`,
    '   Partner States: ISO 3166-1 alpha-3 codes (FRA, BRA ...) are safest; names are accepted when known. Write "aggregated" when a row totals several States.',
    '   Number of items and Value: plain numbers (a point for decimals). Leave a cell empty when not reported, or write "withheld" or "aggregated"; say why in Comments. Never write 0 for unknown.',
    '   Currency: the ISO 4217 code (EUR, USD ...); an empty Currency uses the currency given on the title page.',
    '   "Authorised or actual" is needed on every row only when the title page says "authorised and actual".',
    '   Do not add totals rows: totals are computed.',
    `3. A nil report (no exports or imports): answer yes to the nil report question and leave that sheet empty.`,
    '4. Each form can be public or private. Private forms are never published.',
    '5. Formulas are never calculated on import: a formula cell gives the result your spreadsheet saved with it.',
    '',
    'Columns:',
    ...COLUMNS.map(
      (column) =>
        `   ${column.header.exports}${column.key === 'partner' ? ` / ${column.header.imports}` : ''}${column.required ? ' (required column)' : ''}: ${column.help}`,
    ),
    '',
    'Categories:',
    ...ATT_REPORT_CATEGORIES.map(
      (category) => `   ${categoryLabel(category.code)} (ATT Art. ${category.attRef})`,
    ),
    'Sub-categories:',
    ...ATT_REPORT_SUBCATEGORIES.map((sub) => `   ${subcategoryLabel(sub.code)} (category ${sub.category})`),
    '',
    `Limits: ${limits.maxFileBytes / 1024 / 1024} MB per file, ${limits.maxRowsPerTable} rows per sheet, ${limits.maxCellChars} characters per cell.`,
  ];
}

// ---------------------------------------------------------------------------------------------------------------
// XLSX

const LIST_VALUES = {
  yesno: ['yes', 'no'],
  basis: ['authorised', 'actual', 'authorised and actual'],
  visibility: ['public', 'private'],
  rowBasis: ['authorised', 'actual'],
};

async function renderXlsx(document: Document, listRows: number): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'ATT Observatory';
  // Fixed dates keep the output of the same input identical.
  workbook.created = new Date(Date.UTC(2000, 0, 1));
  workbook.modified = new Date(Date.UTC(2000, 0, 1));

  const help = workbook.addWorksheet(SHEETS.instructions);
  help.getColumn(1).width = 140;
  for (const line of instructions()) help.addRow([line]);
  help.getRow(1).font = { bold: true };

  const title = workbook.addWorksheet(SHEETS.title);
  title.columns = [
    { header: TITLE_COLUMNS.question, width: 70 },
    { header: TITLE_COLUMNS.answer, width: 50 },
    { header: TITLE_COLUMNS.key, width: 38 },
  ];
  title.getRow(1).font = { bold: true };
  title.views = [{ state: 'frozen', ySplit: 1 }];
  for (const spec of TITLE_FIELDS) {
    const row = title.addRow([spec.label, answerText(document.answers[spec.key] ?? null), spec.key]);
    row.getCell(3).font = { color: { argb: 'FF808080' } };
    row.getCell(1).note = spec.help;
    const validation = titleValidation(spec);
    if (validation) row.getCell(2).dataValidation = validation;
  }

  const lists = [
    ATT_REPORT_CATEGORIES.map((category) => categoryLabel(category.code)),
    ATT_REPORT_SUBCATEGORIES.map((sub) => subcategoryLabel(sub.code)),
  ];
  for (const form of ATT_REPORT_FORMS) {
    const sheet = workbook.addWorksheet(SHEETS[form]);
    sheet.columns = COLUMNS.map((column) => ({
      header: column.header[form],
      width: column.key === 'description' || column.key === 'comments' ? 40 : 18,
    }));
    sheet.getRow(1).font = { bold: true };
    sheet.views = [{ state: 'frozen', ySplit: 1 }];
    COLUMNS.forEach((column, index) => {
      sheet.getRow(1).getCell(index + 1).note = column.help;
    });
    for (const row of document.rows[form]) {
      const cells = rowCells(row, true);
      sheet.addRow(COLUMNS.map((column) => xlsxValue(column.key, cells[column.key])));
    }
    const last = Math.max(listRows, document.rows[form].length + 100) + 1;
    const position = (key: ColumnKey) => COLUMNS.findIndex((column) => column.key === key) + 1;
    for (let r = 2; r <= last; r++) {
      const row = sheet.getRow(r);
      row.getCell(position('category')).dataValidation = listValidation(
        `${SHEETS.lists}!$A$2:$A$${lists[0]!.length + 1}`,
      );
      row.getCell(position('subcategory')).dataValidation = listValidation(
        `${SHEETS.lists}!$B$2:$B$${lists[1]!.length + 1}`,
      );
      row.getCell(position('basis')).dataValidation = listValidation(`"${LIST_VALUES.rowBasis.join(',')}"`);
    }
  }

  const listSheet = workbook.addWorksheet(SHEETS.lists);
  listSheet.columns = [
    { header: 'Categories', width: 45 },
    { header: 'Sub-categories', width: 70 },
  ];
  listSheet.getRow(1).font = { bold: true };
  const height = Math.max(...lists.map((list) => list.length));
  for (let i = 0; i < height; i++) listSheet.addRow(lists.map((list) => list[i] ?? null));

  const buffer = await workbook.xlsx.writeBuffer();
  return new Uint8Array(buffer as ArrayBuffer);
}

/**
 * Values as numbers where a spreadsheet can sum them without losing a digit (15 significant digits, which is also
 * how the parser reads number cells); text otherwise.
 */
function xlsxValue(key: ColumnKey, value: CellOut): CellOut {
  if (
    key === 'value' &&
    typeof value === 'string' &&
    /^\d+(\.\d+)?$/.test(value) &&
    numberToDecimalText(Number(value)) === value
  ) {
    return Number(value);
  }
  return value;
}

function listValidation(formula: string): ExcelJS.DataValidation {
  // "information" style: a typed code such as "II" stays allowed, the list is a help, not a lock.
  return {
    type: 'list',
    allowBlank: true,
    formulae: [formula],
    showErrorMessage: true,
    errorStyle: 'information',
    error: 'Not in the list; the import will check it.',
  };
}

function titleValidation(spec: TitleFieldSpec): ExcelJS.DataValidation | undefined {
  switch (spec.kind) {
    case 'yesno':
      return listValidation(`"${LIST_VALUES.yesno.join(',')}"`);
    case 'basis':
      return listValidation(`"${LIST_VALUES.basis.join(',')}"`);
    case 'visibility':
      return listValidation(`"${LIST_VALUES.visibility.join(',')}"`);
    case 'year':
      return {
        type: 'whole',
        operator: 'between',
        allowBlank: true,
        formulae: [ATT_REPORT_MIN_YEAR, ATT_REPORT_MAX_YEAR],
        showErrorMessage: true,
        error: 'A calendar year such as 2024.',
      };
    default:
      return undefined;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// CSV

function renderCsv(document: Document): Uint8Array {
  const lines = [
    csvLine([
      '# ATT annual report (Arms Trade Treaty Article 13(3)). Fill in the Answer column under [Title], then one line per transfer under [Exports] and [Imports].',
    ]),
    csvLine([
      '# Keep the section lines ([Title], [Exports], [Imports]) and the header rows; lines starting with # are allowed only here, above [Title].',
    ]),
    csvLine([`# ${ATT_REPORT_TEMPLATE_VERSION}. Save as CSV (UTF-8).`]),
    `[${SHEETS.title}]`,
    csvLine([TITLE_COLUMNS.question, TITLE_COLUMNS.answer, TITLE_COLUMNS.key]),
    ...TITLE_FIELDS.map((spec) =>
      csvLine([spec.label, answerText(document.answers[spec.key] ?? null), spec.key]),
    ),
  ];
  for (const form of ATT_REPORT_FORMS) {
    lines.push(`[${SHEETS[form]}]`, csvLine(COLUMNS.map((column) => column.header[form])));
    for (const row of document.rows[form]) {
      const cells = rowCells(row, false);
      lines.push(csvLine(COLUMNS.map((column) => cells[column.key])));
    }
  }
  // A BOM so that spreadsheets open the UTF-8 text with its accents.
  return new TextEncoder().encode(`\uFEFF${lines.join('\r\n')}\r\n`);
}

// ---------------------------------------------------------------------------------------------------------------
// JSON

function renderJson(document: Document): Uint8Array {
  const title: Record<string, Answer | string[]> = {};
  for (const spec of TITLE_FIELDS) {
    const answer = document.answers[spec.key] ?? null;
    title[spec.key] = spec.kind === 'basis' && typeof answer === 'string' ? answer.split(' and ') : answer;
  }
  const rows = (form: AttReportFormName) =>
    document.rows[form].map((row) => {
      const cells = rowCells(row, false);
      const out: Record<string, CellOut | string[]> = {};
      for (const column of COLUMNS) out[column.key] = cells[column.key];
      out.intermediateLocations = row.intermediateLocationIds;
      if (typeof row.numberOfItems === 'number') out.numberOfItems = row.numberOfItems;
      return out;
    });
  const body = {
    $comment: `ATT annual report (Arms Trade Treaty Article 13(3)). Each row: {${COLUMNS.map((column) => column.key).join(', ')}}. See docs/att-report-format.md.`,
    format: ATT_REPORT_FORMAT_NAME,
    formatVersion: ATT_REPORT_FORMAT_VERSION,
    title,
    exports: rows('exports'),
    imports: rows('imports'),
  };
  return new TextEncoder().encode(`${JSON.stringify(body, null, 2)}\n`);
}
