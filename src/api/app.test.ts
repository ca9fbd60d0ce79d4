import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../model/clock.js';
import { DEFAULT_REPORTING_RULES } from '../model/reporting.js';
import { loadReferenceData } from '../reference/load-reference.js';
import { PROJECT_ROOT } from '../settings.js';
import { createInMemoryReferenceRepository } from '../store/reference-repository.js';
import { createApp, type ApiApp } from './app.js';

let app: ApiApp;

beforeAll(async () => {
  const data = await loadReferenceData(path.join(PROJECT_ROOT, 'data', 'reference'));
  app = createApp({
    reference: createInMemoryReferenceRepository(data, new Date('2026-11-20T08:00:00Z')),
    clock: fixedClock('2026-11-24T10:00:00Z'),
    reporting: DEFAULT_REPORTING_RULES,
  });
});

// Response bodies are checked field by field below; their shapes are the API's, typed in the OpenAPI document.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;

async function getJson(url: string) {
  const response = await app.request(url);
  return { status: response.status, body: (await response.json()) as Json, headers: response.headers };
}

describe('errors', () => {
  it('answers an unknown ISO3 code with 404 in the one error shape, naming the code and how to list codes', async () => {
    const { status, body } = await getJson('/v1/states/XYZ');
    expect(status).toBe(404);
    // The error shape is part of the API's stability promise (docs/api.md): pinned here, key by key.
    expect(body).toEqual({
      error: {
        code: 'not_found',
        status: 404,
        message: 'no State with ISO3 code "XYZ"',
        parameter: 'iso3',
        hint: 'list valid codes at /v1/states (or /v1/states.csv)',
      },
    });
  });

  it('answers a malformed date with 400 naming the parameter', async () => {
    const { status, body } = await getJson('/v1/treaty/status?asOf=2015-02-30');
    expect(status).toBe(400);
    expect(body.error.code).toBe('validation');
    expect(body.error.parameter).toBe('asOf');
  });

  it('answers a malformed ISO3 code with 400 naming the parameter', async () => {
    const { status, body } = await getJson('/v1/states/FRANCE');
    expect(status).toBe(400);
    expect(body.error.parameter).toBe('iso3');
  });

  it('answers an unknown filter with 400 listing the valid parameters', async () => {
    const { status, body } = await getJson('/v1/states?colour=blue');
    expect(status).toBe(400);
    expect(body.error.parameter).toBe('colour');
    expect(body.error.validValues).toEqual(
      expect.arrayContaining(['kind', 'unRegionalGroup', '_sort', '_size', '_next']),
    );
  });

  it('answers a cursor from another query with 400', async () => {
    const first = await getJson('/v1/states?_size=10');
    expect(first.body.next).toEqual(expect.any(String));
    const { status, body } = await getJson(`/v1/states?_size=10&kind=state&_next=${first.body.next}`);
    expect(status).toBe(400);
    expect(body.error.parameter).toBe('_next');
  });

  it('answers a forged cursor with 400, not 500', async () => {
    const { status } = await getJson('/v1/states?_next=not-a-cursor');
    expect(status).toBe(400);
  });

  it('answers an unknown path with 404 in the same shape', async () => {
    const { status, body } = await getJson('/v1/nothing-here');
    expect(status).toBe(404);
    expect(Object.keys(body.error)).toEqual(expect.arrayContaining(['code', 'status', 'message']));
  });
});

describe('list conventions', () => {
  it('caps a huge _size and says so', async () => {
    const { status, body } = await getJson('/v1/states?_size=100000');
    expect(status).toBe(200);
    expect(body.rows.length).toBeLessThanOrEqual(1000);
    expect(body.meta.notices.join(' ')).toContain('capped');
  });

  it('pages through every row with the cursor, each exactly once', async () => {
    const seen: string[] = [];
    let url: string | null = '/v1/states?_size=37&_sort=id';
    let total = 0;
    while (url) {
      const { body } = await getJson(url);
      total = body.count;
      seen.push(...body.rows.map((r: { id: string }) => r.id));
      url = body.nextUrl;
    }
    expect(seen).toHaveLength(total);
    expect(new Set(seen).size).toBe(total);
    expect([...seen].sort()).toEqual(seen);
  });

  it('counts facets of an in-memory list over the other filters', async () => {
    const { body } = await getJson('/v1/treaty/status?asOf=2015-08-24&status=state_party&_facet=status,unRegionalGroup&_size=1');
    const byStatus = Object.fromEntries(body.facets.status.map((f: { value: string; count: number }) => [f.value, f.count]));
    expect(byStatus.state_party).toBe(69);
    expect(byStatus.deposited_awaiting_eif).toBe(3);
    const groups = body.facets.unRegionalGroup.reduce((n: number, f: { count: number }) => n + f.count, 0);
    expect(groups).toBe(body.count);
  });

  it('reads a repeated filter as any of its values', async () => {
    const { status, body } = await getJson('/v1/states?iso3=FRA&iso3=DEU&_sort=iso3');
    expect(status).toBe(200);
    expect(body.rows.map((r: { iso3: string }) => r.iso3)).toEqual(['DEU', 'FRA']);
  });

  it('sorts descending with a leading minus', async () => {
    const { body } = await getJson(
      '/v1/treaty/status?asOf=2026-02-03&_sort=-depositDate&status=state_party&_size=3',
    );
    const dates = body.rows.map((r: { depositDate: string }) => r.depositDate);
    expect([...dates].sort().reverse()).toEqual(dates);
  });

  it('serves the CSV twin with the same filters and a header row', async () => {
    const json = await getJson('/v1/treaty/status?asOf=2015-08-24&status=state_party&_size=max');
    const response = await app.request('/v1/treaty/status.csv?asOf=2015-08-24&status=state_party&_size=max');
    expect(response.headers.get('content-type')).toContain('text/csv');
    const lines = (await response.text()).trim().split('\r\n');
    expect(lines[0]).toContain('iso3');
    expect(lines).toHaveLength(json.body.rows.length + 1);
  });

  it('names sources, licences and the "as at" date of the data in every list', async () => {
    const { body } = await getJson('/v1/treaty/status?asOf=2015-08-24');
    const treaty = body.meta.sources.find((s: { dataset: string }) => s.dataset === 'treaty-status');
    expect(treaty.asAt).toBe('2026-02-03');
    expect(treaty.licence).toEqual(expect.any(String));
    expect(body.meta.retrievedAt).toBe('2026-11-20T08:00:00.000Z');
  });
});

describe('treaty status', () => {
  it('counts 72 deposited and 69 States Parties on 24 August 2015', async () => {
    const { body } = await getJson('/v1/treaty/status?asOf=2015-08-24');
    expect(body.summary.counts.deposited).toBe(72);
    expect(body.summary.counts.stateParty).toBe(69);
    expect(body.summary.counts.depositedAwaitingEif).toBe(3);
  });

  it('gives the United States as declared not to become a party after 18 July 2019, and as signatory before', async () => {
    const after = await getJson('/v1/states/USA?asOf=2019-07-18');
    expect(after.body.data.status).toBe('declared_not_to_become_party');
    expect(after.body.data.treaty.signatureDate).toBe('2013-09-25');
    const before = await getJson('/v1/states/usa?asOf=2019-07-17');
    expect(before.body.data.status).toBe('signatory');
  });

  it('lists the timeline in date order starting with the signatures of 3 June 2013', async () => {
    const { body } = await getJson('/v1/treaty/timeline?_size=5');
    expect(body.rows[0].date).toBe('2013-06-03');
    expect(body.rows[0].event).toBe('signature');
  });
});

describe('reporting obligations', () => {
  it("gives France's initial report due 2015-12-23 and the annual report on 2015 due 2016-05-31", async () => {
    const { status, body } = await getJson('/v1/reporting/obligations?state=FRA&asOf=2016-01-10');
    expect(status).toBe(200);
    const initial = body.rows.find((r: { kind: string }) => r.kind === 'initial');
    expect(initial).toMatchObject({ dueDate: '2015-12-23', status: 'deadline_passed' });
    const annual = body.rows.find((r: { coveredYear: number }) => r.coveredYear === 2015);
    expect(annual).toMatchObject({ dueDate: '2016-05-31', status: 'due' });
  });

  it('answers an unknown State with 404 naming the parameter', async () => {
    const { status, body } = await getJson('/v1/reporting/obligations?state=QQQ');
    expect(status).toBe(404);
    expect(body.error.parameter).toBe('state');
  });
});

describe('embargoes', () => {
  it('lists the UN embargo on South Sudan as in force on 2019-01-01', async () => {
    const { body } = await getJson('/v1/embargoes?asOf=2019-01-01&target=SSD');
    expect(body.rows.map((r: { authority: string }) => r.authority)).toContain('UN');
  });

  it('does not list the South Africa embargo of 1977-1994 as in force in 2000', async () => {
    const { body } = await getJson('/v1/embargoes?asOf=2000-01-01&target=ZAF');
    expect(body.rows).toHaveLength(0);
    const during = await getJson('/v1/embargoes?asOf=1985-06-01&target=ZAF');
    expect(during.body.rows.map((r: { id: string }) => r.id)).toContain('ZAF-1977');
  });
});

describe('OpenAPI', () => {
  it('describes every list and its CSV twin in OpenAPI 3.1', async () => {
    const { body } = await getJson('/openapi.json');
    expect(body.openapi).toBe('3.1.0');
    for (const p of [
      '/v1/states',
      '/v1/states.csv',
      '/v1/states/{iso3}',
      '/v1/treaty/status',
      '/v1/treaty/timeline',
      '/v1/reporting/obligations',
      '/v1/embargoes',
    ]) {
      expect(Object.keys(body.paths)).toContain(p);
    }
  });
});

describe('HTTP caching and CORS', () => {
  it('answers a repeated GET with the same ETag and 304 when the client has it', async () => {
    const first = await app.request('/v1/treaty/status?asOf=2015-08-24');
    const tag = first.headers.get('etag');
    expect(tag).toBeTruthy();
    expect(first.headers.get('cache-control')).toContain('max-age');
    const again = await app.request('/v1/treaty/status?asOf=2015-08-24', {
      headers: { 'if-none-match': tag! },
    });
    expect(again.status).toBe(304);
  });

  it('allows cross-origin GETs', async () => {
    const response = await app.request('/v1/states?_size=1', { headers: { origin: 'https://example.org' } });
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
  });
});
