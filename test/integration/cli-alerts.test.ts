import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main, type CliIo } from '../../src/cli/main.js';
import { fixedClock } from '../../src/model/clock.js';
import { createAccountRepository } from '../../src/store/account-repository.js';
import { openStore } from '../../src/store/open-store.js';
import { createSubscriptionRepository } from '../../src/store/subscription-repository.js';

/** Runs `att` in-process at a fixed instant (21 days before the 31 May 2027 deadline). */
async function att(args: string[], env: Record<string, string | undefined>) {
  let out = '';
  let err = '';
  const io: CliIo = { out: (t) => void (out += t), err: (t) => void (err += t), env, clock: fixedClock('2027-05-10T08:00:00Z') };
  return { code: await main(args, io), out, err };
}

describe('att alerts tick and att outbox run', () => {
  let dataDir: string;
  let env: Record<string, string | undefined>;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'att-cli-alerts-'));
    env = { ATT_DATA_DIR: dataDir, ATT_PUBLIC_URL: 'https://att.example' };
    // A researcher with an email subscription to deadline alerts for France, made before the tick.
    expect((await att(['db', 'migrate'], env)).code).toBe(0);
    const store = await openStore({ kind: 'pglite', dataDir: path.join(dataDir, 'pglite') });
    try {
      const account = await createAccountRepository(store).createUser({ email: 'watch@example.org', displayName: 'Watch', role: 'researcher', stateId: null, passwordHash: 'x' }, 'operator', new Date());
      await createSubscriptionRepository(store).create({ kind: 'researcher', userId: account.id }, { kinds: ['deadline_approaching'], stateId: 'FRA', channel: 'email' }, new Date());
    } finally {
      await store.close();
    }
  }, 120_000);
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('raises deadline alerts once, however often it runs', async () => {
    const first = await att(['alerts', 'tick', '--json'], env);
    expect(first.err).toBe('');
    const result = JSON.parse(first.out) as { deadlines: { approaching: number; appended: number }; enqueued: { enqueued: number } };
    expect(result.deadlines.appended).toBeGreaterThan(100);
    expect(result.enqueued.enqueued).toBe(1); // France only, for the subscription's State filter
    const second = JSON.parse((await att(['alerts', 'tick', '--json'], env)).out) as typeof result;
    expect(second.deadlines.appended).toBe(0);
    const feed = JSON.parse((await att(['get', '/v1/feeds/events.json?kind=deadline_approaching&stateId=FRA'], env)).out) as { rows: { title: string }[] };
    expect(feed.rows.map((r) => r.title)).toEqual(['France: annual report on 2026 (ATT Art. 13(3)) due 2027-05-31, 21 days left']);
  });

  it('writes the email row with one pass of the outbox worker', async () => {
    const run = await att(['outbox', 'run', '--once'], env);
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/delivered: 1, retrying: 0, dead: 0, withheld: 0/);
    const store = await openStore({ kind: 'pglite', dataDir: path.join(dataDir, 'pglite') });
    try {
      const emails = await store.db.selectFrom('outbox_emails').select(['to_address', 'subject', 'body']).execute();
      expect(emails).toHaveLength(1);
      expect(emails[0]).toMatchObject({ to_address: 'watch@example.org', subject: '[ATT Observatory] France: annual report on 2026 (ATT Art. 13(3)) due 2027-05-31, 21 days left' });
      expect(emails[0]!.body).toContain('https://att.example/states/FRA');
    } finally {
      await store.close();
    }
  });
});
