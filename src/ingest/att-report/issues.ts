/**
 * Issue building for ATT reports. The framework's IssueCollector is fixed to one sheet and does not put the sheet in
 * its messages; a report spans three sheets and every message here names sheet, row, column, what and the fix:
 * `sheet "Exports", row 7, column "Number of items": "-3" is negative; enter a whole number of items ...`.
 */
import type { IngestIssue } from '../../model/ingest.js';
import { clip } from '../framework.js';

export interface Where {
  sheet?: string | null;
  row?: number | null;
  column?: string | null;
  value?: string | null;
}

/** A problem found in one cell, before it is known which row it will quarantine. */
export interface CellNote {
  code: string;
  severity: IngestIssue['severity'];
  what: string;
  fix: string;
}

export class ReportIssues {
  readonly issues: IngestIssue[] = [];

  constructor(readonly file: string) {}

  /** Records an issue; message = `<where>: <what>; <fix>`, hint = fix. */
  add(where: Where, code: string, severity: IngestIssue['severity'], what: string, fix: string): IngestIssue {
    const sheet = where.sheet ?? null;
    const row = where.row ?? null;
    const column = where.column ?? null;
    const place = [
      sheet === null ? null : `sheet "${sheet}"`,
      row === null ? null : `row ${row}`,
      column === null ? null : `column "${column}"`,
    ]
      .filter((part): part is string => part !== null)
      .join(', ');
    const issue: IngestIssue = {
      file: this.file,
      sheet,
      row,
      column,
      value: where.value === undefined || where.value === null ? null : clip(where.value),
      code,
      severity,
      message: `${place ? `${place}: ` : ''}${what}; ${fix}`,
      hint: fix,
    };
    this.issues.push(issue);
    return issue;
  }

  error(where: Where, code: string, what: string, fix: string): IngestIssue {
    return this.add(where, code, 'error', what, fix);
  }

  warning(where: Where, code: string, what: string, fix: string): IngestIssue {
    return this.add(where, code, 'warning', what, fix);
  }

  note(where: Where, note: CellNote): IngestIssue {
    return this.add(where, note.code, note.severity, note.what, note.fix);
  }

  hasErrors(): boolean {
    return this.issues.some((issue) => issue.severity === 'error');
  }
}

/** A value quoted for a message, cut short: `"-3"`. */
export function quote(value: string): string {
  return JSON.stringify(clip(value, 80));
}
