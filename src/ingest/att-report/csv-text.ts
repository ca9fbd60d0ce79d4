/**
 * A small strict RFC 4180 reader and writer for the ATT report CSV. Strict because the file comes from our own
 * template: an unclosed quote refuses the file with its line rather than swallowing the rest of it. The separator is a
 * comma, or a semicolon when the file says so (spreadsheets in many European locales save CSV with ';').
 */

export interface CsvRecord {
  fields: string[];
  /** 1-based line of the record's first character. */
  line: number;
}

export type CsvReadResult = { ok: true; records: CsvRecord[] } | { ok: false; line: number; what: string };

const QUOTE = 34;
const LF = 10;
const CR = 13;

/** Splits CSV text into records; never throws. A quote is special only at the start of a field. */
export function readCsvRecords(text: string, delimiter: ',' | ';'): CsvReadResult {
  const sep = delimiter.charCodeAt(0);
  const n = text.length;
  const records: CsvRecord[] = [];
  let i = 0;
  let line = 1;
  while (i < n) {
    const fields: string[] = [];
    const startLine = line;
    for (;;) {
      if (text.charCodeAt(i) === QUOTE) {
        const openLine = line;
        let value = '';
        let from = i + 1;
        for (;;) {
          const close = text.indexOf('"', from);
          if (close < 0)
            return { ok: false, line: openLine, what: 'a quoted cell opens here and is never closed' };
          const chunk = text.slice(from, close);
          line += countBreaks(chunk);
          value += chunk;
          if (text.charCodeAt(close + 1) === QUOTE) {
            value += '"';
            from = close + 2;
            continue;
          }
          i = close + 1;
          break;
        }
        const after = text.charCodeAt(i);
        if (i < n && after !== sep && after !== LF && after !== CR) {
          return {
            ok: false,
            line,
            what: `text follows the closing quote of a cell ("${text.slice(i, i + 20)}")`,
          };
        }
        fields.push(value.replace(/\r\n?/g, '\n'));
      } else {
        let end = i;
        while (end < n) {
          const c = text.charCodeAt(end);
          if (c === sep || c === LF || c === CR) break;
          end++;
        }
        fields.push(text.slice(i, end));
        i = end;
      }
      if (i >= n) break;
      const c = text.charCodeAt(i);
      if (c === sep) {
        i++;
        if (i >= n) {
          fields.push('');
          break;
        }
        continue;
      }
      i += c === CR && text.charCodeAt(i + 1) === LF ? 2 : 1;
      line++;
      break;
    }
    records.push({ fields, line: startLine });
  }
  return { ok: true, records };
}

function countBreaks(text: string): number {
  let breaks = 0;
  for (let k = 0; k < text.length; k++) {
    const c = text.charCodeAt(k);
    if (c === LF || (c === CR && text.charCodeAt(k + 1) !== LF)) breaks++;
  }
  return breaks;
}

/**
 * Semicolon when the first lines hold more semicolons than commas outside quotes (a file saved by a spreadsheet in
 * a locale whose decimal separator is the comma), otherwise comma.
 */
export function sniffDelimiter(text: string): ',' | ';' {
  let commas = 0;
  let semicolons = 0;
  let inQuotes = false;
  let lines = 0;
  for (let k = 0; k < text.length && lines < 30; k++) {
    const c = text[k];
    if (c === '"') inQuotes = !inQuotes;
    else if (!inQuotes && c === ',') commas++;
    else if (!inQuotes && c === ';') semicolons++;
    else if (!inQuotes && c === '\n') lines++;
  }
  return semicolons > commas ? ';' : ',';
}

/** Text that a spreadsheet would run as a formula (CSV injection), after any apostrophes. */
const GUARDED = /^'*[=+\-@\t\r]/;

/**
 * One CSV cell: quoted when needed; text a spreadsheet would run as a formula gets a leading apostrophe, which the
 * reader removes again (`unguardCell`), so a round trip keeps the text.
 */
export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return String(value);
  // Apostrophes already in front of formula-like text are guarded too, so that "'=x" comes back as "'=x".
  const guarded = GUARDED.test(value) ? `'${value}` : value;
  return /[",\r\n;]|^\s|\s$/.test(guarded) ? `"${guarded.replace(/"/g, '""')}"` : guarded;
}

/** Removes the one apostrophe `csvCell` puts before formula-like text. */
export function unguardCell(value: string): string {
  return /^'+[=+\-@\t\r]/.test(value) ? value.slice(1) : value;
}

export function csvLine(cells: readonly (string | number | null | undefined)[]): string {
  return cells.map(csvCell).join(',');
}
