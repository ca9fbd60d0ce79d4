/**
 * XLSX -> RawReport. The ZIP is checked (zip-guard.ts) before exceljs sees it. Formulas are never evaluated: a formula
 * cell gives its cached result (with a warning), or, without one, an error that quarantines its row.
 */
import ExcelJS from 'exceljs';
import type { AttReportLimits } from './format.js';
import { SHEETS, headerKey } from './format.js';
import type { CellNote, ReportIssues } from './issues.js';
import { titleFromGrid, tableFromGrid, type RawCell, type RawReport, type RawRow } from './raw.js';
import { checkZip } from './zip-guard.js';

const XLSX_FIX =
  'save the workbook again as .xlsx (Excel Workbook) from a spreadsheet program, or download a new template';

export async function readXlsx(
  bytes: Uint8Array,
  issues: ReportIssues,
  limits: AttReportLimits,
  stats: Record<string, number>,
): Promise<RawReport | undefined> {
  const zip = checkZip(bytes, limits);
  if (!zip.ok) {
    issues.error({}, zip.code, zip.what, zip.fix);
    return undefined;
  }
  stats.uncompressedBytes = zip.totalUncompressed;
  const names = new Set(zip.entries.map((entry) => entry.name));
  if (!names.has('[Content_Types].xml') || !names.has('xl/workbook.xml')) {
    const what = names.has('content.xml')
      ? 'the file is an OpenDocument spreadsheet (.ods), not an .xlsx workbook'
      : 'the file is a ZIP archive but not an .xlsx workbook';
    issues.error({}, 'not_xlsx', what, XLSX_FIX);
    return undefined;
  }
  if ([...names].some((name) => /vbaProject\.bin$/i.test(name))) {
    issues.warning(
      {},
      'macros_ignored',
      'the workbook contains macros; they were not run and are not kept',
      'nothing to do; save as .xlsx without macros next time',
    );
  }

  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(
      Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as unknown as ExcelJS.Buffer,
    );
  } catch (error) {
    issues.error({}, 'unreadable_xlsx', `the workbook cannot be read (${clipMessage(error)})`, XLSX_FIX);
    return undefined;
  }

  const sheetNames = workbook.worksheets.map((sheet) => sheet.name);
  const byKey = new Map(workbook.worksheets.map((sheet) => [headerKey(sheet.name), sheet]));
  const known = new Set(
    [SHEETS.title, SHEETS.exports, SHEETS.imports, SHEETS.instructions, SHEETS.lists].map(headerKey),
  );
  const titleSheet = byKey.get(headerKey(SHEETS.title));
  if (!titleSheet) {
    issues.error(
      {},
      'wrong_sheets',
      `the workbook has the sheets ${sheetNames.map((name) => `"${name}"`).join(', ') || '(none)'}, but an annual report needs "${SHEETS.title}", "${SHEETS.exports}" and "${SHEETS.imports}"`,
      'download the template for your State and year, copy your data into it, and upload it',
    );
    return undefined;
  }
  for (const name of sheetNames) {
    if (!known.has(headerKey(name))) {
      issues.warning(
        { sheet: name },
        'unknown_sheet',
        'this sheet is not part of the template and was not read',
        `move its rows to "${SHEETS.exports}" or "${SHEETS.imports}" if they belong to the report`,
      );
    }
  }

  let formulaResults = 0;
  const grid = (sheet: ExcelJS.Worksheet): RawRow[] | undefined => {
    const rows: RawRow[] = [];
    let tooWide = false;
    sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
      const cells: RawCell[] = [];
      row.eachCell({ includeEmpty: false }, (cell, columnNumber) => {
        if (columnNumber > limits.maxColumns) {
          tooWide = true;
          return;
        }
        while (cells.length < columnNumber - 1) cells.push({ value: null });
        const raw = convertCell(cell.value);
        if (raw.formula) formulaResults++;
        cells.push(raw.cell);
      });
      rows.push({ row: rowNumber, cells });
    });
    if (tooWide) {
      issues.error(
        { sheet: sheet.name },
        'too_many_columns',
        `the sheet has values beyond column ${limits.maxColumns}`,
        'delete the columns to the right of the table',
      );
      return undefined;
    }
    // Rows with no value at all between filled rows are blank rows of the table, not gaps in the numbering.
    return fillGaps(rows);
  };

  const titleRows = grid(titleSheet);
  if (!titleRows) return undefined;
  const title = titleFromGrid(titleSheet.name, titleRows, issues);
  if (!title) return undefined;
  const report: RawReport = { title, exports: null, imports: null };
  for (const form of ['exports', 'imports'] as const) {
    const sheet = byKey.get(headerKey(SHEETS[form]));
    if (!sheet) continue;
    const rows = grid(sheet);
    if (!rows) return undefined;
    const table = tableFromGrid(form, sheet.name, rows, issues, limits);
    if (!table) return undefined;
    report[form] = table;
  }
  stats.formulaResultsUsed = formulaResults;
  return report;
}

/** Inserts empty rows for row numbers exceljs skipped, so that every sheet row between header and last row is read. */
function fillGaps(rows: RawRow[]): RawRow[] {
  const filled: RawRow[] = [];
  let next = 1;
  for (const row of rows) {
    while (next < row.row) filled.push({ row: next++, cells: [] });
    filled.push(row);
    next = row.row + 1;
  }
  return filled;
}

type ExcelValue = ExcelJS.CellValue;

/** An exceljs cell value as a RawCell; formulas give their cached result or a note, never an evaluation. */
export function convertCell(value: ExcelValue | undefined): { cell: RawCell; formula: boolean } {
  if (value === null || value === undefined) return { cell: { value: null }, formula: false };
  if (typeof value === 'string' || typeof value === 'boolean') return { cell: { value }, formula: false };
  if (typeof value === 'number') {
    return Number.isFinite(value)
      ? { cell: { value }, formula: false }
      : {
          cell: {
            value: String(value),
            note: note('not_a_number', `${value} is not a number`, 'type the number again'),
          },
          formula: false,
        };
  }
  if (value instanceof Date) {
    return Number.isNaN(value.getTime())
      ? {
          cell: {
            value: null,
            note: note('invalid_date', 'the cell holds an invalid date', 'type the value again'),
          },
          formula: false,
        }
      : { cell: { value }, formula: false };
  }
  if (typeof value === 'object') {
    const object = value as unknown as Record<string, unknown>;
    if ('formula' in object || 'sharedFormula' in object) {
      const formula = String(object.formula ?? object.sharedFormula ?? '');
      const result = object.result;
      if (result === undefined || result === null) {
        return {
          cell: {
            value: `=${formula}`,
            note: note(
              'formula_without_result',
              `the cell holds the formula =${formula} without a saved result (formulas are never calculated here)`,
              'type the value itself, or open the workbook in a spreadsheet program and save it so that it stores the result',
            ),
          },
          formula: true,
        };
      }
      const inner = convertCell(result as ExcelValue);
      if (inner.cell.note) return { cell: inner.cell, formula: true };
      return {
        cell: {
          value: inner.cell.value,
          note: {
            code: 'formula_result_used',
            severity: 'warning',
            what: `the cell holds the formula =${formula}; its saved result ${JSON.stringify(inner.cell.value)} was used (formulas are never calculated here)`,
            fix: 'nothing to do if the result is right; type plain values to be sure',
          },
        },
        formula: true,
      };
    }
    if ('richText' in object && Array.isArray(object.richText)) {
      return {
        cell: {
          value: (object.richText as { text?: unknown }[]).map((part) => String(part.text ?? '')).join(''),
        },
        formula: false,
      };
    }
    if ('hyperlink' in object || 'text' in object)
      return { cell: { value: String(object.text ?? '') }, formula: false };
    if ('error' in object) {
      return {
        cell: {
          value: String(object.error),
          note: note(
            'cell_error',
            `the cell shows the spreadsheet error ${String(object.error)}`,
            'replace it with the value, or leave it empty and say why in Comments',
          ),
        },
        formula: false,
      };
    }
  }
  return {
    cell: {
      value: null,
      note: note(
        'unsupported_cell',
        'the cell holds something other than text, a number or a date',
        'type the value as plain text or a number',
      ),
    },
    formula: false,
  };
}

function note(code: string, what: string, fix: string): CellNote {
  return { code, severity: 'error', what, fix };
}

function clipMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.length > 160 ? `${message.slice(0, 160)}…` : message;
}
