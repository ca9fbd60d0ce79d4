import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { spawnStoreChild, type StoreChild } from '../../test/support/child-process.js';
import { preparedPGliteDataDir, temporaryDirectory } from '../../test/support/engines.js';
import { AppError } from '../model/errors.js';
import { lockPathFor } from './data-dir-lock.js';
import { creationDirPrefix, openStore, type Store } from './open-store.js';
import { NESTED_QUERY_MESSAGE } from './pglite-dialect.js';

// Behaviour only the embedded engine has: one connection, one process per data directory, crash safety.

const children: StoreChild[] = [];
const directories: string[] = [];

function child(args: string[]): StoreChild {
  const started = spawnStoreChild(args);
  children.push(started);
  return started;
}

async function preparedDataDir(): Promise<string> {
  const root = await preparedPGliteDataDir();
  directories.push(root);
  return path.join(root, 'pglite');
}

afterEach(async () => {
  for (const started of children.splice(0)) {
    if (started.process.exitCode === null && started.process.signalCode === null)
      started.process.kill('SIGKILL');
    await started.exited;
  }
});

afterAll(() => {
  for (const directory of directories) fs.rmSync(directory, { recursive: true, force: true });
});

/** Rejects if the promise has not settled within ms: a hang shows as a clear failure, not a test timeout. */
function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  return Promise.race([
    promise,
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`still pending after ${ms} ms`)), ms),
    ),
  ]);
}

describe('a PGlite store in one process', () => {
  let store: Store;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await preparedDataDir();
    store = await openStore({ kind: 'pglite', dataDir });
  });

  afterAll(async () => {
    await store.close();
  });

  it('fails fast, with a storage error, when a transaction queries the database instead of its transaction', async () => {
    const started = Date.now();
    const outcome = store.transaction(async (trx) => {
      await trx.insertInto('app_meta').values({ key: 'inside', value: 'v' }).execute();
      await store.db.selectFrom('app_meta').selectAll().execute();
    });
    const error = await within(outcome, 2_000).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'storage', message: NESTED_QUERY_MESSAGE });
    expect(NESTED_QUERY_MESSAGE).toBe(
      'a query ran on the database while a transaction is open in the same task; use the transaction object',
    );
    expect(Date.now() - started).toBeLessThan(2_000);
    // The transaction was rolled back and the connection handed back: the store still works.
    expect(await store.db.selectFrom('app_meta').selectAll().execute()).toEqual([]);
  });

  it('fails fast the same way through db.transaction() and from a nested transaction', async () => {
    await expect(
      within(
        store.db.transaction().execute(async (trx) => {
          await trx.selectFrom('app_meta').selectAll().execute();
          await Promise.resolve().then(() => store.db.selectFrom('app_meta').selectAll().execute());
        }),
        2_000,
      ),
    ).rejects.toThrow(NESTED_QUERY_MESSAGE);
    await expect(
      within(
        store.transaction(async () => store.transaction(async () => 'never')),
        2_000,
      ),
    ).rejects.toThrow(NESTED_QUERY_MESSAGE);
  });

  it('lets a task started inside a transaction query the database once that transaction has committed', async () => {
    let committed!: () => void;
    const afterCommit = new Promise<void>((resolve) => (committed = resolve));
    let later: Promise<unknown> | undefined;
    await store.transaction(async (trx) => {
      await trx.insertInto('app_meta').values({ key: 'before', value: 'v' }).execute();
      later = afterCommit.then(() => store.db.selectFrom('app_meta').select('key').execute());
    });
    committed();
    expect(await later).toEqual([{ key: 'before' }]);
    await store.db.deleteFrom('app_meta').execute();
  });

  it('does not mistake concurrent queries of one task for a nested query', async () => {
    const first = store.db.selectFrom('app_meta').selectAll().execute();
    await new Promise((resolve) => setTimeout(resolve, 0));
    const results = await Promise.all([first, store.db.selectFrom('app_meta').selectAll().execute()]);
    expect(results).toEqual([[], []]);
  });

  it('refuses a second process on the same data directory, naming the holding PID and the fix', async () => {
    const second = child(['open', dataDir]);
    const line = await second.waitForLine('error ');
    const error = JSON.parse(line.slice('error '.length)) as {
      code: string;
      message: string;
      description: string;
    };
    expect(error.code).toBe('conflict');
    expect(error.message).toContain(`process ${process.pid}`);
    expect(error.message).toContain(dataDir);
    expect(error.description).toContain(
      `stop process ${process.pid}, or use ATT_DATABASE_URL with a PostgreSQL server for several processes`,
    );
    expect((await second.exited).code).toBe(2);
    // The refused process left the lock alone.
    expect(JSON.parse(fs.readFileSync(lockPathFor(dataDir), 'utf8'))).toMatchObject({ pid: process.pid });
  });

  it('refuses a second store on the same data directory within one process', async () => {
    await expect(openStore({ kind: 'pglite', dataDir })).rejects.toMatchObject({ code: 'conflict' });
    expect(await store.db.selectFrom('app_meta').selectAll().execute()).toEqual([]);
  });

  it("starts with PostgreSQL's 128 MB buffer cache, and with 32 MB for a bulk load", async () => {
    const cacheOf = async (opened: Store) =>
      (await sql<{ shared_buffers: string }>`show shared_buffers`.execute(opened.db)).rows[0]!.shared_buffers;
    expect(await cacheOf(store)).toBe('128MB');
    const other = await preparedDataDir();
    const bulk = await openStore({ kind: 'pglite', dataDir: other, bufferCache: 'bulk-load' });
    try {
      expect(await cacheOf(bulk)).toBe('32MB');
    } finally {
      await bulk.close();
    }
  });
});

describe('a PGlite data directory across processes', () => {
  it('takes over a lock left by a process that no longer exists', async () => {
    const dataDir = await preparedDataDir();
    const dead = spawn(process.execPath, ['-e', '']);
    await new Promise((resolve) => dead.on('exit', resolve));
    fs.writeFileSync(
      lockPathFor(dataDir),
      JSON.stringify({
        pid: dead.pid,
        hostname: os.hostname(),
        startedAt: '2020-01-01T00:00:00.000Z',
        dataDir,
        token: 'old',
      }),
    );
    const store = await openStore({ kind: 'pglite', dataDir });
    try {
      expect(JSON.parse(fs.readFileSync(lockPathFor(dataDir), 'utf8'))).toMatchObject({ pid: process.pid });
    } finally {
      await store.close();
    }
    expect(fs.existsSync(lockPathFor(dataDir))).toBe(false);
  });

  it.each([
    ['statements', 'crash-in-transaction', '4'],
    ['a COPY', 'crash-in-copy', '400'],
  ])(
    'keeps every committed row and no uncommitted one after kill -9 in the middle of a transaction (%s)',
    async (_label, mode, uncommitted) => {
      const dataDir = await preparedDataDir();
      const crashing = child([mode, dataDir, '5', uncommitted]);
      await crashing.waitForLine('committed');
      await crashing.waitForLine('in-transaction');
      crashing.process.kill('SIGKILL');
      expect((await crashing.exited).signal).toBe('SIGKILL');

      const store = await openStore({ kind: 'pglite', dataDir });
      try {
        const rows = await sql<{ name: string }>`select name from crash_rows order by name`.execute(store.db);
        expect(rows.rows.map((row) => row.name)).toEqual([
          'committed-1',
          'committed-2',
          'committed-3',
          'committed-4',
          'committed-5',
        ]);
        // The database is usable: writes after recovery commit as usual.
        await sql`insert into crash_rows values ('after-recovery')`.execute(store.db);
      } finally {
        await store.close();
      }
    },
  );

  it('leaves no half-built database after kill -9 during creation, and the next open creates it and cleans up', async () => {
    const root = temporaryDirectory();
    directories.push(root);
    const dataDir = path.join(root, 'pglite');
    const creating = child(['create', dataDir]);
    await creating.waitForLine('creating');
    const building = `${creationDirPrefix(dataDir)}${creating.pid}`;
    const deadline = Date.now() + 20_000;
    while (!fs.existsSync(building) && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 20));
    expect(fs.existsSync(building)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 300)); // initdb is under way
    creating.process.kill('SIGKILL');
    await creating.exited;

    // Creation takes seconds and the kill came 300 ms in: the half-built database is in the temporary directory,
    // and nothing is at the final path (a complete database is the only thing ever renamed there).
    expect(fs.existsSync(dataDir)).toBe(false);
    expect(fs.existsSync(building)).toBe(true);
    expect(fs.existsSync(lockPathFor(dataDir))).toBe(true);

    const store = await openStore({ kind: 'pglite', dataDir });
    try {
      expect(await store.db.selectFrom('app_meta').selectAll().execute()).toEqual([]);
      expect(fs.existsSync(building)).toBe(false);
      expect(fs.readdirSync(root).sort()).toEqual(['pglite', 'pglite.lock']);
    } finally {
      await store.close();
    }
    expect(fs.readdirSync(root)).toEqual(['pglite']);
  });

  it('checkpoints, closes and releases the data directory on SIGTERM, then exits 0', async () => {
    const dataDir = await preparedDataDir();
    const holding = child(['hold', dataDir]);
    await holding.waitForLine('opened');
    expect(JSON.parse(fs.readFileSync(lockPathFor(dataDir), 'utf8'))).toMatchObject({ pid: holding.pid });
    holding.process.kill('SIGTERM');
    expect(await holding.exited).toEqual({ code: 0, signal: null });
    expect(fs.existsSync(lockPathFor(dataDir))).toBe(false);
  });
});

describe('opening a PGlite store', () => {
  it('refuses a data directory that cannot be written with a config error naming the path and ATT_DATA_DIR', async () => {
    const root = temporaryDirectory();
    directories.push(root);
    const file = path.join(root, 'a-file');
    fs.writeFileSync(file, 'not a directory');
    const error = await openStore({ kind: 'pglite', dataDir: path.join(file, 'data', 'pglite') }).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(AppError);
    const appError = error as AppError;
    expect(appError.code).toBe('config');
    expect(appError.describe()).toContain(path.join(file, 'data'));
    expect(appError.describe()).toContain('ATT_DATA_DIR');
    expect(appError.describe()).not.toMatch(/\n\s+at /);
  });

  it('refuses a directory that holds something other than a PGlite database', async () => {
    const root = temporaryDirectory();
    directories.push(root);
    const dataDir = path.join(root, 'pglite');
    fs.mkdirSync(dataDir);
    fs.writeFileSync(path.join(dataDir, 'notes.txt'), 'mine');
    await expect(openStore({ kind: 'pglite', dataDir })).rejects.toMatchObject({ code: 'config' });
    expect(fs.readdirSync(dataDir)).toEqual(['notes.txt']);
    expect(fs.existsSync(lockPathFor(dataDir))).toBe(false);
  });
});
