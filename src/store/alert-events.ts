import type { Kysely, Transaction } from 'kysely';
import { AlertEventInputSchema, type AlertEvent, type AlertEventInput, type AlertEventKind } from '../model/alert-event.js';
import type { Viewer } from '../model/viewer.js';
import type { Store } from './open-store.js';
import type { Database } from './schema.js';
import { alertEventsVisibleTo } from './visibility.js';

/**
 * Appends one alert event in the caller's transaction, so that the event commits or rolls back with the change it
 * announces. Validated here: a private-readers event without a State would be invisible to everyone but all-readers.
 */
export async function appendAlertEvent(db: Kysely<Database> | Transaction<Database>, input: AlertEventInput): Promise<number> {
  const event = AlertEventInputSchema.parse(input);
  const row = await db
    .insertInto('alert_events')
    .values({
      at: event.at,
      kind: event.kind,
      state_id: event.stateId,
      subject: event.subject,
      title: event.title,
      summary: event.summary,
      link: event.link,
      audience: event.audience,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

export interface AlertEventFilter {
  kinds?: readonly AlertEventKind[];
  stateId?: string;
  /** Only events with an id greater than this (outbox workers and pollers resume from the last id they saw). */
  afterId?: number;
  limit?: number;
}

export function createAlertEventRepository(store: Store) {
  return {
    append: (input: AlertEventInput) => appendAlertEvent(store.db, input),
    /** Events the viewer may read, newest first (or oldest first after `afterId`, for workers that resume). */
    async list(viewer: Viewer, filter: AlertEventFilter = {}): Promise<AlertEvent[]> {
      let query = store.db.selectFrom('alert_events').selectAll().where(alertEventsVisibleTo(viewer));
      if (filter.kinds && filter.kinds.length > 0) query = query.where('kind', 'in', [...filter.kinds]);
      if (filter.stateId) query = query.where('state_id', '=', filter.stateId);
      query = filter.afterId !== undefined ? query.where('id', '>', filter.afterId).orderBy('id', 'asc') : query.orderBy('id', 'desc');
      const rows = await query.limit(Math.min(filter.limit ?? 100, 1000)).execute();
      return rows.map((r) => ({
        id: Number(r.id),
        at: new Date(r.at).toISOString(),
        kind: r.kind as AlertEventKind,
        stateId: r.state_id,
        subject: r.subject,
        title: r.title,
        summary: r.summary,
        link: r.link,
        audience: r.audience as AlertEvent['audience'],
      }));
    },
  };
}

export type AlertEventRepository = ReturnType<typeof createAlertEventRepository>;
