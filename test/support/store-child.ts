/**
 * A second process for the storage tests: `node --import tsx test/support/store-child.ts <mode> <dataDir>`.
 * It reports on stdout, one line per step, so that the parent can act (kill -9, signal) at a known point:
 *
 *   open <dataDir>                  open, print "opened", close, exit 0; on an AppError print "error <json>", exit 2
 *   hold <dataDir>                  open, install the shutdown handlers, print "opened", wait for a signal
 *   crash-in-transaction <dataDir> <committed> <uncommitted>
 *                                   insert rows committed-1..n, print "committed"; open a transaction, insert
 *                                   uncommitted-1..m, print "in-transaction", wait to be killed
 *   crash-in-copy <dataDir> <committed> <uncommitted>
 *                                   the same, the uncommitted rows bulk-loaded by COPY through the transaction's session
 *   create <dataDir>                print "creating", create (and migrate) a new database, print "opened", exit 0
 */
import { sql } from 'kysely';
import { isAppError } from '../../src/model/errors.js';
import { copyLine } from '../../src/store/copy-from.js';
import { installShutdownHandlers, openStore, type Store } from '../../src/store/open-store.js';

const [mode, dataDir, ...rest] = process.argv.slice(2);

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

const forever = (): Promise<never> => new Promise(() => setInterval(() => undefined, 1 << 30));

async function main(): Promise<void> {
  if (mode === undefined || dataDir === undefined)
    throw new Error('usage: store-child.ts <mode> <dataDir> ...');
  if (mode === 'create') say('creating');
  let store: Store;
  try {
    store = await openStore({ kind: 'pglite', dataDir });
  } catch (error) {
    if (!isAppError(error)) throw error;
    say(
      `error ${JSON.stringify({ code: error.code, message: error.message, description: error.describe() })}`,
    );
    process.exit(2);
  }
  switch (mode) {
    case 'open':
    case 'create':
      say('opened');
      await store.close();
      return;
    case 'hold':
      installShutdownHandlers(store);
      say('opened');
      await forever();
      return;
    case 'crash-in-transaction':
    case 'crash-in-copy': {
      const committed = Number(rest[0] ?? 3);
      const uncommitted = Number(rest[1] ?? 3);
      await sql`create table if not exists crash_rows (name text primary key)`.execute(store.db);
      for (let i = 1; i <= committed; i += 1) {
        await store.transaction((trx) =>
          sql`insert into crash_rows values (${`committed-${i}`})`.execute(trx),
        );
      }
      say('committed');
      await store.transaction(async (trx, session) => {
        if (mode === 'crash-in-copy') {
          const lines = Array.from({ length: uncommitted }, (_, i) => copyLine([`uncommitted-${i + 1}`]));
          await session.copyFrom('crash_rows', ['name'], [lines.join('')]);
        } else {
          for (let i = 1; i <= uncommitted; i += 1) {
            await sql`insert into crash_rows values (${`uncommitted-${i}`})`.execute(trx);
          }
        }
        say('in-transaction');
        await forever();
      });
      return;
    }
    default:
      throw new Error(`unknown mode ${mode}`);
  }
}

main().catch((error: unknown) => {
  say(`failed ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
