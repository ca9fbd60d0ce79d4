import { describe, expect, it } from 'vitest';
import { storageEngines, useStorageEngine } from '../../test/support/engines.js';
import type { AlertEventInput } from '../model/alert-event.js';
import { createAccountRepository } from './account-repository.js';
import { appendAlertEvent, createAlertEventRepository } from './alert-events.js';
import { createOutboxRepository } from './outbox-repository.js';
import { createSubscriptionRepository } from './subscription-repository.js';

const at = new Date('2026-11-24T09:00:00Z');
const event = (subject: string): AlertEventInput => ({ kind: 'embargo_changed', at: at.toISOString(), stateId: 'SSD', subject, title: subject, summary: '', link: '/embargoes', audience: 'public' });

for (const engine of storageEngines()) {
  describe(`the outbox on ${engine.name}`, () => {
    const handle = useStorageEngine(engine);

    it('enqueues exactly one delivery per (event, subscription), even when two workers enqueue at once', async () => {
      const store = handle.store;
      const user = await createAccountRepository(store).createUser({ email: 'a@example.org', displayName: 'A', role: 'researcher', stateId: null, passwordHash: 'x' }, 'operator', at);
      const subscriptions = createSubscriptionRepository(store);
      await subscriptions.create({ kind: 'researcher', userId: user.id }, { kinds: ['embargo_changed'], channel: 'email' }, at);
      await subscriptions.create({ kind: 'researcher', userId: user.id }, { kinds: ['embargo_changed'], stateId: 'SSD', channel: 'email' }, at);
      for (let i = 0; i < 5; i++) await appendAlertEvent(store.db, event(`e${i}`));
      const outbox = createOutboxRepository(store);
      const results = await Promise.all([outbox.enqueue(() => true, at), outbox.enqueue(() => true, at), outbox.enqueue(() => true, at)]);
      expect(results.reduce((n, r) => n + r.enqueued, 0)).toBe(10);
      const rows = await store.db.selectFrom('outbox_deliveries').select(['event_id', 'subscription_id']).execute();
      expect(new Set(rows.map((r) => `${r.event_id}|${r.subscription_id}`)).size).toBe(10);
      expect(rows).toHaveLength(10);
    });

    it('picks up an event committed with an id below the cursor (ids are taken at insert, not at commit)', async () => {
      const outbox = createOutboxRepository(handle.store);
      const late = await appendAlertEvent(handle.store.db, event('late'));
      await appendAlertEvent(handle.store.db, event('early'));
      await handle.store.db.updateTable('outbox_state').set({ last_event_id: late + 1 }).where('id', '=', 1).execute();
      await outbox.enqueue(() => true, at);
      const rows = await handle.store.db.selectFrom('outbox_deliveries').select('event_id').where('event_id', '=', late).execute();
      expect(rows).toHaveLength(2);
    });

    it('never hands the same delivery to two workers claiming at once, and leases what it hands out', async () => {
      const outbox = createOutboxRepository(handle.store);
      const [a, b] = await Promise.all([outbox.claim(at, 60_000, 8), outbox.claim(at, 60_000, 8)]);
      const ids = [...a, ...b].map((d) => d.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids.length).toBe(14);
      expect(await outbox.claim(at, 60_000)).toEqual([]);
      expect((await outbox.claim(new Date(at.getTime() + 60_001), 60_000)).length).toBe(14);
    });

    it('appends a deadline alert once per obligation and threshold, marking the wider thresholds with it', async () => {
      const outbox = createOutboxRepository(handle.store);
      const deadline: AlertEventInput = { ...event('deadline:FRA:annual:2026:7'), kind: 'deadline_approaching', stateId: 'FRA' };
      const [first, second] = await Promise.all([
        outbox.appendDeadlineAlert('FRA:annual:2026', 7, [7, 30], deadline, at),
        outbox.appendDeadlineAlert('FRA:annual:2026', 7, [7, 30], deadline, at),
      ]);
      expect([first, second].filter((id) => id !== null)).toHaveLength(1);
      expect(await outbox.appendDeadlineAlert('FRA:annual:2026', 30, [30], deadline, at)).toBeNull();
      const events = await createAlertEventRepository(handle.store).list({ kind: 'operator' }, { kinds: ['deadline_approaching'] });
      expect(events).toHaveLength(1);
    });
  });
}
