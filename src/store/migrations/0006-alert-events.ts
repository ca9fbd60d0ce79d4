import type { Kysely } from 'kysely';

/**
 * Alert events (src/model/alert-event.ts): appended by write paths in the same transaction as the change they
 * announce; feeds, subscriptions and the outbox read them. Append-only by convention (no API updates them).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('alert_events')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('state_id', 'text')
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('link', 'text', (c) => c.notNull())
    .addColumn('audience', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('alert_events_kind_idx').on('alert_events').columns(['kind', 'id']).execute();
  await db.schema.createIndex('alert_events_state_idx').on('alert_events').columns(['state_id', 'id']).execute();
}
