import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { SaxesParser } from 'saxes';
import { beforeAll, describe, expect, it } from 'vitest';
import { pgliteEngine, useStorageEngine } from '../../test/support/engines.js';
import { signInApi, type ApiSession } from '../../test/support/api-session.js';
import type { AlertEventInput } from '../model/alert-event.js';
import type { Clock } from '../model/clock.js';
import { DEFAULT_REPORTING_RULES } from '../model/reporting.js';
import { recordedRegistryEntry } from '../model/report-registry.js';
import { DEFAULT_ALERT_SETTINGS } from '../model/subscription.js';
import { alertsTick, deadlineTick, deliverDue, outboxRun, type AlertDeps } from '../services/alerts.js';
import { PROJECT_ROOT } from '../settings.js';
import { createAccountRepository } from '../store/account-repository.js';
import { appendAlertEvent, createAlertEventRepository } from '../store/alert-events.js';
import { createAuditLog } from '../store/audit-log.js';
import { createDataVersion } from '../store/data-version.js';
import { createOutboxRepository } from '../store/outbox-repository.js';
import { createReferenceRepository } from '../store/reference-repository.js';
import { syncReference } from '../store/reference-sync.js';
import { createReferenceUpkeep } from '../store/reference-upkeep-repository.js';
import { createRegistryRepository } from '../store/registry-repository.js';
import { createSubscriptionRepository } from '../store/subscription-repository.js';
import { createApp, type ApiApp } from './app.js';
import { argon2Hasher, TEST_ARGON2 } from './auth/passwords.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;

/** A clock the tests move forward (backoff, deadlines). */
function movableClock(iso: string): Clock & { set(iso: string): void; advance(ms: number): void } {
  let now = new Date(iso).getTime();
  return { now: () => new Date(now), set: (next) => (now = new Date(next).getTime()), advance: (ms) => (now += ms) };
}

const clock = movableClock('2026-11-24T09:00:00Z');
const passwords = argon2Hasher(TEST_ARGON2);
const PASSWORD = 'correct horse battery staple';
const source = { url: 'https://treaties.un.org/doc/Publication/CN/2026/CN.1.2026-Eng.pdf', citation: 'C.N.1.2026.TREATIES-XXVI.8' };

/** France made a form private: an event only private readers may see (written as the reporting workflow would). */
const privateEvent: AlertEventInput = {
  kind: 'report_made_private',
  at: '2026-11-24T08:00:00.000Z',
  stateId: 'FRA',
  subject: 'report:FRA-2025',
  title: 'SECRET-TITLE France made its exports form for 2025 private',
  summary: 'SECRET-SUMMARY version 2',
  link: '/reports/FRA-2025',
  audience: 'private-readers',
};

/** Checks that `xml` is well-formed (a strict XML parser) and returns its elements' names and texts. */
function parseXml(xml: string): { names: string[]; texts: string[] } {
  const parser = new SaxesParser({ xmlns: true });
  const names: string[] = [];
  const texts: string[] = [];
  parser.on('opentag', (tag) => names.push(tag.local));
  parser.on('text', (text) => texts.push(text));
  parser.on('error', (error) => {
    throw error;
  });
  parser.write(xml).close();
  return { names, texts };
}

describe('reference upkeep, feeds, subscriptions and the outbox over the API', () => {
  const handle = useStorageEngine(pgliteEngine(), {
    async setup(store) {
      await syncReference(store, path.join(PROJECT_ROOT, 'data', 'reference'), clock);
      const accounts = createAccountRepository(store);
      const hash = await passwords.hash(PASSWORD);
      const user = (email: string, role: 'researcher' | 'state_officer' | 'secretariat', stateId: string | null = null) =>
        accounts.createUser({ email, displayName: email, role, stateId, passwordHash: hash }, 'operator', clock.now());
      await user('sec@att.example', 'secretariat');
      await user('ngo@example.org', 'researcher');
      await user('ngo2@example.org', 'researcher');
      await user('fra@example.fr', 'state_officer', 'FRA');
      await user('deu@example.de', 'state_officer', 'DEU');
      await user('usa@example.us', 'state_officer', 'USA');
      await appendAlertEvent(store.db, privateEvent);
    },
  });

  let app: ApiApp;
  let strictApp: ApiApp;
  let deps: AlertDeps;
  const s: Record<'sec' | 'ngo' | 'ngo2' | 'fra' | 'deu' | 'usa', ApiSession> = {} as never;
  beforeAll(async () => {
    const store = handle.store;
    const reference = createReferenceRepository(store);
    const registry = createRegistryRepository(store);
    const make = (webhookPrivateAddresses: boolean) =>
      createApp({
        reference,
        registry,
        clock,
        reporting: DEFAULT_REPORTING_RULES,
        dataVersion: createDataVersion(store, 60_000),
        auth: { accounts: createAccountRepository(store), passwords },
        alerts: {
          events: createAlertEventRepository(store),
          upkeep: createReferenceUpkeep(store),
          subscriptions: createSubscriptionRepository(store),
          audit: createAuditLog(store),
          webhookPrivateAddresses,
        },
      });
    app = make(true);
    strictApp = make(false);
    deps = {
      outbox: createOutboxRepository(store),
      reference,
      registry,
      clock,
      rules: DEFAULT_REPORTING_RULES,
      settings: { ...DEFAULT_ALERT_SETTINGS, publicUrl: 'https://att.example', webhook: { ...DEFAULT_ALERT_SETTINGS.webhook, allowPrivate: true, maxAttempts: 4, baseBackoffMs: 1000 } },
    };
    const fetcher = (p: string, init: RequestInit) => Promise.resolve(app.request(p, init));
    for (const [key, email] of [['sec', 'sec@att.example'], ['ngo', 'ngo@example.org'], ['ngo2', 'ngo2@example.org'], ['fra', 'fra@example.fr'], ['deu', 'deu@example.de'], ['usa', 'usa@example.us']] as const) {
      s[key] = await signInApi(fetcher, email, PASSWORD);
    }
  });

  const anonymous = (p: string, init: RequestInit = {}) => app.request(p, init);
  const post = (session: ApiSession | null, p: string, json: unknown, method = 'POST') =>
    session ? session.request(p, { method, json }) : app.request(p, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(json) });
  const angolaStatus = async (asOf: string) =>
    ((await (await anonymous(`/v1/treaty/status?iso3=AGO&asOf=${asOf}`)).json()) as Json).rows[0].status as string;

  describe('reference upkeep', () => {
    const deposit = { change: { depositDate: '2026-11-02', actionType: 'ratification' }, source };

    it('lets only the Secretariat record a deposit: 401 anonymous, 403 researcher and officers, 403 without CSRF', async () => {
      expect((await post(null, '/v1/reference/treaty-records/AGO', deposit)).status).toBe(401);
      // The role is checked before the body: an anonymous caller learns nothing from validation.
      expect((await post(null, '/v1/reference/treaty-records/AGO', { nonsense: true })).status).toBe(401);
      for (const who of [s.ngo, s.fra, s.deu, s.usa]) expect((await post(who, '/v1/reference/treaty-records/AGO', deposit)).status).toBe(403);
      expect((await s.sec.request('/v1/reference/treaty-records/AGO', { json: deposit, csrf: false })).status).toBe(403);
      expect((await post(null, '/v1/reference/embargoes/SSD-2018', { change: { notes: 'x' }, source }, 'PATCH')).status).toBe(401);
      expect((await post(s.ngo, '/v1/reference/embargoes/SSD-2018', { change: { notes: 'x' }, source }, 'PATCH')).status).toBe(403);
      for (const who of [null, s.ngo, s.fra]) {
        const status = (await post(who, '/v1/reference/embargoes', { episode: {}, source })).status;
        expect(status).toBe(who ? 403 : 401);
      }
    });

    it('shows a recorded deposit at once in the (cached) treaty status, and leaves the status before it unchanged', async () => {
      expect(await angolaStatus('2026-11-24')).toBe('signatory'); // now cached for anonymous readers
      const response = await post(s.sec, '/v1/reference/treaty-records/AGO', deposit);
      expect(response.status).toBe(200);
      const body = (await response.json()) as Json;
      expect(body.data.record).toMatchObject({ depositDate: '2026-11-02', entryIntoForceDate: '2027-01-31' });
      expect(await angolaStatus('2026-11-24')).toBe('deposited_awaiting_eif');
      expect(await angolaStatus('2026-11-01')).toBe('signatory');
      expect(await angolaStatus('2027-02-01')).toBe('state_party');
      const state = (await (await anonymous('/v1/states/AGO?asOf=2026-11-24')).json()) as Json;
      expect(state.data.treaty.depositDate).toBe('2026-11-02');
    });

    it('answers an implausible change with 400 naming the field and what to do', async () => {
      const response = await post(s.sec, '/v1/reference/treaty-records/AGO', { change: { signatureDate: '2019-01-01' }, source });
      expect(response.status).toBe(400);
      const { error } = (await response.json()) as Json;
      expect(error).toMatchObject({ code: 'validation', parameter: 'change.signatureDate' });
      expect(error.hint).toMatch(/accedes/);
      const noSource = await post(s.sec, '/v1/reference/treaty-records/AGO', { change: { notes: 'n' }, source: {} });
      expect(noSource.status).toBe(400);
      expect(((await noSource.json()) as Json).error.message).toMatch(/needs a source/);
      expect((await post(s.sec, '/v1/reference/treaty-records/XYZ', deposit)).status).toBe(404);
    });

    it('records and amends an embargo episode, shown at once by /v1/embargoes', async () => {
      const created = await post(s.sec, '/v1/reference/embargoes', {
        episode: { authority: 'EU', target: 'Ruritania', targetIds: ['SSD'], scopeCode: 'full', scopeText: 'arms and related materiel', direction: 'to_target', startDate: '2026-02-01', binding: 'mandatory' },
        source: { citation: 'Council Decision (CFSP) 2026/100' },
      });
      expect(created.status).toBe(201);
      const id = ((await created.json()) as Json).data.record.id as string;
      expect(id).toBe('EU-SSD-2026');
      const amended = await post(s.sec, `/v1/reference/embargoes/${id}`, { change: { endDate: '2026-10-01' }, source: { citation: 'Council Decision (CFSP) 2026/200' } }, 'PATCH');
      expect(amended.status).toBe(200);
      const list = (await (await anonymous('/v1/embargoes?target=SSD&authority=EU')).json()) as Json;
      expect(list.rows.find((e: Json) => e.id === id)).toMatchObject({ endDate: '2026-10-01', endBasis: 'recorded' });
      expect((await post(s.sec, '/v1/reference/embargoes/NO-SUCH', { change: { notes: 'x' }, source }, 'PATCH')).status).toBe(404);
    });

    it('shows the history of a record (amendments and audit rows) to the Secretariat only', async () => {
      expect((await anonymous('/v1/reference/treaty-records/AGO/history')).status).toBe(401);
      for (const who of [s.ngo, s.fra]) expect((await who.request('/v1/reference/treaty-records/AGO/history')).status).toBe(403);
      const history = await s.sec.json<Json>('/v1/reference/treaty-records/AGO/history');
      expect(history.data.amendments).toHaveLength(1);
      expect(history.data.audit[0]).toMatchObject({ action: 'treaty_record.update' });
      expect(history.data.audit[0].before.depositDate).toBeNull();
      const embargo = await s.sec.json<Json>('/v1/reference/embargoes/EU-SSD-2026/history');
      expect(embargo.data.audit.map((a: Json) => a.action)).toEqual(['embargo_episode.create', 'embargo_episode.update']);
    });
  });

  describe('feeds', () => {
    const feedText = async (who: ApiSession | null, query = '') => {
      const response = who ? await who.request(`/v1/feeds/events.atom${query}`) : await anonymous(`/v1/feeds/events.atom${query}`);
      expect(response.status).toBe(200);
      return { text: await response.text(), response };
    };

    it('serves a well-formed Atom 1.0 feed with the required elements and the treaty_status_changed entry', async () => {
      const { text, response } = await feedText(null);
      expect(response.headers.get('content-type')).toMatch(/^application\/atom\+xml/);
      const { names, texts } = parseXml(text);
      for (const required of ['feed', 'id', 'title', 'updated', 'author', 'link', 'entry', 'summary']) expect(names).toContain(required);
      expect(texts.join('\n')).toMatch(/Angola: ratification deposited on 2026-11-02/);
      expect(text).toMatch(/href="http:\/\/localhost\/states\/AGO"/);
    });

    it('never shows a private-readers event to the public, researchers (session or API key) or a non-party officer of another State', async () => {
      const secret = /SECRET/;
      expect((await feedText(s.sec)).text).toMatch(secret); // the Secretariat first: the cache must not hand it on
      expect((await feedText(null)).text).not.toMatch(secret);
      expect((await feedText(s.ngo)).text).not.toMatch(secret);
      expect((await feedText(s.usa)).text).not.toMatch(secret);
      expect((await feedText(s.fra)).text).toMatch(secret);
      expect((await feedText(s.deu)).text).toMatch(secret); // States Parties' officers (Art. 13(3))
      // An officer of a State that is not a party reads its own State's private events only.
      await appendAlertEvent(handle.store.db, { ...privateEvent, stateId: 'USA', title: 'OWN-USA private event' });
      expect((await feedText(s.usa)).text).toMatch(/OWN-USA/);
      expect((await feedText(s.ngo)).text).not.toMatch(/OWN-USA/);
      const key = ((await s.ngo.json<Json>('/v1/api-keys', { method: 'POST' })).key) as string;
      const withKey = await app.request('/v1/feeds/events.json?kind=report_made_private', { headers: { authorization: `Bearer ${key}` } });
      expect(((await withKey.json()) as Json).rows).toEqual([]);
      const json = await s.fra.json<Json>('/v1/feeds/events.json?kind=report_made_private&stateId=FRA');
      expect(json.rows.map((r: Json) => r.title)).toEqual([privateEvent.title]);
      expect((await anonymous('/v1/feeds/events.json')).headers.get('cache-control')).toMatch(/public/);
      expect((await s.fra.request('/v1/feeds/events.json')).headers.get('cache-control')).toBe('private, no-store');
    });

    it('escapes every text so that markup in an event cannot break or inject into the feed', async () => {
      await appendAlertEvent(handle.store.db, { kind: 'embargo_changed', at: clock.now().toISOString(), stateId: null, subject: 'embargo:x', title: 'A <b>bold</b> & "quoted" \u0001 title', summary: ']]> <script>alert(1)</script>', link: '/embargoes?a=1&b=2', audience: 'public' });
      const { texts } = parseXml((await feedText(null, '?kind=embargo_changed')).text);
      expect(texts).toContain('A <b>bold</b> & "quoted"  title');
      expect(texts).toContain(']]> <script>alert(1)</script>');
    });

    it('answers an unknown kind with 400 listing the valid ones, and an unknown State with 404', async () => {
      const bad = await anonymous('/v1/feeds/events.atom?kind=nope');
      expect(bad.status).toBe(400);
      expect(((await bad.json()) as Json).error.validValues).toContain('deadline_approaching');
      expect((await anonymous('/v1/feeds/events.json?stateId=XYZ')).status).toBe(404);
    });
  });

  describe('subscriptions', () => {
    let emailId: string;

    it('needs a signed-in account and the CSRF token', async () => {
      expect((await anonymous('/v1/subscriptions')).status).toBe(401);
      expect((await post(null, '/v1/subscriptions', { kinds: ['embargo_changed'], channel: 'email' })).status).toBe(401);
      expect((await s.ngo.request('/v1/subscriptions', { json: { kinds: ['embargo_changed'], channel: 'email' }, csrf: false })).status).toBe(403);
      const someId = '00000000-0000-4000-8000-000000000000';
      for (const [method, p] of [['GET', `/v1/subscriptions/${someId}`], ['PATCH', `/v1/subscriptions/${someId}`], ['DELETE', `/v1/subscriptions/${someId}`], ['GET', `/v1/subscriptions/${someId}/deliveries`]] as const) {
        expect((await anonymous(p, { method, ...(method === 'PATCH' ? { headers: { 'content-type': 'application/json' }, body: '{"kinds":["embargo_changed"]}' } : {}) })).status).toBe(401);
        // Signed in, a missing subscription is 404, the same as someone else's.
        expect((await s.usa.request(p, { method, ...(method === 'PATCH' ? { json: { kinds: ['embargo_changed'] } } : {}) })).status).toBe(404);
      }
    });

    it('lets any role subscribe by email and see only its own subscriptions; another user gets 404', async () => {
      const created = await post(s.ngo, '/v1/subscriptions', { kinds: ['treaty_status_changed', 'report_made_private'], channel: 'email' });
      expect(created.status).toBe(201);
      const body = (await created.json()) as Json;
      expect(body).toMatchObject({ webhookSecret: null, data: { channel: 'email', emailTo: 'ngo@example.org', stateId: null } });
      emailId = body.data.id;
      expect((await s.ngo.json<Json>('/v1/subscriptions')).rows.map((r: Json) => r.id)).toEqual([emailId]);
      expect((await s.ngo2.json<Json>('/v1/subscriptions')).rows).toEqual([]);
      for (const [method, suffix] of [['GET', ''], ['DELETE', ''], ['GET', '/deliveries'], ['PATCH', '']] as const) {
        const response = await s.ngo2.request(`/v1/subscriptions/${emailId}${suffix}`, { method, ...(method === 'PATCH' ? { json: { kinds: ['embargo_changed'] } } : {}) });
        expect(response.status).toBe(404);
      }
      for (const who of [s.fra, s.sec]) expect((await post(who, '/v1/subscriptions', { kinds: ['report_made_private'], channel: 'email', stateId: 'FRA' })).status).toBe(201);
      const audit = await createAuditLog(handle.store).list({ kind: 'operator' }, { action: 'subscription.create' });
      expect(audit.length).toBeGreaterThanOrEqual(3);
    });

    it('refuses bad kinds, unknown States, and webhooks to this machine unless the operator allows them', async () => {
      expect((await post(s.ngo, '/v1/subscriptions', { kinds: ['nope'], channel: 'email' })).status).toBe(400);
      expect((await post(s.ngo, '/v1/subscriptions', { kinds: ['embargo_changed'], channel: 'email', stateId: 'XYZ' })).status).toBe(400);
      expect((await post(s.ngo, '/v1/subscriptions', { kinds: ['embargo_changed'], channel: 'webhook' })).status).toBe(400);
      const fetcher = (p: string, init: RequestInit) => Promise.resolve(strictApp.request(p, init));
      const strict = await signInApi(fetcher, 'ngo@example.org', PASSWORD);
      const refused = await strict.request('/v1/subscriptions', { json: { kinds: ['embargo_changed'], channel: 'webhook', webhookUrl: 'http://127.0.0.1:9/hook' } });
      expect(refused.status).toBe(400);
      expect(((await refused.json()) as Json).error.hint).toMatch(/ATT_WEBHOOK_PRIVATE_ADDRESSES/);
    });

    it('writes an email row for a public event, and never delivers a private-readers event to a researcher', async () => {
      await appendAlertEvent(handle.store.db, { ...privateEvent, title: 'SECRET second private event' });
      await post(s.sec, '/v1/reference/treaty-records/AGO', { change: { notes: 'Instrument deposited at UN Headquarters.' }, source });
      await outboxRun(deps);
      const mine = await s.ngo.json<Json>(`/v1/subscriptions/${emailId}/deliveries`);
      expect(mine.rows.map((r: Json) => [r.eventKind, r.status])).toEqual([['treaty_status_changed', 'delivered']]);
      expect(mine.rows[0].email).toMatchObject({ to: 'ngo@example.org', subject: expect.stringMatching(/^\[ATT Observatory\] Angola/) });
      expect(mine.rows[0].email.body).toContain('https://att.example/states/AGO');
      const rows = await handle.store.db.selectFrom('outbox_emails').select(['to_address', 'subject']).execute();
      expect(rows.filter((r) => r.to_address === 'ngo@example.org').every((r) => !/SECRET/.test(r.subject))).toBe(true);
      const officer = (await s.fra.json<Json>('/v1/subscriptions')).rows[0].id as string;
      const theirs = await s.fra.json<Json>(`/v1/subscriptions/${officer}/deliveries`);
      expect(theirs.rows.map((r: Json) => r.eventTitle)).toEqual(['SECRET second private event']);
      // Enqueueing again changes nothing: one delivery per (event, subscription).
      expect((await alertsTick(deps)).enqueued.enqueued).toBe(0);
    });

    it('withholds a delivery whose subscriber may no longer read the event when it is due', async () => {
      const officer = (await s.fra.json<Json>('/v1/subscriptions')).rows[0].id as string;
      await appendAlertEvent(handle.store.db, { ...privateEvent, title: 'SECRET third' });
      await alertsTick(deps); // enqueued while the account may read it
      await handle.store.db.updateTable('users').set({ disabled: true }).where('email', '=', 'fra@example.fr').execute();
      const result = await deliverDue(deps);
      await handle.store.db.updateTable('users').set({ disabled: false }).where('email', '=', 'fra@example.fr').execute();
      expect(result.withheld).toBe(1);
      const rows = await handle.store.db.selectFrom('outbox_deliveries').select(['status']).where('subscription_id', '=', officer).orderBy('id', 'desc').execute();
      expect(rows[0]!.status).toBe('withheld');
    });

    it('updates and deletes a subscription, audited', async () => {
      const updated = await post(s.ngo, `/v1/subscriptions/${emailId}`, { kinds: ['embargo_changed'], stateId: 'SSD' }, 'PATCH');
      expect(((await updated.json()) as Json).data).toMatchObject({ kinds: ['embargo_changed'], stateId: 'SSD' });
      expect((await s.ngo.request(`/v1/subscriptions/${emailId}`, { method: 'DELETE' })).status).toBe(204);
      expect((await s.ngo.request(`/v1/subscriptions/${emailId}`)).status).toBe(404);
      const audit = await createAuditLog(handle.store).list({ kind: 'operator' }, { target: `subscription:${emailId}` });
      expect(audit.map((a) => a.action)).toEqual(['subscription.delete', 'subscription.update', 'subscription.create']);
    });
  });

  describe('webhooks', () => {
    interface Received { headers: IncomingMessage['headers']; body: string }
    async function receiver(failFirst: number): Promise<{ server: Server; url: string; received: Received[] }> {
      const received: Received[] = [];
      const server = createServer((request, response) => {
        let body = '';
        request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
        request.on('end', () => {
          received.push({ headers: request.headers, body });
          response.statusCode = received.length <= failFirst ? 500 : 200;
          response.end();
        });
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, received };
    }

    it('retries with backoff after two failures, then delivers a POST whose signature verifies', async () => {
      const hook = await receiver(2);
      try {
        const created = await s.ngo2.json<Json>('/v1/subscriptions', { json: { kinds: ['embargo_changed', 'report_made_private'], channel: 'webhook', webhookUrl: hook.url } });
        const secret = created.webhookSecret as string;
        // A researcher's webhook never receives a private-readers event (ATT Art. 13(3)).
        await appendAlertEvent(handle.store.db, { ...privateEvent, title: 'SECRET for the webhook' });
        expect(secret).toMatch(/^whsec_/);
        // Shown once: never in a later answer, nor in the audit log.
        expect(JSON.stringify(await s.ngo2.json('/v1/subscriptions'))).not.toContain(secret);
        expect(JSON.stringify(await createAuditLog(handle.store).list({ kind: 'operator' }, { target: `subscription:${created.data.id}` }))).not.toContain(secret);
        await post(s.sec, '/v1/reference/embargoes/SSD-2018', { change: { notes: 'Renewed by resolution 2781 (2025).' }, source }, 'PATCH');
        expect((await outboxRun(deps)).delivered).toMatchObject({ retried: 1 }); // (other users' email deliveries go at once)
        expect((await deliverDue(deps)).retried).toBe(0); // not due yet: backoff
        clock.advance(1000);
        expect((await deliverDue(deps)).retried).toBe(1);
        clock.advance(2000);
        expect((await deliverDue(deps)).delivered).toBe(1);
        expect(hook.received).toHaveLength(3);
        expect(hook.received.every((r) => !r.body.includes('SECRET'))).toBe(true);
        const ids = new Set(hook.received.map((r) => r.headers['x-att-event-id']));
        expect(ids.size).toBe(1); // the same event id each time: receivers de-duplicate
        const last = hook.received[2]!;
        const expected = `sha256=${createHmac('sha256', secret).update(`${String(last.headers['x-att-timestamp'])}.${last.body}`).digest('hex')}`;
        expect(last.headers['x-att-signature']).toBe(expected);
        expect(JSON.parse(last.body)).toMatchObject({ kind: 'embargo_changed', subscriptionId: created.data.id, url: 'https://att.example/embargoes?target=SSD' });
        const deliveries = await s.ngo2.json<Json>(`/v1/subscriptions/${created.data.id}/deliveries`);
        expect(deliveries.rows[0]).toMatchObject({ status: 'delivered', attempts: 3 });
      } finally {
        hook.server.close();
      }
    });

    it('gives a delivery up (dead) after the last attempt, with the last error', async () => {
      const hook = await receiver(1000);
      try {
        const created = await s.ngo2.json<Json>('/v1/subscriptions', { json: { kinds: ['embargo_changed'], channel: 'webhook', webhookUrl: hook.url } });
        await post(s.sec, '/v1/reference/embargoes/SSD-2018', { change: { notes: 'Renewed again.' }, source }, 'PATCH');
        await alertsTick(deps);
        for (let i = 0; i < 4; i++) {
          await deliverDue(deps);
          clock.advance(60_000);
        }
        const deliveries = await s.ngo2.json<Json>(`/v1/subscriptions/${created.data.id}/deliveries`);
        expect(deliveries.rows[0]).toMatchObject({ status: 'dead', attempts: 4, lastError: 'the receiver answered HTTP 500' });
        expect(hook.received).toHaveLength(4);
      } finally {
        hook.server.close();
      }
    });
  });

  describe('deadline alerts', () => {
    it('raises one public alert per report due within 30 days with nothing received, idempotently', async () => {
      await createRegistryRepository(handle.store).record(recordedRegistryEntry({ stateId: 'DEU', kind: 'annual', coveredYear: 2026, submittedOn: '2027-05-03' }, clock.now()), 'operator', clock.now());
      clock.set('2027-05-10T08:00:00Z');
      const first = await deadlineTick(deps);
      expect(first.appended).toBeGreaterThan(100);
      expect(first.appended).toBe(first.approaching);
      expect((await deadlineTick(deps)).appended).toBe(0);
      const feed = await s.ngo.json<Json>('/v1/feeds/events.json?kind=deadline_approaching&_size=200');
      const titles = feed.rows.map((r: Json) => r.title as string);
      expect(titles).toContain('France: annual report on 2026 (ATT Art. 13(3)) due 2027-05-31, 21 days left');
      expect(titles.some((t: string) => t.startsWith('Germany:'))).toBe(false);
      clock.set('2026-11-24T09:00:00Z');
    });
  });
});
