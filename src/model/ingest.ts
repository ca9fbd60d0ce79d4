import { z } from '@hono/zod-openapi';

/** One problem found while reading a file: where it is, what it is, and what to do. */
export const IngestIssueSchema = z
  .object({
    file: z.string(),
    sheet: z.string().nullable(),
    /** 1-based physical line (CSV) or sheet row (XLSX); null for a problem with the whole file. */
    row: z.number().int().nullable(),
    column: z.string().nullable(),
    value: z.string().nullable(),
    /** Stable machine code, e.g. `unknown_state`, `not_a_number`, `missing_column`. */
    code: z.string(),
    severity: z.enum(['error', 'warning']),
    message: z.string(),
    /** What to do next, e.g. "add it to data/reference/state-aliases.csv or correct the file". */
    hint: z.string(),
  })
  .openapi('IngestIssue');
export type IngestIssue = z.infer<typeof IngestIssueSchema>;

/** A row that could not be accepted, kept whole with its issues (nothing is dropped silently). */
export interface QuarantinedRow {
  row: number;
  sheet: string | null;
  raw: Record<string, string> | string[];
  issues: IngestIssue[];
}

/**
 * What an import produced. Invariant, asserted on every run: rowsRead === accepted.length + quarantined.length + blank.
 */
export interface IngestResult<Row> {
  source: string;
  fileName: string;
  fileSha256: string;
  rowsRead: number;
  accepted: Row[];
  quarantined: QuarantinedRow[];
  blank: number;
  /** File-level problems and warnings (unknown columns, renamed columns ...) and every row issue. */
  issues: IngestIssue[];
  /** Source metadata kept with the import (e.g. SIPRI's selection text and "Data generated" date). */
  metadata: Record<string, string>;
  stats: Record<string, number>;
}
