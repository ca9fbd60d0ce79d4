/**
 * A forgiving CSV record splitter that never throws and keeps physical line numbers.
 *
 * Why not csv-parse: sources such as SIPRI write unquoted CSV in which a quote may start a free-text cell and a newline
 * may break a record; a strict parser either throws or swallows the rest of the file into one cell. Here a quoted
 * field must close within a bounded span (lines and characters) followed by a separator or a line end; otherwise its
 * opening quote is read as plain text and the record is flagged. Line ends: CRLF, LF, or a lone CR.
 */

export interface PhysicalRecord {
  /** Cells as written (quoted cells unquoted, `""` -> `"`, CRLF inside quotes -> LF). */
  fields: string[];
  /** 1-based line of the record's first character. */
  line: number;
  /** 1-based line of its last character (a quoted cell may span lines). */
  endLine: number;
  /** The record's text without its line ending. */
  raw: string;
  /** False for a last record that runs to the end of the file without a line ending. */
  terminated: boolean;
  /** A quote at the start of a cell did not close properly: the cell was read as plain text, quote included. */
  quoteProblem: boolean;
}

export interface SplitOptions {
  /** A quoted cell may span at most this many line breaks (default 50). */
  maxQuotedLineBreaks?: number;
  /** ... and at most this many characters (default 1,000,000). */
  maxQuotedChars?: number;
}

const COMMA = 44;
const LF = 10;
const CR = 13;
const QUOTE = 34;

/** Splits a decoded CSV text into physical records (a quoted multi-line cell is one record). */
export function splitCsvRecords(text: string, options: SplitOptions = {}): PhysicalRecord[] {
  const maxBreaks = options.maxQuotedLineBreaks ?? 50;
  const maxChars = options.maxQuotedChars ?? 1_000_000;
  const n = text.length;
  const records: PhysicalRecord[] = [];
  let i = 0;
  let line = 1;

  const fieldEnd = (from: number): number => {
    let k = from;
    while (k < n) {
      const c = text.charCodeAt(k);
      if (c === COMMA || c === LF || c === CR) break;
      k++;
    }
    return k;
  };

  /** Reads a quoted cell opening at `open`; undefined when it does not close properly within the bounds. */
  const readQuoted = (open: number): { value: string; next: number; breaks: number } | undefined => {
    let from = open + 1;
    let value = '';
    let breaks = 0;
    for (;;) {
      const close = text.indexOf('"', from);
      if (close < 0 || close - open > maxChars) return undefined;
      for (let k = from; k < close; k++) {
        const c = text.charCodeAt(k);
        if (c === LF || (c === CR && text.charCodeAt(k + 1) !== LF)) breaks++;
      }
      if (breaks > maxBreaks) return undefined;
      value += text.slice(from, close);
      if (text.charCodeAt(close + 1) === QUOTE) {
        value += '"';
        from = close + 2;
        continue;
      }
      const next = close + 1;
      const after = text.charCodeAt(next);
      if (next >= n || after === COMMA || after === LF || after === CR) {
        return { value: value.replace(/\r\n?/g, '\n'), next, breaks };
      }
      return undefined;
    }
  };

  while (i < n) {
    const start = i;
    const startLine = line;
    const fields: string[] = [];
    let quoteProblem = false;
    let terminated = false;
    let contentEnd: number;
    for (;;) {
      if (i < n && text.charCodeAt(i) === QUOTE) {
        const quoted = readQuoted(i);
        if (quoted) {
          fields.push(quoted.value);
          i = quoted.next;
          line += quoted.breaks;
        } else {
          quoteProblem = true;
          const end = fieldEnd(i + 1);
          fields.push(text.slice(i, end));
          i = end;
        }
      } else {
        const end = fieldEnd(i);
        fields.push(text.slice(i, end));
        i = end;
      }
      if (i >= n) {
        contentEnd = n;
        break;
      }
      const c = text.charCodeAt(i);
      if (c === COMMA) {
        i++;
        continue;
      }
      contentEnd = i;
      i += c === CR && text.charCodeAt(i + 1) === LF ? 2 : 1;
      terminated = true;
      break;
    }
    records.push({
      fields,
      line: startLine,
      endLine: line,
      raw: text.slice(start, contentEnd),
      terminated,
      quoteProblem,
    });
    if (terminated) line++;
  }
  return records;
}
