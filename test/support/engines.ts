import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { isAppError } from '../../src/model/errors.js';
import { openStore, type Store } from '../../src/store/open-store.js';

/**
 * The storage engines every storage suite runs on: the same tests, once per engine (kysely's habit). Use as
 *
 *   for (const engine of storageEngines()) {
 *     describe(`reference repository on ${engine.name}`, () => {
 *       const db = useStorageEngine(engine);
 *       it('...', async () => { await db.store.db.selectFrom(...) ... });
 *     });
 *   }
 */
export interface StorageEngine {
  readonly name: 'pglite' | 'postgres';
  /** Opens a store on this engine's private database (migrated unless migrate: false). Reopening is allowed. */
  open(options?: { migrate?: boolean }): Promise<Store>;
  /** Closes every store opened here and removes the database (data directory or schema). */
  cleanup(): Promise<void>;
}

/**
 * Opens the engine's store before the suite and cleans up after it. If the engine cannot be opened (the server is
 * down), every test of the suite FAILS with the opening error, rather than being skipped by a failed beforeAll.
 * `setup` runs once after opening (create a fixture table, load rows).
 */
export function useStorageEngine(
  engine: StorageEngine,
  options: { migrate?: boolean; setup?: (store: Store) => Promise<void> } = {},
): { readonly store: Store; reopen(): Promise<Store> } {
  let store: Store | undefined;
  let failure: unknown;
  beforeAll(async () => {
    try {
      store = await engine.open({ migrate: options.migrate ?? true });
      await options.setup?.(store);
    } catch (error) {
      const described = isAppError(error)
        ? error.describe()
        : error instanceof Error
          ? error.message
          : String(error);
      failure = new Error(`the ${engine.name} store could not be opened: ${described}`, { cause: error });
    }
  });
  beforeEach(() => {
    if (failure !== undefined) throw failure;
  });
  afterAll(async () => {
    await engine.cleanup();
  });
  return {
    get store(): Store {
      if (store === undefined) throw failure ?? new Error(`the ${engine.name} store is not open yet`);
      return store;
    },
    async reopen() {
      await store?.close();
      store = await engine.open();
      return store;
    },
  };
}

/** The PostgreSQL server the tests use; scripts/test.sh starts it. */
export const TEST_DATABASE_URL =
  process.env.ATT_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export function storageEngines(): StorageEngine[] {
  return [pgliteEngine(), postgresEngine()];
}

/** PGlite in a temporary data directory, copied from a prepared template (creating one costs seconds and ~800 MB). */
export function pgliteEngine(): StorageEngine {
  let root: string | undefined;
  const stores: Store[] = [];
  return {
    name: 'pglite',
    async open(options = {}) {
      if (root === undefined) root = await preparedPGliteDataDir();
      const store = await openStore({ kind: 'pglite', dataDir: path.join(root, 'pglite') }, options);
      stores.push(store);
      return store;
    },
    async cleanup() {
      await Promise.all(stores.splice(0).map((store) => store.close()));
      if (root !== undefined) fs.rmSync(root, { recursive: true, force: true });
      root = undefined;
    },
  };
}

/** The PostgreSQL server, in a schema of its own (dropped at cleanup), so that suites never see each other's rows. */
export function postgresEngine(url: string = TEST_DATABASE_URL): StorageEngine {
  const schema = `att_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const stores: Store[] = [];
  let opened = false;
  return {
    name: 'postgres',
    async open(options = {}) {
      opened = true;
      // An unreachable server fails here with AppError('config') naming ATT_DATABASE_URL: the tests fail, never skip.
      const store = await openStore({ kind: 'postgres', url, schema }, options);
      stores.push(store);
      return store;
    },
    async cleanup() {
      await Promise.all(stores.splice(0).map((store) => store.close()));
      if (opened) await dropSchema(url, schema);
      opened = false;
    },
  };
}

async function dropSchema(url: string, schema: string): Promise<void> {
  const parsed = new URL(url);
  if (parsed.username === '') parsed.username = 'postgres';
  const client = new pg.Client({ connectionString: parsed.toString(), connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
    await client.query(`drop schema if exists "${schema}" cascade`);
  } catch {
    // Unreachable server: open() has already failed the suite with a clear message.
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * A fresh temporary directory holding `pglite/`, a copy of an empty (initdb'd, not migrated) PGlite database. The
 * template is built once per machine and PGlite version, in the system temporary directory, and reused by every
 * test file and run. Returns the temporary directory; the caller removes it.
 */
export async function preparedPGliteDataDir(): Promise<string> {
  const template = await pgliteTemplate();
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'att-store-'));
  fs.cpSync(path.join(template, 'pglite'), path.join(root, 'pglite'), { recursive: true });
  return root;
}

/** A new, empty temporary directory for tests that create their own PGlite database. */
export function temporaryDirectory(prefix = 'att-store-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

let templatePromise: Promise<string> | undefined;

function pgliteTemplate(): Promise<string> {
  templatePromise ??= buildTemplate();
  return templatePromise;
}

async function buildTemplate(): Promise<string> {
  const final = path.join(os.tmpdir(), `att-pglite-template-${pgliteVersion()}`);
  if (fs.existsSync(path.join(final, 'complete'))) return final;
  // Built aside and renamed into place, so that two test workers building at once never see half a template.
  const building = fs.mkdtempSync(path.join(os.tmpdir(), 'att-pglite-template-building-'));
  try {
    const store = await openStore(
      { kind: 'pglite', dataDir: path.join(building, 'pglite') },
      { migrate: false },
    );
    await store.close();
    fs.writeFileSync(path.join(building, 'complete'), `${new Date().toISOString()}\n`);
    try {
      fs.renameSync(building, final);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw error;
      // Another worker won the race; use theirs.
    }
  } finally {
    fs.rmSync(building, { recursive: true, force: true });
  }
  if (!fs.existsSync(path.join(final, 'complete'))) throw new Error(`PGlite template ${final} is incomplete`);
  return final;
}

function pgliteVersion(): string {
  const require = createRequire(import.meta.url);
  let dir = path.dirname(require.resolve('@electric-sql/pglite'));
  while (!fs.existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
  return (JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version: string }).version;
}
