import { describe, expect, it } from 'vitest';
import { storageEngines, useStorageEngine } from '../../test/support/engines.js';
import type { AlertEventInput } from '../model/alert-event.js';
import { ANONYMOUS, OPERATOR, type Viewer } from '../model/viewer.js';
import { appendAlertEvent, createAlertEventRepository } from './alert-events.js';

const at = '2026-11-24T09:00:00.000Z';
const published: AlertEventInput = {
  kind: 'report_published',
  at,
  stateId: 'FRA',
  subject: 'report:FRA-2025',
  title: 'France published its annual report for 2025',
  summary: 'Exports and imports, public.',
  link: '/reports/FRA-2025',
  audience: 'public',
};
const privateDetail: AlertEventInput = {
  kind: 'report_made_private',
  at,
  stateId: 'FRA',
  subject: 'report:FRA-2025',
  title: 'France made its exports form for 2025 private',
  summary: 'Version 2 replaces version 1.',
  link: '/reports/FRA-2025',
  audience: 'private-readers',
};

const researcher: Viewer = { kind: 'researcher', userId: 'r' };
const ownOfficer: Viewer = { kind: 'state_officer', userId: 'f', stateId: 'FRA', stateParty: false };
const otherNonParty: Viewer = { kind: 'state_officer', userId: 'u', stateId: 'USA', stateParty: false };
const partyOfficer: Viewer = { kind: 'state_officer', userId: 'd', stateId: 'DEU', stateParty: true };

for (const engine of storageEngines()) {
  describe(`alert events on ${engine.name}`, () => {
    const handle = useStorageEngine(engine);
    const events = () => createAlertEventRepository(handle.store);

    it('shows private-readers events only to those who may read the State private forms', async () => {
      await events().append(published);
      await events().append(privateDetail);
      const titles = async (viewer: Viewer) => (await events().list(viewer, { stateId: 'FRA' })).map((e) => e.kind);
      expect(await titles(ANONYMOUS)).toEqual(['report_published']);
      expect(await titles(researcher)).toEqual(['report_published']);
      expect(await titles(otherNonParty)).toEqual(['report_published']);
      expect(await titles(ownOfficer)).toEqual(['report_made_private', 'report_published']);
      expect(await titles(partyOfficer)).toEqual(['report_made_private', 'report_published']);
      expect(await titles(OPERATOR)).toEqual(['report_made_private', 'report_published']);
    });

    it('resumes after an id in ascending order, as an outbox worker does', async () => {
      const first = await events().append({ ...published, subject: 'report:resume-1' });
      const second = await events().append({ ...published, subject: 'report:resume-2' });
      const after = await events().list(OPERATOR, { afterId: first });
      expect(after.map((e) => e.id)).toEqual([second]);
    });

    it('rolls back with the transaction that appended it', async () => {
      const failure = await handle.store
        .transaction(async (trx) => {
          await appendAlertEvent(trx, { ...published, subject: 'report:rolled-back' });
          throw new Error('the change failed');
        })
        .catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(Error);
      expect((await events().list(OPERATOR)).some((e) => e.subject === 'report:rolled-back')).toBe(false);
    });

    it('refuses a private-readers event that names no State', async () => {
      await expect(events().append({ ...privateDetail, stateId: null })).rejects.toThrow(/names the State/);
    });
  });
}
