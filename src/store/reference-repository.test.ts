import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { storageEngines, useStorageEngine } from '../../test/support/engines.js';
import { fixedClock } from '../model/clock.js';
import { isoDate } from '../model/dates.js';
import { ANONYMOUS } from '../model/viewer.js';
import { loadReferenceData } from '../reference/load-reference.js';
import { PROJECT_ROOT } from '../settings.js';
import { createReferenceRepository, type ReferenceSnapshot } from './reference-repository.js';
import { syncReference } from './reference-sync.js';
import { createReferenceUpkeep } from './reference-upkeep-repository.js';

const referenceDir = path.join(PROJECT_ROOT, 'data', 'reference');
const clock = fixedClock('2026-11-24T09:00:00Z');
const snapshots: Record<string, ReferenceSnapshot> = {};
const AMENDMENT_SOURCE = { url: 'https://treaties.un.org/doc/Publication/CN/2026/CN.999.2026-Eng.pdf', citation: 'Depositary notification C.N.999.2026.TREATIES-XXVI.8 (test)' };

for (const engine of storageEngines()) {
  describe(`reference data in the store on ${engine.name}`, () => {
    const handle = useStorageEngine(engine);

    it('loads data/reference/ once and changes nothing on a second load of the same files', async () => {
      const first = await syncReference(handle.store, referenceDir, clock);
      expect(first.changed).toBe(true);
      const second = await syncReference(handle.store, referenceDir, fixedClock('2026-11-25T09:00:00Z'));
      expect(second).toEqual({ ...first, changed: false });
      const history = await handle.store.db
        .selectFrom('reference_history')
        .select('content_sha256')
        .execute();
      expect(history).toHaveLength(1);
    });

    it('gives back every record exactly as the files hold it', async () => {
      const files = await loadReferenceData(referenceDir);
      const snapshot = await createReferenceRepository(handle.store).snapshot(ANONYMOUS);
      expect(snapshot.states).toEqual([...files.states].sort((a, b) => (a.id < b.id ? -1 : 1)));
      expect(snapshot.treatyRecords).toHaveLength(files.treatyRecords.length);
      expect(snapshot.embargoes).toHaveLength(files.embargoes.length);
      expect(snapshot.datasets.find((d) => d.dataset === 'treaty-status')?.asAt).toBe('2026-02-03');
      expect(snapshot.loadedAt).toEqual(new Date('2026-11-24T09:00:00Z'));
      snapshots[engine.name] = snapshot;
    });

    it('trusts its version check for its TTL, then sees a change made by another writer', async () => {
      let now = 0;
      const repository = createReferenceRepository(handle.store, { versionTtlMs: 1000, now: () => now });
      const before = await repository.snapshot(ANONYMOUS);
      // A reload by another process sharing the server: written without this process knowing (no referenceWritten).
      await handle.store.db.updateTable('reference_load').set({ content_sha256: 'changed-elsewhere' }).where('id', '=', 1).execute();
      now = 999;
      expect((await repository.snapshot(ANONYMOUS)).version).toBe(before.version);
      now = 1000;
      expect((await repository.snapshot(ANONYMOUS)).version).toBe('changed-elsewhere');
      await handle.store.db.updateTable('reference_load').set({ content_sha256: before.version }).where('id', '=', 1).execute();
    });

    it('sees a write made in this process at once, whatever its TTL', async () => {
      const repository = createReferenceRepository(handle.store, { versionTtlMs: 3_600_000 });
      const before = await repository.snapshot(ANONYMOUS);
      const upkeep = createReferenceUpkeep(handle.store);
      const result = await upkeep.amendTreaty('user:sec', 'AGO', { change: { depositDate: isoDate('2026-11-02'), actionType: 'ratification' }, source: AMENDMENT_SOURCE }, new Date('2026-11-20T10:00:00Z'));
      const after = await repository.snapshot(ANONYMOUS);
      expect(after.version).not.toBe(before.version);
      expect(after.treatyRecords.find((r) => r.stateId === 'AGO')).toEqual(result.record);
      // And a reload of changed files by syncReference in this process, likewise.
      const changed = await mkdtemp(path.join(os.tmpdir(), 'att-ref-'));
      try {
        await cp(referenceDir, changed, { recursive: true });
        const file = path.join(changed, 'datasets.csv');
        await writeFile(file, (await readFile(file, 'utf8')).replace('Anything deposited after as_at is missing.', 'Reloaded.'));
        expect((await syncReference(handle.store, changed, clock)).changed).toBe(true);
      } finally {
        await rm(changed, { recursive: true, force: true });
      }
      const reloaded = await repository.snapshot(ANONYMOUS);
      expect(reloaded.version).not.toBe(after.version);
      expect(reloaded.datasets.some((d) => d.notes?.includes('Reloaded.'))).toBe(true);
      await syncReference(handle.store, referenceDir, clock);
    });

    it('leaves the stored reference data untouched when a reload fails validation', async () => {
      const before = await handle.store.db
        .selectFrom('states')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      // A copy of the real reference data with one impossible deposit date.
      const broken = await mkdtemp(path.join(os.tmpdir(), 'att-ref-'));
      try {
        await cp(referenceDir, broken, { recursive: true });
        const file = path.join(broken, 'treaty-status.csv');
        const text = await readFile(file, 'utf8');
        await writeFile(file, text.replace('2014-04-02', '2014-13-02'));
        await expect(syncReference(handle.store, broken, clock)).rejects.toMatchObject({
          code: 'data',
          location: { file: expect.stringContaining('treaty-status.csv'), column: expect.any(String) },
        });
      } finally {
        await rm(broken, { recursive: true, force: true });
      }
      const after = await handle.store.db
        .selectFrom('states')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      expect(after.n).toBe(before.n);
      expect(typeof after.n).toBe('number');
    });
  });
}

describe('reference data across engines', () => {
  it('reads identical snapshots from PGlite and from the PostgreSQL server', () => {
    const [a, b] = Object.values(snapshots);
    expect(a).toBeDefined();
    expect(b).toBeDefined();
    expect({ ...a!, version: '', loadedAt: null }).toEqual({ ...b!, version: '', loadedAt: null });
  });
});
