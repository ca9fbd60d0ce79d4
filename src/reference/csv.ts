import { CsvError, parse } from 'csv-parse/sync';
import { AppError } from '../model/errors.js';

/** One data row of a CSV file; `row` counts the header as row 1, as a spreadsheet does. */
export interface CsvRow {
  row: number;
  values: Record<string, string>;
}

export interface CsvTable {
  file: string;
  header: string[];
  rows: CsvRow[];
}

/** Parses a CSV text with a header row; a malformed file throws AppError('data') naming the file and row. */
export function parseCsv(text: string, file: string, hint: string): CsvTable {
  let records: string[][];
  try {
    // Mixed line ends (a CRLF file edited by hand) would make csv-parse merge rows: settle on \n first.
    records = parse(text.replace(/\r\n?/g, '\n'), {
      bom: true,
      skip_empty_lines: true,
      relax_column_count: true,
    });
  } catch (error) {
    // csv-parse counts the records already read (header included): the broken one is the next.
    const row =
      error instanceof CsvError && typeof error.records === 'number' ? error.records + 1 : undefined;
    throw new AppError('data', `${file} is not valid CSV: ${(error as Error).message}`, {
      location: { file, ...(row === undefined ? {} : { row }) },
      hint,
      cause: error,
    });
  }
  const [header, ...body] = records;
  if (!header)
    throw new AppError('data', `${file} is empty: a header row is expected`, { location: { file }, hint });
  const rows = body.map((fields, index): CsvRow => {
    const row = index + 2;
    if (fields.length !== header.length) {
      throw new AppError(
        'data',
        `row ${row} has ${fields.length} fields but the header has ${header.length}`,
        {
          location: { file, row },
          hint,
        },
      );
    }
    const values: Record<string, string> = {};
    header.forEach((column, i) => {
      values[column] = fields[i] ?? '';
    });
    return { row, values };
  });
  return { file, header, rows };
}

export type CsvValue = string | number | boolean | null | undefined;

/** Serialises rows as RFC 4180 CSV with `\n` line ends; null/undefined become empty cells, booleans yes/no. */
export function toCsv(header: readonly string[], rows: readonly Record<string, CsvValue>[]): string {
  const lines = [header.map(quote).join(',')];
  for (const row of rows) lines.push(header.map((column) => quote(cell(row[column]))).join(','));
  return lines.join('\n') + '\n';
}

function cell(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return String(value);
}

function quote(value: string): string {
  return /[",\n\r]/.test(value) || value !== value.trim() ? `"${value.replace(/"/g, '""')}"` : value;
}
