import { sql, type Kysely } from 'kysely';

/**
 * Reference upkeep and alerts (issue 7):
 * - `reference_amendments`: treaty records and embargo episodes recorded or amended in the app, applied over the
 *   reference files (an overlay: syncReference never touches it, so a restart or a reload keeps them);
 * - `deadline_alerts`: which (obligation, threshold) pairs have been announced, so the tick is idempotent;
 * - `subscriptions`, `outbox_state`, `outbox_deliveries` (exactly one per event and subscription), `outbox_emails`.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('reference_amendments')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('target_kind', 'text', (c) => c.notNull().check(sql`target_kind in ('treaty_record', 'embargo_episode')`))
    .addColumn('target_id', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull().check(sql`action in ('create', 'update')`))
    .addColumn('changes', 'jsonb', (c) => c.notNull())
    .addColumn('after', 'jsonb', (c) => c.notNull())
    .addColumn('source', 'jsonb', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('reference_amendments_target_idx').on('reference_amendments').columns(['target_kind', 'target_id', 'id']).execute();

  await db.schema
    .createTable('deadline_alerts')
    .addColumn('obligation_key', 'text', (c) => c.notNull())
    .addColumn('threshold_days', 'integer', (c) => c.notNull())
    .addColumn('event_id', 'bigint', (c) => c.references('alert_events.id'))
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('deadline_alerts_pk', ['obligation_key', 'threshold_days'])
    .execute();

  await db.schema
    .createTable('subscriptions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('kinds', 'jsonb', (c) => c.notNull())
    .addColumn('state_id', 'text')
    .addColumn('channel', 'text', (c) => c.notNull().check(sql`channel in ('email', 'webhook')`))
    .addColumn('webhook_url', 'text')
    // The HMAC key must be readable to sign (unlike a password): kept as is, never audited nor shown again.
    .addColumn('webhook_secret', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    // Events before a subscription existed are not delivered to it.
    .addColumn('from_event_id', 'bigint', (c) => c.notNull())
    .addCheckConstraint('subscriptions_webhook', sql`(channel = 'webhook') = (webhook_url is not null and webhook_secret is not null)`)
    .execute();
  await db.schema.createIndex('subscriptions_user_idx').on('subscriptions').column('user_id').execute();

  await db.schema
    .createTable('outbox_state')
    .addColumn('id', 'integer', (c) => c.primaryKey().check(sql`id = 1`))
    .addColumn('last_event_id', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('outbox_deliveries')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('event_id', 'bigint', (c) => c.notNull().references('alert_events.id'))
    .addColumn('subscription_id', 'text', (c) => c.notNull().references('subscriptions.id').onDelete('cascade'))
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('pending', 'delivered', 'dead', 'withheld')`))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'timestamptz', (c) => c.notNull())
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('delivered_at', 'timestamptz')
    // Exactly-once enqueue: one delivery per (event, subscription), whoever enqueues and however often.
    .addUniqueConstraint('outbox_deliveries_event_subscription', ['event_id', 'subscription_id'])
    .execute();
  await db.schema.createIndex('outbox_deliveries_due_idx').on('outbox_deliveries').columns(['status', 'next_attempt_at']).execute();
  await db.schema.createIndex('outbox_deliveries_subscription_idx').on('outbox_deliveries').columns(['subscription_id', 'id']).execute();

  await db.schema
    .createTable('outbox_emails')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('delivery_id', 'bigint', (c) => c.notNull().unique().references('outbox_deliveries.id').onDelete('cascade'))
    .addColumn('to_address', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    // An operator's mail relay reads the rows where sent_at is null, sends them and sets it.
    .addColumn('sent_at', 'timestamptz')
    .execute();
}
