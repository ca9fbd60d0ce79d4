/**
 * Reading XLSX workbooks with exceljs, as plain values: text, number, date, boolean, error or empty. Rich text is
 * joined, formulas give their cached result, hyperlinks their text. exceljs reads asynchronously, so XLSX parsers are
 * async; they stay pure (bytes in, result out).
 */
import ExcelJS from 'exceljs';

export type Cell =
  | { kind: 'empty' }
  | { kind: 'text'; text: string }
  | { kind: 'number'; number: number }
  | { kind: 'date'; date: Date }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'error'; error: string };

const EMPTY: Cell = { kind: 'empty' };

/** ZIP local-file signature: every XLSX starts with it. */
export function looksLikeZip(bytes: Uint8Array): boolean {
  return bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

/** OLE2 compound file: a legacy .xls workbook. */
export function looksLikeLegacyXls(bytes: Uint8Array): boolean {
  return bytes[0] === 0xd0 && bytes[1] === 0xcf && bytes[2] === 0x11 && bytes[3] === 0xe0;
}

/** Loads a workbook; the error message when exceljs cannot read it. */
export async function loadWorkbook(
  bytes: Uint8Array,
): Promise<{ workbook: ExcelJS.Workbook } | { error: string }> {
  const workbook = new ExcelJS.Workbook();
  try {
    const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    await workbook.xlsx.load(buffer as unknown as ArrayBuffer);
    return { workbook };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

/** The value of a cell as one of the plain kinds. */
export function readCell(value: ExcelJS.CellValue | undefined): Cell {
  if (value === null || value === undefined) return EMPTY;
  if (typeof value === 'string') return value.trim() === '' ? EMPTY : { kind: 'text', text: value };
  if (typeof value === 'number') return { kind: 'number', number: value };
  if (typeof value === 'boolean') return { kind: 'boolean', value };
  if (value instanceof Date) return { kind: 'date', date: value };
  if (typeof value === 'object') {
    if ('richText' in value && Array.isArray(value.richText)) {
      const text = value.richText.map((part) => part.text ?? '').join('');
      return text.trim() === '' ? EMPTY : { kind: 'text', text };
    }
    if ('error' in value && value.error !== undefined) return { kind: 'error', error: String(value.error) };
    if ('formula' in value || 'sharedFormula' in value) {
      const result = (value as { result?: unknown }).result;
      if (result !== null && typeof result === 'object' && !(result instanceof Date) && 'error' in result) {
        return { kind: 'error', error: String((result as { error: unknown }).error) };
      }
      return readCell(result as ExcelJS.CellValue | undefined);
    }
    if ('text' in value) {
      const text = (value as { text: unknown }).text;
      if (typeof text === 'string') return text.trim() === '' ? EMPTY : { kind: 'text', text };
      return readCell(text as ExcelJS.CellValue);
    }
  }
  return { kind: 'error', error: `unreadable cell content (${typeof value})` };
}

/** A cell shown as text in issues and quarantined rows. */
export function cellText(cell: Cell): string {
  switch (cell.kind) {
    case 'empty':
      return '';
    case 'text':
      return cell.text;
    case 'number':
      return String(cell.number);
    case 'date':
      return Number.isNaN(cell.date.getTime()) ? 'Invalid Date' : cell.date.toISOString();
    case 'boolean':
      return cell.value ? 'TRUE' : 'FALSE';
    case 'error':
      return cell.error;
  }
}

/** The cells of one row, 1-based like Excel (index 0 unused), up to `columns`. */
export function rowCells(sheet: ExcelJS.Worksheet, row: number, columns: number): Cell[] {
  const cells: Cell[] = [EMPTY];
  const excelRow = sheet.getRow(row);
  for (let column = 1; column <= columns; column++) cells.push(readCell(excelRow.getCell(column).value));
  return cells;
}

/** The widest row of a sheet (exceljs's own count can be off for sheets with formatting only). */
export function sheetWidth(sheet: ExcelJS.Worksheet): number {
  let width = 0;
  sheet.eachRow({ includeEmpty: false }, (row) => {
    width = Math.max(width, row.cellCount);
  });
  return Math.min(width, 16_384);
}

/** Header text as compared: joined, spaces collapsed, trimmed, lower case. */
export function headerKey(text: string): string {
  return text.replace(/\s+/g, ' ').trim().toLowerCase();
}

const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);
const DAY_MS = 86_400_000;

/**
 * An Excel date serial (days since 1899-12-30, the 1900 system) or an exceljs Date -> date and date-time text,
 * rounded to the nearest second (serials carry float noise: 2022-03-21T16:29:09.999). Excel dates have no zone;
 * exceljs reads them as UTC, so the UTC fields are the clock time written in the sheet.
 */
export function excelDateParts(
  cell: Cell,
  date1904: boolean,
): { date: string; dateTime: string } | undefined {
  let ms: number;
  if (cell.kind === 'date') ms = cell.date.getTime();
  else if (cell.kind === 'number') ms = EXCEL_EPOCH_MS + (cell.number + (date1904 ? 1462 : 0)) * DAY_MS;
  else return undefined;
  if (!Number.isFinite(ms)) return undefined;
  const rounded = new Date(Math.round(ms / 1000) * 1000);
  const iso = rounded.toISOString();
  if (!/^\d{4}-/.test(iso)) return undefined;
  return { date: iso.slice(0, 10), dateTime: iso.slice(0, 19) };
}
