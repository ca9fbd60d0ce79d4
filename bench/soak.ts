/**
 * Issue 7 soak: a bounded mixed read/write load over loopback against `att serve` in a second process (the embedded
 * PGlite database by default; ATT_SOAK_DATABASE_URL for a PostgreSQL server), for ATT_SOAK_SECONDS (default 600).
 * The server's resident memory is sampled every few seconds from /proc and printed as a curve, with the slope over
 * the second half (memory is "flat" when the slope is under 1 MB a minute: caches are bounded, nothing accumulates).
 *
 * Reads: anonymous and signed-in lists, details, exports and aggregates, with varied queries (so that the response
 * cache does not answer everything). Writes: researcher registrations and sign-ins (argon2id), API keys, reports
 * recorded by the Secretariat, sign-outs.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from '../src/settings.js';
import { startServerProcess } from './harness.js';

const run = promisify(execFile);
const ATT = path.join(PROJECT_ROOT, 'bin', 'att.js');
const REGISTER = path.resolve(PROJECT_ROOT, '..', 'shared', 'data', 'sipri', '2025-release-delivery-rows', 'trade_register.csv');
const SECRETARIAT = { email: 'soak-secretariat@att.example', password: 'soak secretariat passphrase' };
const STATES = ['FRA', 'DEU', 'NOR', 'SWE', 'ITA', 'ESP', 'GBR', 'NLD', 'BEL', 'AUT', 'FIN', 'DNK', 'IRL', 'PRT', 'CHE'];

interface Session {
  cookie: string;
  csrf: string;
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1] ?? NaN);
  return kb / 1024;
}


const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)]!;
const randomDate = () => {
  const day = new Date(Date.UTC(2014, 0, 1) + Math.floor(Math.random() * 4_000) * 86_400_000);
  return day.toISOString().slice(0, 10);
};

/** Least-squares slope of y over x. */
function slope(points: { x: number; y: number }[]): number {
  const n = points.length;
  if (n < 2) return 0;
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  const num = points.reduce((s, p) => s + (p.x - mx) * (p.y - my), 0);
  const den = points.reduce((s, p) => s + (p.x - mx) ** 2, 0);
  return den === 0 ? 0 : num / den;
}

export async function benchSoak(): Promise<void> {
  if (!existsSync(ATT) || !existsSync(path.join(PROJECT_ROOT, 'dist'))) {
    console.log('  skipped: build first (npm run build)');
    return;
  }
  const seconds = Number(process.env['ATT_SOAK_SECONDS'] ?? 600);
  const databaseUrl = process.env['ATT_SOAK_DATABASE_URL'] ?? '';
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'att-bench-soak-'));
  const env: Record<string, string> = { ATT_DATA_DIR: dataDir, ATT_DATABASE_URL: databaseUrl, ATT_REGISTRATIONS_PER_HOUR: '100000', ATT_API_KEY_REQUESTS_PER_MINUTE: '1000000' };
  try {
    // Data: SIPRI's register when ../shared is there, else the small fixtures; France's report (a private form).
    const imports: [string, string][] = [
      existsSync(REGISTER) ? ['sipri', REGISTER] : ['sipri', path.join(PROJECT_ROOT, 'test/fixtures/sipri/delivery-rows.csv')],
      ['att-report', path.join(PROJECT_ROOT, 'test/fixtures/att-report/report.csv')],
    ];
    for (const [source, file] of imports) await run(process.execPath, [ATT, 'import', source, file], { cwd: PROJECT_ROOT, env: { ...process.env, ...env } });
    await run(process.execPath, [ATT, 'accounts', 'create-secretariat', '--email', SECRETARIAT.email, '--name', 'Soak Secretariat'], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, ...env, ATT_NEW_PASSWORD: SECRETARIAT.password },
    });

    const server = startServerProcess([ATT, 'serve'], env);
    const base = await server.ready;
    const pid = server.child.pid!;
    try {
      const signIn = async (email: string, password: string, previous?: Session): Promise<Session> => {
        const response = await fetch(`${base}/v1/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(previous ? { cookie: previous.cookie, 'x-csrf-token': previous.csrf } : {}) },
          body: JSON.stringify({ email, password }),
        });
        if (!response.ok) throw new Error(`sign-in ${email}: ${response.status} ${await response.text()}`);
        const body = (await response.json()) as { csrfToken: string };
        return { cookie: (response.headers.get('set-cookie') ?? '').match(/att_session=[^;]+/)![0], csrf: body.csrfToken };
      };
      const secretariat = await signIn(SECRETARIAT.email, SECRETARIAT.password);
      const asJson = (session: Session) => ({ cookie: session.cookie, 'x-csrf-token': session.csrf, 'content-type': 'application/json' });
      // France's reporting officer, invited by the Secretariat (the real path).
      const invitation = (await (await fetch(`${base}/v1/invitations`, { method: 'POST', headers: asJson(secretariat), body: JSON.stringify({ email: 'soak-officer@example.fr', stateId: 'FRA' }) })).json()) as { token: string };
      await fetch(`${base}/v1/invitations/${invitation.token}/accept`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ displayName: 'Soak officer', password: 'soak officer passphrase' }) });
      const officer = await signIn('soak-officer@example.fr', 'soak officer passphrase');
      const reportFile = readFileSync(path.join(PROJECT_ROOT, 'test/fixtures/att-report/draft-upload-2025.csv'));
      const franceReportId = ((await (await fetch(`${base}/v1/reports?stateId=FRA`)).json()) as { rows: { id: string }[] }).rows[0]!.id;

      const latencies: number[] = [];
      const byLabel = new Map<string, number[]>();
      const firstUnexpected = new Map<string, string>();
      const statuses = new Map<string, number>();
      let requests = 0;
      let unexpected = 0;
      let counter = 0;
      const call = async (label: string, url: string, init: RequestInit = {}, expected: number[] = [200]): Promise<{ status: number; text: string }> => {
        const t0 = performance.now();
        const response = await fetch(`${base}${url}`, init);
        const text = await response.text();
        const ms = performance.now() - t0;
        latencies.push(ms);
        byLabel.set(label, [...(byLabel.get(label) ?? []), ms].slice(-2000));
        requests += 1;
        const key = `${label} ${response.status}`;
        statuses.set(key, (statuses.get(key) ?? 0) + 1);
        if (!expected.includes(response.status)) {
          unexpected += 1;
          if (!firstUnexpected.has(label)) firstUnexpected.set(label, `${response.status} ${text.slice(0, 300)}`);
        }
        return { status: response.status, text };
      };
      const idIn = <T>(answer: { text: string }): T | undefined => {
        try {
          return (JSON.parse(answer.text) as { data?: { id: T } }).data?.id;
        } catch {
          return undefined;
        }
      };

      const reads = [
        () => call('transfers', `/v1/transfers?exporterId=${pick(STATES)}&_facet=importerId,year&_size=50&from=${2000 + Math.floor(Math.random() * 20)}`),
        () => call('transfers.csv', `/v1/transfers.csv?importerId=${pick(STATES)}&_size=200`),
        () => call('treaty status', `/v1/treaty/status?asOf=${randomDate()}&_size=50`),
        () => call('state', `/v1/states/${pick(STATES)}?asOf=${randomDate()}`),
        () => call('reports', '/v1/reports?_size=100'),
        () => call('compliance', `/v1/compliance/rates?year=${2015 + Math.floor(Math.random() * 10)}`),
        () => call('tiv', `/v1/tiv?by=exporter&from=${2000 + Math.floor(Math.random() * 20)}&to=2024`),
        () => call('screening', `/v1/screening?_size=20&importerId=${pick(STATES)}`),
        () => call('signed-in transfers', `/v1/transfers?source=att-report&_size=50`, { headers: { cookie: secretariat.cookie } }),
        () => call('feed', `/v1/feeds/events.atom?stateId=${pick(STATES)}`),
        () => call('annotations', '/v1/annotations?_size=50'),
        () => call('report', `/v1/reports/${encodeURIComponent(franceReportId)}`),
      ];
      const writes = [
        async () => {
          // France's officer drafts its 2025 report (an amendment after the first) from a template file and submits it.
          const year = 2025;
          const created = await call('draft', '/v1/reporting/drafts', { method: 'POST', headers: asJson(officer), body: JSON.stringify({ stateId: 'FRA', kind: 'annual', coveredYear: year }) }, [201]);
          const draftId = idIn<string>(created);
          if (!draftId) return;
          const form = new FormData();
          form.append('file', new Blob([reportFile], { type: 'text/csv' }), 'draft-upload-2025.csv');
          await call('upload', `/v1/reporting/drafts/${draftId}/upload`, { method: 'POST', headers: { cookie: officer.cookie, 'x-csrf-token': officer.csrf }, body: form });
          await call('submit', `/v1/reporting/drafts/${draftId}/submit`, { method: 'POST', headers: asJson(officer) }, [201]);
        },
        async () => {
          // A question on France's report, approved by the Secretariat, answered by France.
          const posted = await call('question', '/v1/annotations', { method: 'POST', headers: asJson(officer), body: JSON.stringify({ reportId: franceReportId, rowId: null, kind: 'question', text: `Soak question ${++counter}` }) }, [201, 429]);
          const id = idIn<number>(posted);
          if (!id) return;
          await call('moderate', `/v1/annotations/${id}/moderation`, { method: 'POST', headers: asJson(secretariat), body: JSON.stringify({ decision: 'approve' }) });
          await call('answer', `/v1/annotations/${id}/answer`, { method: 'PUT', headers: asJson(officer), body: JSON.stringify({ text: 'Answered in the soak.' }) });
        },
        async () => {
          // A researcher registers, signs in (argon2id), creates an API key, reads with it, signs out.
          const email = `soak-${process.pid}-${++counter}@example.org`;
          const password = 'soak researcher passphrase';
          await call('register', '/v1/auth/register', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, displayName: 'Soak', password }) }, [201]);
          const session = await signIn(email, password);
          const created = await call('api key', '/v1/api-keys', { method: 'POST', headers: { cookie: session.cookie, 'x-csrf-token': session.csrf } }, [201]);
          void created;
          await call('logout', '/v1/auth/logout', { method: 'POST', headers: { cookie: session.cookie, 'x-csrf-token': session.csrf } }, [204]);
        },
        () =>
          call(
            'record report',
            '/v1/reports',
            {
              method: 'POST',
              headers: { cookie: secretariat.cookie, 'x-csrf-token': secretariat.csrf, 'content-type': 'application/json' },
              body: JSON.stringify({
                stateId: pick(STATES),
                kind: 'annual',
                coveredYear: 2015 + Math.floor(Math.random() * 10),
                submittedOn: randomDate(),
                exports: { visibility: pick(['public', 'private']), nil: false, withheldCommerciallySensitive: null, withheldNationalSecurity: null },
                imports: null,
                notes: `soak ${++counter}`,
              }),
            },
            [201],
          ),
      ];

      const workers = Number(process.env['ATT_SOAK_WORKERS'] ?? 8);
      const writeShare = Number(process.env['ATT_SOAK_WRITE_SHARE'] ?? 0.2);
      const deadline = performance.now() + seconds * 1000;
      const samples: { t: number; rss: number; requests: number }[] = [];
      const started = performance.now();
      const sample = () => samples.push({ t: (performance.now() - started) / 1000, rss: rssMb(pid), requests });
      sample();
      const sampler = setInterval(sample, 5_000);
      const printer = setInterval(() => {
        const last = samples.at(-1)!;
        console.log(`  t=${last.t.toFixed(0).padStart(4)} s  RSS ${last.rss.toFixed(0).padStart(4)} MB  requests ${last.requests}  unexpected ${unexpected}`);
      }, Math.max(10_000, (seconds * 1000) / 20));
      console.log(`  ${seconds} s of mixed load (${workers} workers, ${Math.round(writeShare * 100)} % writes) against ${databaseUrl ? 'a PostgreSQL server' : 'PGlite'}; server pid ${pid}`);
      await Promise.all(
        Array.from({ length: workers }, async () => {
          while (performance.now() < deadline) {
            try {
              await (Math.random() >= writeShare ? pick(reads) : pick(writes))();
            } catch (error) {
              unexpected += 1;
              statuses.set(`error ${(error as Error).message.slice(0, 60)}`, (statuses.get(`error ${(error as Error).message.slice(0, 60)}`) ?? 0) + 1);
            }
          }
        }),
      );
      clearInterval(sampler);
      clearInterval(printer);
      sample();

      latencies.sort((x, y) => x - y);
      const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!;
      const second = samples.filter((s) => s.t >= seconds / 2);
      const mbPerMinute = slope(second.map((s) => ({ x: s.t / 60, y: s.rss })));
      // RSS is a sawtooth (garbage collection, PGlite's buffers): what would show a leak is the floor, the lowest
      // sample of each minute, rising.
      const floors: { t: number; rss: number }[] = [];
      for (let minute = 0; minute * 60 < seconds; minute += 1) {
        const inMinute = samples.filter((s) => s.t >= minute * 60 && s.t < (minute + 1) * 60);
        if (inMinute.length > 0) floors.push({ t: minute + 1, rss: Math.min(...inMinute.map((s) => s.rss)) });
      }
      const floorSlope = slope(floors.filter((f) => f.t * 60 > seconds / 2).map((f) => ({ x: f.t, y: f.rss })));
      const peak = Math.max(...samples.map((s) => s.rss));
      console.log(`  requests ${requests} (${(requests / seconds).toFixed(0)}/s), unexpected statuses or errors ${unexpected}; latency p50 ${at(0.5).toFixed(1)} ms, p99 ${at(0.99).toFixed(1)} ms`);
      const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)] ?? 0;
      console.log(`  median latency by kind: ${[...byLabel].sort().map(([k, xs]) => `${k} ${median(xs).toFixed(0)} ms`).join('; ')}`);
      for (const [label, first] of firstUnexpected) console.log(`  first unexpected answer to ${label}: ${first}`);
      console.log(`  by kind and status: ${[...statuses].sort().map(([k, n]) => `${k}: ${n}`).join('; ')}`);
      console.log(`  RSS curve (MB, every ${Math.max(1, Math.round(samples.length / 20))} samples of 5 s): ${samples.filter((_, i) => i % Math.max(1, Math.round(samples.length / 20)) === 0).map((s) => s.rss.toFixed(0)).join(' ')}`);
      console.log(`  RSS start ${samples[0]!.rss.toFixed(0)} MB, at half-time ${second[0]?.rss.toFixed(0)} MB, end ${samples.at(-1)!.rss.toFixed(0)} MB, peak ${peak.toFixed(0)} MB`);
      console.log(`  RSS floor per minute (MB): ${floors.map((f) => f.rss.toFixed(0)).join(' ')}`);
      console.log(`  RSS slope over the second half: all samples ${mbPerMinute.toFixed(2)} MB/min; per-minute floor ${floorSlope.toFixed(2)} MB/min (goal: flat, floor slope < 2 MB/min) ${floorSlope < 2 ? 'met' : 'MISSED'}`);
    } finally {
      server.child.kill('SIGTERM');
      await new Promise((resolve) => server.child.once('exit', resolve));
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}
