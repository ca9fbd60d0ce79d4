import { Migrator, sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import { AppError } from '../model/errors.js';
import { migrations as allMigrations, type StoreMigration } from './migrations/index.js';

/** Hands kysely's Migrator the static list (kysely sorts migrations by name, so the list must already be sorted). */
export class StaticMigrationProvider implements MigrationProvider {
  constructor(private readonly list: readonly StoreMigration[]) {}

  async getMigrations(): Promise<Record<string, Migration>> {
    const record: Record<string, Migration> = {};
    let previous = '';
    for (const migration of this.list) {
      if (migration.name in record || migration.name <= previous) {
        throw new AppError('internal', `migration "${migration.name}" is out of order or listed twice`, {
          location: { file: 'src/store/migrations/index.ts' },
          hint: 'list migrations once each, in ascending name order',
        });
      }
      previous = migration.name;
      record[migration.name] = { up: (db) => migration.up(db) };
    }
    return record;
  }
}

/**
 * Applies every pending migration, each in a transaction, under kysely's migration lock. Returns the names applied
 * (empty when the database was already up to date).
 */
export async function migrateToLatest<DB>(
  db: Kysely<DB>,
  list: readonly StoreMigration[] = allMigrations,
): Promise<{ applied: string[] }> {
  // Pin kysely's bookkeeping tables to the schema this connection writes to. Without it the Migrator looks for
  // kysely_migration in *any* schema and, in a database shared by several test schemas, finds someone else's.
  const { rows } = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(db);
  const schema = rows[0]?.schema ?? undefined;
  const migrator = new Migrator({
    db: db as Kysely<unknown>,
    provider: new StaticMigrationProvider(list),
    ...(schema === undefined ? {} : { migrationTableSchema: schema }),
  });
  const { error, results = [] } = await migrator.migrateToLatest();
  if (error !== undefined) {
    if (error instanceof AppError) throw error;
    const failed = results.find((result) => result.status === 'Error')?.migrationName;
    throw new AppError(
      'storage',
      failed === undefined
        ? `database migration failed: ${messageOf(error)}`
        : `database migration "${failed}" failed: ${messageOf(error)}`,
      { hint: 'nothing of that migration was applied; fix it and start again', cause: error },
    );
  }
  return {
    applied: results.filter((result) => result.status === 'Success').map((result) => result.migrationName),
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
