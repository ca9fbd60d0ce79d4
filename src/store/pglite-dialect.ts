import { AsyncLocalStorage } from 'node:async_hooks';
import type { PGlite } from '@electric-sql/pglite';
import {
  CompiledQuery,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type Kysely,
  type QueryCompiler,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';
import { AppError } from '../model/errors.js';

export interface PGliteDialectConfig {
  /** An open PGlite instance. The dialect owns it from now on: `Kysely.destroy()` closes it. */
  readonly pglite: PGlite;
  /**
   * How long a query may wait for the connection before it fails with a storage error instead of hanging. A safety net
   * for deadlocks the transaction check cannot see (e.g. a query on the database while a `startTransaction()` is open
   * in the same task). Default 60 s; 0 waits for ever.
   */
  readonly acquireTimeoutMs?: number;
}

export const NESTED_QUERY_MESSAGE =
  'a query ran on the database while a transaction is open in the same task; use the transaction object';

/**
 * Kysely dialect for PGlite. PGlite is a single Postgres session: kysely-pglite lets two tasks interleave on it, so
 * that one task's ROLLBACK undoes another task's statements. This driver hands out that session as ONE logical
 * connection at a time (a promise-chain mutex), and a transaction keeps it from BEGIN to COMMIT/ROLLBACK.
 */
export class PGliteDialect implements Dialect {
  constructor(private readonly config: PGliteDialectConfig) {}

  createDriver(): Driver {
    return new PGliteDriver(this.config);
  }

  createQueryCompiler(): QueryCompiler {
    return new PostgresQueryCompiler();
  }

  createAdapter(): DialectAdapter {
    return new PostgresAdapter();
  }

  createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    return new PostgresIntrospector(db);
  }
}

/** Marks the async context of a transaction's callback, so that a query there on the database is recognised. */
interface TransactionMark {
  open: boolean;
}

class PGliteDriver implements Driver {
  readonly #pglite: PGlite;
  readonly #connection: PGliteConnection;
  readonly #acquireTimeoutMs: number;
  readonly #transactionContext = new AsyncLocalStorage<TransactionMark>();
  /** Resolves when the current holder releases the connection; the next acquirer waits on it. */
  #tail: Promise<void> = Promise.resolve();
  #release: (() => void) | undefined;
  /** The mark of the transaction that holds the connection now, if any. */
  #openTransaction: TransactionMark | undefined;
  #destroyed = false;

  constructor(config: PGliteDialectConfig) {
    this.#pglite = config.pglite;
    this.#connection = new PGliteConnection(config.pglite);
    this.#acquireTimeoutMs = config.acquireTimeoutMs ?? 60_000;
  }

  async init(): Promise<void> {
    await this.#pglite.waitReady;
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    // Checked synchronously, before waiting: waiting would deadlock, since the transaction this task is inside of
    // holds the connection and cannot finish until this query does.
    const mark = this.#transactionContext.getStore();
    if (mark !== undefined && mark.open && mark === this.#openTransaction) {
      throw new AppError('storage', NESTED_QUERY_MESSAGE, {
        hint: 'inside store.transaction(async (trx) => ...) run every query on trx, not on store.db',
      });
    }
    if (this.#destroyed) throw closedError();
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const previous = this.#tail;
    this.#tail = previous.then(() => released);
    await this.#waitFor(previous, release);
    if (this.#destroyed) {
      release();
      throw closedError();
    }
    this.#release = release;
    return this.#connection;
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    // enterWith, synchronously and before any await: it marks the rest of kysely's transaction chain (the callback
    // and everything it starts) and nothing outside it, since kysely calls beginTransaction from inside that chain.
    const mark: TransactionMark = { open: true };
    this.#transactionContext.enterWith(mark);
    this.#openTransaction = mark;
    try {
      let statement = 'begin';
      if (settings.isolationLevel !== undefined) statement += ` isolation level ${settings.isolationLevel}`;
      if (settings.accessMode !== undefined) statement += ` ${settings.accessMode}`;
      await connection.executeQuery(CompiledQuery.raw(statement));
    } catch (error) {
      this.#endTransaction();
      throw error;
    }
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    try {
      await connection.executeQuery(CompiledQuery.raw('commit'));
    } finally {
      this.#endTransaction();
    }
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    try {
      await connection.executeQuery(CompiledQuery.raw('rollback'));
    } finally {
      this.#endTransaction();
    }
  }

  async savepoint(
    connection: DatabaseConnection,
    name: string,
    _compile: QueryCompiler['compileQuery'],
  ): Promise<void> {
    await connection.executeQuery(savepointStatement('savepoint', name));
  }

  async rollbackToSavepoint(
    connection: DatabaseConnection,
    name: string,
    _compile: QueryCompiler['compileQuery'],
  ): Promise<void> {
    await connection.executeQuery(savepointStatement('rollback to', name));
  }

  async releaseSavepoint(
    connection: DatabaseConnection,
    name: string,
    _compile: QueryCompiler['compileQuery'],
  ): Promise<void> {
    await connection.executeQuery(savepointStatement('release', name));
  }

  async releaseConnection(): Promise<void> {
    const release = this.#release;
    this.#release = undefined;
    try {
      // A holder that left a transaction open (e.g. a raw BEGIN, or a ROLLBACK that failed) must not hand its
      // uncommitted statements to the next task.
      if (this.#openTransaction !== undefined || this.#connection.maybeInTransaction) {
        this.#endTransaction();
        await this.#pglite.exec('rollback').catch(() => undefined);
        this.#connection.maybeInTransaction = false;
      }
    } finally {
      release?.();
    }
  }

  async destroy(): Promise<void> {
    if (this.#destroyed) return;
    this.#destroyed = true;
    // Let the current holder and everyone already queued finish, then close.
    await this.#tail;
    if (!this.#pglite.closed) await this.#pglite.close();
  }

  #endTransaction(): void {
    if (this.#openTransaction !== undefined) this.#openTransaction.open = false;
    this.#openTransaction = undefined;
  }

  async #waitFor(previous: Promise<void>, release: () => void): Promise<void> {
    if (this.#acquireTimeoutMs <= 0) return previous;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), this.#acquireTimeoutMs);
    });
    try {
      const outcome = await Promise.race([previous.then(() => 'acquired' as const), timeout]);
      if (outcome === 'timeout') {
        // Give up our place in the queue without blocking those behind us: pass the turn on once it comes.
        void previous.then(release);
        throw new AppError(
          'storage',
          `waited ${Math.round(this.#acquireTimeoutMs / 1000)} s for the embedded database: a transaction is still open`,
          {
            hint: 'finish the open transaction; inside a transaction run every query on the transaction object, not on store.db',
          },
        );
      }
    } finally {
      clearTimeout(timer);
    }
  }
}

/** The single PGlite session seen as a kysely connection. */
class PGliteConnection implements DatabaseConnection {
  /** Set when a raw statement may have opened a transaction outside the driver's begin/commit. */
  maybeInTransaction = false;

  constructor(private readonly pglite: PGlite) {}

  async executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    const parameters = [...compiledQuery.parameters];
    if (parameters.length === 0) {
      // Like `pg`, a statement without parameters goes through the simple query protocol, which also accepts
      // several statements in one string (raw SQL in migrations); the result is that of the last statement.
      const results = await this.pglite.exec(compiledQuery.sql);
      this.#noteTransactionControl(compiledQuery.sql);
      const last = results[results.length - 1];
      return toQueryResult<R>(last?.rows as R[] | undefined, last?.affectedRows, commandOf(last));
    }
    const result = await this.pglite.query<R>(compiledQuery.sql, parameters, { rowMode: 'object' });
    return toQueryResult<R>(result.rows, result.affectedRows, commandOf(result));
  }

  async *streamQuery<R>(
    compiledQuery: CompiledQuery,
    chunkSize = 100,
  ): AsyncIterableIterator<QueryResult<R>> {
    if (!Number.isInteger(chunkSize) || chunkSize <= 0)
      throw new Error('chunkSize must be a positive integer');
    // PGlite has no cursors over its in-process API: read the result, then hand it out in chunks.
    const { rows } = await this.executeQuery<R>(compiledQuery);
    for (let start = 0; start < rows.length; start += chunkSize)
      yield { rows: rows.slice(start, start + chunkSize) };
  }

  #noteTransactionControl(statement: string): void {
    if (/^\s*(begin|start\s+transaction)\b/i.test(statement)) this.maybeInTransaction = true;
    else if (/^\s*(commit|rollback|end|abort)\s*;?\s*$/i.test(statement)) this.maybeInTransaction = false;
  }
}

function toQueryResult<R>(
  rows: R[] | undefined,
  affectedRows: number | undefined,
  command: string | undefined,
) {
  const counts = command === 'INSERT' || command === 'UPDATE' || command === 'DELETE' || command === 'MERGE';
  return {
    rows: rows ?? [],
    ...(counts ? { numAffectedRows: BigInt(affectedRows ?? 0) } : {}),
  } satisfies QueryResult<R>;
}

function commandOf(result: unknown): string | undefined {
  const command = (result as { command?: unknown } | undefined)?.command;
  return typeof command === 'string' ? command.toUpperCase() : undefined;
}

function closedError(): AppError {
  return new AppError('storage', 'the embedded database is closed', {
    hint: 'open the store again; a closed store cannot run queries',
  });
}

/** A savepoint statement; the name is quoted as an identifier. */
function savepointStatement(command: 'savepoint' | 'rollback to' | 'release', name: string): CompiledQuery {
  return CompiledQuery.raw(`${command} "${name.replace(/"/g, '""')}"`);
}
