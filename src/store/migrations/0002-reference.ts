import { sql, type Kysely } from 'kysely';

/** Reference data: States crosswalk, aliases, treaty records, embargo episodes, categories/articles documents. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('reference_load')
    .addColumn('id', 'integer', (c) => c.primaryKey().check(sql`id = 1`))
    .addColumn('content_sha256', 'text', (c) => c.notNull())
    .addColumn('loaded_at', 'timestamptz', (c) => c.notNull())
    .addColumn('files', 'jsonb', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('reference_history')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('content_sha256', 'text', (c) => c.notNull())
    .addColumn('loaded_at', 'timestamptz', (c) => c.notNull())
    .addColumn('summary', 'jsonb', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('reference_datasets')
    .addColumn('dataset', 'text', (c) => c.primaryKey())
    .addColumn('file', 'text', (c) => c.notNull())
    .addColumn('as_at', 'date')
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('licence', 'text', (c) => c.notNull())
    .addColumn('notes', 'text')
    .execute();
  await db.schema
    .createTable('states')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('iso3', 'text', (c) => c.unique())
    .addColumn('iso2', 'text')
    .addColumn('m49', 'text')
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('record', 'jsonb', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('state_aliases')
    .addColumn('alias', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('state_id', 'text', (c) => c.notNull().references('states.id'))
    .addColumn('notes', 'text')
    .addPrimaryKeyConstraint('state_aliases_pk', ['alias', 'source'])
    .execute();
  await db.schema
    .createTable('treaty_records')
    .addColumn('state_id', 'text', (c) => c.primaryKey().references('states.id'))
    .addColumn('signature_date', 'date')
    .addColumn('deposit_date', 'date')
    .addColumn('entry_into_force_date', 'date')
    .addColumn('record', 'jsonb', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('embargo_episodes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('authority', 'text', (c) => c.notNull())
    .addColumn('start_date', 'date')
    .addColumn('end_date', 'date')
    .addColumn('target_ids', 'text', (c) => c.notNull())
    .addColumn('record', 'jsonb', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('reference_documents')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('content', 'jsonb', (c) => c.notNull())
    .execute();
}
