import type { IngestIssue } from '../model/ingest.js';

/**
 * One ingest issue as one line: the file, the parts of its location (sheet, row, column) that the message does not
 * already name, the message, and the fix once. Parsers word their messages differently (an ATT report's message
 * already holds its sheet and its fix; the SIPRI and national messages start with row and column but leave the fix to
 * `hint`), so nothing is added twice: `report.csv, sheet "Exports", row 7, column "Value": "-3" is negative; enter ...`.
 */
export function issueText(issue: IngestIssue, options: { file?: boolean } = {}): string {
  const message = issue.message.trim();
  const said = (part: string) => new RegExp(`${escapeRegExp(part)}(?![0-9])`).test(message);
  const where = [
    options.file === false ? null : issue.file,
    issue.sheet === null ? null : `sheet "${issue.sheet}"`,
    issue.row === null ? null : `row ${issue.row}`,
    issue.column === null ? null : `column "${issue.column}"`,
  ].filter((part): part is string => part !== null && part !== '' && !said(part));
  // A message that starts with its own location continues the list of places; any other follows a colon.
  const joiner = /^(sheet|row|column|line|lines) /.test(message) ? ', ' : ': ';
  const text = where.length > 0 ? `${where.join(', ')}${joiner}${message}` : message;
  const hint = issue.hint.trim();
  // The fix starts a sentence of its own (hints are written to follow a colon in the API's error shape).
  return hint === '' || message.includes(hint) ? text : `${text.replace(/\.$/, '')}. ${hint.charAt(0).toUpperCase()}${hint.slice(1)}`;
}

/** Issues per code, in the order codes first appear, with the first issue of each code as the example. */
export function groupByCode(
  issues: readonly IngestIssue[],
): { code: string; count: number; first: IngestIssue }[] {
  const groups = new Map<string, { code: string; count: number; first: IngestIssue }>();
  for (const issue of issues) {
    const group = groups.get(issue.code);
    if (group) group.count++;
    else groups.set(issue.code, { code: issue.code, count: 1, first: issue });
  }
  return [...groups.values()];
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
