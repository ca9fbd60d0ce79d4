import { sql, type Kysely } from 'kysely';
import { beforeEach, describe, expect, it } from 'vitest';
import { storageEngines, useStorageEngine } from '../../test/support/engines.js';
import { migrateToLatest } from './migrate.js';
import { migrations } from './migrations/index.js';
import { copyLine, type CopyValue, type TransactionSession } from './copy-from.js';
import type { Store } from './open-store.js';
import type { Database } from './schema.js';

// The same tests on every engine: what passes on PGlite must pass on the PostgreSQL server, and the reverse.

interface Item {
  name: string;
  amount: string | null;
  day: string | null;
  at: Date | null;
  big: number | bigint | null;
}

/** A table only this suite has. */
type ContractDatabase = Database & {
  contract_items: {
    name: string;
    amount: string | null;
    day: string | null;
    at: Date | string | null;
    big: number | bigint | string | null;
  };
};

/** Rows each engine returned for the same queries, compared across engines at the end. */
const observed: Record<string, unknown> = {};
/** Rows each engine stored from the same COPY text, compared across engines at the end. */
const copied: Record<string, unknown> = {};

const COPY_COLUMNS = ['name', 'note', 'amount', 'flag', 'n', 'doc'] as const;

/** Rows whose text needs every COPY escape, as copyLine writes them. */
function awkwardRows(): CopyValue[][] {
  return [
    ['plain', 'Côte d’Ivoire', '12.345', true, 1, JSON.stringify({ a: [1, 2], s: 'x' })],
    [
      'escapes',
      'tab\there\nline\r\\N',
      '0.001',
      false,
      -2,
      JSON.stringify({ path: 'C:\\data', nl: 'a\nb', q: '"' }),
    ],
    ['controls', 'tab\tnewline\ncr\rbackslash\\', null, null, null, JSON.stringify(['ü', '€', '😀'])],
    ['nulls', null, null, null, null, 'null'],
    ['literal-N', '\\N', '-0.50', true, 0, '{}'],
  ];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

for (const engine of storageEngines()) {
  describe(`store contract on ${engine.name}`, () => {
    let firstMigration: { applied: string[] } | undefined;
    const handle = useStorageEngine(engine, {
      migrate: false,
      async setup(opened) {
        firstMigration = await migrateToLatest(opened.db);
        await sql`
          create table contract_items (
            name text primary key,
            amount numeric(20, 3),
            day date,
            at timestamptz,
            big bigint
          )`.execute(opened.db);
        await sql`
          create table copy_items (
            name text primary key,
            note text,
            amount numeric,
            flag boolean,
            n integer,
            doc jsonb
          )`.execute(opened.db);
      },
    });
    let store: Store;
    beforeEach(() => {
      store = handle.store;
    });

    it('applies every migration to a new database, and nothing when run again', async () => {
      expect(firstMigration?.applied).toEqual(migrations.map((migration) => migration.name));
      expect(await migrateToLatest(store.db)).toEqual({ applied: [] });
      expect(await migrateToLatest(store.db)).toEqual({ applied: [] });
      const recorded = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(
        store.db,
      );
      expect(recorded.rows.map((row) => row.name)).toEqual(migrations.map((migration) => migration.name));
      const meta = await store.db.selectFrom('app_meta').selectAll().execute();
      expect(meta).toEqual([]);
    });

    it('keeps a concurrent commit when another task rolls back its transaction', async () => {
      let markInserted!: () => void;
      const inserted = new Promise<void>((resolve) => (markInserted = resolve));
      // Task A opens a transaction, inserts, waits while the other tasks run, then fails and rolls back.
      const rollingBack = store.transaction(async (trx) => {
        await trx.insertInto('app_meta').values({ key: 'doomed', value: 'a' }).execute();
        markInserted();
        await sleep(50);
        await trx.insertInto('app_meta').values({ key: 'doomed-too', value: 'a' }).execute();
        throw new Error('task A fails');
      });
      await inserted;
      // Task B commits a transaction and task C a single statement while A's transaction is still open.
      const committing = store.transaction(async (trx) => {
        await trx.insertInto('app_meta').values({ key: 'kept-transaction', value: 'b' }).execute();
        await sleep(10);
        await trx.insertInto('app_meta').values({ key: 'kept-transaction-2', value: 'b' }).execute();
        return 'b done';
      });
      const plain = store.db.insertInto('app_meta').values({ key: 'kept-statement', value: 'c' }).execute();

      const [a, b, c] = await Promise.allSettled([rollingBack, committing, plain]);
      expect(a.status).toBe('rejected');
      expect(b).toEqual({ status: 'fulfilled', value: 'b done' });
      expect(c.status).toBe('fulfilled');
      const keys = await store.db.selectFrom('app_meta').select('key').orderBy('key').execute();
      expect(keys.map((row) => row.key)).toEqual([
        'kept-statement',
        'kept-transaction',
        'kept-transaction-2',
      ]);
      await store.db.deleteFrom('app_meta').execute();
    });

    it('rolls back every statement of a transaction whose callback throws, and returns the value of one that resolves', async () => {
      await expect(
        store.transaction(async (trx) => {
          await trx.insertInto('app_meta').values({ key: 'k1', value: 'v' }).execute();
          await trx.insertInto('app_meta').values({ key: 'k2', value: 'v' }).execute();
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      expect(await store.db.selectFrom('app_meta').selectAll().execute()).toEqual([]);

      const value = await store.transaction(async (trx) => {
        await trx.insertInto('app_meta').values({ key: 'k3', value: 'v' }).execute();
        return 42;
      });
      expect(value).toBe(42);
      const rows = await store.db.selectFrom('app_meta').select(['key', 'updated_at']).execute();
      expect(rows.map((row) => row.key)).toEqual(['k3']);
      expect(rows[0]!.updated_at).toBeInstanceOf(Date);
      await store.db.deleteFrom('app_meta').execute();
    });

    it('runs several queries of one transaction concurrently', async () => {
      await store.transaction(async (trx) => {
        await Promise.all(
          ['p1', 'p2', 'p3', 'p4'].map((key) =>
            trx.insertInto('app_meta').values({ key, value: 'v' }).execute(),
          ),
        );
      });
      const count = await store.db
        .selectFrom('app_meta')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow();
      expect(count.n).toBe(4);
      await store.db.deleteFrom('app_meta').execute();
    });

    it('commits a controlled transaction without what was rolled back to a savepoint', async () => {
      const trx = await store.db.startTransaction().execute();
      await trx.insertInto('app_meta').values({ key: 'kept', value: 'v' }).execute();
      const withSavepoint = await trx.savepoint('before_doomed').execute();
      await withSavepoint.insertInto('app_meta').values({ key: 'doomed', value: 'v' }).execute();
      const rolledBack = await withSavepoint.rollbackToSavepoint('before_doomed').execute();
      const released = await rolledBack.savepoint('second').execute();
      await released.insertInto('app_meta').values({ key: 'kept-too', value: 'v' }).execute();
      await (await released.releaseSavepoint('second').execute()).commit().execute();
      const keys = await store.db.selectFrom('app_meta').select('key').orderBy('key').execute();
      expect(keys.map((row) => row.key)).toEqual(['kept', 'kept-too']);
      await store.db.deleteFrom('app_meta').execute();
    });

    it('bulk-loads rows with COPY inside a transaction: text, numbers, booleans, nulls and JSON arrive unchanged', async () => {
      const rows = awkwardRows();
      const count = await store.transaction(async (_trx, session) =>
        // Two chunks, the second from an async source: chunks are whole lines, in order.
        session.copyFrom(
          'copy_items',
          COPY_COLUMNS,
          (async function* () {
            yield rows.slice(0, 2).map(copyLine).join('');
            yield rows.slice(2).map(copyLine).join('');
          })(),
        ),
      );
      expect(count).toBe(rows.length);
      const stored = (
        await sql<
          Record<string, unknown>
        >`select name, note, amount, flag, n, doc from copy_items order by name`.execute(store.db)
      ).rows;
      const byName = Object.fromEntries(stored.map((row) => [row.name, row]));
      expect(byName['escapes']).toEqual({
        name: 'escapes',
        note: 'tab\there\nline\r\\N',
        amount: '0.001',
        flag: false,
        n: -2,
        doc: { path: 'C:\\data', nl: 'a\nb', q: '"' },
      });
      expect(byName['controls']).toMatchObject({
        note: 'tab\tnewline\ncr\rbackslash\\',
        doc: ['ü', '€', '😀'],
      });
      expect(byName['nulls']).toEqual({
        name: 'nulls',
        note: null,
        amount: null,
        flag: null,
        n: null,
        doc: null,
      });
      expect(byName['literal-N']).toMatchObject({ note: '\\N', amount: '-0.50' });
      copied[engine.name] = stored;
      await store.db.deleteFrom('copy_items' as never).execute();
    });

    it('loads a COPY larger than one PGlite blob completely, in order', async () => {
      const total = 12_000;
      const filler = 'x'.repeat(400);
      const count = await store.transaction(async (_trx, session) =>
        session.copyFrom(
          'copy_items',
          ['name', 'note', 'n'],
          (function* () {
            for (let start = 0; start < total; start += 1000) {
              let text = '';
              for (let i = start; i < start + 1000; i++) text += copyLine([`row-${i}`, filler, i]);
              yield text;
            }
          })(),
        ),
      );
      expect(count).toBe(total);
      const summary = (
        await sql<{
          rows: number;
          sum: number;
        }>`select count(*)::int as rows, sum(n)::int as sum from copy_items`.execute(store.db)
      ).rows[0];
      expect(summary).toEqual({ rows: total, sum: (total * (total - 1)) / 2 });
      await store.db.deleteFrom('copy_items' as never).execute();
    });

    it('keeps none of the copied rows when the transaction fails after the COPY', async () => {
      await expect(
        store.transaction(async (trx, session) => {
          await trx.insertInto('app_meta').values({ key: 'with-copy', value: 'v' }).execute();
          await session.copyFrom('copy_items', COPY_COLUMNS, [awkwardRows().map(copyLine).join('')]);
          throw new Error('fails after the copy');
        }),
      ).rejects.toThrow('fails after the copy');
      expect(await sql`select name from copy_items`.execute(store.db)).toMatchObject({ rows: [] });
      expect(await store.db.selectFrom('app_meta').selectAll().execute()).toEqual([]);
    });

    it('fails the transaction on a row the table refuses, keeps nothing of it, and works on afterwards', async () => {
      const good = copyLine(['good', null, '1', true, 1, '{}']);
      const bad = copyLine(['bad', null, 'not a number', true, 2, '{}']);
      const error = await store
        .transaction(async (trx, session) => {
          await trx.insertInto('app_meta').values({ key: 'before-bad-copy', value: 'v' }).execute();
          return session.copyFrom('copy_items', COPY_COLUMNS, [good, bad]);
        })
        .then(
          () => undefined,
          (caught: unknown) => caught,
        );
      expect(error).toMatchObject({ code: '22P02' }); // invalid_text_representation
      expect(await sql`select name from copy_items`.execute(store.db)).toMatchObject({ rows: [] });
      expect(await store.db.selectFrom('app_meta').selectAll().execute()).toEqual([]);
      // The next transaction (on the server, on a fresh connection) commits as usual.
      await store.transaction((_trx, session) => session.copyFrom('copy_items', COPY_COLUMNS, [good]));
      expect(await sql`select name from copy_items`.execute(store.db)).toMatchObject({
        rows: [{ name: 'good' }],
      });
      await store.db.deleteFrom('copy_items' as never).execute();
    });

    it('keeps a concurrent commit when a transaction that copied rows rolls back', async () => {
      let markCopied!: () => void;
      const didCopy = new Promise<void>((resolve) => (markCopied = resolve));
      const rollingBack = store.transaction(async (_trx, session) => {
        await session.copyFrom('copy_items', COPY_COLUMNS, [awkwardRows().map(copyLine).join('')]);
        markCopied();
        await sleep(50);
        throw new Error('the copying task fails');
      });
      await didCopy;
      const committing = store.transaction(async (trx) => {
        await trx.insertInto('app_meta').values({ key: 'kept-beside-copy', value: 'b' }).execute();
        return 'b done';
      });
      const [a, b] = await Promise.allSettled([rollingBack, committing]);
      expect(a.status).toBe('rejected');
      expect(b).toEqual({ status: 'fulfilled', value: 'b done' });
      expect(await sql`select name from copy_items`.execute(store.db)).toMatchObject({ rows: [] });
      const keys = await store.db.selectFrom('app_meta').select('key').execute();
      expect(keys.map((row) => row.key)).toEqual(['kept-beside-copy']);
      await store.db.deleteFrom('app_meta').execute();
    });

    it('refuses a COPY through a session whose transaction has ended', async () => {
      let leaked: TransactionSession | undefined;
      await store.transaction(async (_trx, session) => {
        leaked = session;
      });
      await expect(leaked!.copyFrom('copy_items', COPY_COLUMNS, [])).rejects.toThrow(
        /after its transaction ended/,
      );
    });

    it('returns counts, exact numerics, dates, timestamps and big integers with the same JS types', async () => {
      const at = new Date('2024-05-31T22:30:00.123Z');
      await (store.db as unknown as Kysely<ContractDatabase>)
        .insertInto('contract_items')
        .values([
          { name: 'a', amount: '12.345', day: '2024-05-31', at, big: 9_007_199_254_740_991 },
          {
            name: 'b',
            amount: '0.001',
            day: '1999-12-31',
            at: '2024-06-01T01:30:00+02:00',
            big: '9223372036854775807',
          },
          { name: 'c', amount: null, day: null, at: null, big: null },
        ])
        .execute();
      const items = (
        await sql<Item>`select name, amount, day, at, big from contract_items order by name`.execute(store.db)
      ).rows;
      expect(items).toEqual([
        { name: 'a', amount: '12.345', day: '2024-05-31', at, big: 9_007_199_254_740_991 },
        // Beyond Number.MAX_SAFE_INTEGER an int8 comes back as a BigInt, never as a rounded number.
        {
          name: 'b',
          amount: '0.001',
          day: '1999-12-31',
          at: new Date('2024-05-31T23:30:00Z'),
          big: 9223372036854775807n,
        },
        { name: 'c', amount: null, day: null, at: null, big: null },
      ]);

      const aggregates = (
        await sql<{
          n: unknown;
          total: unknown;
          average: unknown;
          earliest: unknown;
          latest: unknown;
          days: unknown;
          amounts: unknown;
          counts: unknown;
          stamps: unknown;
          zone: unknown;
          exact: unknown;
          negative: unknown;
        }>`
          select count(*) as n,
                 sum(amount) as total,
                 round(avg(amount), 4) as average,
                 min(day) as earliest,
                 max(at) as latest,
                 array_agg(day order by name) as days,
                 array_agg(amount order by name) as amounts,
                 array[count(*), 2]::bigint[] as counts,
                 array_agg(at order by name) filter (where at is not null) as stamps,
                 current_setting('TimeZone') as zone,
                 123456789012345678.123456789::numeric as exact,
                 -0.5::numeric(5, 2) as negative
          from contract_items`.execute(store.db)
      ).rows[0];
      expect(aggregates).toEqual({
        n: 3,
        total: '12.346',
        average: '6.1730',
        earliest: '1999-12-31',
        latest: new Date('2024-05-31T23:30:00Z'),
        days: ['2024-05-31', '1999-12-31', null],
        amounts: ['12.345', '0.001', null],
        counts: [3, 2],
        stamps: [at, new Date('2024-05-31T23:30:00Z')],
        zone: 'UTC',
        exact: '123456789012345678.123456789',
        negative: '-0.50',
      });

      const literals = (
        await sql<Record<string, unknown>>`
          select 1::int2 as small, 2::int4 as int, 2.5::float8 as float, true as flag, 'x'::text as label,
                 '{"a":[1,2]}'::jsonb as document, '2024-02-29'::date + 1 as next_day,
                 '2024-05-31 12:00:00'::timestamp as wall_clock, current_date = (now() at time zone 'UTC')::date as utc_today
        `.execute(store.db)
      ).rows[0];
      expect(literals).toEqual({
        small: 1,
        int: 2,
        float: 2.5,
        flag: true,
        label: 'x',
        document: { a: [1, 2] },
        next_day: '2024-03-01',
        wall_clock: '2024-05-31 12:00:00',
        utc_today: true,
      });

      // A date parameter round-trips as the same calendar day, whatever the host's time zone.
      const day = (await sql<{ day: string }>`select ${'2024-05-31'}::date as day`.execute(store.db)).rows[0]!
        .day;
      expect(day).toBe('2024-05-31');
      observed[engine.name] = { items, aggregates, literals, day };
    });

    it('counts the rows an insert, update and delete touched', async () => {
      const inserted = await store.db
        .insertInto('app_meta')
        .values([
          { key: 'n1', value: 'v' },
          { key: 'n2', value: 'v' },
        ])
        .executeTakeFirstOrThrow();
      expect(inserted.numInsertedOrUpdatedRows).toBe(2n);
      const updated = await store.db
        .updateTable('app_meta')
        .set({ value: 'w' })
        .where('key', '=', 'n1')
        .executeTakeFirstOrThrow();
      expect(updated.numUpdatedRows).toBe(1n);
      const missed = await store.db
        .updateTable('app_meta')
        .set({ value: 'w' })
        .where('key', '=', 'none')
        .executeTakeFirstOrThrow();
      expect(missed.numUpdatedRows).toBe(0n);
      const deleted = await store.db.deleteFrom('app_meta').executeTakeFirstOrThrow();
      expect(deleted.numDeletedRows).toBe(2n);
      const returning = await store.db
        .insertInto('app_meta')
        .values({ key: 'r', value: 'v' })
        .returning(['key', 'updated_at'])
        .executeTakeFirstOrThrow();
      expect(returning.key).toBe('r');
      expect(returning.updated_at).toBeInstanceOf(Date);
      await store.db.deleteFrom('app_meta').execute();
    });

    it('reports a unique violation with SQLSTATE 23505', async () => {
      await store.db.insertInto('app_meta').values({ key: 'unique', value: 'v' }).execute();
      const error = await store.db
        .insertInto('app_meta')
        .values({ key: 'unique', value: 'w' })
        .execute()
        .then(
          () => undefined,
          (caught: unknown) => caught,
        );
      expect(error).toMatchObject({ code: '23505' });
      await store.db.deleteFrom('app_meta').execute();
    });

    it('checkpoints, closes idempotently, and finds committed rows after reopening', async () => {
      await store.db.insertInto('app_meta').values({ key: 'durable', value: 'yes' }).execute();
      await store.checkpoint();
      await Promise.all([store.close(), store.close()]);
      await store.close();
      store = await handle.reopen();
      const row = await store.db
        .selectFrom('app_meta')
        .select('value')
        .where('key', '=', 'durable')
        .executeTakeFirst();
      expect(row).toEqual({ value: 'yes' });
      expect(await migrateToLatest(store.db)).toEqual({ applied: [] });
    });
  });
}

describe('both engines', () => {
  it('returned identical rows for the same queries', () => {
    expect(Object.keys(observed).sort()).toEqual(['pglite', 'postgres']);
    expect(observed.pglite).toEqual(observed.postgres);
  });

  it('stored identical rows from the same COPY text', () => {
    expect(Object.keys(copied).sort()).toEqual(['pglite', 'postgres']);
    expect(copied.pglite).toEqual(copied.postgres);
  });
});
