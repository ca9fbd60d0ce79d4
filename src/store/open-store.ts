import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { CompiledQuery, Kysely, PostgresDialect, type PostgresPool, type Transaction } from 'kysely';
import pg from 'pg';
import { AppError, isAppError } from '../model/errors.js';
import type { Settings } from '../settings.js';
import { copyFromPGlite, copyFromPostgres, type TransactionSession } from './copy-from.js';
import { acquireDataDirLock, unwritableError, type DataDirLock } from './data-dir-lock.js';
import { migrateToLatest } from './migrate.js';
import { PGliteDialect } from './pglite-dialect.js';
import type { Database } from './schema.js';
import { SESSION_SETTINGS, TYPE_PARSERS } from './type-parsers.js';

export type StoreOptions = (
  | { kind: 'pglite'; dataDir: string; bufferCache?: PGliteBufferCache }
  | { kind: 'postgres'; url: string; schema?: string }
) & {
  /** Apply pending migrations at open (default true). */
  migrate?: boolean;
};

export interface Store {
  readonly engine: 'pglite' | 'postgres';
  readonly db: Kysely<Database>;
  /**
   * Runs fn in one transaction: committed when fn resolves, rolled back when it throws. Query only through trx, and bulk
   * load through session (COPY on the transaction's own connection); neither may be used after fn settles.
   */
  transaction<T>(fn: (trx: Transaction<Database>, session: TransactionSession) => Promise<T>): Promise<T>;
  /** PGlite: CHECKPOINT and flush to disk, so that the next start replays little WAL. Server: nothing to do. */
  checkpoint(): Promise<void>;
  /** Waits for running work, closes the database and releases the data directory. Idempotent. */
  close(): Promise<void>;
}

/**
 * The buffer cache PGlite starts with. PGlite zero-fills its whole cache at start, so its size is resident memory
 * whether it is used or not. `default` is PostgreSQL's 128 MB, for a process that answers queries for a long time
 * (att serve: the pages it reads again and again stay in memory). `bulk-load` is 32 MB, for a process that writes an
 * import once and exits (att import): it reads few pages back, so a large cache would only cost it ~100 MB of RSS
 * (the 2025 SIPRI register peaked at ~550 MB with the default, ~420 MB with this, at the same speed). The server's
 * cache is its own: this applies to PGlite only.
 */
export type PGliteBufferCache = 'default' | 'bulk-load';
const SHARED_BUFFERS: Record<PGliteBufferCache, string | undefined> = {
  default: undefined,
  'bulk-load': '32MB',
};

/** ATT_DATABASE_URL set: the PostgreSQL server; otherwise PGlite in `<ATT_DATA_DIR>/pglite`. */
export function storeOptionsFromSettings(
  settings: Pick<Settings, 'dataDir' | 'databaseUrl'>,
  pglite: { bufferCache?: PGliteBufferCache } = {},
): StoreOptions {
  if (settings.databaseUrl !== undefined && settings.databaseUrl !== '') {
    return { kind: 'postgres', url: settings.databaseUrl };
  }
  return { kind: 'pglite', dataDir: path.join(settings.dataDir, 'pglite'), ...pglite };
}

/**
 * Opens (and by default migrates) the database: embedded PGlite or a PostgreSQL server. `overrides` (e.g.
 * `{ migrate: false }` for `att db migrate`) wins over the same fields in `options`.
 */
export async function openStore(
  options: StoreOptions,
  overrides: { migrate?: boolean } = {},
): Promise<Store> {
  const migrate = overrides.migrate ?? options.migrate ?? true;
  return options.kind === 'pglite'
    ? openPGliteStore(options.dataDir, migrate, options.bufferCache ?? 'default')
    : openPostgresStore(options.url, options.schema, migrate);
}

// ---------------------------------------------------------------------------------------------------------------------
// PGlite

/** How a new database directory is built before it is renamed into place: `<parent>/.<name>-creating-<pid>`. */
export function creationDirPrefix(dataDir: string): string {
  const resolved = path.resolve(dataDir);
  return path.join(path.dirname(resolved), `.${path.basename(resolved)}-creating-`);
}

async function openPGliteStore(
  dataDir: string,
  migrate: boolean,
  bufferCache: PGliteBufferCache,
): Promise<Store> {
  const resolved = path.resolve(dataDir);
  const parent = path.dirname(resolved);
  try {
    fs.mkdirSync(parent, { recursive: true });
  } catch (error) {
    throw unwritableError(parent, (error as NodeJS.ErrnoException).code);
  }
  // The lock sits beside the database directory, so it also covers the directory's creation.
  const lock = acquireDataDirLock(resolved);
  let pglite: PGlite | undefined;
  try {
    removeLeftoverCreationDirs(resolved);
    if (inspectDataDir(resolved) === 'absent') await createDataDir(resolved, migrate);
    pglite = await startPGlite(resolved, bufferCache);
    const db = new Kysely<Database>({ dialect: new PGliteDialect({ pglite }) });
    if (migrate) await migrateToLatest(db);
    return pgliteStore(db, pglite, lock);
  } catch (error) {
    if (pglite !== undefined && !pglite.closed) await pglite.close().catch(() => undefined);
    lock.release();
    throw error;
  }
}

function pgliteStore(db: Kysely<Database>, pglite: PGlite, lock: DataDirLock): Store {
  let closing: Promise<void> | undefined;
  return {
    engine: 'pglite',
    db,
    // The dialect's mutex gives this transaction the one PGlite session from BEGIN to COMMIT, so COPY can go to the
    // PGlite instance directly: nothing else runs on it meanwhile, and the COPY is part of the transaction.
    transaction: (fn) =>
      db
        .transaction()
        .execute((trx) =>
          withSession(fn, trx, (table, columns, chunks) => copyFromPGlite(pglite, table, columns, chunks)),
        ),
    async checkpoint() {
      // Through kysely, so that it waits its turn behind any open transaction.
      await db.executeQuery(CompiledQuery.raw('checkpoint'));
      await pglite.syncToFs();
    },
    close() {
      closing ??= (async () => {
        try {
          await db.destroy(); // waits for the connection, then closes PGlite (a clean shutdown)
        } finally {
          lock.release();
        }
      })();
      return closing;
    },
  };
}

/**
 * Creates a new database in a temporary sibling directory (initdb, migrations), closes it and renames it into place.
 * A rename is atomic, so a process killed during the seconds of creation leaves a temporary directory (removed at the
 * next open) and never a half-built database at the final path.
 */
async function createDataDir(dataDir: string, migrate: boolean): Promise<void> {
  const building = `${creationDirPrefix(dataDir)}${process.pid}`;
  fs.rmSync(building, { recursive: true, force: true });
  const pglite = await startPGlite(building);
  try {
    if (migrate) await migrateToLatest(new Kysely<Database>({ dialect: new PGliteDialect({ pglite }) }));
  } finally {
    if (!pglite.closed) await pglite.close();
  }
  fs.renameSync(building, dataDir);
  fsyncDirectory(path.dirname(dataDir));
}

async function startPGlite(dataDir: string, bufferCache: PGliteBufferCache = 'default'): Promise<PGlite> {
  let pglite: PGlite;
  const sharedBuffers = SHARED_BUFFERS[bufferCache];
  try {
    pglite = await PGlite.create({
      dataDir,
      parsers: { ...TYPE_PARSERS },
      ...(sharedBuffers === undefined
        ? {}
        : { startParams: [...PGlite.defaultStartParams, '-c', `shared_buffers=${sharedBuffers}`] }),
    });
  } catch (error) {
    throw new AppError('storage', `could not open the embedded database in ${dataDir}: ${messageOf(error)}`, {
      hint: 'check the directory is readable and writable; if it is damaged, move it away and start again',
      cause: error,
    });
  }
  // Session settings last for the whole session, and PGlite has only one.
  await pglite.exec(
    Object.entries(SESSION_SETTINGS)
      .map(([name, value]) => `set ${name} = '${value}';`)
      .join(' '),
  );
  return pglite;
}

function inspectDataDir(dataDir: string): 'absent' | 'database' {
  let entries: string[];
  try {
    entries = fs.readdirSync(dataDir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return 'absent';
    if (code === 'ENOTDIR') throw notADatabaseError(dataDir, 'it is a file');
    throw unwritableError(dataDir, code);
  }
  if (entries.length === 0) {
    fs.rmdirSync(dataDir); // an empty directory (made by hand, or by a deployment tool): create atomically as usual
    return 'absent';
  }
  if (!entries.includes('PG_VERSION')) throw notADatabaseError(dataDir, 'it has no PG_VERSION file');
  return 'database';
}

function removeLeftoverCreationDirs(dataDir: string): void {
  // We hold the lock, so nobody else is creating: any such directory is from a process that died while creating.
  const prefix = creationDirPrefix(dataDir);
  const parent = path.dirname(prefix);
  for (const entry of fs.readdirSync(parent)) {
    const full = path.join(parent, entry);
    if (full.startsWith(prefix)) fs.rmSync(full, { recursive: true, force: true });
  }
}

function fsyncDirectory(directory: string): void {
  try {
    const fd = fs.openSync(directory, 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    // Not every platform can fsync a directory; the rename itself is still atomic.
  }
}

function notADatabaseError(dataDir: string, why: string): AppError {
  return new AppError('config', `${dataDir} is not a PGlite database directory (${why})`, {
    location: { parameter: 'ATT_DATA_DIR', value: path.dirname(dataDir) },
    hint: 'move it away, or set ATT_DATA_DIR to another directory',
  });
}

// ---------------------------------------------------------------------------------------------------------------------
// PostgreSQL server

const CONNECT_TIMEOUT_MS = 5_000;
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

async function openPostgresStore(url: string, schema: string | undefined, migrate: boolean): Promise<Store> {
  if (schema !== undefined && !SCHEMA_NAME.test(schema)) {
    throw new AppError('config', `schema name "${schema}" is not a plain lower-case identifier`, {
      location: { parameter: 'schema', value: schema },
      hint: 'use letters a-z, digits and underscores',
    });
  }
  const parsed = parseDatabaseUrl(url);
  // Every pooled connection gets the same session settings at start-up (no extra round trip, no race with the
  // first query): the schema for test isolation, ISO dates for the parsers, UTC for current_date.
  const settings: Record<string, string> = { ...SESSION_SETTINGS, DateStyle: 'ISO,YMD' };
  if (schema !== undefined) settings.search_path = schema;
  const pool = new pg.Pool({
    connectionString: parsed.toString(),
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    options: Object.entries(settings)
      .map(([name, value]) => `-c ${name}=${value}`)
      .join(' '),
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        (format ?? 'text') === 'text' && TYPE_PARSERS[oid] !== undefined
          ? TYPE_PARSERS[oid]
          : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
    },
  });
  // An idle connection that the server drops (restart, idle timeout) is reported here; without a listener the pool
  // would crash the process. The next query opens a new connection.
  pool.on('error', () => undefined);
  try {
    await pool.query(schema === undefined ? 'select 1' : `create schema if not exists "${schema}"`);
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw unreachableError(parsed, error);
  }
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  if (migrate) {
    try {
      await migrateToLatest(db);
    } catch (error) {
      await db.destroy().catch(() => undefined);
      throw error;
    }
  }
  let closing: Promise<void> | undefined;
  return {
    engine: 'postgres',
    db,
    transaction: (fn) => postgresTransaction(pool, fn),
    async checkpoint() {
      // The server checkpoints on its own schedule and at shutdown.
    },
    close() {
      closing ??= db.destroy();
      return closing;
    },
  };
}

/**
 * A transaction on one connection taken from the pool for its whole length, so that COPY (which kysely cannot express)
 * runs on the same connection as the transaction's statements: kysely runs the transaction through a dialect whose
 * pool hands out that one connection. The connection goes back to the pool at the end; after a failed transaction that
 * had started a COPY it is discarded instead, since a COPY cut short is not worth trusting the connection after.
 */
async function postgresTransaction<T>(
  pool: pg.Pool,
  fn: (trx: Transaction<Database>, session: TransactionSession) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  const pinned: PostgresPool = {
    connect: async () => ({ query: client.query.bind(client) as never, release: () => undefined }),
    end: async () => undefined,
  };
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: pinned }) });
  let copied = false;
  let discard: Error | undefined;
  try {
    return await db.transaction().execute((trx) =>
      withSession(fn, trx, (table, columns, chunks) => {
        copied = true;
        return copyFromPostgres(client, table, columns, chunks);
      }),
    );
  } catch (error) {
    if (copied) discard = error instanceof Error ? error : new Error(String(error));
    throw error;
  } finally {
    client.release(discard);
    await db.destroy();
  }
}

/** Calls fn with a session that refuses to work once fn has settled (its transaction is over by then). */
async function withSession<T>(
  fn: (trx: Transaction<Database>, session: TransactionSession) => Promise<T>,
  trx: Transaction<Database>,
  copyFrom: TransactionSession['copyFrom'],
): Promise<T> {
  let open = true;
  const session: TransactionSession = {
    copyFrom(table, columns, chunks) {
      if (!open) {
        return Promise.reject(
          new AppError('internal', `COPY into ${table} after its transaction ended`, {
            hint: 'use the session only inside the store.transaction callback, and await it there',
          }),
        );
      }
      return copyFrom(table, columns, chunks);
    },
  };
  try {
    return await fn(trx, session);
  } finally {
    open = false;
  }
}

function parseDatabaseUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new AppError('config', 'ATT_DATABASE_URL is not a URL', {
      location: { parameter: 'ATT_DATABASE_URL' },
      hint: 'use the form postgres://postgres@127.0.0.1:5432/att',
    });
  }
  // `pg` falls back to $USER for the user name, and USER may be unset (it is on the project machine).
  if (parsed.username === '') parsed.username = 'postgres';
  return parsed;
}

/** The URL with its password replaced by ***, for messages and logs. */
export function maskDatabaseUrl(url: string | URL): string {
  try {
    const copy = new URL(url.toString());
    if (copy.password !== '') copy.password = '***';
    return copy.toString();
  } catch {
    return '(unparseable URL)';
  }
}

function unreachableError(url: URL, error: unknown): AppError {
  const sqlState = (error as { code?: unknown }).code;
  const masked = maskDatabaseUrl(url);
  const database = decodeURIComponent(url.pathname.replace(/^\//, '')) || 'postgres';
  const hint =
    sqlState === '3D000'
      ? `create the database (createdb -h ${url.hostname} ${database}) or correct ATT_DATABASE_URL`
      : sqlState === '28P01' || sqlState === '28000'
        ? 'correct the user name and password in ATT_DATABASE_URL'
        : 'start PostgreSQL (e.g. pg_ctlcluster --skip-systemctl-redirect 15 main start) or correct ATT_DATABASE_URL';
  return new AppError(
    'config',
    `cannot use the PostgreSQL server at ATT_DATABASE_URL=${masked}: ${messageOf(error)}`,
    {
      location: { parameter: 'ATT_DATABASE_URL', value: masked },
      hint,
      cause: error,
    },
  );
}

// ---------------------------------------------------------------------------------------------------------------------
// Shutdown

/**
 * On SIGTERM or SIGINT: runs onClose (stop taking work first, e.g. close the HTTP server), checkpoints and closes the
 * store (releasing the data directory), then exits 0; 1 if that fails or takes longer than timeoutMs. A second
 * signal exits at once. Returns a function that removes the handlers.
 */
export function installShutdownHandlers(
  store: Store,
  onClose?: () => void | Promise<void>,
  options: { timeoutMs?: number; exit?: (code: number) => void } = {},
): () => void {
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const timeoutMs = options.timeoutMs ?? 15_000;
  let shuttingDown = false;
  const handler = (signal: NodeJS.Signals): void => {
    if (shuttingDown) {
      exit(1);
      return;
    }
    shuttingDown = true;
    const timer = setTimeout(() => {
      process.stderr.write(`${signal}: the store did not close within ${timeoutMs / 1000} s; exiting\n`);
      exit(1);
    }, timeoutMs);
    timer.unref();
    void (async () => {
      try {
        await onClose?.();
        await store.checkpoint();
        await store.close();
        clearTimeout(timer);
        exit(0);
      } catch (error) {
        clearTimeout(timer);
        process.stderr.write(
          `${signal}: closing the store failed: ${isAppError(error) ? error.describe() : messageOf(error)}\n`,
        );
        exit(1);
      }
    })();
  };
  process.on('SIGTERM', handler);
  process.on('SIGINT', handler);
  return () => {
    process.removeListener('SIGTERM', handler);
    process.removeListener('SIGINT', handler);
  };
}

// ---------------------------------------------------------------------------------------------------------------------

function messageOf(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return messageOf(error.errors[0]);
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}
