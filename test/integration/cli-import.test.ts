import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main, type CliIo } from '../../src/cli/main.js';
import { fixedClock } from '../../src/model/clock.js';

async function att(args: string[], env: Record<string, string | undefined>) {
  let out = '';
  let err = '';
  const io: CliIo = { out: (t) => void (out += t), err: (t) => void (err += t), env, clock: fixedClock('2026-11-24T12:00:00Z') };
  const code = await main(args, io);
  return { code, out, err };
}

const fixtures = path.resolve('test/fixtures');

describe('att import, imports, quarantine, tiv and template', () => {
  let dir: string;
  let env: Record<string, string | undefined>;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'att-cli-import-'));
    env = { ATT_DATA_DIR: dir };
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('imports a SIPRI register, says how every row was accounted for, and changes nothing the second time', async () => {
    const file = path.join(fixtures, 'sipri', 'bad-values.csv');
    const first = await att(['import', 'sipri', file, '--json'], env);
    expect(first.code).toBe(0);
    const outcome = JSON.parse(first.out);
    expect(outcome.status).toBe('imported');
    expect(outcome.summary.rowsRead).toBe(outcome.summary.accepted + outcome.summary.quarantined + outcome.summary.blank);
    const second = await att(['import', 'sipri', file], env);
    expect(second.code).toBe(0);
    expect(second.out).toContain('nothing changed');
  });

  it('lists the history and the quarantine with row, column and the fix', async () => {
    const history = await att(['imports'], env);
    expect(history.out).toContain('bad-values.csv');
    const quarantine = await att(['quarantine', '--import', '1'], env);
    expect(quarantine.out).toMatch(/row 17, column "Recipient": "Atlantis" is not a known State/);
    expect(quarantine.out).toContain('state-aliases.csv');
  });

  it('prints the exporter x year TIV table as CSV with the SIPRI credit line', async () => {
    await att(['import', 'sipri', path.join(fixtures, 'sipri', 'delivery-rows.csv')], env);
    const table = await att(['tiv', '--by', 'exporter', '--csv'], env);
    expect(table.code).toBe(0);
    expect(table.out).toContain('Information from the SIPRI Arms Transfers Database');
    expect(table.out.split('\r\n')[1]).toMatch(/^exporter,name,\d{4}/);
  });

  it('refuses an empty file with exit code 1 and stores nothing', async () => {
    const before = JSON.parse((await att(['imports', '--json'], env)).out).length;
    const result = await att(['import', 'sipri', path.join(fixtures, 'sipri', 'bad-empty.csv')], env);
    expect(result.code).toBe(1);
    expect(result.out).toContain('nothing stored');
    expect(JSON.parse((await att(['imports', '--json'], env)).out)).toHaveLength(before);
  });

  it('writes an empty template that the importer reads back as an unfilled report', async () => {
    const out = path.join(dir, 'fin-2024.json');
    const written = await att(['template', '--state', 'FIN', '--year', '2024', '--json', out], env);
    expect(written.code).toBe(0);
    const result = await att(['import', 'att-report', out, '--dry-run'], env);
    // An empty template includes neither form: it is refused with the fix, not imported as a nil report.
    expect(result.out).toContain('neither form');
  });

  it('answers an unknown source with exit code 2', async () => {
    const result = await att(['import', 'unroca', path.join(fixtures, 'sipri', 'bad-empty.csv')], env);
    expect(result.code).toBe(2);
    expect(result.err).toContain('sipri');
  });
});
