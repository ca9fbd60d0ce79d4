import { sql, type Kysely } from 'kysely';

/**
 * The State reporting workflow (ATT Art. 13): reports (one per State, kind and covered year), drafts being filled,
 * and submitted versions. A version is immutable: UPDATE, DELETE and TRUNCATE of `report_versions` raise, as for
 * `audit_log` (migration 0005), so that no code path can rewrite what a State submitted.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('reporting_reports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('state_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('initial', 'annual')`))
    .addColumn('covered_year', 'integer')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addCheckConstraint('reporting_reports_year', sql`(kind = 'annual') = (covered_year is not null)`)
    .execute();
  await db.schema.createIndex('reporting_reports_state_idx').on('reporting_reports').columns(['state_id', 'covered_year']).execute();

  await db.schema
    .createTable('report_drafts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('report_id', 'text', (c) => c.notNull().references('reporting_reports.id'))
    .addColumn('based_on_version', 'integer')
    .addColumn('content', 'jsonb', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('report_drafts_report_idx').on('report_drafts').column('report_id').execute();

  await db.schema
    .createTable('report_versions')
    .addColumn('report_id', 'text', (c) => c.notNull().references('reporting_reports.id'))
    .addColumn('version', 'integer', (c) => c.notNull().check(sql`version >= 1`))
    .addColumn('based_on_version', 'integer')
    .addColumn('submitted_at', 'timestamptz', (c) => c.notNull())
    .addColumn('submitted_by', 'text', (c) => c.notNull())
    .addColumn('content', 'jsonb', (c) => c.notNull())
    .addColumn('title', 'jsonb')
    .addColumn('rows', 'jsonb', (c) => c.notNull())
    .addColumn('import_run_id', 'integer', (c) => c.references('import_runs.id'))
    .addColumn('registry_entry_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('report_versions_pk', ['report_id', 'version'])
    .execute();
  await sql`
    create function report_versions_immutable() returns trigger language plpgsql as $$
    begin
      raise exception 'report_versions are immutable (% refused): amend with a new version', tg_op;
    end
    $$`.execute(db);
  await sql`create trigger report_versions_no_update_delete before update or delete on report_versions
    for each row execute function report_versions_immutable()`.execute(db);
  await sql`create trigger report_versions_no_truncate before truncate on report_versions
    for each statement execute function report_versions_immutable()`.execute(db);
}
