/**
 * The visibility matrix (issue 7): every route of the API, generated from the OpenAPI route table, x every role,
 * x a database with and without a private report. ATT Art. 13(3) lets a State keep its report private; the
 * Secretariat distributes reports to States Parties, so private forms are visible to their State's officers, the
 * Secretariat and officers of States Parties, and never to the public or researchers.
 *
 * How it proves that: two databases hold the same data, except that B also holds an invented Swedish report whose
 * two forms are private and whose texts are canaries (test/fixtures/att-report/report-private-canary.csv). For a
 * viewer not entitled to private forms, every GET answer must be byte-identical in A and B (nothing private, no
 * count, no facet, no id), except on the routes that by design say "submitted, private" (the registry, compliance,
 * the dossier's reporting record): those must still never show a canary. Entitled viewers must see the canaries
 * (else the test could not fail). A route with no entry in POLICY fails the first test.
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type ApiApp } from '../../src/api/app.js';
import { argon2Hasher, TEST_ARGON2 } from '../../src/api/auth/passwords.js';
import { appDepsFor } from '../../src/cli/app-deps.js';
import { contextFor } from '../../src/cli/context.js';
import { fixedClock } from '../../src/model/clock.js';
import { importFile } from '../../src/services/import-file.js';
import { loadSettings, PROJECT_ROOT } from '../../src/settings.js';
import { createAccountRepository } from '../../src/store/account-repository.js';
import type { Store } from '../../src/store/open-store.js';
import { syncReference } from '../../src/store/reference-sync.js';
import { signInApi, type ApiSession, type Fetcher } from '../support/api-session.js';
import { pgliteEngine, type StorageEngine } from '../support/engines.js';

const clock = fixedClock('2026-11-24T09:00:00Z');
const passwords = argon2Hasher(TEST_ARGON2);
const PASSWORD = 'matrix passphrase 2026';
const REFERENCE_DIR = path.join(PROJECT_ROOT, 'data', 'reference');
const CANARIES = ['CANARY', '777777', '999999', '31313'];

/** The roles of issue 7, with who each one is. Sweden is the canary report's State. */
const ROLES = {
  anonymous: null,
  researcher: { role: 'researcher', stateId: null },
  officerOwnState: { role: 'state_officer', stateId: 'SWE' },
  officerStateParty: { role: 'state_officer', stateId: 'DEU' },
  officerNonParty: { role: 'state_officer', stateId: 'USA' },
  secretariat: { role: 'secretariat', stateId: null },
  admin: { role: 'admin', stateId: null },
} as const;
type RoleName = keyof typeof ROLES;
const ROLE_NAMES = Object.keys(ROLES) as RoleName[];
/** Who may read the canary report's private forms (src/model/viewer.ts privateAccess). */
const ENTITLED: ReadonlySet<RoleName> = new Set(['officerOwnState', 'officerStateParty', 'secretariat', 'admin']);
const emailOf = (role: RoleName) => `${role.toLowerCase()}@matrix.example`;

type Access = 'public' | 'signed-in' | readonly RoleName[];
interface Probe {
  path: string;
  body?: unknown;
  /** A multipart body (uploads), made fresh for each request. */
  form?: () => FormData;
  /** Overrides the route's privacy for this probe (e.g. the registry's bulk file says "submitted, private"). */
  privacy?: RoutePolicy['privacy'];
}
interface RoutePolicy {
  access: Access;
  /**
   * `identical`: a viewer not entitled to private forms gets the same answer with and without the private report.
   * `says-submitted-private`: the answer may say that a report was submitted and is private, never what it holds.
   * `per-viewer`: the answer describes the viewer (compared for canaries only).
   */
  privacy: 'identical' | 'says-submitted-private' | 'per-viewer';
  /** Concrete requests; for writes, a valid body (a function when each call needs a fresh one). */
  probes: (context: ProbeContext) => Promise<Probe[]> | Probe[];
  /**
   * What a role not allowed gets: 403 by default (401 when anonymous). Resources of someone else (a State's drafts, a
   * user's subscriptions) answer 404 exactly as a missing one, so that their existence does not show.
   */
  denied?: 404;
  /** What the public gets where sign-in is needed: 401 by default; 404 where even that would reveal something. */
  deniedAnonymous?: 404;
  /** What an allowed role gets when not 2xx, e.g. 400 for submitting a draft that still has errors. */
  allowedStatuses?: readonly number[];
}
interface ProbeContext {
  canaryReportId: string;
  canaryRunId: number;
  /** B's private workflow objects: a submitted private version and a draft, both full of canaries. */
  canaryDraftId: string;
  canaryWorkflowReportId: string;
  newToken(): Promise<string>;
  /** A new draft of the reporting State (Sweden), with the canary template uploaded when `filled`. */
  newDraft(filled: boolean): Promise<string>;
  draftContent(id: string): Promise<unknown>;
  /** A new email subscription of the researcher. */
  newSubscription(): Promise<string>;
  /** The meeting, session and document every world holds, and new ones to delete. */
  meetingId: number;
  sessionId: number;
  documentId: number;
  newMeeting(): Promise<number>;
  newSession(): Promise<number>;
  newDocument(): Promise<number>;
  /** Sweden's public report (in both worlds), and new questions on it: pending, or approved (to answer). */
  publicReportId: string;
  newQuestion(approved: boolean): Promise<number>;
  unique(): string;
}

/** The canary report as a template for another covered year (uploads into drafts). */
function canaryTemplate(year: number): string {
  return readFileSync(path.join(PROJECT_ROOT, 'test/fixtures/att-report/report-private-canary.csv'), 'utf8').replace(',2023,coveredYear', `,${year},coveredYear`);
}
const templateForm = (year: number) => () => {
  const form = new FormData();
  form.append('file', new Blob([canaryTemplate(year)], { type: 'text/csv' }), `canary-${year}.csv`);
  return form;
};
const MEETING = { kind: 'csp', title: 'Matrix Conference of States Parties', number: 'CSP99', place: 'Geneva', startDate: '2025-08-25', endDate: '2025-08-29' };
const SESSION = { title: 'Opening session', date: '2025-08-25', startTime: '10:00', ngoAccess: 'closed', note: null };
const DOCUMENT = { symbol: 'ATT/CSP99/2025/SEC/1', title: 'Provisional agenda', date: '2025-07-01', language: 'en', link: 'https://example.org/agenda.pdf', sessionId: null };
/** Sweden's report for 2022, both forms public (made from the canary fixture without a canary): in both worlds. */
const publicSwedishReport = () =>
  canaryTemplate(2022)
    .replace(/is \(public \/ private\),private/g, 'is (public / private),public')
    .replaceAll('CANARY-PRIVATE', 'PUBLIC-SWE')
    .replace(/777777|999999|31313/g, '1000');
const DRAFT_EDITORS: readonly RoleName[] = ['officerOwnState', 'secretariat', 'admin'];
const SECRETARIAT_ROLES: readonly RoleName[] = ['secretariat', 'admin'];

const get = (...paths: string[]) => () => paths.map((p) => ({ path: p }));
/** A list route and its .json, .csv and .xlsx twins, probed with the same query. */
const list = (base: string, query = '', privacy: RoutePolicy['privacy'] = 'identical'): Record<string, RoutePolicy> =>
  Object.fromEntries(
    ['', '.json', '.csv', '.xlsx'].map((twin) => [
      `GET ${base}${twin}`,
      { access: 'public', privacy, probes: get(`${base}${twin}${query}`) } satisfies RoutePolicy,
    ]),
  );

const POLICY: Record<string, RoutePolicy> = {
  'POST /v1/auth/login': { access: 'public', privacy: 'per-viewer', probes: () => [{ path: '/v1/auth/login', body: { email: emailOf('researcher'), password: PASSWORD } }] },
  // Signing out without a session is harmless (nothing to end): 204 for anyone.
  'POST /v1/auth/logout': { access: 'public', privacy: 'per-viewer', probes: () => [{ path: '/v1/auth/logout' }] },
  'GET /v1/auth/me': { access: 'public', privacy: 'per-viewer', probes: get('/v1/auth/me') },
  'POST /v1/auth/register': {
    access: 'public',
    privacy: 'per-viewer',
    probes: (ctx) => [{ path: '/v1/auth/register', body: { email: `new-${ctx.unique()}@matrix.example`, displayName: 'New', password: PASSWORD } }],
  },
  'POST /v1/invitations': { access: ['secretariat', 'admin'], privacy: 'per-viewer', probes: () => [{ path: '/v1/invitations', body: { email: 'invitee@matrix.example', stateId: 'FRA' } }] },
  'POST /v1/invitations/{token}/accept': {
    access: 'public',
    privacy: 'per-viewer',
    probes: async (ctx) => [{ path: `/v1/invitations/${await ctx.newToken()}/accept`, body: { displayName: 'Officer', password: PASSWORD } }],
  },
  'POST /v1/api-keys': { access: ['researcher'], privacy: 'per-viewer', probes: () => [{ path: '/v1/api-keys' }] },
  ...list('/v1/states'),
  'GET /v1/states/{iso3}': { access: 'public', privacy: 'identical', probes: get('/v1/states/SWE', '/v1/states/FRA') },
  ...list('/v1/treaty/status'),
  ...list('/v1/treaty/timeline'),
  ...list('/v1/reporting/obligations', '?state=SWE'),
  ...list('/v1/embargoes'),
  ...list('/v1/datasets'),
  ...list('/v1/imports'),
  'GET /v1/imports/{id}': { access: 'public', privacy: 'identical', probes: (ctx) => [{ path: `/v1/imports/${ctx.canaryRunId}` }, { path: '/v1/imports/1' }] },
  ...list('/v1/quarantine'),
  ...list('/v1/tiv'),
  ...list('/v1/tiv/check', '?table=5'),
  ...list('/v1/transfers', '?_size=max&_facet=exporterId&_facet=importerId&_facet=source'),
  ...list('/v1/screening'),
  'GET /v1/coverage': { access: 'public', privacy: 'identical', probes: get('/v1/coverage', '/v1/coverage?year=2023') },
  'GET /v1/states/{iso3}/dossier': { access: 'public', privacy: 'says-submitted-private', probes: get('/v1/states/SWE/dossier', '/v1/states/KEN/dossier', '/v1/states/PER/dossier') },
  ...list('/v1/reports', '', 'says-submitted-private'),
  'POST /v1/reports': {
    access: ['secretariat', 'admin'],
    privacy: 'per-viewer',
    probes: () => [
      {
        path: '/v1/reports',
        body: { stateId: 'NOR', kind: 'annual', coveredYear: 2022, submittedOn: '2023-05-30', exports: { visibility: 'public', nil: true, withheldCommerciallySensitive: null, withheldNationalSecurity: null }, imports: null },
      },
    ],
  },
  'GET /v1/reports/{id}': { access: 'public', privacy: 'says-submitted-private', probes: (ctx) => [{ path: `/v1/reports/${encodeURIComponent(ctx.canaryReportId)}` }] },
  'GET /v1/compliance/rates': { access: 'public', privacy: 'says-submitted-private', probes: get('/v1/compliance/rates?year=2023') },
  'GET /v1/compliance/states/{iso3}': { access: 'public', privacy: 'says-submitted-private', probes: get('/v1/compliance/states/SWE') },
  ...list('/v1/mirror', '?exporterId=SWE'),
  'GET /v1/mirror': { access: 'public', privacy: 'identical', probes: get('/v1/mirror', '/v1/mirror?exporterId=SWE', '/v1/mirror?importerId=SWE') },
  'GET /v1/bulk': { access: 'public', privacy: 'identical', probes: get('/v1/bulk') },

  // Reporting workflow (drafts and immutable versions).
  ...list('/v1/reporting/reports', '', 'says-submitted-private'),
  'GET /v1/reporting/reports/{reportId}': { access: 'public', privacy: 'says-submitted-private', probes: (ctx) => [{ path: `/v1/reporting/reports/${ctx.canaryWorkflowReportId}` }] },
  'GET /v1/reporting/reports/{reportId}/versions/{version}': {
    access: 'public',
    privacy: 'says-submitted-private',
    probes: (ctx) => [{ path: `/v1/reporting/reports/${ctx.canaryWorkflowReportId}/versions/1` }],
  },
  'GET /v1/reporting/reports/{reportId}/versions/{version}/export': {
    access: 'public',
    privacy: 'says-submitted-private',
    probes: (ctx) => ['xlsx', 'csv', 'json'].map((format) => ({ path: `/v1/reporting/reports/${ctx.canaryWorkflowReportId}/versions/1/export?format=${format}` })),
  },
  'GET /v1/reporting/drafts': { access: 'signed-in', privacy: 'identical', probes: get('/v1/reporting/drafts') },
  'POST /v1/reporting/drafts': {
    access: DRAFT_EDITORS,
    privacy: 'per-viewer',
    probes: (ctx) => [{ path: '/v1/reporting/drafts', body: { stateId: 'SWE', kind: 'annual', coveredYear: 2016 + (Number(ctx.unique().split('-')[1]) % 8) } }],
  },
  'GET /v1/reporting/drafts/{id}': { access: DRAFT_EDITORS, denied: 404, deniedAnonymous: 404, privacy: 'identical', probes: (ctx) => [{ path: `/v1/reporting/drafts/${ctx.canaryDraftId}` }] },
  'GET /v1/reporting/drafts/{id}/export': {
    access: DRAFT_EDITORS,
    denied: 404,
    deniedAnonymous: 404,
    privacy: 'identical',
    probes: (ctx) => ['xlsx', 'csv', 'json'].map((format) => ({ path: `/v1/reporting/drafts/${ctx.canaryDraftId}/export?format=${format}` })),
  },
  'PUT /v1/reporting/drafts/{id}': {
    access: DRAFT_EDITORS,
    denied: 404,
    deniedAnonymous: 404,
    privacy: 'per-viewer',
    probes: async (ctx) => {
      const id = await ctx.newDraft(true);
      return [{ path: `/v1/reporting/drafts/${id}`, body: { content: await ctx.draftContent(id) } }];
    },
  },
  'DELETE /v1/reporting/drafts/{id}': { access: DRAFT_EDITORS, denied: 404, deniedAnonymous: 404, privacy: 'per-viewer', probes: async (ctx) => [{ path: `/v1/reporting/drafts/${await ctx.newDraft(false)}` }] },
  'POST /v1/reporting/drafts/{id}/upload': {
    access: DRAFT_EDITORS,
    denied: 404,
    deniedAnonymous: 404,
    privacy: 'per-viewer',
    probes: async (ctx) => [{ path: `/v1/reporting/drafts/${await ctx.newDraft(false)}/upload`, form: templateForm(2019) }],
  },
  'POST /v1/reporting/drafts/{id}/submit': {
    access: DRAFT_EDITORS,
    denied: 404,
    deniedAnonymous: 404,
    privacy: 'per-viewer',
    probes: async (ctx) => [{ path: `/v1/reporting/drafts/${await ctx.newDraft(true)}/submit` }],
  },

  // Civil-society layer: meetings (Secretariat writes, public reads) and moderated questions and annotations.
  ...list('/v1/meetings'),
  ...list('/v1/meeting-sessions'),
  ...list('/v1/meeting-documents'),
  'GET /v1/meetings/{id}': { access: 'public', privacy: 'identical', probes: (ctx) => [{ path: `/v1/meetings/${ctx.meetingId}` }] },
  'POST /v1/meetings': { access: SECRETARIAT_ROLES, privacy: 'per-viewer', probes: () => [{ path: '/v1/meetings', body: MEETING }] },
  'PUT /v1/meetings/{id}': { access: SECRETARIAT_ROLES, privacy: 'per-viewer', probes: (ctx) => [{ path: `/v1/meetings/${ctx.meetingId}`, body: MEETING }] },
  'DELETE /v1/meetings/{id}': { access: SECRETARIAT_ROLES, privacy: 'per-viewer', probes: async (ctx) => [{ path: `/v1/meetings/${await ctx.newMeeting()}` }] },
  'POST /v1/meetings/{id}/sessions': { access: SECRETARIAT_ROLES, privacy: 'per-viewer', probes: (ctx) => [{ path: `/v1/meetings/${ctx.meetingId}/sessions`, body: SESSION }] },
  'PUT /v1/meeting-sessions/{id}': { access: SECRETARIAT_ROLES, privacy: 'per-viewer', probes: (ctx) => [{ path: `/v1/meeting-sessions/${ctx.sessionId}`, body: SESSION }] },
  'DELETE /v1/meeting-sessions/{id}': { access: SECRETARIAT_ROLES, privacy: 'per-viewer', probes: async (ctx) => [{ path: `/v1/meeting-sessions/${await ctx.newSession()}` }] },
  'POST /v1/meetings/{id}/documents': { access: SECRETARIAT_ROLES, privacy: 'per-viewer', probes: (ctx) => [{ path: `/v1/meetings/${ctx.meetingId}/documents`, body: DOCUMENT }] },
  'PUT /v1/meeting-documents/{id}': { access: SECRETARIAT_ROLES, privacy: 'per-viewer', probes: (ctx) => [{ path: `/v1/meeting-documents/${ctx.documentId}`, body: DOCUMENT }] },
  'DELETE /v1/meeting-documents/{id}': { access: SECRETARIAT_ROLES, privacy: 'per-viewer', probes: async (ctx) => [{ path: `/v1/meeting-documents/${await ctx.newDocument()}` }] },
  ...list('/v1/annotations'),
  'GET /v1/annotations/{id}': { access: 'public', privacy: 'identical', probes: get('/v1/annotations/1', '/v1/annotations/2') },
  'POST /v1/annotations': {
    access: 'signed-in',
    privacy: 'per-viewer',
    probes: (ctx) => [{ path: '/v1/annotations', body: { reportId: ctx.publicReportId, rowId: null, kind: 'question', text: `Which end users? (${ctx.unique()})` } }],
  },
  'POST /v1/annotations/{id}/moderation': {
    access: SECRETARIAT_ROLES,
    privacy: 'per-viewer',
    probes: async (ctx) => [{ path: `/v1/annotations/${await ctx.newQuestion(false)}/moderation`, body: { decision: 'approve' } }],
  },
  // Only the reporting State's officers answer questions on its reports (ATT Art. 13 reports are the State's word).
  'PUT /v1/annotations/{id}/answer': {
    access: ['officerOwnState'],
    privacy: 'per-viewer',
    probes: async (ctx) => [{ path: `/v1/annotations/${await ctx.newQuestion(true)}/answer`, body: { text: 'The end users were the armed forces.' } }],
  },

  // Reference upkeep (Secretariat).
  'POST /v1/reference/treaty-records/{stateId}': {
    access: SECRETARIAT_ROLES,
    privacy: 'per-viewer',
    probes: (ctx) => [{ path: '/v1/reference/treaty-records/FRA', body: { change: { notes: `matrix ${ctx.unique()}` }, source: { citation: 'visibility matrix test' } } }],
  },
  'POST /v1/reference/embargoes': {
    access: SECRETARIAT_ROLES,
    privacy: 'per-viewer',
    probes: () => [
      {
        path: '/v1/reference/embargoes',
        body: {
          episode: { authority: 'other', target: 'South Sudan', targetIds: ['SSD'], scopeCode: 'full', scopeText: 'arms', direction: 'to_target', startDate: '2020-01-01', binding: 'voluntary' },
          source: { citation: 'visibility matrix test' },
        },
      },
    ],
  },
  'PATCH /v1/reference/embargoes/{id}': {
    access: SECRETARIAT_ROLES,
    privacy: 'per-viewer',
    probes: (ctx) => [{ path: '/v1/reference/embargoes/EU-CHN-1989', body: { change: { notes: `matrix ${ctx.unique()}` }, source: { citation: 'visibility matrix test' } } }],
  },
  'GET /v1/reference/treaty-records/{id}/history': { access: SECRETARIAT_ROLES, privacy: 'per-viewer', probes: get('/v1/reference/treaty-records/SWE/history') },
  'GET /v1/reference/embargoes/{id}/history': { access: SECRETARIAT_ROLES, privacy: 'per-viewer', probes: get('/v1/reference/embargoes/EU-CHN-1989/history') },

  // Alerts: feeds (the public sees "submitted, private" events only) and each user's own subscriptions.
  'GET /v1/feeds/events.atom': { access: 'public', privacy: 'says-submitted-private', probes: get('/v1/feeds/events.atom', '/v1/feeds/events.atom?stateId=SWE') },
  'GET /v1/feeds/events.json': { access: 'public', privacy: 'says-submitted-private', probes: get('/v1/feeds/events.json', '/v1/feeds/events.json?stateId=SWE') },
  'GET /v1/subscriptions': { access: 'signed-in', privacy: 'per-viewer', probes: get('/v1/subscriptions') },
  'POST /v1/subscriptions': { access: 'signed-in', privacy: 'per-viewer', probes: () => [{ path: '/v1/subscriptions', body: { kinds: ['report_published'], stateId: 'SWE', channel: 'email' } }] },
  'GET /v1/subscriptions/{id}': { access: ['researcher'], denied: 404, privacy: 'per-viewer', probes: async (ctx) => [{ path: `/v1/subscriptions/${await ctx.newSubscription()}` }] },
  'GET /v1/subscriptions/{id}/deliveries': { access: ['researcher'], denied: 404, privacy: 'per-viewer', probes: async (ctx) => [{ path: `/v1/subscriptions/${await ctx.newSubscription()}/deliveries` }] },
  'PATCH /v1/subscriptions/{id}': { access: ['researcher'], denied: 404, privacy: 'per-viewer', probes: async (ctx) => [{ path: `/v1/subscriptions/${await ctx.newSubscription()}`, body: { kinds: ['embargo_changed'] } }] },
  'DELETE /v1/subscriptions/{id}': { access: ['researcher'], denied: 404, privacy: 'per-viewer', probes: async (ctx) => [{ path: `/v1/subscriptions/${await ctx.newSubscription()}` }] },
  'GET /v1/bulk/{file}': {
    access: 'public',
    privacy: 'identical',
    probes: () =>
      ['transfers', 'reports', 'states', 'treaty-status', 'embargoes'].flatMap((d) =>
        ['csv', 'json', 'metadata.json'].map((format) => ({
          path: `/v1/bulk/${d}.${format}`,
          // The registry says which reports were submitted, private ones included ("submitted, private").
          ...(d === 'reports' ? { privacy: 'says-submitted-private' as const } : {}),
        })),
      ),
  },
};

interface World {
  app: ApiApp;
  store: Store;
  fetcher: Fetcher;
  sessions: Map<RoleName, ApiSession>;
  apiKey: string;
  /** World B only: a private version submitted through the workflow, and a draft, both full of canaries. */
  canaryWorkflowReportId: string;
  canaryDraftId: string;
  meetingId: number;
  sessionId: number;
  documentId: number;
  publicReportId: string;
}

/** Sweden's officer starts a draft, optionally uploads the canary template for its year, and returns its id. */
async function startDraft(officer: ApiSession, year: number, filled: boolean): Promise<string> {
  const { data } = await officer.json<{ data: { id: string } }>('/v1/reporting/drafts', { json: { stateId: 'SWE', kind: 'annual', coveredYear: year } });
  if (filled) await officer.json(`/v1/reporting/drafts/${data.id}/upload`, { method: 'POST', body: templateForm(year)() });
  return data.id;
}

async function openWorld(engine: StorageEngine, withCanary: boolean): Promise<World> {
  const store = await engine.open();
  const referenceSync = await syncReference(store, REFERENCE_DIR, clock);
  const context = contextFor(store, REFERENCE_DIR, referenceSync);
  const files: [string, string][] = [
    ['sipri', 'test/fixtures/sipri/delivery-rows.csv'],
    ['att-report', 'test/fixtures/att-report/report.csv'],
    ['att-report', 'test/fixtures/att-report/report-embargoed-destination.csv'],
  ];
  const load = (source: string, fileName: string, bytes: Uint8Array) =>
    importFile({ imports: context.imports, reference: context.reference, clock }, { source: source as 'sipri', fileName, bytes });
  for (const [source, file] of files) await load(source, path.basename(file), new Uint8Array(await readFile(path.join(PROJECT_ROOT, file))));
  await load('att-report', 'public-swedish-report.csv', new TextEncoder().encode(publicSwedishReport()));
  // SIPRI's own TIV table (run 5 in both worlds), for /v1/tiv/check.
  await load('sipri', 'tiv-table.csv', new Uint8Array(await readFile(path.join(PROJECT_ROOT, 'test/fixtures/sipri/tiv-table.csv'))));
  if (withCanary) await load('att-report', 'report-private-canary.csv', new Uint8Array(await readFile(path.join(PROJECT_ROOT, 'test/fixtures/att-report/report-private-canary.csv'))));
  const accounts = createAccountRepository(store);
  const hash = await passwords.hash(PASSWORD);
  for (const role of ROLE_NAMES) {
    const who = ROLES[role];
    if (who) await accounts.createUser({ email: emailOf(role), displayName: role, role: who.role, stateId: who.stateId, passwordHash: hash }, 'operator', clock.now());
  }
  const app = createApp(
    appDepsFor(context, loadSettings({ ATT_REGISTRATIONS_PER_HOUR: '100000', ATT_API_KEY_REQUESTS_PER_MINUTE: '100000' }), clock, { passwords }),
  );
  const fetcher: Fetcher = async (p, init) => app.request(p, init);
  const sessions = new Map<RoleName, ApiSession>();
  for (const role of ROLE_NAMES) if (ROLES[role]) sessions.set(role, await signInApi(fetcher, emailOf(role), PASSWORD));
  const { key } = await sessions.get('researcher')!.json<{ key: string }>('/v1/api-keys', { method: 'POST' });
  // The same civil-society data in both worlds: a meeting with a session and a document, an approved question.
  const secretariat = sessions.get('secretariat')!;
  const meeting = await secretariat.json<{ data: { id: number } }>('/v1/meetings', { json: MEETING });
  const meetingSession = await secretariat.json<{ data: { id: number } }>(`/v1/meetings/${meeting.data.id}/sessions`, { json: SESSION });
  const document = await secretariat.json<{ data: { id: number } }>(`/v1/meetings/${meeting.data.id}/documents`, { json: DOCUMENT });
  const reports = await secretariat.json<{ rows: { id: string; stateId: string; coveredYear: number }[] }>('/v1/reports?stateId=SWE&coveredYear=2022');
  const publicReportId = reports.rows[0]!.id;
  const question = await sessions.get('researcher')!.json<{ data: { id: number } }>('/v1/annotations', {
    json: { reportId: publicReportId, rowId: null, kind: 'question', text: 'Were end-user certificates checked?' },
  });
  await secretariat.json(`/v1/annotations/${question.data.id}/moderation`, { json: { decision: 'approve' } });
  let canaryWorkflowReportId = 'SWE-annual-2024';
  let canaryDraftId = '00000000-0000-4000-8000-000000000000';
  if (withCanary) {
    // Through the reporting workflow too: a submitted version (both forms private) and a draft in progress.
    const officer = sessions.get('officerOwnState')!;
    const submitted = await officer.json<{ data: { reportId: string } }>(`/v1/reporting/drafts/${await startDraft(officer, 2024, true)}/submit`, { method: 'POST' });
    canaryWorkflowReportId = submitted.data.reportId;
    canaryDraftId = await startDraft(officer, 2025, true);
  }
  return {
    app,
    store,
    fetcher,
    sessions,
    apiKey: key,
    canaryWorkflowReportId,
    canaryDraftId,
    meetingId: meeting.data.id,
    sessionId: meetingSession.data.id,
    documentId: document.data.id,
    publicReportId,
  };
}

/** An answer as comparable text: JSON as is, CSV as is, XLSX as the text of every cell of every sheet. */
async function answerText(response: Response): Promise<string> {
  const type = response.headers.get('content-type') ?? '';
  if (type.includes('spreadsheetml')) {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await response.arrayBuffer());
    const cells: string[] = [];
    workbook.eachSheet((sheet) =>
      sheet.eachRow((row) => cells.push(`${sheet.name}|${JSON.stringify(row.values)}`)),
    );
    return cells.join('\n');
  }
  return response.text();
}

function request(world: World, role: RoleName | 'researcherApiKey', probe: Probe, method: string, options: { csrf?: boolean } = {}): Promise<Response> {
  const form = probe.form?.();
  const init = {
    method,
    ...(probe.body !== undefined ? { json: probe.body } : {}),
    ...(form ? { body: form } : {}),
    ...(options.csrf === false ? { csrf: false } : {}),
  };
  if (role === 'anonymous' || role === 'researcherApiKey') {
    const headers: Record<string, string> = {};
    if (role === 'researcherApiKey') headers['authorization'] = `Bearer ${world.apiKey}`;
    if (probe.body !== undefined) headers['content-type'] = 'application/json';
    const body = form ?? (probe.body !== undefined ? JSON.stringify(probe.body) : undefined);
    return world.fetcher(probe.path, { method, headers, ...(body !== undefined ? { body } : {}) });
  }
  return world.sessions.get(role)!.request(probe.path, init);
}

describe('visibility matrix: every route x every role x a private report', () => {
  const engines = [pgliteEngine(), pgliteEngine()];
  let a: World;
  let b: World;
  let routes: { method: string; path: string; key: string }[];
  let counter = 0;
  const context = (): ProbeContext => ({
    canaryReportId,
    canaryRunId,
    canaryDraftId: b.canaryDraftId,
    canaryWorkflowReportId: b.canaryWorkflowReportId,
    newDraft: (filled) => startDraft(b.sessions.get('officerOwnState')!, 2017 + (++counter % 6), filled),
    async draftContent(id) {
      return (await b.sessions.get('officerOwnState')!.json<{ data: { draft: { content: unknown } } }>(`/v1/reporting/drafts/${id}`)).data.draft.content;
    },
    meetingId: b.meetingId,
    sessionId: b.sessionId,
    documentId: b.documentId,
    publicReportId: b.publicReportId,
    newMeeting: async () => (await b.sessions.get('secretariat')!.json<{ data: { id: number } }>('/v1/meetings', { json: MEETING })).data.id,
    newSession: async () => (await b.sessions.get('secretariat')!.json<{ data: { id: number } }>(`/v1/meetings/${b.meetingId}/sessions`, { json: SESSION })).data.id,
    newDocument: async () => (await b.sessions.get('secretariat')!.json<{ data: { id: number } }>(`/v1/meetings/${b.meetingId}/documents`, { json: DOCUMENT })).data.id,
    async newQuestion(approved) {
      // Authors in turn, so that no account reaches the hourly posting limit.
      const author = b.sessions.get((['researcher', 'officerStateParty', 'officerNonParty', 'admin'] as const)[++counter % 4]!)!;
      const posted = await author.json<{ data: { id: number } }>('/v1/annotations', {
        json: { reportId: b.publicReportId, rowId: null, kind: 'question', text: `Question ${counter}` },
      });
      if (approved) await b.sessions.get('secretariat')!.json(`/v1/annotations/${posted.data.id}/moderation`, { json: { decision: 'approve' } });
      return posted.data.id;
    },
    async newSubscription() {
      const created = await b.sessions.get('researcher')!.json<{ data: { id: string | number } }>('/v1/subscriptions', { json: { kinds: ['report_published'], channel: 'email' } });
      return String(created.data.id);
    },
    unique: () => `${process.pid}-${++counter}`,
    async newToken() {
      const { token } = await b.sessions.get('secretariat')!.json<{ token: string }>('/v1/invitations', { json: { email: `t${++counter}@matrix.example`, stateId: 'FRA' } });
      return token;
    },
  });
  let canaryReportId = '';
  let canaryRunId = 0;

  beforeAll(async () => {
    [a, b] = await Promise.all([openWorld(engines[0]!, false), openWorld(engines[1]!, true)]);
    const doc = (await (await b.app.request('/openapi.json')).json()) as { paths: Record<string, Record<string, unknown>> };
    routes = Object.entries(doc.paths).flatMap(([p, operations]) =>
      Object.keys(operations).map((method) => ({ method: method.toUpperCase(), path: p, key: `${method.toUpperCase()} ${p}` })),
    );
    const reports = await b.sessions.get('secretariat')!.json<{ rows: { id: string; stateId: string }[] }>('/v1/reports?stateId=SWE');
    canaryReportId = reports.rows.find((r) => r.stateId === 'SWE')!.id;
    const runs = await b.sessions.get('secretariat')!.json<{ rows: { id: number; fileName: string }[] }>('/v1/imports?_size=max');
    canaryRunId = runs.rows.find((r) => r.fileName === 'report-private-canary.csv')!.id;
  }, 180_000);

  afterAll(async () => {
    await Promise.all(engines.map((engine) => engine.cleanup()));
  });

  it('has a policy for every route in the OpenAPI table, and no policy for a route that is gone', () => {
    const keys = routes.map((r) => r.key);
    const missing = keys.filter((key) => !(key in POLICY));
    if (missing.length > 0) console.info(`routes without a POLICY entry:\n${missing.join('\n')}`);
    expect(missing, 'routes without a POLICY entry').toEqual([]);
    expect(Object.keys(POLICY).filter((key) => !keys.includes(key)), 'POLICY entries without a route').toEqual([]);
  });

  it('shows the private canaries to every entitled role somewhere (so that the matrix can fail)', async () => {
    for (const role of ENTITLED) {
      const seen = await request(b, role, { path: '/v1/transfers?source=att-report&_size=max' }, 'GET');
      expect(await seen.text(), role).toContain('CANARY-PRIVATE-EXPORT');
      const csv = await request(b, role, { path: '/v1/transfers.csv?source=att-report' }, 'GET');
      expect(await csv.text(), role).toContain('CANARY-PRIVATE-IMPORT');
    }
  });

  it('answers every GET route the same with and without a private report for viewers not entitled to it, and never shows a canary', async () => {
    const failures: string[] = [];
    let cells = 0;
    for (const route of routes.filter((r) => r.method === 'GET')) {
      const policy = POLICY[route.key]!;
      for (const probe of await policy.probes(context())) {
        for (const role of [...ROLE_NAMES, 'researcherApiKey' as const]) {
          cells += 1;
          const [inA, inB] = await Promise.all([request(a, role, probe, 'GET'), request(b, role, probe, 'GET')]);
          const asRole = role === 'researcherApiKey' ? 'researcher' : role;
          const allowed = isAllowed(policy, asRole);
          const expected = allowed ? null : deniedStatus(policy, asRole);
          if (expected !== null && inB.status !== expected) failures.push(`${role} GET ${probe.path}: ${inB.status}, expected ${expected}`);
          if (allowed && (inB.status === 401 || inB.status === 403)) failures.push(`${role} GET ${probe.path}: ${inB.status}, expected access`);
          const entitled = ENTITLED.has(role as RoleName);
          if (entitled) continue;
          const [textA, textB] = await Promise.all([answerText(inA), answerText(inB)]);
          for (const canary of CANARIES) if (textB.includes(canary)) failures.push(`${role} GET ${probe.path}: shows "${canary}"`);
          if ((probe.privacy ?? policy.privacy) === 'identical' && (inA.status !== inB.status || textA !== textB)) {
            failures.push(`${role} GET ${probe.path}: differs with a private report (${inA.status}/${inB.status}) ${firstDifference(textA, textB)}`);
          }
        }
      }
    }
    console.info(`visibility matrix: ${routes.length} routes; ${cells} GET cells (probe x viewer, each in both databases)`);
    expect(failures).toEqual([]);
    expect(cells).toBeGreaterThan(ROLE_NAMES.length * 60);
  }, 300_000);

  it('guards every state-changing route: 401 for the public where sign-in is needed, 403 without the CSRF token, 403 for other roles', async () => {
    const failures: string[] = [];
    for (const route of routes.filter((r) => r.method !== 'GET')) {
      const policy = POLICY[route.key]!;
      for (const role of ROLE_NAMES) {
        const [probe] = await policy.probes(context());
        const allowed = isAllowed(policy, role);
        if (role !== 'anonymous') {
          const noCsrf = await request(b, role, probe!, route.method, { csrf: false });
          if (noCsrf.status !== 403) failures.push(`${role} ${route.key} without x-csrf-token: ${noCsrf.status}, expected 403`);
        }
        const [fresh] = await policy.probes(context());
        const response = await request(b, role, fresh!, route.method);
        const expected = allowed ? `2xx${policy.allowedStatuses ? ` or ${policy.allowedStatuses.join('/')}` : ''}` : String(deniedStatus(policy, role));
        const ok = allowed
          ? (response.status >= 200 && response.status < 300) || (policy.allowedStatuses ?? []).includes(response.status)
          : response.status === deniedStatus(policy, role);
        if (!ok) failures.push(`${role} ${route.key}: ${response.status} ${await response.text()}, expected ${expected}`);
        // A logout or a new login ends the session: sign in again for the next route.
        if ((route.key === 'POST /v1/auth/logout' || route.key === 'POST /v1/auth/login') && role !== 'anonymous') b.sessions.set(role, await signInApi(b.fetcher, emailOf(role), PASSWORD));
      }
    }
    expect(failures).toEqual([]);
  }, 300_000);
});

function isAllowed(policy: RoutePolicy, role: RoleName): boolean {
  if (policy.access === 'public') return true;
  if (role === 'anonymous') return false;
  return policy.access === 'signed-in' || policy.access.includes(role);
}

/** 401 for the public where sign-in is needed (404 where the resource is someone else's), 403 or 404 otherwise. */
function deniedStatus(policy: RoutePolicy, role: RoleName): number {
  if (role === 'anonymous') return policy.deniedAnonymous ?? 401;
  return policy.denied ?? 403;
}

function firstDifference(x: string, y: string): string {
  let i = 0;
  while (i < x.length && i < y.length && x[i] === y[i]) i += 1;
  return `at ${i}: A "${x.slice(Math.max(0, i - 60), i + 60)}" / B "${y.slice(Math.max(0, i - 60), i + 60)}"`;
}
