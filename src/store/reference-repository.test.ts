import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { storageEngines, useStorageEngine } from '../../test/support/engines.js';
import { fixedClock } from '../model/clock.js';
import { ANONYMOUS } from '../model/viewer.js';
import { loadReferenceData } from '../reference/load-reference.js';
import { PROJECT_ROOT } from '../settings.js';
import { createReferenceRepository, type ReferenceSnapshot } from './reference-repository.js';
import { syncReference } from './reference-sync.js';

const referenceDir = path.join(PROJECT_ROOT, 'data', 'reference');
const clock = fixedClock('2026-11-24T09:00:00Z');
const snapshots: Record<string, ReferenceSnapshot> = {};

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
