import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { storageEngines, useStorageEngine } from '../../test/support/engines.js';
import { fixedClock } from '../model/clock.js';
import { isAppError } from '../model/errors.js';
import type { Viewer } from '../model/viewer.js';
import { ANONYMOUS } from '../model/viewer.js';
import { importFile } from '../services/import-file.js';
import { PROJECT_ROOT } from '../settings.js';
import { createAccountRepository } from './account-repository.js';
import { createAuditLog } from './audit-log.js';
import { createImportRepository } from './import-repository.js';
import { createReferenceRepository } from './reference-repository.js';
import { syncReference } from './reference-sync.js';
import { createRegistryRepository } from './registry-repository.js';
import { createTransferRepository, type TransferQuery } from './transfer-repository.js';

const clock = fixedClock('2026-11-24T09:00:00Z');
const at = clock.now();
const HOUR = 3_600_000;

const researcher: Viewer = { kind: 'researcher', userId: 'r' };
const franceOfficer: Viewer = { kind: 'state_officer', userId: 'f', stateId: 'FRA', stateParty: true };
const partyOfficer: Viewer = { kind: 'state_officer', userId: 'd', stateId: 'DEU', stateParty: true };
const nonPartyOfficer: Viewer = { kind: 'state_officer', userId: 'u', stateId: 'USA', stateParty: false };
const nonPartyReporter: Viewer = { kind: 'state_officer', userId: 'f2', stateId: 'FRA', stateParty: false };
const secretariat: Viewer = { kind: 'secretariat', userId: 's' };

const allAttRows: TransferQuery = {
  filters: new Map([['source', ['att-report']]]),
  sort: { field: 'id', descending: false },
  limit: 1000,
  offset: 0,
  facets: [],
};

const user = (email: string, role: 'researcher' | 'secretariat' = 'researcher') => ({
  email,
  displayName: email,
  role,
  stateId: null,
  passwordHash: '$argon2id$fake',
});

for (const engine of storageEngines()) {
  describe(`accounts on ${engine.name}`, () => {
    const handle = useStorageEngine(engine, {
      async setup(store) {
        await syncReference(store, path.join(PROJECT_ROOT, 'data', 'reference'), clock);
        const deps = { imports: createImportRepository(store), reference: createReferenceRepository(store), clock };
        const file = 'att-report/report.csv';
        await importFile(deps, { source: 'att-report', fileName: file, bytes: new Uint8Array(await readFile(path.join(PROJECT_ROOT, 'test', 'fixtures', file))) });
      },
    });
    const accounts = () => createAccountRepository(handle.store);

    it('stores an account with a normalised email and refuses a second account with the same email', async () => {
      const created = await accounts().createUser(user(' Ana@Example.org '), 'operator', at);
      expect(created.email).toBe('ana@example.org');
      expect((await accounts().credentialsOf('ANA@example.org'))?.passwordHash).toBe('$argon2id$fake');
      const error = await accounts().createUser(user('ana@example.org'), 'operator', at).catch((e: unknown) => e);
      expect(isAppError(error) && error.code).toBe('conflict');
    });

    it('finds a live session with its account, and none once expired or deleted', async () => {
      const account = await accounts().createUser(user('session@example.org'), 'operator', at);
      const session = await accounts().createSession(account.id, at, HOUR);
      expect(session.id).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect((await accounts().session(session.id, at))?.account.id).toBe(account.id);
      expect(await accounts().session(session.id, new Date(at.getTime() + 2 * HOUR))).toBeUndefined();
      await accounts().deleteSession(session.id, `user:${account.id}`, at);
      expect(await accounts().session(session.id, at)).toBeUndefined();
    });

    it('accepts an invitation once and creates a State officer bound to its State', async () => {
      const inviter = await accounts().createUser(user('sec@example.org', 'secretariat'), 'operator', at);
      const { token } = await accounts().createInvitation({ email: 'officer@example.fr', stateId: 'FRA', createdBy: inviter.id, at, ttlMs: HOUR });
      const officer = await accounts().acceptInvitation(token, { displayName: 'Officer', passwordHash: 'h' }, at);
      expect(officer).toMatchObject({ role: 'state_officer', stateId: 'FRA', email: 'officer@example.fr' });
      const again = await accounts().acceptInvitation(token, { displayName: 'Officer', passwordHash: 'h' }, at).catch((e: unknown) => e);
      expect(isAppError(again) && again.code).toBe('not_found');
    });

    it('finds the account of an API key and nothing for an unknown key', async () => {
      const account = await accounts().createUser(user('keys@example.org'), 'operator', at);
      const key = await accounts().createApiKey(account.id, at);
      expect((await accounts().accountForApiKey(key, at))?.account.id).toBe(account.id);
      expect(await accounts().accountForApiKey(`${key}x`, at)).toBeUndefined();
    });

    it('counts failed logins per email and address within the window, and clears them', async () => {
      for (let i = 0; i < 3; i++) await accounts().recordFailedLogin('x@example.org', '10.0.0.1', new Date(at.getTime() + i * 1000));
      await accounts().recordFailedLogin('x@example.org', '10.0.0.2', at);
      const since = new Date(at.getTime() - 15 * 60_000);
      expect(await accounts().failedLogins('X@example.org', '10.0.0.1', since)).toEqual({ count: 3, oldest: at });
      await accounts().clearFailedLogins('x@example.org', '10.0.0.1');
      expect((await accounts().failedLogins('x@example.org', '10.0.0.1', since)).count).toBe(0);
    });

    it('writes an audit row for each write, with who, what, when and the after state', async () => {
      const before = (await createAuditLog(handle.store).list(secretariat, { limit: 1000 })).length;
      const account = await accounts().createUser(user('audited@example.org'), 'operator', at);
      await accounts().createSession(account.id, at, HOUR);
      await accounts().createApiKey(account.id, at);
      const rows = await createAuditLog(handle.store).list(secretariat, { limit: 1000 });
      expect(rows.length - before).toBe(3);
      expect(rows.slice(0, 3).map((r) => r.action)).toEqual(['api_key.create', 'session.create', 'user.create']);
      expect(rows[2]).toMatchObject({ actor: 'operator', target: `user:${account.id}`, after: { email: 'audited@example.org', role: 'researcher' } });
      expect(JSON.stringify(rows)).not.toContain('$argon2id$fake');
    });

    it('refuses to update, delete or truncate the audit log, in the database itself', async () => {
      await accounts().createUser(user('append@example.org'), 'operator', at);
      await expect(sql`update audit_log set actor = 'someone else'`.execute(handle.store.db)).rejects.toThrow(/append-only/);
      await expect(sql`delete from audit_log`.execute(handle.store.db)).rejects.toThrow(/append-only/);
      await expect(sql`truncate audit_log`.execute(handle.store.db)).rejects.toThrow(/append-only/);
    });

    it('lets only the Secretariat, admin and the operator read the audit log', async () => {
      for (const viewer of [ANONYMOUS, researcher, franceOfficer]) {
        const error = await createAuditLog(handle.store).list(viewer).catch((e: unknown) => e);
        expect(isAppError(error) && error.code).toBe('forbidden');
      }
    });

    it('shows private transfer rows to the reporting State, the Secretariat and States Parties, never to researchers', async () => {
      const transfers = createTransferRepository(handle.store);
      const privateCount = async (viewer: Viewer) => (await transfers.query(viewer, allAttRows)).rows.filter((r) => r.importerId === 'FRA').length;
      const total = await privateCount(secretariat);
      expect(total).toBeGreaterThan(0);
      expect(await privateCount(ANONYMOUS)).toBe(0);
      expect(await privateCount(researcher)).toBe(0);
      expect(await privateCount(franceOfficer)).toBe(total);
      expect(await privateCount(partyOfficer)).toBe(total);
      expect(await privateCount(nonPartyReporter)).toBe(total);
      expect(await privateCount(nonPartyOfficer)).toBe(0);
      expect((await transfers.query(nonPartyOfficer, allAttRows)).count).toBe((await transfers.query(researcher, allAttRows)).count);
    });

    it('hides a restricted import run, its rows and the private registry details from researchers and non-party officers', async () => {
      const imports = createImportRepository(handle.store);
      const registry = createRegistryRepository(handle.store);
      for (const viewer of [researcher, nonPartyOfficer]) expect(await imports.list(viewer)).toEqual([]);
      for (const viewer of [secretariat, franceOfficer, partyOfficer, nonPartyReporter]) expect(await imports.list(viewer)).toHaveLength(1);
      const runId = (await imports.list(secretariat))[0]!.id;
      const rows = async (viewer: Viewer) => (await imports.transfersOf(viewer, runId)).filter((t) => t.importerId === 'FRA').length;
      expect(await rows(researcher)).toBe(0);
      expect(await rows(secretariat)).toBeGreaterThan(0);
      const imported = async (viewer: Viewer) => (await registry.list(viewer, { stateId: 'FRA' }))[0]?.imports;
      expect(await imported(secretariat)).toEqual(await imported(franceOfficer));
      expect(await imported(researcher)).toEqual({ visibility: 'private', nil: false, withheldCommerciallySensitive: null, withheldNationalSecurity: null });
    });
  });
}
