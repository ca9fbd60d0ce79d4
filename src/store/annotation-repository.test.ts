import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { storageEngines, useStorageEngine } from '../../test/support/engines.js';
import { AnnotationInputSchema, type AnnotationInput } from '../model/annotation.js';
import { fixedClock } from '../model/clock.js';
import { AppError } from '../model/errors.js';
import type { ReportRegistryEntry } from '../model/report-registry.js';
import { ANONYMOUS, OPERATOR, type Viewer } from '../model/viewer.js';
import { importFile } from '../services/import-file.js';
import { PROJECT_ROOT } from '../settings.js';
import { createAccountRepository } from './account-repository.js';
import { createAlertEventRepository } from './alert-events.js';
import { createAnnotationRepository } from './annotation-repository.js';
import { createAuditLog } from './audit-log.js';
import { createDataVersion } from './data-version.js';
import { createImportRepository } from './import-repository.js';
import type { Store } from './open-store.js';
import { createReferenceRepository } from './reference-repository.js';
import { syncReference } from './reference-sync.js';
import { createRegistryRepository, saveRegistryEntry } from './registry-repository.js';

const clock = fixedClock('2026-11-24T09:00:00Z');
const at = clock.now();
type Signed = Exclude<Viewer, { kind: 'anonymous' } | { kind: 'operator' }>;

/** France 2024 (exports public, imports private), five accounts, and a report of France with both forms private. */
async function setup(store: Store) {
  await syncReference(store, path.join(PROJECT_ROOT, 'data', 'reference'), clock);
  const bytes = new Uint8Array(await readFile(path.join(PROJECT_ROOT, 'test', 'fixtures', 'att-report', 'report.csv')));
  await importFile({ imports: createImportRepository(store), reference: createReferenceRepository(store), clock }, { source: 'att-report', fileName: 'report.csv', bytes });
  const accounts = createAccountRepository(store);
  for (const [id, role, stateId] of [
    ['author', 'researcher', null],
    ['other', 'researcher', null],
    ['fra', 'state_officer', 'FRA'],
    ['deu', 'state_officer', 'DEU'],
    ['usa', 'state_officer', 'USA'],
    ['sec', 'secretariat', null],
  ] as const) {
    await accounts.createUser({ email: `${id}@example.org`, displayName: `${id} name`, role, stateId, passwordHash: 'x' }, 'operator', at);
  }
  const [france] = await createRegistryRepository(store).list(OPERATOR, { stateId: 'FRA' });
  const privateForm = { visibility: 'private' as const, nil: false, withheldCommerciallySensitive: null, withheldNationalSecurity: null };
  await saveRegistryEntry(store.db, { ...france!, id: 'private-report', importRunId: null, exports: privateForm, imports: privateForm } satisfies ReportRegistryEntry);
}

for (const engine of storageEngines()) {
  describe(`questions and annotations on ${engine.name}`, () => {
    const handle = useStorageEngine(engine, { setup });
    const repo = (perHour = 1000) => createAnnotationRepository(handle.store, { perHour });
    const ids = new Map<string, string>();
    const viewer = async (name: string): Promise<Signed> => {
      if (!ids.has(name)) {
        const row = await handle.store.db.selectFrom('users').select(['id', 'role', 'state_id']).where('email', '=', `${name}@example.org`).executeTakeFirstOrThrow();
        ids.set(name, JSON.stringify(row));
      }
      const row = JSON.parse(ids.get(name)!) as { id: string; role: string; state_id: string | null };
      if (row.role === 'state_officer') return { kind: 'state_officer', userId: row.id, stateId: row.state_id!, stateParty: row.state_id !== 'USA' };
      return { kind: row.role as 'researcher' | 'secretariat', userId: row.id };
    };
    const report = async () => (await createRegistryRepository(handle.store).list(OPERATOR, { stateId: 'FRA' })).find((e) => e.id !== 'private-report')!;
    const rows = async () => {
      const entry = await report();
      return handle.store.db.selectFrom('transfers').select(['id', 'visibility']).where('import_run_id', '=', entry.importRunId!).orderBy('id').execute();
    };
    const publicRow = async () => Number((await rows()).find((r) => r.visibility === 'public')!.id);
    const privateRow = async () => Number((await rows()).find((r) => r.visibility === 'private')!.id);
    const input = (over: Partial<AnnotationInput>): AnnotationInput => AnnotationInputSchema.parse({ reportId: 'x', kind: 'question', text: 'Which end user?', ...over });
    const post = async (who: Signed, over: Partial<AnnotationInput>, r = repo()) => {
      const result = await r.create(who, input({ reportId: (await report()).id, ...over }), at);
      if (!('annotation' in result)) throw new Error('rate limited');
      return result.annotation;
    };
    const sees = async (name: string | Viewer, id: number) => {
      const who = typeof name === 'string' ? await viewer(name) : name;
      return (await repo().get(who, id)) !== undefined && (await repo().list(who)).some((a) => a.id === id);
    };
    const failure = (promise: Promise<unknown>) => promise.then(() => { throw new Error('expected a failure'); }, (error: AppError) => error);

    it('keeps a new question pending: only its author and the Secretariat see it', async () => {
      const created = await post(await viewer('author'), { rowId: await publicRow() });
      expect(created).toMatchObject({ status: 'pending', kind: 'question', stateId: 'FRA', mine: true, authorName: 'author name', answer: null });
      expect(await sees('author', created.id)).toBe(true);
      expect(await sees('sec', created.id)).toBe(true);
      for (const other of [ANONYMOUS, 'other', 'fra', 'deu', 'usa'] as const) expect(await sees(other, created.id)).toBe(false);
    });

    it('refuses a private row: 404 like a missing row to those who may not see it, a conflict to those who may', async () => {
      const researcher = await failure(post(await viewer('author'), { rowId: await privateRow() }));
      const missing = await failure(post(await viewer('author'), { rowId: 999_999 }));
      expect(researcher).toMatchObject({ code: 'not_found' });
      expect(missing).toMatchObject({ code: 'not_found' });
      expect((researcher as AppError).message.replace(/\d+$/, 'N')).toBe((missing as AppError).message.replace(/\d+$/, 'N'));
      expect(await failure(post(await viewer('sec'), { rowId: await privateRow() }))).toMatchObject({ code: 'conflict' });
      expect(await failure(post(await viewer('fra'), { rowId: await privateRow() }))).toMatchObject({ code: 'conflict' });
    });

    it('refuses a report without a public form, and a report that does not exist', async () => {
      expect(await failure(post(await viewer('author'), { reportId: 'private-report' }))).toMatchObject({ code: 'conflict' });
      expect(await failure(post(await viewer('author'), { reportId: 'no-such-report' }))).toMatchObject({ code: 'not_found' });
      const whole = await post(await viewer('author'), { rowId: null, kind: 'annotation', text: 'The imports form is private.' });
      expect(whole).toMatchObject({ rowId: null, kind: 'annotation', status: 'pending' });
    });

    it('publishes an approved question to everyone, announces it publicly, and lets only the reporting State answer', async () => {
      const created = await post(await viewer('author'), { rowId: await publicRow(), text: 'Who is the end user?' });
      const approved = await repo().moderate(await viewer('sec'), created.id, { decision: 'approve', reason: null }, at);
      expect(approved.status).toBe('approved');
      for (const name of [ANONYMOUS, 'other', 'fra', 'deu', 'usa', 'author', 'sec'] as const) expect(await sees(name, created.id)).toBe(true);
      expect(await failure(repo().moderate(await viewer('sec'), created.id, { decision: 'approve', reason: null }, at))).toMatchObject({ code: 'conflict' });

      expect(await failure(repo().answer(await viewer('deu'), created.id, 'Not ours', at))).toMatchObject({ code: 'forbidden' });
      expect(await failure(repo().answer(await viewer('other'), created.id, 'Not ours', at))).toMatchObject({ code: 'forbidden' });
      const answered = await repo().answer(await viewer('fra'), created.id, 'The army.', at);
      expect(answered.answer).toEqual({ text: 'The army.', answeredAt: at.toISOString() });
      const revised = await repo().answer(await viewer('fra'), created.id, 'The national army.', at);
      expect((await repo().get(ANONYMOUS, revised.id))?.answer?.text).toBe('The national army.');

      const events = (await createAlertEventRepository(handle.store).list(ANONYMOUS, { kinds: ['annotation_published'] })).filter((e) => e.subject === `annotation:${created.id}`);
      expect(events).toHaveLength(3);
      expect(events.every((e) => e.audience === 'public' && e.stateId === 'FRA' && !e.title.includes('end user'))).toBe(true);
      const audit = await createAuditLog(handle.store).list(OPERATOR, { limit: 1000 });
      const actions = audit.filter((a) => a.target === `annotation:${created.id}`).map((a) => a.action);
      expect(actions.sort()).toEqual(['annotation.answer', 'annotation.answer', 'annotation.approve', 'annotation.create']);
      const revision = audit.find((a) => a.target === `annotation:${created.id}` && a.action === 'annotation.answer' && a.before !== null);
      expect(revision).toMatchObject({ before: { answer: 'The army.' }, after: { answer: 'The national army.' } });
    });

    it('does not let anyone answer a pending question or an annotation', async () => {
      const pending = await post(await viewer('author'), { rowId: await publicRow() });
      expect(await failure(repo().answer(await viewer('fra'), pending.id, 'Early', at))).toMatchObject({ code: 'not_found' });
      const note = await post(await viewer('author'), { rowId: await publicRow(), kind: 'annotation' });
      await repo().moderate(await viewer('sec'), note.id, { decision: 'approve', reason: null }, at);
      expect(await failure(repo().answer(await viewer('fra'), note.id, 'No', at))).toMatchObject({ code: 'conflict' });
    });

    it('shows a rejection and its reason to the author and the Secretariat only', async () => {
      const created = await post(await viewer('author'), { rowId: null });
      const rejected = await repo().moderate(await viewer('sec'), created.id, { decision: 'reject', reason: 'off topic' }, at);
      expect(rejected).toMatchObject({ status: 'rejected', rejectionReason: 'off topic' });
      expect((await repo().get(await viewer('author'), created.id))?.rejectionReason).toBe('off topic');
      for (const name of [ANONYMOUS, 'other', 'fra'] as const) expect(await sees(name, created.id)).toBe(false);
    });

    it('hides every annotation of a row that later becomes private from anyone not entitled to the row, and refuses to publish it', async () => {
      const row = await publicRow();
      const approved = await post(await viewer('author'), { rowId: row, text: 'Approved before the change' });
      await repo().moderate(await viewer('sec'), approved.id, { decision: 'approve', reason: null }, at);
      const pending = await post(await viewer('author'), { rowId: row, text: 'Pending at the change' });
      await handle.store.db.updateTable('transfers').set({ visibility: 'private' }).where('id', '=', row).execute();
      try {
        for (const id of [approved.id, pending.id]) {
          for (const name of [ANONYMOUS, 'author', 'other', 'usa'] as const) expect(await sees(name, id)).toBe(false);
          expect(await sees('sec', id)).toBe(true);
        }
        // Entitled to the private row (ATT Art. 13(3)): the reporting State and States Parties' officers.
        for (const name of ['fra', 'deu'] as const) expect(await sees(name, approved.id)).toBe(true);
        expect(await failure(repo().moderate(await viewer('sec'), pending.id, { decision: 'approve', reason: null }, at))).toMatchObject({ code: 'conflict' });
        expect(await failure(repo().answer(await viewer('fra'), approved.id, 'Now private', at))).toMatchObject({ code: 'conflict' });
      } finally {
        await handle.store.db.updateTable('transfers').set({ visibility: 'public' }).where('id', '=', row).execute();
      }
    });

    it('hides report annotations when the report loses its last public form', async () => {
      const entry = await report();
      const created = await post(await viewer('author'), { rowId: null, text: 'On the whole report' });
      await repo().moderate(await viewer('sec'), created.id, { decision: 'approve', reason: null }, at);
      expect(await sees(ANONYMOUS, created.id)).toBe(true);
      const privateForm = { visibility: 'private' as const, nil: false, withheldCommerciallySensitive: null, withheldNationalSecurity: null };
      await saveRegistryEntry(handle.store.db, { ...entry, exports: privateForm });
      try {
        for (const name of [ANONYMOUS, 'author', 'usa'] as const) expect(await sees(name, created.id)).toBe(false);
        for (const name of ['fra', 'deu', 'sec'] as const) expect(await sees(name, created.id)).toBe(true);
      } finally {
        await saveRegistryEntry(handle.store.db, entry);
      }
    });

    it('changes the data version (the anonymous cache key) when a question is published, answered or taken down', async () => {
      const version = createDataVersion(handle.store, 0);
      const created = await post(await viewer('author'), { rowId: await publicRow() });
      const pending = await version();
      await repo().moderate(await viewer('sec'), created.id, { decision: 'approve', reason: null }, at);
      const approved = await version();
      await repo().answer(await viewer('fra'), created.id, 'Answer', at);
      const answered = await version();
      await repo().moderate(await viewer('sec'), created.id, { decision: 'reject', reason: 'taken down' }, at);
      const takenDown = await version();
      expect(new Set([pending, approved, answered, takenDown]).size).toBe(4);
      expect(await sees(ANONYMOUS, created.id)).toBe(false);
    });

    it('stores SQL injection strings verbatim and leaves the tables intact', async () => {
      const users = await handle.store.db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      for (const text of ["'; drop table users; --", "' or '1'='1", 'Robert"); DROP TABLE annotations;--']) {
        const created = await post(await viewer('author'), { rowId: await publicRow(), text });
        expect((await repo().get(await viewer('author'), created.id))?.text).toBe(text);
      }
      expect(await failure(post(await viewer('author'), { reportId: "' or '1'='1" }))).toMatchObject({ code: 'not_found' });
      expect(await repo().list(ANONYMOUS, { reportId: "' or '1'='1" })).toEqual([]);
      const after = await handle.store.db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      expect(Number(after.n)).toBe(Number(users.n));
    });

    it('limits posting per account per hour, and says when to try again', async () => {
      const limited = repo(2);
      const who = await viewer('other');
      const since = (await limited.list(who)).filter((a) => a.mine).length;
      expect(since).toBe(0);
      await post(who, { rowId: null }, limited);
      await post(who, { rowId: null }, limited);
      const third = await limited.create(who, input({ reportId: (await report()).id }), at);
      expect(third).toEqual({ retryAfterSeconds: 3600 });
      const later = await limited.create(who, input({ reportId: (await report()).id }), new Date(at.getTime() + 60 * 60_000 + 1000));
      expect('annotation' in later).toBe(true);
    });
  });
}
