import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { pgliteEngine, useStorageEngine } from '../../../test/support/engines.js';
import { fixedClock } from '../../model/clock.js';
import { DEFAULT_REPORTING_RULES } from '../../model/reporting.js';
import { importFile } from '../../services/import-file.js';
import { PROJECT_ROOT } from '../../settings.js';
import { createAccountRepository } from '../../store/account-repository.js';
import { createAuditLog } from '../../store/audit-log.js';
import { createImportRepository } from '../../store/import-repository.js';
import { createReferenceRepository } from '../../store/reference-repository.js';
import { syncReference } from '../../store/reference-sync.js';
import { createRegistryRepository } from '../../store/registry-repository.js';
import { createTransferRepository } from '../../store/transfer-repository.js';
import { createApp, type ApiApp } from '../app.js';
import { argon2Hasher, TEST_ARGON2 } from './passwords.js';

const clock = fixedClock('2026-11-24T09:00:00Z');
const passwords = argon2Hasher(TEST_ARGON2);
const PASSWORD = 'correct horse battery staple';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;

// The API over one engine (PGlite): the repositories underneath run on both engines in src/store/*.test.ts.
describe('accounts API', () => {
  const handle = useStorageEngine(pgliteEngine(), {
    async setup(store) {
      await syncReference(store, path.join(PROJECT_ROOT, 'data', 'reference'), clock);
      const deps = { imports: createImportRepository(store), reference: createReferenceRepository(store), clock };
      const file = 'att-report/report.csv';
      await importFile(deps, { source: 'att-report', fileName: file, bytes: new Uint8Array(await readFile(path.join(PROJECT_ROOT, 'test', 'fixtures', file))) });
      const accounts = createAccountRepository(store);
      const hash = await passwords.hash(PASSWORD);
      await accounts.createUser({ email: 'sec@att.example', displayName: 'Secretariat', role: 'secretariat', stateId: null, passwordHash: hash }, 'operator', clock.now());
      await accounts.createUser({ email: 'ngo@example.org', displayName: 'NGO', role: 'researcher', stateId: null, passwordHash: hash }, 'operator', clock.now());
    },
  });
  let app: ApiApp;
  beforeAll(() => {
    const store = handle.store;
    app = createApp({
      reference: createReferenceRepository(store),
      imports: createImportRepository(store),
      transfers: createTransferRepository(store),
      registry: createRegistryRepository(store),
      referenceDir: path.join(PROJECT_ROOT, 'data', 'reference'),
      clock,
      reporting: DEFAULT_REPORTING_RULES,
      dataVersion: async () => 'v1',
      auth: { accounts: createAccountRepository(store), passwords, apiKeyRequestsPerMinute: 3 },
    });
  });

  let ipCounter = 0;
  /** Each login call comes from its own address unless told, so that throttling tests do not interfere. */
  const login = async (email: string, password = PASSWORD, options: { ip?: string; url?: string } = {}) => {
    const ip = options.ip ?? `10.1.0.${++ipCounter}`;
    const response = await app.request(options.url ?? '/v1/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': ip },
      body: JSON.stringify({ email, password }),
    }, { incoming: { socket: { remoteAddress: ip } } });
    const cookie = response.headers.get('set-cookie') ?? '';
    const body = (await response.json()) as Json;
    return { response, body, cookie, session: cookie.match(/att_session=([^;]+)/)?.[1] ?? '', csrf: body.csrfToken as string };
  };
  const as = (session: { session: string; csrf?: string }, init: RequestInit & { json?: unknown; csrf?: boolean } = {}) => {
    const headers: Record<string, string> = { cookie: `att_session=${session.session}` };
    if (init.json !== undefined) headers['content-type'] = 'application/json';
    if (init.csrf !== false && session.csrf) headers['x-csrf-token'] = session.csrf;
    return { method: init.method ?? 'GET', headers, ...(init.json !== undefined ? { body: JSON.stringify(init.json) } : {}) };
  };
  const privateFranceRows = async (init: RequestInit = {}) => {
    const response = await app.request('/v1/transfers?source=att-report&importerId=FRA&_size=max', init);
    expect(response.status).toBe(200);
    return ((await response.json()) as Json).count as number;
  };

  it('sets an HttpOnly, SameSite=Lax session cookie on login, and a new session id at every login', async () => {
    const first = await login('sec@att.example');
    const second = await login('sec@att.example');
    expect(first.response.status).toBe(200);
    expect(first.cookie).toMatch(/HttpOnly/);
    expect(first.cookie).toMatch(/SameSite=Lax/);
    expect(first.cookie).toMatch(/Path=\//);
    expect(first.cookie).not.toMatch(/Secure/);
    expect(first.session).toHaveLength(43);
    expect(second.session).not.toBe(first.session);
    expect(second.csrf).not.toBe(first.csrf);
  });

  it('marks the cookie Secure when the request is https', async () => {
    const { cookie } = await login('sec@att.example', PASSWORD, { url: 'https://att.example/v1/auth/login' });
    expect(cookie).toMatch(/Secure/);
  });

  it('returns the viewer and the CSRF token from /v1/auth/me, and anonymous without a session', async () => {
    const session = await login('sec@att.example');
    const me = (await (await app.request('/v1/auth/me', as(session))).json()) as Json;
    expect(me.viewer.kind).toBe('secretariat');
    expect(me.csrfToken).toBe(session.csrf);
    const anonymous = await app.request('/v1/auth/me');
    expect(((await anonymous.json()) as Json).viewer).toEqual({ kind: 'anonymous' });
    // Never cached: a browser that kept the anonymous answer would not see its own sign-in.
    expect(anonymous.headers.get('cache-control')).toBe('private, no-store');
    // Public answers are cacheable, but keyed on the credentials: signing in never shows the anonymous copy.
    const states = await app.request('/v1/states?_size=1');
    expect(states.headers.get('cache-control')).toBe('public, max-age=300');
    expect(states.headers.get('vary')).toMatch(/Cookie/);
    expect(states.headers.get('vary')).toMatch(/Authorization/);
  });

  it('answers a POST with a session cookie but without the CSRF header with 403 in the one error shape', async () => {
    const session = await login('sec@att.example');
    const response = await app.request('/v1/invitations', as(session, { method: 'POST', json: { email: 'o@example.fr', stateId: 'FRA' }, csrf: false }));
    expect(response.status).toBe(403);
    const body = (await response.json()) as Json;
    expect(body.error).toMatchObject({ code: 'forbidden', status: 403, parameter: 'x-csrf-token' });
    const wrong = await app.request('/v1/auth/logout', { ...as(session, { method: 'POST', csrf: false }), headers: { cookie: `att_session=${session.session}`, 'x-csrf-token': 'nope' } });
    expect(wrong.status).toBe(403);
  });

  it('answers the 6th bad password for an email from one address with 429 and Retry-After', async () => {
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 6; i++) {
      last = (await login('ngo@example.org', 'wrong password!', { ip: '192.0.2.9' })).response;
      statuses.push(last.status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0);
    // Even the right password waits: the throttle is checked first.
    expect((await login('ngo@example.org', PASSWORD, { ip: '192.0.2.9' })).response.status).toBe(429);
    // Another address is not throttled.
    expect((await login('ngo@example.org', PASSWORD, { ip: '192.0.2.10' })).response.status).toBe(200);
  });

  it('logs out: the session no longer works', async () => {
    const session = await login('ngo@example.org');
    expect((await app.request('/v1/auth/logout', as(session, { method: 'POST' }))).status).toBe(204);
    const me = (await (await app.request('/v1/auth/me', as(session))).json()) as Json;
    expect(me.viewer.kind).toBe('anonymous');
  });

  it('lets the Secretariat invite a State officer once: the invitation is single-use', async () => {
    const secretariat = await login('sec@att.example');
    const created = await app.request('/v1/invitations', as(secretariat, { method: 'POST', json: { email: 'officer@example.fr', stateId: 'FRA' } }));
    expect(created.status).toBe(201);
    const { token } = (await created.json()) as Json;
    const accept = () =>
      app.request(`/v1/invitations/${token}/accept`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ displayName: 'French officer', password: PASSWORD }),
      });
    const first = await accept();
    expect(first.status).toBe(201);
    expect(((await first.json()) as Json).account).toMatchObject({ role: 'state_officer', stateId: 'FRA' });
    const second = await accept();
    expect(second.status).toBe(404);
    expect(((await second.json()) as Json).error.code).toBe('not_found');
  });

  it('refuses invitations from a researcher (403) and from nobody (401)', async () => {
    const researcher = await login('ngo@example.org');
    expect((await app.request('/v1/invitations', as(researcher, { method: 'POST', json: { email: 'x@example.fr', stateId: 'FRA' } }))).status).toBe(403);
    const anonymous = await app.request('/v1/invitations', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'x@example.fr', stateId: 'FRA' }) });
    expect(anonymous.status).toBe(401);
  });

  it('shows private transfer rows to the reporting State officer and the Secretariat, never to a researcher or the public', async () => {
    const secretariat = await login('sec@att.example');
    const officer = await login('officer@example.fr');
    const researcher = await login('ngo@example.org');
    // Anonymous first, so that the response cache holds the public answer: it must not be served to anyone else.
    expect(await privateFranceRows()).toBe(0);
    const all = await privateFranceRows(as(secretariat));
    expect(all).toBeGreaterThan(0);
    expect(await privateFranceRows(as(officer))).toBe(all);
    expect(await privateFranceRows(as(researcher))).toBe(0);
    const response = await app.request('/v1/transfers?source=att-report', as(secretariat));
    expect(response.headers.get('cache-control')).toBe('private, no-store');
  });

  it('gives a researcher an API key that acts as them, limited per minute (429 with Retry-After)', async () => {
    const researcher = await login('ngo@example.org');
    const created = await app.request('/v1/api-keys', as(researcher, { method: 'POST' }));
    expect(created.status).toBe(201);
    const { key } = (await created.json()) as Json;
    const bearer = { headers: { authorization: `Bearer ${key}` } };
    const me = (await (await app.request('/v1/auth/me', bearer)).json()) as Json;
    expect(me.viewer.kind).toBe('researcher');
    expect(await privateFranceRows(bearer)).toBe(0);
    const third = await app.request('/v1/auth/me', bearer);
    expect(third.status).toBe(200);
    const fourth = await app.request('/v1/auth/me', bearer);
    expect(fourth.status).toBe(429);
    expect(fourth.headers.get('retry-after')).toBe('60');
    expect(((await fourth.json()) as Json).error.code).toBe('rate_limited');
    expect((await app.request('/v1/auth/me', { headers: { authorization: 'Bearer not-a-key' } })).status).toBe(401);
  });

  it('refuses API keys to accounts that are not researchers', async () => {
    const secretariat = await login('sec@att.example');
    expect((await app.request('/v1/api-keys', as(secretariat, { method: 'POST' }))).status).toBe(403);
  });

  it('lets a researcher register (never another role), refuses a second account for the email, and limits registrations per address', async () => {
    const register = (email: string, ip: string, extra: Json = {}) =>
      app.request('/v1/auth/register', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, displayName: 'Ngo Researcher', password: PASSWORD, ...extra }),
      }, { incoming: { socket: { remoteAddress: ip } } });
    const created = await register('new.researcher@example.org', '10.9.0.1', { role: 'secretariat' });
    expect(created.status).toBe(201);
    expect(((await created.json()) as Json).account).toMatchObject({ role: 'researcher', stateId: null });
    const signedIn = await login('new.researcher@example.org');
    expect(signedIn.body.account.role).toBe('researcher');
    expect((await register('New.Researcher@example.org', '10.9.0.1')).status).toBe(409);
    expect((await register('short@example.org', '10.9.0.1', { password: 'short' })).status).toBe(400);
    for (let i = 0; i < 3; i += 1) expect((await register(`more${i}@example.org`, '10.9.0.1')).status).toBe(201);
    const limited = await register('one.too.many@example.org', '10.9.0.1');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
    expect((await register('other.address@example.org', '10.9.0.2')).status).toBe(201);
  });

  it('has written an audit row for each write above', async () => {
    const rows = await createAuditLog(handle.store).list({ kind: 'operator' }, { limit: 1000 });
    const actions = new Set(rows.map((r) => r.action));
    for (const action of ['user.create', 'session.create', 'session.delete', 'invitation.create', 'invitation.accept', 'api_key.create']) {
      expect(actions).toContain(action);
    }
    const invitation = rows.find((r) => r.action === 'invitation.create');
    expect(invitation?.actor).toMatch(/^user:/);
    expect(invitation?.after).toMatchObject({ email: 'officer@example.fr', stateId: 'FRA', role: 'state_officer' });
    expect(invitation?.at).toEqual(clock.now());
  });

  it('lets only the Secretariat record a report received outside the system, audited', async () => {
    const report = { stateId: 'DEU', kind: 'annual', coveredYear: 2024, submittedOn: '2025-06-05', exports: { visibility: 'public', nil: false, withheldCommerciallySensitive: null, withheldNationalSecurity: null }, imports: { visibility: 'private', nil: false, withheldCommerciallySensitive: null, withheldNationalSecurity: null } };
    const anonymous = await app.request('/v1/reports', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(report) });
    expect(anonymous.status).toBe(401);
    const ngo = await login('ngo@example.org');
    expect((await app.request('/v1/reports', as(ngo, { method: 'POST', json: report }))).status).toBe(403);
    const sec = await login('sec@att.example');
    expect((await app.request('/v1/reports', as(sec, { method: 'POST', json: report, csrf: false }))).status).toBe(403);
    const created = await app.request('/v1/reports', as(sec, { method: 'POST', json: report }));
    expect(created.status).toBe(201);
    const entry = ((await created.json()) as Json).data;
    expect(entry).toMatchObject({ stateId: 'DEU', origin: 'recorded', coveredYear: 2024 });
    const listed = (await (await app.request('/v1/reports?stateId=DEU')).json()) as Json;
    expect(listed.rows.map((r: { id: string }) => r.id)).toContain(entry.id);
    const audit = await createAuditLog(handle.store).list({ kind: 'operator' }, { limit: 1000 });
    expect(audit.find((a) => a.target === entry.id)).toMatchObject({ action: 'report_registry.create', actor: expect.stringMatching(/^user:/) });
    const impossible = await app.request('/v1/reports', as(sec, { method: 'POST', json: { ...report, coveredYear: null, kind: 'annual' } }));
    expect(impossible.status).toBe(400);
  });
});
