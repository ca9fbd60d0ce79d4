/**
 * OWASP checks over the app as `att serve` builds it (src/cli/app-deps.ts): SQL injection strings stored and
 * returned verbatim, path traversal refused, oversized bodies answered 413, session fixation impossible. CSRF on
 * every state-changing route and the role checks are in visibility-matrix.test.ts; login throttling (429) in
 * src/api/auth/auth.test.ts; stored XSS is rendered inert by the web app (browser tests of annotations).
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, JSON_BODY_LIMIT, UPLOAD_BODY_LIMIT, type ApiApp } from '../../src/api/app.js';
import { argon2Hasher, TEST_ARGON2 } from '../../src/api/auth/passwords.js';
import { appDepsFor } from '../../src/cli/app-deps.js';
import { contextFor } from '../../src/cli/context.js';
import { fixedClock } from '../../src/model/clock.js';
import { loadSettings, PROJECT_ROOT } from '../../src/settings.js';
import { createAccountRepository } from '../../src/store/account-repository.js';
import type { Store } from '../../src/store/open-store.js';
import { syncReference } from '../../src/store/reference-sync.js';
import { registerResearcher, signInApi, type Fetcher } from '../support/api-session.js';
import { pgliteEngine } from '../support/engines.js';

const clock = fixedClock('2026-11-24T09:00:00Z');
const passwords = argon2Hasher(TEST_ARGON2);
const PASSWORD = 'owasp passphrase 2026';
const REFERENCE_DIR = path.join(PROJECT_ROOT, 'data', 'reference');
const INJECTIONS = [`Robert'); DROP TABLE users; --`, `' OR '1'='1`, `"; DELETE FROM audit_log; --`, `\\'; TRUNCATE transfers CASCADE; --`];
const SECRET = 'this file sits outside the web root';

describe('OWASP checks', () => {
  const engine = pgliteEngine();
  let store: Store;
  let app: ApiApp;
  let fetcher: Fetcher;
  let work: string;

  beforeAll(async () => {
    store = await engine.open();
    const sync = await syncReference(store, REFERENCE_DIR, clock);
    // A web root with a secret file beside it: path traversal must never reach the secret.
    work = await mkdtemp(path.join(os.tmpdir(), 'att-owasp-'));
    await mkdir(path.join(work, 'web', 'assets'), { recursive: true });
    await writeFile(path.join(work, 'web', 'index.html'), '<!doctype html><title>app</title>');
    await writeFile(path.join(work, 'web', 'assets', 'app.js'), 'console.log(1)');
    await writeFile(path.join(work, 'secret.txt'), SECRET);
    app = createApp(
      appDepsFor(
        contextFor(store, REFERENCE_DIR, sync),
        loadSettings({ ATT_REGISTRATIONS_PER_HOUR: '100000', ATT_API_KEY_REQUESTS_PER_MINUTE: '100000' }),
        clock,
        { passwords, webRoot: path.join(work, 'web') },
      ),
    );
    fetcher = async (p, init) => app.request(p, init);
    await createAccountRepository(store).createUser(
      { email: 'sec@owasp.example', displayName: 'Secretariat', role: 'secretariat', stateId: null, passwordHash: await passwords.hash(PASSWORD) },
      'operator',
      clock.now(),
    );
  }, 120_000);

  afterAll(async () => {
    await engine.cleanup();
    await rm(work, { recursive: true, force: true });
  });

  describe('SQL injection', () => {
    it('stores and returns injection strings verbatim, and every table is still there', async () => {
      const secretariat = await signInApi(fetcher, 'sec@owasp.example', PASSWORD);
      for (const [i, text] of INJECTIONS.entries()) {
        const response = await fetcher('/v1/auth/register', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email: `inject${i}@owasp.example`, displayName: text, password: PASSWORD }),
        });
        expect(response.status).toBe(201);
        expect(((await response.json()) as { account: { displayName: string } }).account.displayName).toBe(text);
        const recorded = await secretariat.json<{ data: { id: string; notes: string } }>('/v1/reports', {
          json: { stateId: 'NOR', kind: 'annual', coveredYear: 2015 + i, submittedOn: null, exports: null, imports: null, notes: text },
        });
        expect(recorded.data.notes).toBe(text);
        const read = await (await fetcher(`/v1/reports/${encodeURIComponent(recorded.data.id)}`, {})).json() as { data: { entry: { notes: string } } };
        expect(read.data.entry.notes).toBe(text);
      }
      const tables = await store.db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      expect(Number(tables.n)).toBe(1 + INJECTIONS.length);
      expect((await store.db.selectFrom('audit_log').select('id').execute()).length).toBeGreaterThan(INJECTIONS.length);
      expect((await signInApi(fetcher, 'inject0@owasp.example', PASSWORD)).csrfToken).toBeTruthy();
    });

    it('treats injection strings in filters as values (no rows), and refuses them as sort fields', async () => {
      for (const text of INJECTIONS) {
        const filtered = await fetcher(`/v1/transfers?exporterId=${encodeURIComponent(text)}`, {});
        expect(filtered.status).toBe(200);
        expect(((await filtered.json()) as { count: number }).count).toBe(0);
        const sorted = await fetcher(`/v1/transfers?_sort=${encodeURIComponent(text)}`, {});
        expect(sorted.status).toBe(400);
        expect(((await sorted.json()) as { error: { code: string } }).error.code).toBe('validation');
      }
    });
  });

  describe('path traversal', () => {
    const attempts = [
      '/../secret.txt',
      '/..%2fsecret.txt',
      '/%2e%2e/secret.txt',
      '/%2e%2e%2fsecret.txt',
      '/assets/../../secret.txt',
      '/assets/..%2f..%2fsecret.txt',
      '/assets/%2e%2e/%2e%2e/secret.txt',
      '/assets/....//....//secret.txt',
      '/v1/bulk/..%2f..%2fsecret.txt',
      '/v1/bulk/%2e%2e%2fsecret.txt',
    ];
    it.each(attempts)('never serves a file outside the web root for %s', async (attempt) => {
      const response = await fetcher(attempt, {});
      expect(await response.text()).not.toContain(SECRET);
      expect(response.status === 200 ? response.headers.get('content-type') : 'refused').toMatch(/refused|text\/html/);
    });

    it('still serves the app and its assets', async () => {
      expect(await (await fetcher('/assets/app.js', {})).text()).toBe('console.log(1)');
      expect(await (await fetcher('/states/FRA', {})).text()).toContain('<title>app</title>');
    });
  });

  describe('oversized bodies', () => {
    it('answers a JSON body over the limit with 413 in the one error shape, before reading it', async () => {
      const big = JSON.stringify({ email: 'x@owasp.example', password: 'p'.repeat(JSON_BODY_LIMIT) });
      const response = await fetcher('/v1/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: big });
      expect(response.status).toBe(413);
      expect(await response.json()).toMatchObject({ error: { code: 'payload_too_large', status: 413, hint: expect.any(String) } });
    });

    it('answers an upload over the limit with 413, for a signed-in session too', async () => {
      const researcher = await registerResearcher(fetcher, 'uploader@owasp.example', PASSWORD);
      const response = await researcher.request('/v1/reports', {
        method: 'POST',
        headers: { 'content-type': 'text/csv' },
        body: new Uint8Array(UPLOAD_BODY_LIMIT + 1),
      });
      expect(response.status).toBe(413);
    });
  });

  describe('session fixation', () => {
    it('never adopts a session id chosen before sign-in, and ends the session a sign-in replaces', async () => {
      const fixed = 'attacker-chosen-session-id-0000000000000000';
      const login = await fetcher('/v1/auth/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: `att_session=${fixed}` },
        body: JSON.stringify({ email: 'sec@owasp.example', password: PASSWORD }),
      });
      expect(login.status).toBe(200);
      const issued = (login.headers.get('set-cookie') ?? '').match(/att_session=([^;]+)/)?.[1];
      expect(issued).toBeTruthy();
      expect(issued).not.toBe(fixed);
      const asFixed = (await (await fetcher('/v1/auth/me', { headers: { cookie: `att_session=${fixed}` } })).json()) as { viewer: { kind: string } };
      expect(asFixed.viewer.kind).toBe('anonymous');

      // Signing in again from a signed-in browser: a new id, and the old one no longer works.
      const first = await signInApi(fetcher, 'sec@owasp.example', PASSWORD);
      const again = await first.request('/v1/auth/login', { json: { email: 'sec@owasp.example', password: PASSWORD } });
      expect(again.status).toBe(200);
      const second = (again.headers.get('set-cookie') ?? '').match(/att_session=[^;]+/)?.[0];
      expect(second).not.toBe(first.cookie);
      const old = (await (await fetcher('/v1/auth/me', { headers: { cookie: first.cookie } })).json()) as { viewer: { kind: string } };
      expect(old.viewer.kind).toBe('anonymous');
    });
  });
});
