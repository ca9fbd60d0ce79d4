import { spawnSync } from 'node:child_process';
import { chmod, cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main, type CliIo } from '../../src/cli/main.js';
import { fixedClock } from '../../src/model/clock.js';

/** Runs `att` in-process and captures its output. */
async function att(args: string[], env: Record<string, string | undefined>) {
  let out = '';
  let err = '';
  const io: CliIo = {
    out: (t) => void (out += t),
    err: (t) => void (err += t),
    env,
    clock: fixedClock('2026-11-24T12:00:00Z'),
  };
  const code = await main(args, io);
  return { code, out, err };
}

describe('the att command', () => {
  let dataDir: string;
  let env: Record<string, string | undefined>;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'att-cli-'));
    env = { ATT_DATA_DIR: dataDir };
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('prints the treaty counts as of 24 August 2015: 72 deposited, 69 in force', async () => {
    const result = await att(['status', '--as-of', '2015-08-24', '--json'], env);
    expect(result.err).toBe('');
    expect(result.code).toBe(0);
    const parsed = JSON.parse(result.out);
    expect(parsed.counts.deposited).toBe(72);
    expect(parsed.counts.stateParty).toBe(69);
    expect(parsed.counts.signatory).toBe(59);
  });

  it('prints a readable status table with the regional groups', async () => {
    const result = await att(['status', '--as-of', '2014-12-24'], env);
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/States Parties \(in force\):\s+61/);
    expect(result.out).toContain('African');
  });

  it("lists France's obligations with the first initial report due on 2015-12-23", async () => {
    const result = await att(['obligations', '--state', 'fra', '--as-of', '2016-06-03', '--json'], env);
    expect(result.code).toBe(0);
    const parsed = JSON.parse(result.out);
    const initial = parsed.obligations.find((o: { kind: string }) => o.kind === 'initial');
    expect(initial.dueDate).toBe('2015-12-23');
    expect(initial.status).toBe('deadline_passed');
    const first = parsed.obligations.find(
      (o: { kind: string; coveredYear: number }) => o.kind === 'annual' && o.coveredYear === 2015,
    );
    expect(first.dueDate).toBe('2016-05-31');
    // 3 June is inside the 7-day grace period but the deadline itself has passed.
    expect(first.status).toBe('deadline_passed');
  });

  it('answers a usage mistake with exit code 2 and names the option', async () => {
    const result = await att(['status', '--as-of', '2015-13-45'], env);
    expect(result.code).toBe(2);
    expect(result.err).toContain('--as-of');
  });

  it('answers an unknown State with exit code 1 and says how to list the codes', async () => {
    const result = await att(['obligations', '--state', 'XYZ'], env);
    expect(result.code).toBe(1);
    expect(result.err).toContain('"XYZ"');
    expect(result.err).toContain('/v1/states');
  });

  it('runs an API request in-process with att get', async () => {
    const result = await att(
      ['get', '/v1/treaty/status.csv?asOf=2015-08-24&status=state_party&_size=max'],
      env,
    );
    expect(result.code).toBe(0);
    const lines = result.out.trim().split('\r\n');
    expect(lines).toHaveLength(1 + 69);
  });

  it('migrates an up-to-date database without applying anything and keeps reference data unchanged', async () => {
    const result = await att(['db', 'migrate'], env);
    expect(result.code).toBe(0);
    expect(result.out).toContain('up to date');
    expect(result.out).toContain('reference data unchanged');
  });

  it('stops with one paragraph naming ATT_DATABASE_URL when the server cannot be reached', async () => {
    const result = await att(['status'], {
      ATT_DATABASE_URL: 'postgres://postgres:secret@127.0.0.1:1/nowhere',
    });
    expect(result.code).toBe(1);
    expect(result.err).toContain('ATT_DATABASE_URL');
    expect(result.err).not.toContain('secret');
    expect(result.err).not.toMatch(/\n\s+at /);
  });

  it('refuses to start on a malformed reference row, naming file, row, column and the fix', async () => {
    const broken = await mkdtemp(path.join(os.tmpdir(), 'att-ref-'));
    try {
      await cp(path.resolve('data/reference'), broken, { recursive: true });
      const file = path.join(broken, 'treaty-status.csv');
      await writeFile(file, (await readFile(file, 'utf8')).replace('2014-04-02', '2014-13-02'));
      const result = await att(['status'], { ...env, ATT_REFERENCE_DIR: broken });
      expect(result.code).toBe(1);
      expect(result.err).toMatch(/treaty-status\.csv: row \d+, column "deposit_date"/);
      expect(result.err).toContain('2014-13-02');
      expect(result.err).not.toMatch(/\n\s+at /);
    } finally {
      await rm(broken, { recursive: true, force: true });
    }
  });

  it('names a bad environment variable', async () => {
    const result = await att(['status'], { ATT_PORT: 'eighty' });
    expect(result.code).toBe(1);
    expect(result.err).toContain('ATT_PORT');
  });
});

describe('the built att binary', () => {
  const bin = path.resolve('bin/att.js');

  it('stops with a one-paragraph error naming an unwritable data directory, without a stack trace', async () => {
    const parent = await mkdtemp(path.join(os.tmpdir(), 'att-ro-'));
    const readOnly = path.join(parent, 'ro');
    await mkdir(readOnly);
    await chmod(readOnly, 0o500);
    try {
      // root ignores permission bits, so make the data directory a path under a regular file instead when root.
      const dataDir = process.getuid?.() === 0 ? path.join(bin, 'data') : path.join(readOnly, 'data');
      const result = spawnSync(process.execPath, [bin, 'status'], {
        env: { ...process.env, ATT_DATA_DIR: dataDir, ATT_DATABASE_URL: '' },
        encoding: 'utf8',
      });
      expect(result.status).toBe(1);
      expect(result.stderr).toContain(dataDir);
      expect(result.stderr).toContain('ATT_DATA_DIR');
      expect(result.stderr).not.toMatch(/\n\s+at /);
    } finally {
      await chmod(readOnly, 0o700);
      await rm(parent, { recursive: true, force: true });
    }
  });
});
