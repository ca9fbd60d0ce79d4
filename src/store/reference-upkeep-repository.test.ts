import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { storageEngines, useStorageEngine } from '../../test/support/engines.js';
import { treatyStatusOn } from '../analysis/treaty-status.js';
import { fixedClock } from '../model/clock.js';
import { isoDate } from '../model/dates.js';
import { ANONYMOUS, OPERATOR } from '../model/viewer.js';
import { PROJECT_ROOT } from '../settings.js';
import { createAlertEventRepository } from './alert-events.js';
import { createAuditLog } from './audit-log.js';
import { createDataVersion } from './data-version.js';
import { createReferenceRepository } from './reference-repository.js';
import { syncReference } from './reference-sync.js';
import { createReferenceUpkeep } from './reference-upkeep-repository.js';

const referenceDir = path.join(PROJECT_ROOT, 'data', 'reference');
const at = new Date('2026-11-20T10:00:00Z');
const source = { url: 'https://treaties.un.org/doc/Publication/CN/2026/CN.999.2026-Eng.pdf', citation: 'Depositary notification C.N.999.2026.TREATIES-XXVI.8' };

for (const engine of storageEngines()) {
  describe(`reference amendments on ${engine.name}`, () => {
    const handle = useStorageEngine(engine, {
      setup: async (store) => {
        await syncReference(store, referenceDir, fixedClock('2026-11-01T00:00:00Z'));
      },
    });
    const angola = async () => (await createReferenceRepository(handle.store).snapshot(ANONYMOUS)).treatyRecords.find((r) => r.stateId === 'AGO');

    it('records a deposit with its source, audit row and public event in one go, and the snapshot shows it at once', async () => {
      const version = createDataVersion(handle.store, 60_000);
      const before = await version();
      const result = await createReferenceUpkeep(handle.store).amendTreaty('user:sec', 'AGO', { change: { depositDate: isoDate('2026-11-02'), actionType: 'ratification' }, source }, at);
      expect(result.record).toMatchObject({ signatureDate: '2013-09-24', depositDate: '2026-11-02', entryIntoForceDate: '2027-01-31', eifBasis: 'art22(2)', eifConfirmedBy: 'computed' });
      expect(result.record.sources).toContain('C.N.999.2026');
      const record = await angola();
      expect(record).toEqual(result.record);
      // Status before the deposit is unchanged: the facts say Angola was a signatory then.
      expect(treatyStatusOn(record, isoDate('2026-11-01'))).toBe('signatory');
      expect(treatyStatusOn(record, isoDate('2026-11-02'))).toBe('deposited_awaiting_eif');
      expect(treatyStatusOn(record, isoDate('2027-01-31'))).toBe('state_party');

      const events = await createAlertEventRepository(handle.store).list(ANONYMOUS, { kinds: ['treaty_status_changed'] });
      expect(events[0]).toMatchObject({ id: result.eventId, stateId: 'AGO', audience: 'public', link: '/states/AGO' });
      expect(events[0]!.title).toMatch(/Angola: ratification deposited on 2026-11-02; in force for it from 2027-01-31/);
      const audit = await createAuditLog(handle.store).list(OPERATOR, { action: 'treaty_record.update' });
      expect(audit[0]).toMatchObject({ actor: 'user:sec', target: 'treaty:AGO' });
      expect((audit[0]!.before as { depositDate: string | null }).depositDate).toBeNull();
      expect((audit[0]!.after as { depositDate: string }).depositDate).toBe('2026-11-02');
      // A cache keyed by the data version sees the change at once after invalidate (this process wrote it).
      version.invalidate?.();
      expect(await version()).not.toBe(before);
    });

    it('keeps the amendment across a restart and a reload of changed reference files', async () => {
      const store = await handle.reopen();
      const changed = await mkdtemp(path.join(os.tmpdir(), 'att-ref-'));
      try {
        await cp(referenceDir, changed, { recursive: true });
        const file = path.join(changed, 'datasets.csv');
        await writeFile(file, (await readFile(file, 'utf8')).replace('Anything deposited after as_at is missing.', 'Reloaded.'));
        const sync = await syncReference(store, changed, fixedClock('2026-11-21T00:00:00Z'));
        expect(sync.changed).toBe(true);
      } finally {
        await rm(changed, { recursive: true, force: true });
      }
      expect((await angola())?.depositDate).toBe('2026-11-02');
      // The file's own row is untouched: the amendment is an overlay.
      const fileRow = await store.db.selectFrom('treaty_records').select('deposit_date').where('state_id', '=', 'AGO').executeTakeFirstOrThrow();
      expect(fileRow.deposit_date).toBeNull();
    });

    it('records a new embargo episode and amends it, each with a public event', async () => {
      const upkeep = createReferenceUpkeep(handle.store);
      const created = await upkeep.recordEmbargo(
        'user:sec',
        {
          episode: { authority: 'other', target: 'Atlantis', targetIds: ['SSD' as never], scopeCode: 'full', scopeText: 'all arms', direction: 'to_target', startDate: isoDate('2026-01-15'), binding: 'mandatory' },
          source: { citation: 'Regional organisation decision 2026/1' },
        },
        at,
      );
      expect(created.record).toMatchObject({ id: 'OTHER-SSD-2026', endBasis: 'open', chapterVii: 'n/a', confidence: 'high' });
      const amended = await upkeep.amendEmbargo('user:sec', 'OTHER-SSD-2026', { change: { endDate: isoDate('2026-06-30') }, source: { citation: 'Decision 2026/7 lifting it' } }, at);
      expect(amended.record).toMatchObject({ endDate: '2026-06-30', endBasis: 'recorded' });
      const snapshot = await createReferenceRepository(handle.store).snapshot(ANONYMOUS);
      expect(snapshot.embargoes.find((e) => e.id === 'OTHER-SSD-2026')).toMatchObject({ endDate: '2026-06-30' });
      expect((await upkeep.amendments('embargo_episode', 'OTHER-SSD-2026')).map((a) => a.action)).toEqual(['create', 'update']);
      const events = await createAlertEventRepository(handle.store).list(ANONYMOUS, { kinds: ['embargo_changed'] });
      expect(events.map((e) => e.subject)).toEqual(['embargo:OTHER-SSD-2026', 'embargo:OTHER-SSD-2026']);
    });

    it('refuses an implausible change and stores nothing of it', async () => {
      const upkeep = createReferenceUpkeep(handle.store);
      const count = async () => (await handle.store.db.selectFrom('reference_amendments').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;
      const before = Number(await count());
      await expect(upkeep.amendTreaty('user:sec', 'AGO', { change: { signatureDate: isoDate('2016-01-01') }, source }, at)).rejects.toMatchObject({ code: 'validation', location: { parameter: 'change.signatureDate' } });
      await expect(upkeep.amendTreaty('user:sec', 'XYZ', { change: { signatureDate: isoDate('2014-01-01') }, source }, at)).rejects.toMatchObject({ code: 'not_found' });
      expect(Number(await count())).toBe(before);
    });
  });
}
