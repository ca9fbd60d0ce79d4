/**
 * Pieces every ingest source plugs into: limits, decoding, hashing, issues, row accounting, State lookup.
 *
 * Parsers are pure: bytes in, `IngestResult` out; no file system, no database, no clock. The importer (src/store side)
 * reads the file, calls a parser, refuses the import when `isRefused(result)`, and stores accepted rows, quarantined
 * rows and issues.
 *
 * Error policy, the same for every parser: nothing in a file's CONTENT makes a parser throw. A file that cannot be
 * read as a whole (too large, empty, binary, no header, missing or duplicated required column, truncated) yields a
 * result with a file-level `error` issue (row null), `stats.refused = 1` and no rows at all (rowsRead 0); a bad row is
 * quarantined with its issues. Parsers throw only for caller mistakes (`AppError('validation')`, e.g. bytes that are
 * not a Uint8Array) and for their own bugs (`AppError('internal')`, e.g. broken row accounting).
 */
import { isUtf8 } from 'node:buffer';
import { createHash } from 'node:crypto';
import type { IngestIssue, IngestResult } from '../model/ingest.js';
import { AppError } from '../model/errors.js';

/** Limits stated once. A value past a limit is an issue in the result, never a crash or an out-of-memory. */
export interface IngestLimits {
  /** Larger files are refused before decoding (the biggest SIPRI export, all years, is about 4 MB). */
  maxFileBytes: number;
  /** A longer cell quarantines its row (the longest SIPRI Comments are a few hundred characters). */
  maxCellChars: number;
}

export const DEFAULT_INGEST_LIMITS: Readonly<IngestLimits> = Object.freeze({
  maxFileBytes: 200 * 1024 * 1024,
  maxCellChars: 100_000,
});

/** Issue values are cut to this length so that one huge cell does not make a huge issue list. */
export const MAX_ISSUE_VALUE_CHARS = 200;

export type IssueSeverity = IngestIssue['severity'];

export interface IssueInput {
  row?: number | null;
  column?: string | null;
  value?: string | null;
  code: string;
  severity: IssueSeverity;
  message: string;
  hint: string;
}

/** Builds `IngestIssue`s for one file (and sheet) so that every issue says file, row, column, value, what and next. */
export class IssueCollector {
  readonly issues: IngestIssue[] = [];

  constructor(
    readonly file: string,
    readonly sheet: string | null = null,
  ) {}

  /** Records an issue; the message is prefixed with its row and column ("row 14, column "Recipient": ..."). */
  add(input: IssueInput): IngestIssue {
    const row = input.row ?? null;
    const column = input.column ?? null;
    const where = [row === null ? null : `row ${row}`, column === null ? null : `column "${column}"`]
      .filter((part): part is string => part !== null)
      .join(', ');
    const issue: IngestIssue = {
      file: this.file,
      sheet: this.sheet,
      row,
      column,
      value: input.value === undefined || input.value === null ? null : clip(input.value),
      code: input.code,
      severity: input.severity,
      message: where ? `${where}: ${input.message}` : input.message,
      hint: input.hint,
    };
    this.issues.push(issue);
    return issue;
  }

  error(
    code: string,
    message: string,
    hint: string,
    at: Omit<IssueInput, 'code' | 'severity' | 'message' | 'hint'> = {},
  ): IngestIssue {
    return this.add({ ...at, code, severity: 'error', message, hint });
  }

  warning(
    code: string,
    message: string,
    hint: string,
    at: Omit<IssueInput, 'code' | 'severity' | 'message' | 'hint'> = {},
  ): IngestIssue {
    return this.add({ ...at, code, severity: 'warning', message, hint });
  }

  /** True when a file-level error (row null) was recorded: the file is refused. */
  hasFileErrors(): boolean {
    return this.issues.some((issue) => issue.severity === 'error' && issue.row === null);
  }
}

/** Cuts a value for display in an issue, saying how long it was. */
export function clip(value: string, max = MAX_ISSUE_VALUE_CHARS): string {
  return value.length <= max ? value : `${value.slice(0, max)}… (${value.length} characters)`;
}

/** Lower-case hex sha256 of the file's bytes: the file's identity in provenance. */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export type TextEncodingName = 'utf-8' | 'windows-1252' | 'utf-16le' | 'utf-16be';

export interface DecodedText {
  text: string;
  encoding: TextEncodingName;
  bom: boolean;
}

/**
 * Decodes a text file: a UTF-8 BOM is dropped; UTF-16 is read when its BOM says so; bytes that are not valid UTF-8
 * are read as Latin-1 (strictly Windows-1252, the WHATWG meaning of "latin1", which only differs in the unused
 * 0x80-0x9F range) with a warning saying where the first invalid byte is.
 */
export function decodeText(bytes: Uint8Array, issues: IssueCollector): DecodedText {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    const body = bytes.subarray(3);
    const invalidAt = firstInvalidUtf8Offset(body);
    if (invalidAt < 0) return { text: new TextDecoder('utf-8').decode(body), encoding: 'utf-8', bom: true };
    latin1Warning(issues, invalidAt + 3, bytes);
    return { text: new TextDecoder('latin1').decode(body), encoding: 'windows-1252', bom: true };
  }
  if (bytes[0] === 0xff && bytes[1] === 0xfe)
    return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'utf-16le', bom: true };
  if (bytes[0] === 0xfe && bytes[1] === 0xff)
    return { text: new TextDecoder('utf-16be').decode(bytes.subarray(2)), encoding: 'utf-16be', bom: true };
  const invalidAt = firstInvalidUtf8Offset(bytes);
  if (invalidAt < 0) return { text: new TextDecoder('utf-8').decode(bytes), encoding: 'utf-8', bom: false };
  latin1Warning(issues, invalidAt, bytes);
  return { text: new TextDecoder('latin1').decode(bytes), encoding: 'windows-1252', bom: false };
}

function latin1Warning(issues: IssueCollector, offset: number, bytes: Uint8Array): void {
  let line = 1;
  for (let i = 0; i < offset; i++) if (bytes[i] === 0x0a) line++;
  const byte = (bytes[offset] ?? 0).toString(16).toUpperCase().padStart(2, '0');
  issues.warning(
    'encoding_fallback',
    `the file is not valid UTF-8 (byte 0x${byte} at offset ${offset}, line ${line}); it was read as Latin-1 (Windows-1252)`,
    'nothing to do if accented names read correctly; otherwise save the file as UTF-8 and import it again',
  );
}

/** Offset of the first byte that breaks UTF-8 (overlongs, surrogates and values past U+10FFFF included), or -1. */
export function firstInvalidUtf8Offset(bytes: Uint8Array): number {
  // Node's native check answers the usual case (valid UTF-8) at once; the scan below is needed only to say where.
  if (isUtf8(bytes)) return -1;
  const n = bytes.length;
  let i = 0;
  while (i < n) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    let cp: number;
    if (b >= 0xc2 && b <= 0xdf) [need, min, cp] = [1, 0x80, b & 0x1f];
    else if (b >= 0xe0 && b <= 0xef) [need, min, cp] = [2, 0x800, b & 0x0f];
    else if (b >= 0xf0 && b <= 0xf4) [need, min, cp] = [3, 0x10000, b & 0x07];
    else return i;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}

/** Sniffs binary content the way git does: a NUL byte early on, or mostly control characters. */
export function looksBinary(text: string): boolean {
  const head = text.slice(0, 8192);
  if (head.includes('\u0000')) return true;
  let control = 0;
  for (let i = 0; i < head.length; i++) {
    const c = head.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || (c >= 0x7f && c <= 0x9f) || c === 0xfffd)
      control++;
  }
  return head.length > 0 && control / head.length > 0.1;
}

/** A control character that has no business in a cell (C0 except tab/newline, DEL, C1), or undefined. */
export function findControlCharacter(value: string): string | undefined {
  // eslint-disable-next-line no-control-regex
  const match = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/.exec(value);
  return match?.[0];
}

/** An empty result for `source` and `fileName` (a parser fills it in). */
export function emptyResult<Row>(source: string, fileName: string, fileSha256: string): IngestResult<Row> {
  return {
    source,
    fileName,
    fileSha256,
    rowsRead: 0,
    accepted: [],
    quarantined: [],
    blank: 0,
    issues: [],
    metadata: {},
    stats: {},
  };
}

/** Refuses the whole file: no rows at all, the file-level issues say why (see the error policy above). */
export function refuse<Row>(result: IngestResult<Row>, recordsNotRead: number): IngestResult<Row> {
  result.rowsRead = 0;
  result.accepted = [];
  result.quarantined = [];
  result.blank = 0;
  result.stats.refused = 1;
  result.stats.recordsNotRead = recordsNotRead;
  return result;
}

/** True when the file was refused as a whole (a file-level error): store nothing but the issues. */
export function isRefused(result: IngestResult<unknown>): boolean {
  return result.stats.refused === 1;
}

/** Throws AppError('internal') unless every row read was accepted, quarantined or blank. */
export function assertRowAccounting(result: IngestResult<unknown>): void {
  const { rowsRead, accepted, quarantined, blank } = result;
  if (rowsRead !== accepted.length + quarantined.length + blank) {
    throw new AppError(
      'internal',
      `row accounting broken for ${result.fileName}: ${rowsRead} rows read but ${accepted.length} accepted + ${quarantined.length} quarantined + ${blank} blank`,
      { location: { file: result.fileName }, hint: 'this is a bug in the parser: report it with the file' },
    );
  }
}

/** Number of issues per code (and severity), e.g. `{ 'error:unknown_state': 3 }`, for reports and tests. */
export function countIssuesByCode(issues: readonly IngestIssue[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const issue of issues) {
    const key = `${issue.severity}:${issue.code}`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

/** Quarantined rows per issue code (a row with two codes counts under both). */
export function countQuarantineByCode(result: IngestResult<unknown>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const row of result.quarantined) {
    for (const code of new Set(
      row.issues.filter((issue) => issue.severity === 'error').map((issue) => issue.code),
    )) {
      counts[code] = (counts[code] ?? 0) + 1;
    }
  }
  return counts;
}

// ---------------------------------------------------------------------------------------------------------------
// State names

/** Maps a source's spelling of a State (or historical State, non-State actor, organisation, unknown) to a crosswalk id. */
export interface StateLookup {
  resolve(name: string, source: string): { stateId: string } | undefined;
}

/** One row of data/reference/state-aliases.csv (`alias,state_id,source,notes`). */
export interface StateAliasEntry {
  alias: string;
  stateId: string;
  source: string | null;
}

/** The part of a data/reference/states.csv row the lookup needs. */
export interface StateEntry {
  id: string;
  name: string;
}

/** The matching key: trimmed, whitespace collapsed, NFC, case-folded. No other folding: spellings live in the alias table. */
export function stateNameKey(name: string): string {
  return name.normalize('NFC').replace(/\s+/g, ' ').trim().toLowerCase();
}

/**
 * Builds a lookup over the crosswalk. A name resolves, in this order, through an alias of the same source, the
 * crosswalk's own name, then an alias of any other source. Aliases pointing at an id missing from `states` are
 * ignored; a key that two ids claim within one tier is ambiguous and skipped in that tier (never guessed).
 */
export function createStateLookup(
  aliases: readonly StateAliasEntry[],
  states: readonly StateEntry[],
): StateLookup {
  const known = new Set(states.map((state) => state.id));
  const bySource = new Map<string, Map<string, string | null>>();
  const byName = new Map<string, string | null>();
  const anySource = new Map<string, string | null>();
  const put = (map: Map<string, string | null>, key: string, id: string) => {
    const existing = map.get(key);
    map.set(key, existing === undefined || existing === id ? id : null);
  };
  for (const state of states) put(byName, stateNameKey(state.name), state.id);
  for (const alias of aliases) {
    if (!known.has(alias.stateId)) continue;
    const key = stateNameKey(alias.alias);
    const source = alias.source ?? '';
    let map = bySource.get(source);
    if (!map) bySource.set(source, (map = new Map()));
    put(map, key, alias.stateId);
    put(anySource, key, alias.stateId);
  }
  return {
    resolve(name, source) {
      const key = stateNameKey(name);
      if (!key) return undefined;
      for (const map of [bySource.get(source), byName, anySource]) {
        const id = map?.get(key);
        if (id) return { stateId: id };
      }
      return undefined;
    },
  };
}

/** The hint of an `unknown_state` issue: where to add the spelling. */
export function unknownStateHint(source: string): string {
  return `add it to data/reference/state-aliases.csv (source ${source}) or correct the file`;
}

/**
 * Whether the bytes start as a ZIP archive does (an XLSX workbook is one): a local file header (PK 3 4), an empty
 * archive (PK 5 6) or a spanned one (PK 7 8).
 */
export function hasZipSignature(bytes: Uint8Array): boolean {
  return bytes[0] === 0x50 && bytes[1] === 0x4b && (bytes[2] === 3 || bytes[2] === 5 || bytes[2] === 7);
}
