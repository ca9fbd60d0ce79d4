/**
 * What the three readers (XLSX, CSV, JSON) hand to the interpreter: the title answers and the two tables as cells,
 * with sheet/row/column for every one. Everything after this point is the same for every format.
 */
import type { AttReportFormName } from '../../model/att-report.js';
import { TITLE_COLUMNS, headerKey, type AttReportLimits } from './format.js';
import type { CellNote, ReportIssues } from './issues.js';

export type CellValue = string | number | boolean | Date | null;

export interface RawCell {
  value: CellValue;
  /** A problem the reader found (formula without a result, error value ...); errors quarantine the row. */
  note?: CellNote;
}

export interface RawRow {
  /** 1-based sheet row (XLSX), physical line (CSV) or array position (JSON). */
  row: number;
  cells: RawCell[];
  /** A problem with the whole row (JSON: an item that is not an object). */
  note?: CellNote;
}

export interface RawTitleAnswer {
  /** The label or key as written. */
  label: string;
  answer: RawCell;
  row: number | null;
  /** Column name used in issues ("Answer", or the JSON key). */
  column: string;
}

export interface RawTitle {
  sheet: string;
  answers: RawTitleAnswer[];
}

export interface RawTable {
  form: AttReportFormName;
  sheet: string;
  headerRow: number | null;
  headers: string[];
  /** Rows after the header up to the last non-blank one (trailing blank rows are not read). */
  rows: RawRow[];
}

export interface RawReport {
  title: RawTitle;
  /** Null when the sheet / section / array is not there. */
  exports: RawTable | null;
  imports: RawTable | null;
}

export const EMPTY: RawCell = { value: null };

/** True when the cell holds nothing (null, or text that is only spaces). */
export function isEmptyCell(cell: RawCell | undefined): boolean {
  if (cell === undefined) return true;
  if (cell.note) return false;
  return cell.value === null || (typeof cell.value === 'string' && cell.value.trim() === '');
}

export function isBlankRow(row: RawRow): boolean {
  return !row.note && row.cells.every((cell) => isEmptyCell(cell));
}

/** A cell's content as text, for messages and quarantined rows. */
export function cellText(cell: RawCell | undefined): string {
  const value = cell?.value ?? null;
  if (value === null) return '';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
  return String(value);
}

/** Drops trailing blank rows (formatted but empty rows of a template are not data). */
export function trimTrailingBlankRows(rows: RawRow[]): RawRow[] {
  let end = rows.length;
  while (end > 0 && isBlankRow(rows[end - 1]!)) end--;
  return rows.slice(0, end);
}

const HEADER_SEARCH_ROWS = 10;

/**
 * Reads the Title sheet (or CSV section) laid out as `Question | Answer | Key`: the header row is looked for in the
 * first rows; each later row with a question or key is one answer. Returns undefined (with an issue) when there is
 * no header.
 */
export function titleFromGrid(
  sheet: string,
  rows: readonly RawRow[],
  issues: ReportIssues,
): RawTitle | undefined {
  const search = rows.slice(0, HEADER_SEARCH_ROWS);
  const headerIndex = search.findIndex((row) =>
    row.cells.some((cell) => headerKey(cellText(cell)) === headerKey(TITLE_COLUMNS.answer)),
  );
  if (headerIndex < 0) {
    issues.error(
      { sheet },
      'missing_header',
      `no header row with the column "${TITLE_COLUMNS.answer}" in the first ${HEADER_SEARCH_ROWS} rows`,
      `start the sheet with the header "${TITLE_COLUMNS.question} | ${TITLE_COLUMNS.answer} | ${TITLE_COLUMNS.key}" as in the template`,
    );
    return undefined;
  }
  const header = rows[headerIndex]!;
  const position = (name: string) =>
    header.cells.findIndex((cell) => headerKey(cellText(cell)) === headerKey(name));
  const answerAt = position(TITLE_COLUMNS.answer);
  const questionAt = position(TITLE_COLUMNS.question);
  const keyAt = position(TITLE_COLUMNS.key);
  if (questionAt < 0 && keyAt < 0) {
    issues.error(
      { sheet, row: header.row },
      'missing_column',
      `the header has no column "${TITLE_COLUMNS.question}" or "${TITLE_COLUMNS.key}", so the answers cannot be matched to questions`,
      `use the header "${TITLE_COLUMNS.question} | ${TITLE_COLUMNS.answer} | ${TITLE_COLUMNS.key}" as in the template`,
    );
    return undefined;
  }
  const answers: RawTitleAnswer[] = [];
  for (const row of rows.slice(headerIndex + 1)) {
    const key = keyAt < 0 ? '' : cellText(row.cells[keyAt]).trim();
    const question = questionAt < 0 ? '' : cellText(row.cells[questionAt]).trim();
    const answer = row.cells[answerAt] ?? EMPTY;
    if (key === '' && question === '') {
      if (!isEmptyCell(answer)) {
        issues.warning(
          { sheet, row: row.row, column: TITLE_COLUMNS.answer, value: cellText(answer) },
          'answer_without_question',
          'this answer has no question or key beside it and was not read',
          'put it on the row of its question',
        );
      }
      continue;
    }
    answers.push({ label: key || question, answer, row: row.row, column: TITLE_COLUMNS.answer });
  }
  return { sheet, answers };
}

/** Finds a table's header row (the first of the first rows with a "Category" cell) and splits header and data. */
export function tableFromGrid(
  form: AttReportFormName,
  sheet: string,
  rows: readonly RawRow[],
  issues: ReportIssues,
  limits: AttReportLimits,
): RawTable | undefined {
  const search = rows.slice(0, HEADER_SEARCH_ROWS);
  const headerIndex = search.findIndex((row) =>
    row.cells.some((cell) => headerKey(cellText(cell)) === 'category'),
  );
  if (headerIndex < 0) {
    if (rows.every(isBlankRow)) {
      // A sheet without even a header: nothing to read (the interpreter decides whether rows were expected).
      return { form, sheet, headerRow: null, headers: [], rows: [] };
    }
    issues.error(
      { sheet },
      'missing_header',
      `no header row with a "Category" column in the first ${HEADER_SEARCH_ROWS} rows`,
      "start the table with the template's header row (Category, Sub-category, partner State, Number of items, Value ...)",
    );
    return undefined;
  }
  const header = rows[headerIndex]!;
  const data = trimTrailingBlankRows(rows.slice(headerIndex + 1));
  if (data.length > limits.maxRowsPerTable) {
    issues.error(
      { sheet },
      'too_many_rows',
      `the table has ${data.length} rows, more than the limit of ${limits.maxRowsPerTable}`,
      'check for rows filled by accident far down the sheet; an annual report has one row per partner State and category',
    );
    return undefined;
  }
  return {
    form,
    sheet,
    headerRow: header.row,
    headers: header.cells.map((cell) => cellText(cell).trim()),
    rows: data,
  };
}
