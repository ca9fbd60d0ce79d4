import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { PGlite } from '@electric-sql/pglite';
import type pg from 'pg';
import { from as copyFromStream } from 'pg-copy-streams';
import { AppError } from '../model/errors.js';

/**
 * Bulk loads with COPY ... FROM in PostgreSQL's text format, on the connection of an open transaction: through
 * pg-copy-streams on the server, through PGlite's `/dev/blob` device in the embedded engine. Both engines run the same
 * COPY statement over the same text, so the rows stored are the same; only the transport differs. COPY is the bulk
 * path PostgreSQL is built for: no statement per batch, no parameters, no JSON array to unpack.
 */

/** One value of a COPY text line: null is SQL NULL, booleans are t/f, numbers and strings are written as text. */
export type CopyValue = string | number | boolean | null;

/** The rows to load: chunks of whole lines made with copyLine, in order. */
export type CopyChunks = Iterable<string> | AsyncIterable<string>;

/** What the transaction callback gets besides the kysely transaction: its own session, for COPY. */
export interface TransactionSession {
  /**
   * COPY table (columns) FROM the chunks, inside the transaction: a failure fails the transaction, and a rollback (or a
   * killed process) leaves none of the rows. Returns the number of rows copied.
   */
  copyFrom(table: string, columns: readonly string[], chunks: CopyChunks): Promise<number>;
}

// Text format escapes (PostgreSQL docs, COPY "Text Format"): backslash, and the three characters that end a field or a
// line. Other characters, multi-byte ones included, are taken as they are.
const NEEDS_ESCAPE = /[\\\t\n\r]/;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** A value as a COPY text field. */
export function copyField(value: CopyValue): string {
  if (value === null) return '\\N';
  if (typeof value === 'boolean') return value ? 't' : 'f';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new AppError('internal', `COPY value ${value} is not a finite number`);
    return String(value);
  }
  return NEEDS_ESCAPE.test(value) ? value.replace(/[\\\t\n\r]/g, (c) => ESCAPES[c]!) : value;
}

/** One COPY text line (tab-separated fields, newline-terminated). */
export function copyLine(values: readonly CopyValue[]): string {
  // join makes one flat string; appending field by field would build a chain of partial strings to flatten later.
  return `${values.map(copyField).join('\t')}\n`;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

function copyStatement(table: string, columns: readonly string[], source: string): string {
  for (const name of [table, ...columns]) {
    if (!IDENTIFIER.test(name))
      throw new AppError('internal', `"${name}" is not a plain table or column name for COPY`);
  }
  return `copy ${table} (${columns.join(', ')}) from ${source} with (format text)`;
}

/** Server: one COPY FROM STDIN, the chunks streamed with backpressure while the server stores the previous ones. */
export async function copyFromPostgres(
  client: pg.PoolClient,
  table: string,
  columns: readonly string[],
  chunks: CopyChunks,
): Promise<number> {
  const stream = client.query(copyFromStream(copyStatement(table, columns, 'stdin')));
  await pipeline(Readable.from(chunks, { objectMode: false }), stream);
  return stream.rowCount;
}

/**
 * PGlite reads COPY input from a Blob given with the query (the `/dev/blob` device). The chunks are gathered into
 * blobs of about `maxBlobBytes` (one COPY statement each), so that a large load never holds its whole text at once:
 * the text, the blob and PGlite's copy of it all stay the size of one part.
 */
export async function copyFromPGlite(
  pglite: PGlite,
  table: string,
  columns: readonly string[],
  chunks: CopyChunks,
  maxBlobBytes = 1024 * 1024,
): Promise<number> {
  const statement = copyStatement(table, columns, `'/dev/blob'`);
  let parts: string[] = [];
  let size = 0;
  let rows = 0;
  const flush = async () => {
    if (parts.length === 0) return;
    const blob = new Blob(parts);
    parts = [];
    size = 0;
    const result = await pglite.query(statement, [], { blob });
    rows += result.affectedRows ?? 0;
  };
  for await (const chunk of chunks) {
    parts.push(chunk);
    size += chunk.length;
    if (size >= maxBlobBytes) await flush();
  }
  await flush();
  return rows;
}
