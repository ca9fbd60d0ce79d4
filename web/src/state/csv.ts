/**
 * CSV for downloads built in the browser (tables and charts computed from several API answers). RFC 4180 quoting;
 * a text cell that a spreadsheet would run as a formula (=, +, -, @ first) gets a leading apostrophe.
 */
export type Cell = string | number | boolean | null | undefined;

export function toCsv(rows: readonly (readonly Cell[])[]): string {
  return rows.map((row) => row.map(cell).join(',')).join('\r\n') + '\r\n';
}

function cell(value: Cell): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  let text = value;
  if (/^[=+\-@\t\r]/.test(text) && !/^-?\d+(\.\d+)?$/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A `data:` URL for a CSV text (UTF-8 with a byte order mark, so spreadsheets read accents right). */
export function csvDataUrl(text: string): string {
  return `data:text/csv;charset=utf-8,${encodeURIComponent(`\uFEFF${text}`)}`;
}

/** The file name for a download: `att-observatory-transfers-2026-11-24.csv`. */
export function csvFileName(name: string, date: string): string {
  const slug = name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  return `att-observatory-${slug || 'data'}-${date}.csv`;
}
