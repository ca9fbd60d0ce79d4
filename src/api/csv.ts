import { stringify } from 'csv-stringify/sync';

/**
 * CSV for the `.csv` twins. Cells that a spreadsheet would run as a formula (=, +, -, @, tab, CR) get a leading
 * apostrophe (OWASP "CSV injection"), so a value such as `=CMD()` stays text in every download.
 */
export function toCsv(rows: readonly Record<string, unknown>[], columns?: readonly string[]): string {
  const header = columns ?? (rows[0] ? Object.keys(rows[0]) : []);
  const records = rows.map((row) => header.map((column) => csvCell(row[column])));
  return stringify([header, ...records], { record_delimiter: '\r\n' });
}

export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = Array.isArray(value)
    ? value.map((item) => (typeof item === 'object' ? JSON.stringify(item) : String(item))).join(';')
    : typeof value === 'object'
      ? JSON.stringify(value)
      : String(value);
  return /^[=+\-@\t\r]/.test(text) && !/^-?\d+(\.\d+)?$/.test(text) ? `'${text}` : text;
}
