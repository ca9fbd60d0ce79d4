import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { preparedPGliteDataDir, storageEngines, useStorageEngine } from '../../test/support/engines.js';
import { fixedClock } from '../model/clock.js';
import { DEFAULT_REPORTING_RULES } from '../model/reporting.js';
import { OPERATOR } from '../model/viewer.js';
import { createDraft, saveDraft, submitDraft, type ReportingDeps } from '../services/reporting.js';
import { PROJECT_ROOT } from '../settings.js';
import { openStore, type Store } from './open-store.js';
import { createReferenceRepository } from './reference-repository.js';
import { syncReference } from './reference-sync.js';
import { createReportingRepository } from './reporting-repository.js';

const clock = fixedClock('2026-03-10T09:00:00Z');
const REFERENCE = path.join(PROJECT_ROOT, 'data', 'reference');

const depsOf = (store: Store): ReportingDeps => ({
  reporting: createReportingRepository(store),
  reference: createReferenceRepository(store),
  clock,
  rules: DEFAULT_REPORTING_RULES,
});

function content(partner: string) {
  return {
    title: { reportingStateCode: 'FRA', coveredYear: 2025, exportsBasis: 'actual', exportsVisibility: 'public', importsNilReport: true, importsVisibility: 'private', defaultCurrency: 'EUR' },
    exports: [{ category: 'II', partner, numberOfItems: 4, value: '1000' }],
    imports: [],
  };
}

/** A draft of FRA's report on 2025 with one export row to `partner`, ready to submit. */
async function readyDraft(deps: ReportingDeps, partner: string): Promise<string> {
  const draft = await createDraft(deps, OPERATOR, { stateId: 'FRA', kind: 'annual', coveredYear: 2025 });
  const saved = await saveDraft(deps, OPERATOR, draft.id, content(partner));
  expect(saved.validation.issues.filter((i) => i.severity === 'error')).toEqual([]);
  return draft.id;
}

async function counts(store: Store) {
  const one = async (table: 'report_versions' | 'import_runs' | 'report_registry' | 'alert_events' | 'report_drafts' | 'transfers') =>
    (await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(store.db)).rows[0]!.n;
  return {
    versions: await one('report_versions'),
    runs: await one('import_runs'),
    registry: await one('report_registry'),
    alerts: await one('alert_events'),
    drafts: await one('report_drafts'),
    transfers: await one('transfers'),
  };
}

for (const engine of storageEngines()) {
  describe(`reporting workflow storage on ${engine.name}`, () => {
    const handle = useStorageEngine(engine, { setup: (store) => syncReference(store, REFERENCE, clock).then(() => undefined) });

    it('gives versions N and N+1, none lost, when two officers submit the same report at the same moment', async () => {
      const deps = depsOf(handle.store);
      // Two connections on the server (two stores); on PGlite two concurrent calls on its one connection.
      const second = engine.name === 'postgres' ? await engine.open() : handle.store;
      const other = depsOf(second);
      const [a, b] = [await readyDraft(deps, 'CHL'), await readyDraft(other, 'PER')];
      const versions = await Promise.all([submitDraft(deps, OPERATOR, a), submitDraft(other, OPERATOR, b)]);
      expect(versions.map((v) => v.version).sort()).toEqual([1, 2]);
      const stored = await deps.reporting.listVersions(OPERATOR, { reportId: 'FRA-annual-2025' });
      expect(stored.map((v) => [v.version, v.supersededBy])).toEqual([
        [1, 2],
        [2, null],
      ]);
      expect(stored.map((v) => v.rows[0]!.partnerId).sort()).toEqual(['CHL', 'PER']);
      const registry = await handle.store.db.selectFrom('report_registry').select(['kind']).where('state_id', '=', 'FRA').orderBy('kind').execute();
      expect(registry.map((r) => r.kind)).toEqual(['annual', 'update']);
      // The earlier version's rows are withdrawn from the public; the later one's are as the State chose.
      const runs = await handle.store.db.selectFrom('import_runs').select(['id', 'visibility']).orderBy('id').execute();
      const first = stored[0]!.importRunId;
      expect(runs.find((r) => r.id === first)?.visibility).toBe('restricted');
      expect(runs.find((r) => r.id === stored[1]!.importRunId)?.visibility).toBe('public');
    });

    it('refuses any change to a submitted version in the database itself', async () => {
      const { db } = handle.store;
      await expect(sql`update report_versions set submitted_by = 'someone else'`.execute(db)).rejects.toThrow(/immutable/);
      await expect(sql`delete from report_versions`.execute(db)).rejects.toThrow(/immutable/);
      await expect(sql`truncate report_versions cascade`.execute(db)).rejects.toThrow(/immutable/);
      expect((await counts(handle.store)).versions).toBe(2);
    });
  });
}

describe('a submission killed with kill -9', () => {
  const roots: string[] = [];
  afterAll(() => roots.forEach((root) => fs.rmSync(root, { recursive: true, force: true })));

  it('leaves no half-written version: no version, rows, registry entry or alert; the draft is still there', async () => {
    const root = await preparedPGliteDataDir();
    roots.push(root);
    const dataDir = path.join(root, 'pglite');
    let store = await openStore({ kind: 'pglite', dataDir });
    let draftId: string;
    try {
      await syncReference(store, REFERENCE, clock);
      draftId = await readyDraft(depsOf(store), 'CHL');
    } finally {
      await store.close();
    }
    const before = await (async () => {
      store = await openStore({ kind: 'pglite', dataDir });
      try {
        return await counts(store);
      } finally {
        await store.close();
      }
    })();

    const child = spawn(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'test/integration/submission-crash-child.ts'), dataDir, draftId], {
      cwd: PROJECT_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    let output = '';
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no "in-submission" within 60 s: ${output}`)), 60_000);
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('in-submission')) {
          clearTimeout(timer);
          resolve();
        } else if (output.includes('failed') || output.includes('committed')) {
          clearTimeout(timer);
          reject(new Error(`the child did not stop inside the transaction: ${output}`));
        }
      });
    });
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');

    store = await openStore({ kind: 'pglite', dataDir });
    try {
      expect(await counts(store)).toEqual(before);
      expect(before).toMatchObject({ versions: 0, runs: 0, registry: 0, alerts: 0, drafts: 1, transfers: 0 });
      // The draft can be submitted again after recovery, as version 1.
      const version = await submitDraft(depsOf(store), OPERATOR, draftId);
      expect(version.version).toBe(1);
    } finally {
      await store.close();
    }
  }, 120_000);
});
