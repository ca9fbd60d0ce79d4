import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { signInApi, type ApiSession } from '../../test/support/api-session.js';
import { pgliteEngine, useStorageEngine } from '../../test/support/engines.js';
import { fixedClock } from '../model/clock.js';
import { DEFAULT_REPORTING_RULES } from '../model/reporting.js';
import { importFile } from '../services/import-file.js';
import { PROJECT_ROOT } from '../settings.js';
import { createAccountRepository } from '../store/account-repository.js';
import { createAnnotationRepository } from '../store/annotation-repository.js';
import { createImportRepository } from '../store/import-repository.js';
import { createMeetingRepository } from '../store/meeting-repository.js';
import { createReferenceRepository } from '../store/reference-repository.js';
import { syncReference } from '../store/reference-sync.js';
import { createRegistryRepository } from '../store/registry-repository.js';
import { createTransferRepository } from '../store/transfer-repository.js';
import { createApp, type ApiApp } from './app.js';
import { argon2Hasher, TEST_ARGON2 } from './auth/passwords.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;

const clock = fixedClock('2026-11-24T09:00:00Z');
const passwords = argon2Hasher(TEST_ARGON2);
const PASSWORD = 'correct horse battery staple';
const referenceDir = path.join(PROJECT_ROOT, 'data', 'reference');
const PER_HOUR = 12;

/** Who asks: every role the civil-society endpoints treat differently. USA is not a State Party: own private forms only. */
const ACCOUNTS = {
  author: { role: 'researcher', stateId: null },
  other: { role: 'researcher', stateId: null },
  fra: { role: 'state_officer', stateId: 'FRA' },
  usa: { role: 'state_officer', stateId: 'USA' },
  deu: { role: 'state_officer', stateId: 'DEU' },
  sec: { role: 'secretariat', stateId: null },
} as const;
type Name = keyof typeof ACCOUNTS | 'anonymous';
const EVERYONE: Name[] = ['anonymous', 'author', 'other', 'fra', 'usa', 'deu', 'sec'];

const XSS = ['<script>alert("xss")</script>', '<img src=x onerror=alert(1)>', '[click](javascript:alert(1)) javascript:alert(1)', '"><svg onload=alert(1)>'];
const SQL = ["'; drop table users; --", "' or '1'='1"];

// The API over one engine (PGlite); the SQL underneath runs on both engines in src/store/*-repository.test.ts.
describe('civil-society API: meetings, questions and annotations, by role', () => {
  const handle = useStorageEngine(pgliteEngine(), {
    async setup(store) {
      await syncReference(store, referenceDir, clock);
      // France 2024: exports form public, imports form private (hand-written fixture).
      const bytes = new Uint8Array(await readFile(path.join(PROJECT_ROOT, 'test', 'fixtures', 'att-report', 'report.csv')));
      await importFile({ imports: createImportRepository(store), reference: createReferenceRepository(store), clock }, { source: 'att-report', fileName: 'report.csv', bytes });
      const accounts = createAccountRepository(store);
      const hash = await passwords.hash(PASSWORD);
      for (const [name, { role, stateId }] of Object.entries(ACCOUNTS)) {
        await accounts.createUser({ email: `${name}@example.org`, displayName: `${name} display`, role, stateId, passwordHash: hash }, 'operator', clock.now());
      }
    },
  });
  let app: ApiApp;
  const sessions = new Map<Name, ApiSession>();
  let reportId = '';
  let publicRow = 0;
  let privateRow = 0;

  beforeAll(async () => {
    const store = handle.store;
    app = createApp({
      reference: createReferenceRepository(store),
      imports: createImportRepository(store),
      transfers: createTransferRepository(store),
      registry: createRegistryRepository(store),
      meetings: createMeetingRepository(store),
      annotations: createAnnotationRepository(store, { perHour: PER_HOUR }),
      annotationsPerHour: PER_HOUR,
      referenceDir,
      clock,
      reporting: DEFAULT_REPORTING_RULES,
      auth: { accounts: createAccountRepository(store), passwords },
    });
    for (const name of Object.keys(ACCOUNTS) as (keyof typeof ACCOUNTS)[]) {
      sessions.set(name, await signInApi(async (p, i) => app.request(p, i), `${name}@example.org`, PASSWORD));
    }
    const report = ((await (await app.request('/v1/reports?stateId=FRA')).json()) as Json).rows[0];
    reportId = report.id;
    const detail = ((await (await app.request(`/v1/reports/${encodeURIComponent(reportId)}`, { headers: { cookie: sessions.get('sec')!.cookie } })).json()) as Json).data;
    const forms = detail.rows.map((r: Json) => r.provenance.sheet);
    publicRow = detail.rowIds[forms.indexOf('Exports')];
    privateRow = detail.rowIds[forms.indexOf('Imports')];
  });

  const request = (who: Name, url: string, init: { method?: string; json?: unknown; csrf?: boolean } = {}) => {
    if (who === 'anonymous') {
      return app.request(url, {
        method: init.method ?? (init.json !== undefined ? 'POST' : 'GET'),
        ...(init.json !== undefined ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(init.json) } : {}),
      });
    }
    return sessions.get(who)!.request(url, init);
  };
  const statuses = async (url: string, who: Name[] = EVERYONE) => Object.fromEntries(await Promise.all(who.map(async (w) => [w, (await request(w, url)).status] as const)));
  const listed = async (who: Name, url: string) => ((await (await request(who, url)).json()) as Json).rows.map((r: Json) => r.id) as number[];
  const post = async (who: Name, json: Json) => {
    const response = await request(who, '/v1/annotations', { json: { reportId, ...json } });
    return { status: response.status, body: (await response.json()) as Json, response };
  };
  const everyone = (status: number) => Object.fromEntries(EVERYONE.map((w) => [w, status]));
  const only = (names: Name[], yes: number, no: number) => Object.fromEntries(EVERYONE.map((w) => [w, names.includes(w) ? yes : no]));

  describe('meetings', () => {
    const meeting = { kind: 'csp', title: 'Sample Conference (test data)', number: 'T-CSP', place: 'Test City', startDate: '2031-08-25', endDate: '2031-08-29' };
    let id = 0;

    it('lets only the Secretariat create a meeting: 401 anonymous, 403 other roles, 403 without x-csrf-token', async () => {
      const refused = Object.fromEntries(await Promise.all(EVERYONE.filter((w) => w !== 'sec').map(async (w) => [w, (await request(w, '/v1/meetings', { json: meeting })).status])));
      expect(refused).toEqual({ anonymous: 401, author: 403, other: 403, fra: 403, usa: 403, deu: 403 });
      expect((await request('sec', '/v1/meetings', { json: meeting, csrf: false })).status).toBe(403);
      // The role is checked before the body: a researcher learns nothing from validation messages.
      expect((await request('author', '/v1/meetings', { json: { nonsense: true } })).status).toBe(403);
      const created = await request('sec', '/v1/meetings', { json: meeting });
      expect(created.status).toBe(201);
      id = ((await created.json()) as Json).data.id;
    });

    it('shows meetings, their sessions (closed ones with their marker) and documents to everyone', async () => {
      const session = await request('sec', `/v1/meetings/${id}/sessions`, { json: { title: 'Closed consultations', date: '2031-08-26', ngoAccess: 'closed' } });
      expect(session.status).toBe(201);
      const sessionId = ((await session.json()) as Json).data.id;
      expect((await request('sec', `/v1/meetings/${id}/documents`, { json: { symbol: 'TEST/T-CSP/2031/1', title: 'Sample report', date: '2031-07-01', language: 'fr', link: 'https://example.org/t.pdf', sessionId } })).status).toBe(201);
      expect(await statuses(`/v1/meetings/${id}`)).toEqual(everyone(200));
      expect(await statuses('/v1/meetings?kind=csp&year=2031')).toEqual(everyone(200));
      const detail = ((await (await request('anonymous', `/v1/meetings/${id}`)).json()) as Json).data;
      expect(detail.sessions).toMatchObject([{ title: 'Closed consultations', ngoAccess: 'closed', startTime: null }]);
      expect(detail.documents).toMatchObject([{ symbol: 'TEST/T-CSP/2031/1', language: 'fr', sessionId }]);
      const list = (await (await request('anonymous', '/v1/meetings?year=2031&_facet=kind')).json()) as Json;
      expect(list.rows.map((m: Json) => m.id)).toEqual([id]);
      expect(list.facets.kind).toEqual([{ value: 'csp', count: 1 }]);
      const csv = await (await request('anonymous', '/v1/meeting-sessions.csv?ngoAccess=closed')).text();
      expect(csv).toContain('Closed consultations');
      expect((await request('anonymous', '/v1/meeting-documents.xlsx?language=fr')).status).toBe(200);
      expect((await request('anonymous', '/v1/meetings/999999')).status).toBe(404);
    });

    it('refuses links that are not http(s) with a message naming the field', async () => {
      for (const link of ['javascript:alert(1)', 'data:text/html,x', '/relative']) {
        const response = await request('sec', `/v1/meetings/${id}/documents`, { json: { title: 'x', date: '2031-07-01', language: 'en', link } });
        expect(response.status).toBe(400);
        expect(((await response.json()) as Json).error).toMatchObject({ code: 'validation', parameter: 'link' });
      }
    });

    it('updates and deletes only for the Secretariat, with CSRF', async () => {
      const put = (who: Name, csrf = true) => request(who, `/v1/meetings/${id}`, { method: 'PUT', json: { ...meeting, place: 'Other City' }, csrf });
      expect((await put('anonymous')).status).toBe(401);
      expect((await put('fra')).status).toBe(403);
      expect((await put('sec', false)).status).toBe(403);
      expect((await put('sec')).status).toBe(200);
      const sessionId = ((await (await request('anonymous', `/v1/meetings/${id}`)).json()) as Json).data.sessions[0].id;
      for (const url of [`/v1/meeting-sessions/${sessionId}`, `/v1/meetings/${id}`]) {
        expect((await request('author', url, { method: 'DELETE' })).status).toBe(403);
        expect((await request('sec', url, { method: 'DELETE', csrf: false })).status).toBe(403);
        expect((await request('sec', url, { method: 'DELETE' })).status).toBe(204);
      }
      expect((await request('anonymous', `/v1/meetings/${id}`)).status).toBe(404);
    });
  });

  describe('questions and annotations', () => {
    let question = 0;

    it('lets any signed-in account post on a public row (pending), never anonymously, never without x-csrf-token', async () => {
      expect((await post('anonymous', { rowId: publicRow, kind: 'question', text: 'x' })).status).toBe(401);
      expect((await request('author', '/v1/annotations', { json: { reportId, rowId: publicRow, kind: 'question', text: 'x' }, csrf: false })).status).toBe(403);
      const created = await post('author', { rowId: publicRow, kind: 'question', text: 'Who is the end user of the carriers?' });
      expect(created.status).toBe(201);
      expect(created.body.data).toMatchObject({ status: 'pending', mine: true, rowId: publicRow, stateId: 'FRA', authorName: 'author display' });
      question = created.body.data.id;
      for (const who of ['fra', 'sec'] as const) expect((await post(who, { rowId: null, kind: 'annotation', text: `note by ${who}` })).status).toBe(201);
    });

    it('shows a pending question to its author and the Secretariat only (404 to everyone else), in detail and lists', async () => {
      expect(await statuses(`/v1/annotations/${question}`)).toEqual(only(['author', 'sec'], 200, 404));
      for (const who of EVERYONE) expect((await listed(who, `/v1/annotations?reportId=${encodeURIComponent(reportId)}`)).includes(question)).toBe(who === 'author' || who === 'sec');
      const queue = (await (await request('sec', '/v1/annotations?status=pending&_facet=status')).json()) as Json;
      expect(queue.rows.map((r: Json) => r.id)).toContain(question);
      const anonymousFacets = (await (await request('anonymous', '/v1/annotations?_facet=status')).json()) as Json;
      expect(anonymousFacets.count).toBe(0);
      expect(anonymousFacets.facets.status).toEqual([]);
    });

    it('lets only the Secretariat moderate, with CSRF, and a rejection needs a reason', async () => {
      const moderate = (who: Name, json: Json, csrf = true) => request(who, `/v1/annotations/${question}/moderation`, { json, csrf });
      expect((await moderate('anonymous', { decision: 'approve' })).status).toBe(401);
      for (const who of ['author', 'other', 'fra', 'deu'] as const) expect((await moderate(who, { decision: 'approve' })).status).toBe(403);
      expect((await moderate('sec', { decision: 'approve' }, false)).status).toBe(403);
      expect((await moderate('sec', { decision: 'reject' })).status).toBe(400);
      expect((await moderate('sec', { decision: 'approve' })).status).toBe(200);
      expect(await statuses(`/v1/annotations/${question}`)).toEqual(everyone(200));
      expect((await moderate('sec', { decision: 'approve' })).status).toBe(409);
    });

    it('lets only officers of the reporting State answer, with CSRF; the answer is shown with the question', async () => {
      const answer = (who: Name, csrf = true) => request(who, `/v1/annotations/${question}/answer`, { method: 'PUT', json: { text: `answer by ${who}` }, csrf });
      expect((await answer('anonymous')).status).toBe(401);
      for (const who of ['author', 'sec', 'usa', 'deu'] as const) expect((await answer(who)).status).toBe(403);
      expect((await answer('fra', false)).status).toBe(403);
      expect((await answer('fra')).status).toBe(200);
      const shown = ((await (await request('anonymous', `/v1/annotations/${question}`)).json()) as Json).data;
      expect(shown.answer.text).toBe('answer by fra');
    });

    it('refuses a private row with 404 exactly like a missing row to those who may not see it', async () => {
      const privateAttempt = await post('author', { rowId: privateRow, kind: 'question', text: 'x' });
      const missingAttempt = await post('author', { rowId: 99_999_999, kind: 'question', text: 'x' });
      expect(privateAttempt.status).toBe(404);
      expect(missingAttempt.status).toBe(404);
      const shape = (body: Json) => ({ ...body.error, message: body.error.message.replace(/\d+$/, 'N'), hint: undefined });
      expect(shape(privateAttempt.body)).toEqual(shape(missingAttempt.body));
      expect((await post('usa', { rowId: privateRow, kind: 'question', text: 'x' })).status).toBe(404);
      expect((await post('sec', { rowId: privateRow, kind: 'question', text: 'x' })).status).toBe(409);
    });

    it('hides an approved question whose row becomes private from everyone not entitled to the row, in every endpoint', async () => {
      await handle.store.db.updateTable('transfers').set({ visibility: 'private' }).where('id', '=', publicRow).execute();
      try {
        // Entitled (ATT Art. 13(3)): the reporting State, States Parties' officers (DEU), the Secretariat.
        expect(await statuses(`/v1/annotations/${question}`)).toEqual(only(['fra', 'deu', 'sec'], 200, 404));
        for (const who of EVERYONE) {
          const entitled = ['fra', 'deu', 'sec'].includes(who);
          expect((await listed(who, '/v1/annotations')).includes(question)).toBe(entitled);
          const csv = await (await request(who, '/v1/annotations.csv')).text();
          expect(csv.includes('Who is the end user of the carriers?')).toBe(entitled);
        }
        const facets = (await (await request('author', `/v1/annotations?rowId=${publicRow}&_facet=kind`)).json()) as Json;
        expect(facets.count).toBe(0);
        expect(facets.facets.kind).toEqual([]);
      } finally {
        await handle.store.db.updateTable('transfers').set({ visibility: 'public' }).where('id', '=', publicRow).execute();
      }
    });

    it('stores XSS payloads and SQL injection strings verbatim and returns them as JSON strings', async () => {
      for (const text of [...XSS, ...SQL]) {
        const created = await post('other', { rowId: publicRow, kind: 'annotation', text });
        expect(created.status).toBe(201);
        expect(created.response.headers.get('content-type')).toMatch(/^application\/json/);
        const read = ((await (await request('sec', `/v1/annotations/${created.body.data.id}`)).json()) as Json).data;
        expect(read.text).toBe(text);
      }
      const users = (await handle.store.db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;
      expect(Number(users)).toBe(Object.keys(ACCOUNTS).length);
      expect((await request('anonymous', `/v1/annotations?reportId=${encodeURIComponent("' or '1'='1")}`)).status).toBe(200);
    });

    it('limits posting per account per hour with 429 and Retry-After', async () => {
      const answers: number[] = [];
      let last: Awaited<ReturnType<typeof post>> | undefined;
      for (let i = 0; i < PER_HOUR + 1; i += 1) {
        last = await post('deu', { rowId: null, kind: 'annotation', text: `note ${i}` });
        answers.push(last.status);
      }
      expect(answers).toEqual([...Array<number>(PER_HOUR).fill(201), 429]);
      expect(Number(last?.response.headers.get('retry-after'))).toBe(3600);
      expect(last?.body.error.code).toBe('rate_limited');
    });

    it('describes every civil-society route in /openapi.json, with the security of each write', async () => {
      const spec = (await (await app.request('/openapi.json')).json()) as Json;
      for (const [route, method] of [
        ['/v1/meetings', 'get'], ['/v1/meetings', 'post'], ['/v1/meetings/{id}', 'get'], ['/v1/meetings/{id}', 'put'], ['/v1/meetings/{id}', 'delete'],
        ['/v1/meetings/{id}/sessions', 'post'], ['/v1/meeting-sessions', 'get'], ['/v1/meeting-sessions/{id}', 'put'], ['/v1/meeting-sessions/{id}', 'delete'],
        ['/v1/meetings/{id}/documents', 'post'], ['/v1/meeting-documents', 'get'], ['/v1/meeting-documents/{id}', 'put'], ['/v1/meeting-documents/{id}', 'delete'],
        ['/v1/annotations', 'get'], ['/v1/annotations', 'post'], ['/v1/annotations/{id}', 'get'], ['/v1/annotations/{id}/moderation', 'post'], ['/v1/annotations/{id}/answer', 'put'],
      ] as const) {
        const operation = spec.paths[route]?.[method];
        expect(operation, `${method} ${route}`).toBeDefined();
        if (method !== 'get') expect(operation.security, `${method} ${route}`).toEqual([{ session: [] }, { apiKey: [] }]);
      }
      expect(Object.keys(spec.components.securitySchemes)).toEqual(expect.arrayContaining(['session', 'apiKey']));
    });
  });

  describe('every write route of the civil-society layer (from /openapi.json)', () => {
    /** The writes tagged Meetings or Annotations, with {id} pointing at something that exists. */
    const writes = async () => {
      const spec = (await (await app.request('/openapi.json')).json()) as Json;
      const meeting = ((await (await request('sec', '/v1/meetings', { json: { kind: 'other', title: 'Route table sample', startDate: '2032-01-01', endDate: '2032-01-02' } })).json()) as Json).data;
      const session = ((await (await request('sec', `/v1/meetings/${meeting.id}/sessions`, { json: { title: 'S', date: '2032-01-01', ngoAccess: 'open' } })).json()) as Json).data;
      const document = ((await (await request('sec', `/v1/meetings/${meeting.id}/documents`, { json: { title: 'D', date: '2032-01-01', language: 'en', link: 'https://example.org/d' } })).json()) as Json).data;
      const annotation = (await post('author', { rowId: null, kind: 'question', text: 'route table' })).body.data;
      const idFor = (route: string) =>
        route.startsWith('/v1/meeting-sessions') ? session.id : route.startsWith('/v1/meeting-documents') ? document.id : route.startsWith('/v1/annotations') ? annotation.id : meeting.id;
      const found: { method: string; url: string }[] = [];
      for (const [route, operations] of Object.entries(spec.paths as Record<string, Record<string, Json>>)) {
        for (const [method, operation] of Object.entries(operations)) {
          const tags = (operation.tags ?? []) as string[];
          if (method === 'get' || !(tags.includes('Meetings') || tags.includes('Annotations'))) continue;
          found.push({ method: method.toUpperCase(), url: route.replace('{id}', String(idFor(route))) });
        }
      }
      return found;
    };

    it('refuses every one to a session request without x-csrf-token (403), whoever signs in', async () => {
      const routes = await writes();
      expect(routes).toHaveLength(12);
      for (const { method, url } of routes) {
        for (const who of ['author', 'fra', 'sec'] as const) {
          const response = await request(who, url, { method, json: {}, csrf: false });
          expect(response.status, `${who} ${method} ${url}`).toBe(403);
          expect(((await response.json()) as Json).error.parameter, `${method} ${url}`).toBe('x-csrf-token');
        }
      }
    });

    it('refuses every one to an anonymous request (401)', async () => {
      for (const { method, url } of await writes()) {
        expect((await request('anonymous', url, { method, json: {} })).status, `${method} ${url}`).toBe(401);
      }
    });

    it('refuses every meeting write to researchers and State officers (403), before reading the body', async () => {
      for (const { method, url } of (await writes()).filter((w) => !w.url.startsWith('/v1/annotations'))) {
        for (const who of ['author', 'other', 'fra', 'usa', 'deu'] as const) {
          expect((await request(who, url, { method, json: { not: 'valid' } })).status, `${who} ${method} ${url}`).toBe(403);
        }
      }
    });
  });
});
