import { sql, type Transaction } from 'kysely';
import type { Database } from './schema.js';
import type { AlertEvent, AlertEventInput, AlertEventKind } from '../model/alert-event.js';
import type { Subscription } from '../model/subscription.js';
import { appendAlertEvent } from './alert-events.js';
import type { Store } from './open-store.js';

const RESCAN = 200;

/** A subscription as the outbox sees it: with its owner's account (for visibility and the email address). */
export interface SubscriberRow {
  subscription: Pick<Subscription, 'id' | 'kinds' | 'stateId' | 'channel' | 'webhookUrl'> & { fromEventId: number; webhookSecret: string | null };
  user: { id: string; email: string; role: 'researcher' | 'state_officer' | 'secretariat' | 'admin'; stateId: string | null; disabled: boolean };
}

export interface ClaimedDelivery {
  id: number;
  attempts: number;
  event: AlertEvent;
  subscriber: SubscriberRow;
}

function eventOf(r: { id: number; at: Date; kind: string; state_id: string | null; subject: string; title: string; summary: string; link: string; audience: string }): AlertEvent {
  return {
    id: Number(r.id),
    at: new Date(r.at).toISOString(),
    kind: r.kind as AlertEventKind,
    stateId: r.state_id,
    subject: r.subject,
    title: r.title,
    summary: r.summary,
    link: r.link,
    audience: r.audience as AlertEvent['audience'],
  };
}

/**
 * The outbox: delivery rows for (event, subscription) pairs, exactly one per pair (a unique key), worked through by
 * `claim` (a lease, so two workers never send the same row at once) and `complete`/`retry`. Delivery is at least
 * once: a worker that dies after sending and before `complete` leaves the row to be sent again when its lease ends,
 * with the same event id for the receiver to de-duplicate.
 */
export function createOutboxRepository(store: Store) {
  async function subscribers(db: Store['db'] | Transaction<Database>, where?: { subscriptionIds: string[] }): Promise<SubscriberRow[]> {
    let query = db
      .selectFrom('subscriptions as s')
      .innerJoin('users as u', 'u.id', 's.user_id')
      .select(['s.id', 's.kinds', 's.state_id', 's.channel', 's.webhook_url', 's.webhook_secret', 's.from_event_id', 'u.id as user_id', 'u.email', 'u.role', 'u.state_id as user_state_id', 'u.disabled']);
    if (where) {
      if (where.subscriptionIds.length === 0) return [];
      query = query.where('s.id', 'in', where.subscriptionIds);
    }
    const rows = await query.execute();
    return rows.map((r) => ({
      subscription: {
        id: r.id,
        kinds: r.kinds as AlertEventKind[],
        stateId: r.state_id,
        channel: r.channel,
        webhookUrl: r.webhook_url,
        webhookSecret: r.webhook_secret,
        fromEventId: Number(r.from_event_id),
      },
      user: { id: r.user_id, email: r.email, role: r.role, stateId: r.user_state_id, disabled: r.disabled },
    }));
  }

  return {
    subscribers: () => subscribers(store.db),

    /**
     * Enqueues deliveries for events after the outbox's cursor: `decide` says, per event and subscriber, whether a
     * delivery is due (kinds, State, visibility). The cursor and the rows move in one transaction; the unique key
     * makes a second enqueue of the same pair a no-op.
     */
    async enqueue(
      decide: (event: AlertEvent, subscriber: SubscriberRow) => boolean,
      at: Date,
      batch = 500,
    ): Promise<{ events: number; enqueued: number }> {
      return store.transaction(async (trx) => {
        await trx.insertInto('outbox_state').values({ id: 1, last_event_id: 0 }).onConflict((oc) => oc.column('id').doNothing()).execute();
        const cursor = await sql<{ last_event_id: number }>`select last_event_id from outbox_state where id = 1 for update`.execute(trx);
        const last = Number(cursor.rows[0]?.last_event_id ?? 0);
        // Ids are taken when a transaction inserts, not when it commits: an event committed late can carry an id below
        // the cursor. The last RESCAN ids are looked at again every time (the unique key makes that harmless).
        const events = (await trx.selectFrom('alert_events').selectAll().where('id', '>', Math.max(0, last - RESCAN)).orderBy('id').limit(batch + RESCAN).execute()).map(eventOf);
        const fresh = events.filter((e) => e.id > last).length;
        if (events.length === 0) return { events: 0, enqueued: 0 };
        const everyone = await subscribers(trx);
        const values = events.flatMap((event) =>
          everyone
            .filter((s) => event.id > s.subscription.fromEventId && decide(event, s))
            .map((s) => ({ event_id: event.id, subscription_id: s.subscription.id, channel: s.subscription.channel, status: 'pending' as const, next_attempt_at: at, created_at: at })),
        );
        let enqueued = 0;
        for (let i = 0; i < values.length; i += 500) {
          const inserted = await trx
            .insertInto('outbox_deliveries')
            .values(values.slice(i, i + 500))
            .onConflict((oc) => oc.columns(['event_id', 'subscription_id']).doNothing())
            .returning('id')
            .execute();
          enqueued += inserted.length;
        }
        await trx.updateTable('outbox_state').set({ last_event_id: Math.max(last, events[events.length - 1]!.id) }).where('id', '=', 1).execute();
        return { events: fresh, enqueued };
      });
    },

    /** Takes up to `limit` pending deliveries due at `at`, leasing them for `leaseMs` (skipped by other workers). */
    async claim(at: Date, leaseMs: number, limit = 50): Promise<ClaimedDelivery[]> {
      const claimed = await store.transaction(async (trx) => {
        const due = await trx
          .selectFrom('outbox_deliveries')
          .select(['id', 'event_id', 'subscription_id', 'attempts'])
          .where('status', '=', 'pending')
          .where('next_attempt_at', '<=', at)
          .orderBy('id')
          .limit(limit)
          .forUpdate()
          .skipLocked()
          .execute();
        if (due.length === 0) return [];
        await trx
          .updateTable('outbox_deliveries')
          .set({ next_attempt_at: new Date(at.getTime() + leaseMs) })
          .where('id', 'in', due.map((d) => d.id))
          .execute();
        return due;
      });
      if (claimed.length === 0) return [];
      const events = new Map(
        (await store.db.selectFrom('alert_events').selectAll().where('id', 'in', claimed.map((d) => d.event_id)).execute()).map((r) => [Number(r.id), eventOf(r)]),
      );
      const subs = new Map((await subscribers(store.db, { subscriptionIds: [...new Set(claimed.map((d) => d.subscription_id))] })).map((s) => [s.subscription.id, s]));
      return claimed.flatMap((d) => {
        const event = events.get(Number(d.event_id));
        const subscriber = subs.get(d.subscription_id);
        return event && subscriber ? [{ id: Number(d.id), attempts: d.attempts, event, subscriber }] : [];
      });
    },

    /** Marks a delivery done; an email's message is written to outbox_emails in the same transaction. */
    async complete(id: number, at: Date, email?: { to: string; subject: string; body: string }): Promise<void> {
      await store.transaction(async (trx) => {
        if (email) {
          await trx
            .insertInto('outbox_emails')
            .values({ delivery_id: id, to_address: email.to, subject: email.subject, body: email.body, created_at: at })
            .onConflict((oc) => oc.column('delivery_id').doNothing())
            .execute();
        }
        await trx
          .updateTable('outbox_deliveries')
          .set((eb) => ({ status: 'delivered', delivered_at: at, attempts: eb('attempts', '+', 1), last_error: null }))
          .where('id', '=', id)
          .execute();
      });
    },

    /** Records a failed attempt: retried at `nextAttemptAt`, or `dead` when it was the last one. */
    async fail(id: number, error: string, nextAttemptAt: Date | null): Promise<void> {
      await store.db
        .updateTable('outbox_deliveries')
        .set((eb) => ({
          attempts: eb('attempts', '+', 1),
          last_error: error.slice(0, 1000),
          status: nextAttemptAt === null ? 'dead' : 'pending',
          ...(nextAttemptAt !== null ? { next_attempt_at: nextAttemptAt } : {}),
        }))
        .where('id', '=', id)
        .execute();
    },

    /** The subscriber may not read the event (any more): nothing is sent, and the row says why. */
    async withhold(id: number, reason: string): Promise<void> {
      await store.db.updateTable('outbox_deliveries').set({ status: 'withheld', last_error: reason }).where('id', '=', id).execute();
    },

    /**
     * Appends a deadline alert once per (obligation, threshold): `covered` are all the thresholds the deadline is
     * within (marked together, so a wider threshold never fires after a narrower one). Returns the event id, or
     * null when the announced threshold was already done (by this or another process).
     */
    async appendDeadlineAlert(obligationKey: string, threshold: number, covered: readonly number[], event: AlertEventInput, at: Date): Promise<number | null> {
      return store.transaction(async (trx) => {
        const first = await trx
          .insertInto('deadline_alerts')
          .values({ obligation_key: obligationKey, threshold_days: threshold, event_id: null, at })
          .onConflict((oc) => oc.columns(['obligation_key', 'threshold_days']).doNothing())
          .returning('obligation_key')
          .execute();
        if (first.length === 0) return null;
        const eventId = await appendAlertEvent(trx, event);
        await trx.updateTable('deadline_alerts').set({ event_id: eventId }).where('obligation_key', '=', obligationKey).where('threshold_days', '=', threshold).execute();
        const others = covered.filter((t) => t !== threshold);
        if (others.length > 0) {
          await trx
            .insertInto('deadline_alerts')
            .values(others.map((t) => ({ obligation_key: obligationKey, threshold_days: t, event_id: eventId, at })))
            .onConflict((oc) => oc.columns(['obligation_key', 'threshold_days']).doNothing())
            .execute();
        }
        return eventId;
      });
    },
  };
}

export type OutboxRepository = ReturnType<typeof createOutboxRepository>;
