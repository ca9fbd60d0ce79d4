/**
 * JSON -> RawReport. The same model as the template:
 *
 *   { "format": "att-annual-report", "formatVersion": 1,
 *     "title": { "reportingStateCode": "FRA", "coveredYear": 2024, ... },
 *     "exports": [ { "category": "II", "partner": "CHL", "numberOfItems": 4, ... } ],
 *     "imports": [] }
 *
 * Title keys and row keys are the template's keys; the template's column headers are accepted too. In issues the
 * sheet is the JSON key (`exports`), the row the 1-based position in the array, the column the key.
 */
import { ATT_REPORT_FORMAT_NAME, ATT_REPORT_FORMAT_VERSION, type AttReportLimits } from './format.js';
import type { CellNote, ReportIssues } from './issues.js';
import { decode } from './read-csv.js';
import { type RawCell, type RawReport, type RawRow, type RawTable, type RawTitleAnswer } from './raw.js';

const JSON_FIX =
  'start from the JSON template: an object with "format", "formatVersion", "title", "exports" and "imports"';
const TOP_KEYS = new Set(['format', 'formatVersion', 'title', 'exports', 'imports', '$schema', '$comment']);

export function readJson(
  bytes: Uint8Array,
  issues: ReportIssues,
  limits: AttReportLimits,
  metadata: Record<string, string>,
): RawReport | undefined {
  const text = decode(bytes, issues, metadata);
  if (text === undefined) return undefined;
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    issues.error(
      {},
      'broken_json',
      `the file is not valid JSON (${message.slice(0, 160)})`,
      'correct the JSON at the place named, or start again from the JSON template',
    );
    return undefined;
  }
  if (!isObject(document)) {
    issues.error({}, 'wrong_json_shape', `the file holds ${describe(document)}, not an object`, JSON_FIX);
    return undefined;
  }
  if (document.format !== undefined && document.format !== ATT_REPORT_FORMAT_NAME) {
    issues.error(
      { column: 'format', value: String(document.format) },
      'wrong_format',
      `"format" is ${JSON.stringify(document.format)}, not "${ATT_REPORT_FORMAT_NAME}"`,
      JSON_FIX,
    );
    return undefined;
  }
  if (document.formatVersion !== undefined && document.formatVersion !== ATT_REPORT_FORMAT_VERSION) {
    issues.error(
      { column: 'formatVersion', value: String(document.formatVersion) },
      'unsupported_format_version',
      `"formatVersion" is ${JSON.stringify(document.formatVersion)}; this version of ATT Observatory reads version ${ATT_REPORT_FORMAT_VERSION}`,
      'download the JSON template again and copy your data into it',
    );
    return undefined;
  }
  for (const key of Object.keys(document)) {
    if (!TOP_KEYS.has(key))
      issues.warning(
        { column: key },
        'unknown_key',
        `the key "${key}" is not part of the format and was not read`,
        JSON_FIX,
      );
  }
  if (!isObject(document.title)) {
    issues.error(
      { column: 'title' },
      'wrong_sheets',
      `"title" is ${document.title === undefined ? 'missing' : describe(document.title)}; it must be an object with the title page answers`,
      JSON_FIX,
    );
    return undefined;
  }
  const answers: RawTitleAnswer[] = Object.entries(document.title).map(([key, value]) => ({
    label: key,
    answer: jsonCell(value),
    row: null,
    column: key,
  }));
  const report: RawReport = { title: { sheet: 'title', answers }, exports: null, imports: null };
  for (const form of ['exports', 'imports'] as const) {
    const items = document[form];
    if (items === undefined || items === null) continue;
    if (!Array.isArray(items)) {
      issues.error(
        { column: form },
        'wrong_json_shape',
        `"${form}" is ${describe(items)}; it must be a list of rows ([] when there are none)`,
        JSON_FIX,
      );
      return undefined;
    }
    const table = tableFromItems(form, items, issues, limits);
    if (!table) return undefined;
    report[form] = table;
  }
  return report;
}

function tableFromItems(
  form: 'exports' | 'imports',
  items: unknown[],
  issues: ReportIssues,
  limits: AttReportLimits,
): RawTable | undefined {
  if (items.length > limits.maxRowsPerTable) {
    issues.error(
      { sheet: form },
      'too_many_rows',
      `the list has ${items.length} rows, more than the limit of ${limits.maxRowsPerTable}`,
      'check that the rows were not repeated by accident',
    );
    return undefined;
  }
  const headers: string[] = [];
  const position = new Map<string, number>();
  for (const item of items) {
    if (!isObject(item)) continue;
    for (const key of Object.keys(item)) {
      if (!position.has(key)) {
        position.set(key, headers.length);
        headers.push(key);
      }
    }
  }
  if (headers.length > limits.maxColumns) {
    issues.error(
      { sheet: form },
      'too_many_columns',
      `the rows use ${headers.length} different keys, more than the limit of ${limits.maxColumns}`,
      'use only the keys of the template',
    );
    return undefined;
  }
  const rows: RawRow[] = items.map((item, index) => {
    if (!isObject(item)) {
      return {
        row: index + 1,
        cells: [],
        note: {
          code: 'wrong_json_shape',
          severity: 'error',
          what: `row ${index + 1} is ${describe(item)}, not an object`,
          fix: 'write each row as an object such as {"category": "II", "partner": "CHL", ...}',
        },
      };
    }
    const cells: RawCell[] = headers.map(() => ({ value: null }));
    for (const [key, value] of Object.entries(item)) cells[position.get(key)!] = jsonCell(value);
    return { row: index + 1, cells };
  });
  return { form, sheet: form, headerRow: null, headers, rows };
}

function jsonCell(value: unknown): RawCell {
  if (value === null || value === undefined) return { value: null };
  if (typeof value === 'string' || typeof value === 'boolean') return { value };
  if (typeof value === 'number')
    return Number.isFinite(value) ? { value } : { value: String(value), note: shapeNote(value) };
  if (Array.isArray(value) && value.every((item) => typeof item === 'string' || typeof item === 'number'))
    return { value: value.map(String).join('; ') };
  return { value: JSON.stringify(value).slice(0, 200), note: shapeNote(value) };
}

function shapeNote(value: unknown): CellNote {
  return {
    code: 'wrong_json_shape',
    severity: 'error',
    what: `${describe(value)} is not a text, number, true/false or null`,
    fix: 'write the value as text or a number',
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object'
    ? 'an object'
    : `the ${typeof value} ${JSON.stringify(value)?.slice(0, 40)}`;
}
