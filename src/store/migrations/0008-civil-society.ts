import { sql, type Kysely } from 'kysely';

/**
 * The civil-society layer: meetings of the treaty's bodies with their sessions (open or closed to NGOs) and
 * documents, and moderated questions and annotations on public reports with the reporting State's answer.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('meetings')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('number', 'text')
    .addColumn('place', 'text')
    .addColumn('start_date', 'date', (c) => c.notNull())
    .addColumn('end_date', 'date', (c) => c.notNull())
    .addCheckConstraint('meetings_dates', sql`end_date >= start_date`)
    .execute();

  await db.schema
    .createTable('meeting_sessions')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('meeting_id', 'bigint', (c) => c.notNull().references('meetings.id').onDelete('cascade'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('date', 'date', (c) => c.notNull())
    .addColumn('start_time', 'text')
    .addColumn('ngo_access', 'text', (c) => c.notNull().check(sql`ngo_access in ('open', 'closed')`))
    .addColumn('note', 'text')
    .execute();
  await db.schema.createIndex('meeting_sessions_meeting_idx').on('meeting_sessions').column('meeting_id').execute();

  await db.schema
    .createTable('meeting_documents')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('meeting_id', 'bigint', (c) => c.notNull().references('meetings.id').onDelete('cascade'))
    // A deleted session leaves its documents with the meeting.
    .addColumn('session_id', 'bigint', (c) => c.references('meeting_sessions.id').onDelete('set null'))
    .addColumn('symbol', 'text')
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('date', 'date', (c) => c.notNull())
    .addColumn('language', 'text', (c) => c.notNull())
    // http(s) only, checked by the model and again here.
    .addColumn('link', 'text', (c) => c.notNull().check(sql`link ~ '^https?://'`))
    .execute();
  await db.schema.createIndex('meeting_documents_meeting_idx').on('meeting_documents').column('meeting_id').execute();

  await db.schema
    .createTable('annotations')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('report_id', 'text', (c) => c.notNull())
    // No foreign key to transfers: visibility is decided by joining the row at read time; a missing row hides it.
    .addColumn('transfer_id', 'bigint')
    .addColumn('state_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('question', 'annotation')`))
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('pending', 'approved', 'rejected')`))
    .addColumn('author_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('moderated_at', 'timestamptz')
    .addColumn('moderated_by', 'text')
    .addColumn('rejection_reason', 'text')
    .addColumn('answer', 'text')
    .addColumn('answered_at', 'timestamptz')
    .addColumn('answered_by', 'text')
    .addCheckConstraint('annotations_answer_on_question', sql`answer is null or kind = 'question'`)
    .execute();
  await db.schema.createIndex('annotations_report_idx').on('annotations').columns(['report_id', 'id']).execute();
  await db.schema.createIndex('annotations_author_idx').on('annotations').columns(['author_id', 'created_at']).execute();
  await db.schema.createIndex('annotations_status_idx').on('annotations').columns(['status', 'id']).execute();
}
