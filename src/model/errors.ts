/**
 * One error family for the whole product. Core layers know nothing of HTTP: the API maps `code` to a status in
 * one place (src/api/errors.ts), the CLI maps it to an exit code (src/cli/exit-codes.ts).
 */
export type AppErrorCode =
  | 'validation' // the caller sent something malformed: fix the request or the file
  | 'not_found' // the thing named does not exist
  | 'unauthenticated' // the request needs a signed-in account (or the credentials given are wrong)
  | 'forbidden' // the viewer may not see or do this
  | 'rate_limited' // too many requests or failed logins: wait (Retry-After) and try again
  | 'payload_too_large' // the request body (an upload) is larger than the limit: send a smaller file
  | 'conflict' // the operation clashes with the current state (e.g. a data directory held by another process)
  | 'config' // the operator's settings or environment are wrong: fix and restart
  | 'data' // stored or reference data is malformed: fix the named file/row/column
  | 'storage' // the database refused or failed
  | 'internal'; // a bug: report it

/** Where a problem sits, so that a message can say "file X, row 14, column Recipient". */
export interface ErrorLocation {
  file?: string;
  sheet?: string;
  row?: number;
  column?: string;
  parameter?: string;
  value?: string;
}

export class AppError extends Error {
  readonly code: AppErrorCode;
  readonly location: ErrorLocation | undefined;
  /** What the user should do next, in one sentence. */
  readonly hint: string | undefined;
  readonly details: Record<string, unknown> | undefined;

  constructor(
    code: AppErrorCode,
    message: string,
    options: {
      location?: ErrorLocation;
      hint?: string;
      details?: Record<string, unknown>;
      cause?: unknown;
    } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.location = options.location;
    this.hint = options.hint;
    this.details = options.details;
  }

  /** Message with location and hint, for logs and the CLI. */
  describe(): string {
    // Parts of the location that the message already names are not repeated.
    const where = formatLocation(this.location, this.message);
    return [where ? `${where}: ${this.message}` : this.message, this.hint].filter(Boolean).join('. ');
  }
}

export function formatLocation(location: ErrorLocation | undefined, alreadySaid = ''): string {
  if (!location) return '';
  const parts: string[] = [];
  if (location.file) parts.push(location.file);
  if (location.sheet) parts.push(`sheet "${location.sheet}"`);
  if (location.row !== undefined) parts.push(`row ${location.row}`);
  if (location.column) parts.push(`column "${location.column}"`);
  if (location.parameter) parts.push(`parameter "${location.parameter}"`);
  return parts.filter((part) => !alreadySaid.includes(part)).join(', ');
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}
