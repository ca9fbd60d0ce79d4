import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { inviteStateOfficer, registerResearcher, signInApi, type ApiSession, type Fetcher } from '../../test/support/api-session.js';
import { pgliteEngine, useStorageEngine } from '../../test/support/engines.js';
import { parseAttReport } from '../ingest/att-report/parse-att-report.js';
import { fixedClock } from '../model/clock.js';
import { DEFAULT_REPORTING_RULES } from '../model/reporting.js';
import { attReportLookup } from '../services/import-file.js';
import { PROJECT_ROOT } from '../settings.js';
import { createAccountRepository } from '../store/account-repository.js';
import { createAlertEventRepository } from '../store/alert-events.js';
import { createAuditLog } from '../store/audit-log.js';
import { createImportRepository } from '../store/import-repository.js';
import { createReferenceRepository } from '../store/reference-repository.js';
import { syncReference } from '../store/reference-sync.js';
import { createRegistryRepository } from '../store/registry-repository.js';
import { createReportingRepository } from '../store/reporting-repository.js';
import { createTransferRepository } from '../store/transfer-repository.js';
import { OPERATOR } from '../model/viewer.js';
import { createApp, type ApiApp } from './app.js';
import { argon2Hasher, TEST_ARGON2 } from './auth/passwords.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;

const clock = fixedClock('2026-03-10T09:00:00Z');
const passwords = argon2Hasher(TEST_ARGON2);
const PASSWORD = 'correct horse battery staple';
const REPORT = 'FRA-annual-2025';

/** A small annual report in the JSON template form, as the web app's table forms send it. */
function annual(options: { exports: 'public' | 'private'; partner?: string; importsNil?: boolean }) {
  return {
    format: 'att-annual-report',
    formatVersion: 1,
    title: {
      reportingStateCode: 'FRA',
      coveredYear: 2025,
      exportsIncluded: true,
      exportsNilReport: false,
      exportsBasis: 'actual',
      exportsVisibility: options.exports,
      importsIncluded: true,
      importsNilReport: options.importsNil ?? true,
      importsVisibility: 'public',
      defaultCurrency: 'EUR',
    },
    exports: [
      { category: 'II', partner: options.partner ?? 'CHL', numberOfItems: '4', value: '12500000', description: 'Armoured personnel carriers' },
      { category: 'VIII', subcategory: 'SA4', partner: 'BRA', numberOfItems: '250', value: 'withheld', description: 'Assault rifles' },
    ],
    imports: [],
  };
}

// The API over PGlite: the repository's transactions, immutability and concurrency run on both engines in
// src/store/reporting-repository.test.ts.
describe('reporting workflow API', () => {
  const handle = useStorageEngine(pgliteEngine(), {
    async setup(store) {
      await syncReference(store, path.join(PROJECT_ROOT, 'data', 'reference'), clock);
      const accounts = createAccountRepository(store);
      const hash = await passwords.hash(PASSWORD);
      await accounts.createUser({ email: 'sec@att.example', displayName: 'Secretariat', role: 'secretariat', stateId: null, passwordHash: hash }, 'operator', clock.now());
    },
  });
  let app: ApiApp;
  let fetcher: Fetcher;
  const as: Record<string, ApiSession> = {};
  /** Each role of the visibility matrix; `anonymous` has no session. */
  const ROLES = ['anonymous', 'researcher', 'ownOfficer', 'partyOfficer', 'nonPartyOfficer', 'secretariat'] as const;
  type Role = (typeof ROLES)[number];
  const request = (role: Role, url: string, init?: Parameters<ApiSession['request']>[1]) =>
    role === 'anonymous'
      ? app.request(url, init?.json !== undefined ? { method: init.method ?? 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(init.json) } : { method: init?.method ?? 'GET' })
      : as[role]!.request(url, init);
  const statuses = async (url: string, init?: Parameters<ApiSession['request']>[1]) =>
    Object.fromEntries(await Promise.all(ROLES.map(async (role) => [role, (await request(role, url, init)).status])));

  beforeAll(async () => {
    const store = handle.store;
    app = createApp({
      reference: createReferenceRepository(store),
      imports: createImportRepository(store),
      transfers: createTransferRepository(store),
      registry: createRegistryRepository(store),
      reportingWorkflow: createReportingRepository(store),
      referenceDir: path.join(PROJECT_ROOT, 'data', 'reference'),
      clock,
      reporting: DEFAULT_REPORTING_RULES,
      auth: { accounts: createAccountRepository(store), passwords },
    });
    fetcher = (p, init) => Promise.resolve(app.request(p, init));
    as.secretariat = await signInApi(fetcher, 'sec@att.example', PASSWORD);
    as.researcher = await registerResearcher(fetcher, 'ngo@example.org', PASSWORD);
    as.ownOfficer = await inviteStateOfficer(fetcher, as.secretariat, 'officer@example.fr', 'FRA', PASSWORD);
    as.otherOwnOfficer = await inviteStateOfficer(fetcher, as.secretariat, 'second.officer@example.fr', 'FRA', PASSWORD);
    as.partyOfficer = await inviteStateOfficer(fetcher, as.secretariat, 'officer@example.de', 'DEU', PASSWORD);
    // The United States signed but declared it does not intend to become a party: not a State Party.
    as.nonPartyOfficer = await inviteStateOfficer(fetcher, as.secretariat, 'officer@example.us', 'USA', PASSWORD);
  });

  let draftId = '';

  it("lets an officer start a draft for their own State only, the Secretariat for any, and nobody else", async () => {
    const body = { stateId: 'FRA', kind: 'annual', coveredYear: 2025 };
    expect(await statuses('/v1/reporting/drafts', { method: 'POST', json: body })).toEqual({
      anonymous: 401,
      researcher: 403,
      ownOfficer: 201,
      partyOfficer: 403,
      nonPartyOfficer: 403,
      secretariat: 201,
    });
    const drafts = (await as.ownOfficer!.json<Json>('/v1/reporting/drafts')).data as Json[];
    expect(drafts.map((d) => d.reportId)).toEqual([REPORT, REPORT]);
    draftId = drafts[0]!.id;
    // The Secretariat's draft is discarded, so that one draft remains.
    expect((await as.secretariat!.request(`/v1/reporting/drafts/${drafts[1]!.id}`, { method: 'DELETE' })).status).toBe(204);
    const refused = await as.ownOfficer!.request('/v1/reporting/drafts', { json: { stateId: 'FRA', kind: 'annual', coveredYear: 2027 } });
    expect(refused.status).toBe(400);
  });

  it('shows a draft only to its State\'s officers and the Secretariat; everyone else gets 404 as for a missing one', async () => {
    const expected = { anonymous: 404, researcher: 404, ownOfficer: 200, partyOfficer: 404, nonPartyOfficer: 404, secretariat: 200 };
    expect(await statuses(`/v1/reporting/drafts/${draftId}`)).toEqual(expected);
    expect(await statuses(`/v1/reporting/drafts/${draftId}/export?format=json`)).toEqual(expected);
    const missing = await as.secretariat!.request('/v1/reporting/drafts/00000000-0000-4000-8000-000000000000');
    const hidden = await as.partyOfficer!.request(`/v1/reporting/drafts/${draftId}`);
    expect(((await hidden.json()) as Json).error.message.replace(draftId, 'X')).toBe(((await missing.json()) as Json).error.message.replace('00000000-0000-4000-8000-000000000000', 'X'));
    expect(await statuses(`/v1/reporting/drafts/${draftId}`, { method: 'PUT', json: { content: annual({ exports: 'public' }) } })).toEqual({
      ...expected,
      anonymous: 404,
    });
    // Submitting or discarding someone else's draft: 404 too (the editors' own calls are tested below).
    for (const method of ['DELETE', 'POST'] as const) {
      const url = method === 'POST' ? `/v1/reporting/drafts/${draftId}/submit` : `/v1/reporting/drafts/${draftId}`;
      for (const role of ['anonymous', 'researcher', 'partyOfficer', 'nonPartyOfficer'] as const) {
        expect([role, method, (await request(role, url, { method })).status]).toEqual([role, method, 404]);
      }
    }
    expect(await statuses('/v1/reporting/drafts')).toEqual({ anonymous: 401, researcher: 200, ownOfficer: 200, partyOfficer: 200, nonPartyOfficer: 200, secretariat: 200 });
    for (const role of ['researcher', 'partyOfficer', 'nonPartyOfficer'] as const) {
      expect(((await as[role]!.json<Json>('/v1/reporting/drafts')).data as Json[])).toEqual([]);
    }
    // The report list does not reveal that a draft exists.
    expect(((await (await app.request('/v1/reporting/reports')).json()) as Json).rows).toEqual([]);
    expect((await app.request(`/v1/reporting/reports/${REPORT}`)).status).toBe(404);
  });

  it('validates every save with the same messages as `att import att-report` (sheet, row, column, what to do)', async () => {
    const content = annual({ exports: 'public', partner: 'Narnia' });
    const saved = await as.ownOfficer!.json<Json>(`/v1/reporting/drafts/${draftId}`, { method: 'PUT', json: { content } });
    const validation = saved.data.validation;
    expect(validation.valid).toBe(false);
    const issue = validation.issues.find((i: Json) => i.code === 'unknown_state');
    expect(issue).toMatchObject({ sheet: 'exports', row: 1, column: 'partner', severity: 'error' });
    expect(issue.message).toMatch(/^sheet "exports", row 1, column "partner": "Narnia"/);
    expect(issue.hint).toMatch(/state-aliases\.csv/);
    // The very issues the CLI's parser gives for the same report saved as a JSON file.
    const cli = await parseAttReport(new TextEncoder().encode(JSON.stringify(content)), {
      fileName: `${REPORT}-draft.json`,
      format: 'json',
      lookup: await attReportLookup(createReferenceRepository(handle.store)),
      currentYear: 2026,
    });
    expect(validation.issues).toEqual(cli.result.issues);
    // Submitting it is refused with the first error, where it is and what to do.
    const submit = await as.ownOfficer!.request(`/v1/reporting/drafts/${draftId}/submit`, { method: 'POST' });
    expect(submit.status).toBe(400);
    expect(((await submit.json()) as Json).error.message).toMatch(/row 1, column "partner": "Narnia"/);
  });

  it('submits version 1 in one go: rows become transfers as an imported file\'s, the registry gets its entry, alerts and audit', async () => {
    await as.ownOfficer!.json(`/v1/reporting/drafts/${draftId}`, { method: 'PUT', json: { content: annual({ exports: 'public' }) } });
    const submitted = await as.ownOfficer!.json<Json>(`/v1/reporting/drafts/${draftId}/submit`, { method: 'POST' });
    const v1 = submitted.data;
    expect(v1).toMatchObject({ reportId: REPORT, version: 1, submittedAt: '2026-03-10T09:00:00.000Z', supersededBy: null });
    expect(v1.title.submittedOn).toBe('2026-03-10');
    expect(v1.rows).toHaveLength(2);
    // The draft is gone; the version is there.
    expect((await as.ownOfficer!.request(`/v1/reporting/drafts/${draftId}`)).status).toBe(404);
    const entry = ((await (await app.request(`/v1/reports/${encodeURIComponent(v1.registryEntryId)}`)).json()) as Json).data;
    expect(entry.entry).toMatchObject({ stateId: 'FRA', kind: 'annual', coveredYear: 2025, submittedOn: '2026-03-10', origin: 'att-report-import' });
    expect(entry.rows).toHaveLength(2);
    expect(entry.rows[0].provenance).toMatchObject({ fileName: `${REPORT}-v1.json`, sheet: 'exports', row: 1 });
    const publicRows = ((await (await app.request('/v1/transfers?source=att-report&exporterId=FRA&year=2025')).json()) as Json).count;
    expect(publicRows).toBe(2);
    const events = await createAlertEventRepository(handle.store).list(OPERATOR, { stateId: 'FRA' });
    expect(events.map((e) => e.kind).sort()).toEqual(['report_published']);
    const audit = await createAuditLog(handle.store).list(OPERATOR, { limit: 50 });
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['report_draft.create', 'report_draft.update', 'report_version.create', 'report_draft.submit', 'report_draft.delete']));
  });

  it('amends: version 2 starts from version 1, and when it makes exports private the public stops seeing every row of version 1', async () => {
    const created = await as.ownOfficer!.json<Json>('/v1/reporting/drafts', { json: { stateId: 'FRA', kind: 'annual', coveredYear: 2025 } });
    expect(created.data.basedOnVersion).toBe(1);
    expect(created.data.content.title.submittedOn).toBeUndefined();
    expect(created.data.content.exports).toHaveLength(2);
    const amendment = created.data.id as string;
    await as.ownOfficer!.json(`/v1/reporting/drafts/${amendment}`, { method: 'PUT', json: { content: annual({ exports: 'private' }) } });
    // Submitted by the State's other officer: any officer of the State may.
    const v2 = (await as.otherOwnOfficer!.json<Json>(`/v1/reporting/drafts/${amendment}/submit`, { method: 'POST' })).data;
    expect(v2).toMatchObject({ version: 2, basedOnVersion: 1 });
    const count = async (role: Role, query = 'source=att-report&exporterId=FRA&year=2025') =>
      ((await (await request(role, `/v1/transfers?${query}`)).json()) as Json).count as number;
    // Version 2's rows only (never 2 + 2): version 1 is superseded; its rows are for private readers only.
    expect(await count('anonymous')).toBe(0);
    expect(await count('researcher')).toBe(0);
    expect(await count('nonPartyOfficer')).toBe(0);
    expect(await count('ownOfficer')).toBe(2);
    expect(await count('partyOfficer')).toBe(2);
    expect(await count('secretariat')).toBe(2);
    const v1 = (await as.secretariat!.json<Json>(`/v1/reporting/reports/${REPORT}/versions/1`)).data;
    expect(await count('anonymous', `importRunId=${v1.importRunId}`)).toBe(0);
    expect(await count('secretariat', `importRunId=${v1.importRunId}`)).toBe(2);
    const registry = ((await (await app.request('/v1/reports?stateId=FRA')).json()) as Json).rows as Json[];
    expect(registry.map((e) => e.kind)).toEqual(['annual', 'update']);
    const events = await createAlertEventRepository(handle.store).list(OPERATOR, { stateId: 'FRA' });
    expect(events.map((e) => e.kind)).toEqual(['report_made_private', 'report_submitted_private', 'report_published', 'report_published']);
    const privateEvent = events.find((e) => e.kind === 'report_submitted_private')!;
    expect(privateEvent.audience).toBe('public');
    // "Submitted, private" and nothing of the content.
    expect(`${privateEvent.title} ${privateEvent.summary}`).not.toMatch(/CHL|BRA|12500000|carriers/);
  });

  it('keeps the history readable: every version for those entitled, the current public forms for the public', async () => {
    const history = async (role: Role) => ((await (await request(role, `/v1/reporting/reports/${REPORT}`)).json()) as Json).data;
    for (const role of ROLES) {
      const data = await history(role);
      expect(data.versions.map((v: Json) => [v.version, v.supersededBy])).toEqual([
        [1, 2],
        [2, null],
      ]);
    }
    expect((await history('anonymous')).versions[0].submittedBy).toBeNull();
    expect((await history('ownOfficer')).versions[0].submittedBy).toMatch(/^user:/);
    const rowsOf = async (role: Role, version: number) => {
      const response = await request(role, `/v1/reporting/reports/${REPORT}/versions/${version}`);
      expect(response.status).toBe(200);
      return (((await response.json()) as Json).data.rows as Json[]).length;
    };
    const matrix = async (version: number) => Object.fromEntries(await Promise.all(ROLES.map(async (role) => [role, await rowsOf(role, version)])));
    // v1: public exports, but superseded: only private readers still read it.
    expect(await matrix(1)).toEqual({ anonymous: 0, researcher: 0, ownOfficer: 2, partyOfficer: 2, nonPartyOfficer: 0, secretariat: 2 });
    // v2: exports private.
    expect(await matrix(2)).toEqual({ anonymous: 0, researcher: 0, ownOfficer: 2, partyOfficer: 2, nonPartyOfficer: 0, secretariat: 2 });
    const publicV2 = (await (await app.request(`/v1/reporting/reports/${REPORT}/versions/2`)).json()) as Json;
    expect(publicV2.data.forms.find((f: Json) => f.form === 'exports')).toMatchObject({ visibility: 'private', readable: false, nilReport: null });
    expect(JSON.stringify(publicV2)).not.toMatch(/CHL|12500000|carriers/);
    expect((await app.request(`/v1/reporting/reports/${REPORT}/versions/3`)).status).toBe(404);
  });

  it('exports a version as the template with only the forms the viewer may read', async () => {
    const lookup = await attReportLookup(createReferenceRepository(handle.store));
    const read = async (role: Role, format: string) => {
      const response = await request(role, `/v1/reporting/reports/${REPORT}/versions/2/export?format=${format}`);
      expect(response.status).toBe(200);
      const parsed = await parseAttReport(new Uint8Array(await response.arrayBuffer()), { fileName: `x.${format}`, lookup, currentYear: 2026 });
      return parsed;
    };
    const publicCopy = await read('anonymous', 'xlsx');
    expect(publicCopy.report?.formsIncluded).toEqual(['imports']);
    expect(publicCopy.rows).toHaveLength(0);
    const full = await read('partyOfficer', 'csv');
    expect(full.report?.formsIncluded).toEqual(['exports', 'imports']);
    expect(full.rows.map((r) => r.partnerId)).toEqual(['CHL', 'BRA']);
    expect(full.report?.exports?.visibility).toBe('private');
    // Version 1 is superseded: nothing of it for the public.
    expect((await app.request(`/v1/reporting/reports/${REPORT}/versions/1/export?format=json`)).status).toBe(404);
  });

  it('replaces a draft by an uploaded template, refuses what the parser refuses, and never uses the file name as a path', async () => {
    const created = await as.ownOfficer!.json<Json>('/v1/reporting/drafts', { json: { stateId: 'FRA', kind: 'annual', coveredYear: 2025 } });
    const id = created.data.id as string;
    const upload = async (bytes: Uint8Array | string, name: string, session = as.ownOfficer!) => {
      const form = new FormData();
      form.append('file', new Blob([bytes as BlobPart]), name);
      return session.request(`/v1/reporting/drafts/${id}/upload`, { method: 'POST', body: form });
    };
    const csv = await readFile(path.join(PROJECT_ROOT, 'test/fixtures/att-report/draft-upload-2025.csv'));
    const response = await upload(csv, '../../../etc/passwd/../report.csv');
    expect(response.status).toBe(200);
    const data = ((await response.json()) as Json).data;
    expect(data.validation.valid).toBe(true);
    expect(data.draft.content.exports.map((r: Json) => r.partner)).toEqual(['CHL', 'PER']);
    expect(data.draft.content.title.exportsVisibility).toBe('public');
    expect(data.upload.issues.every((i: Json) => i.file === 'report.csv')).toBe(true);
    // A file the parser refuses changes nothing.
    const refused = await upload('%PDF-1.4 not a report', 'report.pdf');
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as Json).error).toMatchObject({ code: 'validation', parameter: 'file' });
    const after = (await as.ownOfficer!.json<Json>(`/v1/reporting/drafts/${id}`)).data;
    expect(after.draft.content.exports).toHaveLength(2);
    // Others cannot upload into it (404), and more than 10 MB is 413 in the one error shape.
    expect((await upload(csv, 'report.csv', as.partyOfficer!)).status).toBe(404);
    const big = await upload(new Uint8Array(10 * 1024 * 1024 + 100), 'big.csv');
    expect(big.status).toBe(413);
    expect(((await big.json()) as Json).error).toMatchObject({ code: 'payload_too_large', status: 413 });
    expect((await as.ownOfficer!.request(`/v1/reporting/drafts/${id}`, { method: 'DELETE' })).status).toBe(204);
  });

  it('lists every workflow route in /openapi.json', async () => {
    const spec = (await (await app.request('/openapi.json')).json()) as Json;
    expect(Object.keys(spec.paths).filter((p) => p.startsWith('/v1/reporting/') && p !== '/v1/reporting/obligations' && !p.includes('obligations')).sort()).toEqual([
      '/v1/reporting/drafts',
      '/v1/reporting/drafts/{id}',
      '/v1/reporting/drafts/{id}/export',
      '/v1/reporting/drafts/{id}/submit',
      '/v1/reporting/drafts/{id}/upload',
      '/v1/reporting/reports',
      '/v1/reporting/reports.csv',
      '/v1/reporting/reports.json',
      '/v1/reporting/reports.xlsx',
      '/v1/reporting/reports/{reportId}',
      '/v1/reporting/reports/{reportId}/versions/{version}',
      '/v1/reporting/reports/{reportId}/versions/{version}/export',
    ]);
  });
});
