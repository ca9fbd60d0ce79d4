import { randomBytes, randomUUID } from 'node:crypto';
import type { AlertEventKind } from '../model/alert-event.js';
import { AppError } from '../model/errors.js';
import type { Delivery, Subscription, SubscriptionInput, SubscriptionUpdate } from '../model/subscription.js';
import type { Viewer } from '../model/viewer.js';
import { appendAudit } from './audit-log.js';
import { jsonb } from './jsonb.js';
import type { Store } from './open-store.js';
import { alertEventsVisibleTo } from './visibility.js';

type Owner = Exclude<Viewer, { kind: 'anonymous' } | { kind: 'operator' }>;

interface SubscriptionRow {
  id: string;
  user_id: string;
  kinds: unknown;
  state_id: string | null;
  channel: 'email' | 'webhook';
  webhook_url: string | null;
  created_at: Date;
}

function subscriptionOf(row: SubscriptionRow, email: string | null): Subscription {
  return {
    id: row.id,
    kinds: row.kinds as AlertEventKind[],
    stateId: row.state_id,
    channel: row.channel,
    emailTo: row.channel === 'email' ? email : null,
    webhookUrl: row.webhook_url,
    createdAt: new Date(row.created_at).toISOString(),
  };
}

/** What the audit log keeps of a subscription: never the webhook secret. */
function audited(row: Pick<SubscriptionRow, 'id' | 'kinds' | 'state_id' | 'channel' | 'webhook_url'>) {
  return { id: row.id, kinds: row.kinds, stateId: row.state_id, channel: row.channel, webhookUrl: row.webhook_url };
}

/**
 * Each signed-in user's subscriptions (any role). A user sees and changes only their own: another user's
 * subscription answers 404 like a missing one. Every write is audited; the webhook secret is generated here, returned
 * once by `create`, and never audited.
 */
export function createSubscriptionRepository(store: Store) {
  async function own(owner: Owner, id: string): Promise<SubscriptionRow> {
    const row = await store.db
      .selectFrom('subscriptions')
      .select(['id', 'user_id', 'kinds', 'state_id', 'channel', 'webhook_url', 'created_at'])
      .where('id', '=', id)
      .where('user_id', '=', owner.userId)
      .executeTakeFirst();
    if (!row) {
      throw new AppError('not_found', `you have no subscription with id "${id}"`, { location: { parameter: 'id', value: id }, hint: 'list yours at GET /v1/subscriptions' });
    }
    return row;
  }

  async function emailOf(userId: string): Promise<string | null> {
    return (await store.db.selectFrom('users').select('email').where('id', '=', userId).executeTakeFirst())?.email ?? null;
  }

  const actor = (owner: Owner) => `user:${owner.userId}`;

  return {
    async create(owner: Owner, input: SubscriptionInput, at: Date): Promise<{ subscription: Subscription; webhookSecret: string | null }> {
      const id = randomUUID();
      const secret = input.channel === 'webhook' ? `whsec_${randomBytes(32).toString('base64url')}` : null;
      const row = await store.transaction(async (trx) => {
        // Only events from now on: a new subscription is not flooded with the past.
        const last = await trx.selectFrom('alert_events').select((eb) => eb.fn.max('id').as('m')).executeTakeFirst();
        const values = {
          id,
          user_id: owner.userId,
          kinds: jsonb(input.kinds),
          state_id: input.stateId ?? null,
          channel: input.channel,
          webhook_url: input.webhookUrl ?? null,
          webhook_secret: secret,
          created_at: at,
          from_event_id: Number(last?.m ?? 0),
        };
        await trx.insertInto('subscriptions').values(values).execute();
        const saved = { id, user_id: owner.userId, kinds: input.kinds, state_id: values.state_id, channel: input.channel, webhook_url: values.webhook_url, created_at: at };
        await appendAudit(trx, { at, actor: actor(owner), action: 'subscription.create', target: `subscription:${id}`, before: null, after: audited(saved) });
        return saved;
      });
      return { subscription: subscriptionOf(row, await emailOf(owner.userId)), webhookSecret: secret };
    },

    async list(owner: Owner): Promise<Subscription[]> {
      const rows = await store.db
        .selectFrom('subscriptions')
        .select(['id', 'user_id', 'kinds', 'state_id', 'channel', 'webhook_url', 'created_at'])
        .where('user_id', '=', owner.userId)
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      const email = await emailOf(owner.userId);
      return rows.map((r) => subscriptionOf(r, email));
    },

    async get(owner: Owner, id: string): Promise<Subscription> {
      return subscriptionOf(await own(owner, id), await emailOf(owner.userId));
    },

    async update(owner: Owner, id: string, change: SubscriptionUpdate, at: Date): Promise<Subscription> {
      const before = await own(owner, id);
      const after = {
        ...before,
        ...(change.kinds !== undefined ? { kinds: change.kinds } : {}),
        ...(change.stateId !== undefined ? { state_id: change.stateId } : {}),
      };
      await store.transaction(async (trx) => {
        await trx.updateTable('subscriptions').set({ kinds: jsonb(after.kinds), state_id: after.state_id }).where('id', '=', id).where('user_id', '=', owner.userId).execute();
        await appendAudit(trx, { at, actor: actor(owner), action: 'subscription.update', target: `subscription:${id}`, before: audited(before), after: audited(after) });
      });
      return subscriptionOf(after, await emailOf(owner.userId));
    },

    /** Deletes a subscription and its pending deliveries (its past deliveries go with it). */
    async delete(owner: Owner, id: string, at: Date): Promise<void> {
      const before = await own(owner, id);
      await store.transaction(async (trx) => {
        await trx.deleteFrom('subscriptions').where('id', '=', id).where('user_id', '=', owner.userId).execute();
        await appendAudit(trx, { at, actor: actor(owner), action: 'subscription.delete', target: `subscription:${id}`, before: audited(before), after: null });
      });
    },

    /**
     * The deliveries of one of the owner's subscriptions, newest first, limited to events the owner may read now
     * (a delivery row of an event they may not read is never shown: it would reveal that the event exists).
     */
    async deliveries(owner: Owner, id: string, limit = 100): Promise<Delivery[]> {
      const subscription = await own(owner, id);
      const rows = await store.db
        .selectFrom('outbox_deliveries as d')
        .innerJoin('alert_events', 'alert_events.id', 'd.event_id')
        .leftJoin('outbox_emails as m', 'm.delivery_id', 'd.id')
        .select([
          'd.id',
          'd.event_id',
          'alert_events.kind',
          'alert_events.title',
          'd.channel',
          'd.status',
          'd.attempts',
          'd.next_attempt_at',
          'd.last_error',
          'd.delivered_at',
          'm.to_address',
          'm.subject',
          'm.body',
        ])
        .where('d.subscription_id', '=', subscription.id)
        .where(alertEventsVisibleTo(owner))
        .orderBy('d.id', 'desc')
        .limit(Math.min(limit, 500))
        .execute();
      return rows.map((r) => ({
        id: Number(r.id),
        eventId: Number(r.event_id),
        eventKind: r.kind as AlertEventKind,
        eventTitle: r.title,
        channel: r.channel as Delivery['channel'],
        status: r.status,
        attempts: r.attempts,
        nextAttemptAt: r.status === 'pending' ? new Date(r.next_attempt_at).toISOString() : null,
        lastError: r.last_error,
        deliveredAt: r.delivered_at ? new Date(r.delivered_at).toISOString() : null,
        email: r.to_address !== null && r.subject !== null && r.body !== null ? { to: r.to_address, subject: r.subject, body: r.body } : null,
      }));
    },
  };
}

export type SubscriptionRepository = ReturnType<typeof createSubscriptionRepository>;
