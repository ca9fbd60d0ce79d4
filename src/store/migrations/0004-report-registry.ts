import type { Kysely } from 'kysely';

/**
 * The report registry: each report a State submitted (or that was published elsewhere), filled by ATT report
 * imports, a CSV submission log, or recorded by hand. The whole entry is kept in `record`.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('report_registry')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('state_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('covered_year', 'integer')
    .addColumn('submitted_on', 'date')
    .addColumn('origin', 'text', (c) => c.notNull())
    .addColumn('import_run_id', 'integer', (c) => c.references('import_runs.id').onDelete('cascade'))
    .addColumn('record', 'jsonb', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('report_registry_state_year_idx').on('report_registry').columns(['state_id', 'covered_year']).execute();
}
