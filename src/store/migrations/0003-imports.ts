import { sql, type Kysely } from 'kysely';

/**
 * Imports and what they brought: one row per import run (a file, identified by source + sha256, so importing the
 * same file twice changes nothing), the accepted transfers with their provenance, other source records (licence
 * refusal criteria, dual-use licences ...), quarantined rows with their issues, and TIV totals kept up to date at
 * import (exporter/importer x year), so the TIV tables are a lookup rather than a scan.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('import_runs')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('parser', 'text', (c) => c.notNull())
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('file_sha256', 'text', (c) => c.notNull())
    .addColumn('file_bytes', 'integer', (c) => c.notNull())
    .addColumn('imported_at', 'timestamptz', (c) => c.notNull())
    .addColumn('rows_read', 'integer', (c) => c.notNull())
    .addColumn('accepted', 'integer', (c) => c.notNull())
    .addColumn('quarantined', 'integer', (c) => c.notNull())
    .addColumn('blank', 'integer', (c) => c.notNull())
    .addColumn('refused', 'boolean', (c) => c.notNull())
    .addColumn('metadata', 'jsonb', (c) => c.notNull())
    .addColumn('stats', 'jsonb', (c) => c.notNull())
    .addColumn('file_issues', 'jsonb', (c) => c.notNull())
    /** `restricted` when the file holds a private form (ATT Art. 13(3)): the run, its rows and quarantine are not public. */
    .addColumn('visibility', 'text', (c) => c.notNull().defaultTo('public'))
    .addUniqueConstraint('import_runs_source_file_unique', ['source', 'file_sha256'])
    .execute();

  await db.schema
    .createTable('transfers')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('import_run_id', 'integer', (c) => c.notNull().references('import_runs.id').onDelete('cascade'))
    .addColumn('row_number', 'integer', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('source_record_id', 'text')
    .addColumn('exporter_id', 'text', (c) => c.notNull())
    .addColumn('importer_id', 'text')
    .addColumn('partner_aggregated', 'boolean', (c) => c.notNull())
    .addColumn('year', 'integer')
    .addColumn('order_year', 'integer')
    .addColumn('category_scheme', 'text', (c) => c.notNull())
    .addColumn('category_code', 'text')
    .addColumn('basis', 'text', (c) => c.notNull())
    .addColumn('number_of_items', 'integer')
    .addColumn('value', 'numeric')
    .addColumn('currency', 'text')
    .addColumn('tiv_delivered', 'numeric')
    /** `public` for every source today; private ATT report forms (Art. 13(3)) will be `private`. */
    .addColumn('visibility', 'text', (c) => c.notNull().defaultTo('public'))
    .addColumn('record', 'jsonb', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('transfers_import_run_idx').on('transfers').column('import_run_id').execute();
  await db.schema.createIndex('transfers_exporter_year_idx').on('transfers').columns(['exporter_id', 'year']).execute();
  await db.schema.createIndex('transfers_importer_year_idx').on('transfers').columns(['importer_id', 'year']).execute();

  await db.schema
    .createTable('source_records')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('import_run_id', 'integer', (c) => c.notNull().references('import_runs.id').onDelete('cascade'))
    .addColumn('row_number', 'integer', (c) => c.notNull())
    .addColumn('sheet', 'text')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('record', 'jsonb', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('source_records_import_run_idx').on('source_records').column('import_run_id').execute();

  await db.schema
    .createTable('quarantined_rows')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('import_run_id', 'integer', (c) => c.notNull().references('import_runs.id').onDelete('cascade'))
    .addColumn('row_number', 'integer', (c) => c.notNull())
    .addColumn('sheet', 'text')
    .addColumn('codes', 'text', (c) => c.notNull())
    .addColumn('raw', 'jsonb', (c) => c.notNull())
    .addColumn('issues', 'jsonb', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('quarantined_rows_import_run_idx').on('quarantined_rows').column('import_run_id').execute();

  await db.schema
    .createTable('tiv_totals')
    .addColumn('import_run_id', 'integer', (c) => c.notNull().references('import_runs.id').onDelete('cascade'))
    .addColumn('side', 'text', (c) => c.notNull().check(sql`side in ('exporter', 'importer')`))
    .addColumn('state_id', 'text', (c) => c.notNull())
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('tiv', 'numeric', (c) => c.notNull())
    .addPrimaryKeyConstraint('tiv_totals_pk', ['import_run_id', 'side', 'state_id', 'year'])
    .execute();
}
