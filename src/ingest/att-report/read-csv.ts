/**
 * CSV -> RawReport. One file in sections, as a spreadsheet shows the template's three sheets one below the other:
 *
 *   "# comment lines (only before the first section)"
 *   [Title]
 *   Question,Answer,Key
 *   ...
 *   [Exports]
 *   Category,Sub-category,Final importing State,Number of items,Value,...
 *   ...
 *   [Imports]
 *   ...
 *
 * A section line holds `[Title]`, `[Exports]` or `[Imports]` in its first cell and nothing else (a spreadsheet may pad
 * it with empty cells). Comma-separated, or semicolon-separated when the file is.
 */
import { decodeText, looksBinary, IssueCollector } from '../framework.js';
import type { AttReportLimits } from './format.js';
import { SHEETS, headerKey } from './format.js';
import { readCsvRecords, sniffDelimiter, unguardCell } from './csv-text.js';
import type { ReportIssues } from './issues.js';
import { titleFromGrid, tableFromGrid, type RawReport, type RawRow } from './raw.js';

const SECTION = /^\s*\[\s*([^\]]*?)\s*\]\s*$/;
const CSV_FIX =
  'start from the CSV template: a [Title] section, then [Exports] and [Imports], each with its header row';

export function readCsv(
  bytes: Uint8Array,
  issues: ReportIssues,
  limits: AttReportLimits,
  metadata: Record<string, string>,
): RawReport | undefined {
  const decoded = decode(bytes, issues, metadata);
  if (decoded === undefined) return undefined;
  // Excel's "sep=;" first line names the separator; it becomes a comment line so that line numbers stay true.
  const sep = /^sep=([,;])[ \t]*(?=\r?\n|$)/i.exec(decoded);
  const text = sep ? `#${decoded.slice(1)}` : decoded;
  const delimiter = sep ? (sep[1] as ',' | ';') : sniffDelimiter(text);
  metadata.delimiter = delimiter;
  const parsed = readCsvRecords(text, delimiter);
  if (!parsed.ok) {
    issues.error(
      { row: parsed.line },
      'broken_csv',
      parsed.what,
      'close the quote or remove it, then save the file again as CSV',
    );
    return undefined;
  }

  const sections = new Map<string, { name: string; line: number; rows: RawRow[] }>();
  let current: { name: string; line: number; rows: RawRow[] } | undefined;
  for (const record of parsed.records) {
    const first = record.fields[0] ?? '';
    const rest = record.fields.slice(1).every((field) => field.trim() === '');
    const marker = rest ? SECTION.exec(first) : null;
    if (marker) {
      const name = canonicalSection(marker[1]!);
      if (!name) {
        issues.error(
          { row: record.line, value: first },
          'unknown_section',
          `the section ${first} is not part of the format`,
          `use only [${SHEETS.title}], [${SHEETS.exports}] and [${SHEETS.imports}]`,
        );
        return undefined;
      }
      if (sections.has(name)) {
        issues.error(
          { row: record.line, value: first },
          'duplicate_section',
          `the section [${name}] appears a second time`,
          `put all rows of [${name}] under one section line`,
        );
        return undefined;
      }
      current = { name, line: record.line, rows: [] };
      sections.set(name, current);
      continue;
    }
    if (!current) {
      if (first.trimStart().startsWith('#') || record.fields.every((field) => field.trim() === '')) continue;
      // A SIPRI export is the file most often sent here by mistake: say so rather than only what is missing.
      const sipri = parsed.records
        .slice(0, 40)
        .some((r) =>
          /SIPRI (Arms Transfers Database|AT Database ID)|^Transfers of major conventional arms/i.test(
            r.fields.join(','),
          ),
        );
      issues.error(
        { row: record.line, value: first },
        'missing_section',
        sipri
          ? `the file looks like a SIPRI trade register, not an ATT annual report: it has no [${SHEETS.title}] section`
          : `text before the first section line; the file must start with [${SHEETS.title}]`,
        sipri
          ? 'import a SIPRI export with: att import sipri FILE; an ATT report starts from the CSV template ([Title], [Exports], [Imports])'
          : `${CSV_FIX}; comment lines before [${SHEETS.title}] must start with #`,
      );
      return undefined;
    }
    current.rows.push({
      row: record.line,
      cells: record.fields.map((field) => ({ value: unguardCell(field) })),
    });
  }

  const title = sections.get(SHEETS.title);
  if (!title) {
    const found = [...sections.keys()].map((name) => `[${name}]`).join(', ');
    issues.error(
      {},
      'wrong_sheets',
      `the file has ${found ? `the sections ${found} but no` : 'no section lines and no'} [${SHEETS.title}] section; expected [${SHEETS.title}], [${SHEETS.exports}] and [${SHEETS.imports}]`,
      CSV_FIX,
    );
    return undefined;
  }
  const rawTitle = titleFromGrid(SHEETS.title, title.rows, issues);
  if (!rawTitle) return undefined;
  const report: RawReport = { title: rawTitle, exports: null, imports: null };
  for (const form of ['exports', 'imports'] as const) {
    const section = sections.get(SHEETS[form]);
    if (!section) continue;
    const table = tableFromGrid(form, SHEETS[form], section.rows, issues, limits);
    if (!table) return undefined;
    report[form] = table;
  }
  return report;
}

function canonicalSection(name: string): string | undefined {
  return [SHEETS.title, SHEETS.exports, SHEETS.imports].find(
    (section) => headerKey(section) === headerKey(name),
  );
}

/** Decodes text (UTF-8, UTF-16 with BOM, else Latin-1 with a warning); refuses binary content. Shared with JSON. */
export function decode(
  bytes: Uint8Array,
  issues: ReportIssues,
  metadata: Record<string, string>,
): string | undefined {
  const collector = new IssueCollector(issues.file);
  const decoded = decodeText(bytes, collector);
  for (const issue of collector.issues) issues.add({}, issue.code, issue.severity, issue.message, issue.hint);
  metadata.encoding = decoded.encoding;
  if (looksBinary(decoded.text)) {
    issues.error(
      {},
      'binary_file',
      'the file is not text (it holds NUL or control bytes) and is not an .xlsx workbook either',
      'upload the report as .xlsx, .csv or .json, made from the template',
    );
    return undefined;
  }
  if (decoded.text.trim() === '') {
    issues.error(
      {},
      'empty_file',
      'the file holds only blank lines',
      'fill in the template and upload it again',
    );
    return undefined;
  }
  return decoded.text;
}
