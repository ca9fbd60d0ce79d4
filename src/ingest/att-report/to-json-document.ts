/**
 * An uploaded ATT report file (XLSX, CSV or JSON) as the JSON form of the template (docs/att-report-format.md), cells
 * as written: the reporting workflow keeps a draft in that form, so that an upload replaces the draft's content and
 * the draft is then validated by the same parser, with the same messages. Only called on files parseAttReport did not
 * refuse (the readers below have already accepted them once).
 */
import { ATT_REPORT_FORMS, type AttReportFormName } from '../../model/att-report.js';
import { DEFAULT_ATT_REPORT_LIMITS, TITLE_LOOKUP, columnLookup, headerKey, type AttReportFileFormat } from './format.js';
import { ReportIssues } from './issues.js';
import { isBlankRow, type CellValue, type RawReport } from './raw.js';
import { readCsv } from './read-csv.js';
import { readJson } from './read-json.js';
import { readXlsx } from './read-xlsx.js';

export type JsonCell = string | number | boolean | null | string[];

export interface AttReportJsonDocument {
  format: 'att-annual-report';
  formatVersion: 1;
  title: Record<string, JsonCell>;
  exports: Record<string, JsonCell>[];
  imports: Record<string, JsonCell>[];
}

function jsonCell(value: CellValue | unknown): JsonCell {
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (Array.isArray(value)) return value.map(String);
  return String(value);
}

/** The cells of a file as a JSON template document; null if the file cannot be read (it would have been refused). */
export async function attReportJsonDocument(bytes: Uint8Array, format: AttReportFileFormat): Promise<AttReportJsonDocument | null> {
  const issues = new ReportIssues('upload');
  const metadata: Record<string, string> = {};
  const raw: RawReport | undefined =
    format === 'xlsx'
      ? await readXlsx(bytes, issues, DEFAULT_ATT_REPORT_LIMITS, {})
      : format === 'csv'
        ? readCsv(bytes, issues, DEFAULT_ATT_REPORT_LIMITS, metadata)
        : readJson(bytes, issues, DEFAULT_ATT_REPORT_LIMITS, metadata);
  if (!raw) return null;
  const title: Record<string, JsonCell> = {};
  for (const answer of raw.title.answers) {
    const key = TITLE_LOOKUP.get(headerKey(answer.label))?.key ?? answer.label;
    if (answer.answer.value !== null && answer.answer.value !== '') title[key] = jsonCell(answer.answer.value);
  }
  const tables: Record<AttReportFormName, Record<string, JsonCell>[]> = { exports: [], imports: [] };
  for (const form of ATT_REPORT_FORMS) {
    const table = raw[form];
    if (!table) continue;
    const lookup = columnLookup(form);
    const keys = table.headers.map((header) => lookup.get(headerKey(header))?.key ?? header);
    for (const row of table.rows) {
      if (isBlankRow(row)) continue;
      const record: Record<string, JsonCell> = {};
      row.cells.forEach((cell, i) => {
        const key = keys[i];
        if (key && cell.value !== null && cell.value !== '') record[key] = jsonCell(cell.value);
      });
      tables[form].push(record);
    }
  }
  return { format: 'att-annual-report', formatVersion: 1, title, exports: tables.exports, imports: tables.imports };
}
