import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { preparedPGliteDataDir, temporaryDirectory } from '../../test/support/engines.js';
import { fixedClock } from '../model/clock.js';
import { PROJECT_ROOT } from '../settings.js';
import { frenchExportsReportCsv } from '../ingest/att-report/test-support.js';
import { main, type CliIo } from './main.js';

async function att(args: string[], env: Record<string, string | undefined>) {
  let out = '';
  let err = '';
  const io: CliIo = { out: (t) => void (out += t), err: (t) => void (err += t), env, clock: fixedClock('2026-11-24T12:00:00Z') };
  const code = await main(args, io);
  return { code, out, err };
}

const sipriFixture = fs.readFileSync(path.join(PROJECT_ROOT, 'test', 'fixtures', 'sipri', 'delivery-rows.csv'), 'utf8');

describe('att import, imports, quarantine, warnings and diff: what a newcomer sees', () => {
  let dataDir: string;
  let files: string;
  let env: Record<string, string | undefined>;
  const file = (name: string, content: string | Uint8Array) => {
    const target = path.join(files, name);
    fs.writeFileSync(target, content);
    return target;
  };
  const importsJson = async () => JSON.parse((await att(['imports', '--json'], env)).out) as { id: number; fileName: string }[];

  beforeAll(async () => {
    dataDir = await preparedPGliteDataDir();
    files = temporaryDirectory('att-cli-files-');
    env = { ATT_DATA_DIR: dataDir };
  });
  afterAll(() => {
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.rmSync(files, { recursive: true, force: true });
  });

  it('prints the reason for refusing an ATT report CSV without a [Title] section, with file, row and the fix', async () => {
    const result = await att(['import', 'att-report', file('no-title.csv', 'Category,Partner\nII,CHL\n')], env);
    expect(result.code).toBe(1);
    expect(result.out).toContain('refused no-title.csv (att-report): nothing stored');
    expect(result.out).toMatch(/error: no-title\.csv, row 1: text before the first section line; the file must start with \[Title\]; start from the CSV template/);
    expect(result.err).toContain('the reason is listed above');
    const json = JSON.parse((await att(['import', 'att-report', path.join(files, 'no-title.csv'), '--json'], env)).out);
    expect(json.summary.fileIssues).toEqual([expect.objectContaining({ code: 'missing_section', row: 1 })]);
  });

  it('prints the line of an unclosed quote that refuses an ATT report CSV', async () => {
    const result = await att(['import', 'att-report', file('unclosed.csv', '[Title]\nQuestion,Answer,Key\n"Reporting State,FRA,x\n'), '--json'], env);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.out).summary.fileIssues).toEqual([expect.objectContaining({ code: 'broken_csv', row: 3 })]);
    expect(result.err).toContain('summary.fileIssues');
  });

  it('says that a SIPRI register given as an ATT report is one, and how to import it', async () => {
    const result = await att(['import', 'att-report', file('trade_register.csv', sipriFixture)], env);
    expect(result.code).toBe(1);
    expect(result.out).toContain('looks like a SIPRI trade register');
    expect(result.out).toContain('att import sipri FILE');
  });

  it('shows warnings of accepted rows per code with the first example, keeps all of them in --json and lists them later', async () => {
    const report = file('warnings.csv', frenchExportsReportCsv(['II,,CHL,4,1000,XYZ,Armoured vehicles', 'II,,BRA,2,500,XYZ,Trucks', 'II,,PER,2,500,EUR,=CMD()']));
    const dry = JSON.parse((await att(['import', 'att-report', report, '--dry-run', '--json'], env)).out);
    expect(dry.summary.rowWarnings.map((i: { code: string; row: number }) => [i.code, i.row])).toEqual([
      ['unknown_currency', 11],
      ['unknown_currency', 12],
      ['formula_kept_as_text', 13],
    ]);
    const result = await att(['import', 'att-report', report], env);
    expect(result.code).toBe(0);
    expect(result.out).toContain('warnings of accepted rows');
    expect(result.out).toMatch(/unknown_currency 2: warnings\.csv, sheet "Exports", row 11, column "Currency": "XYZ" is not a currency code/);
    expect(result.out).toMatch(/formula_kept_as_text 1: warnings\.csv, sheet "Exports", row 13, column "Description of items": "=CMD\(\)"/);
    const runId = (await importsJson()).find((r) => r.fileName === 'warnings.csv')!.id;
    expect(result.out).toContain(`att warnings --import ${runId}`);
    const later = await att(['warnings', '--import', String(runId)], env);
    expect(later.code).toBe(0);
    expect(later.out).toContain('unknown_currency: 2');
    expect(later.out).toContain('row 12, column "Currency"');
    expect(later.out).toContain('formula_kept_as_text: 1');
    const history = await att(['imports'], env);
    expect(history.out).toMatch(/warnings\.csv\s+3\s+3\s+0\s+0\s+3\s/);
  });

  it('names an unknown source and lists the sources before looking at the file', async () => {
    const result = await att(['import', 'foo', path.join(files, 'does-not-exist.csv')], env);
    expect(result.code).toBe(2);
    expect(result.err).toContain('unknown source "foo"');
    expect(result.err).toContain('sipri, att-report, national');
    expect(result.err).not.toContain('cannot read');
  });

  it('says that a directory is a directory, with exit code 1', async () => {
    const result = await att(['import', 'sipri', files], env);
    expect(result.code).toBe(1);
    expect(result.err).toContain(`${files} is a directory, not a file`);
    expect(result.err).not.toContain('unexpected error');
  });

  it('refuses an empty national file as empty_file and a binary one as a data error, both with exit code 1', async () => {
    const empty = await att(['import', 'national', file('empty.csv', ''), '--json'], env);
    expect(empty.code).toBe(1);
    expect(JSON.parse(empty.out).summary.fileIssues.map((i: { code: string }) => i.code)).toEqual(['empty_file']);
    const binary = await att(['import', 'national', file('noise.csv', new Uint8Array([0, 159, 146, 150, 0, 1, 2]))], env);
    expect(binary.code).toBe(1);
    expect(binary.out).toContain('the file is not text');
    expect(binary.out).toContain('CAAT');
    expect(binary.err).not.toContain('not a national file kind');
  });

  it('prints each issue with its fix once and its location once, in att import and att quarantine', async () => {
    const report = file('unknown-partner.csv', frenchExportsReportCsv(['II,,Deutschland,4,1000,EUR,Trucks', 'II,,CHL,1,10,EUR,Jeeps']));
    const imported = await att(['import', 'att-report', report], env);
    expect(imported.code).toBe(0);
    const runId = (await importsJson()).find((r) => r.fileName === 'unknown-partner.csv')!.id;
    const quarantine = await att(['quarantine', '--import', String(runId)], env);
    const line = quarantine.out.trim();
    expect(line).toContain('"Deutschland" is not a known State');
    expect(line.split('state-aliases.csv')).toHaveLength(2);
    expect(line.split('row 11')).toHaveLength(2);
    expect(line.split('column "Final importing State"')).toHaveLength(2);

    const register = file('register.csv', sipriFixture);
    await att(['import', 'sipri', register], env);
    const sipriRun = (await importsJson()).find((r) => r.fileName === 'register.csv')!.id;
    const sipriLine = (await att(['quarantine', '--import', String(sipriRun)], env)).out.trim();
    expect(sipriLine).toBe(
      `run ${sipriRun}, register.csv, row 17, column "Recipient": "Example rebels*" is not a known State or party. Add it to data/reference/state-aliases.csv (source sipri) or correct the file`,
    );
  });

  it('shows the SIPRI selection and the date SIPRI generated the data for each run in att imports', async () => {
    const history = await att(['imports'], env);
    const line = history.out.split('\n').find((l) => l.includes('register.csv'))!;
    expect(line).toContain('2025-03-03');
    expect(line).toContain('from All countries to All countries, 2015-2024');
  });

  it('att diff keeps rows the later release quarantined apart from removals, and says first that the selections differ', async () => {
    // Release B: "from France" only, one delivery of 90001 to a name the crosswalk does not know, 90005 gone, 90006 new.
    const releaseB = sipriFixture
      .replace('from All countries  to All countries .', 'from France to All countries .')
      .replace('Data generated: 03 Mar 2025', 'Data generated: 02 Mar 2026')
      .replace('90001,France,Chile,Kestrel-X,transport aircraft,Aircraft,2019,No,1,Yes,2022', '90001,France,Atlantis,Kestrel-X,transport aircraft,Aircraft,2019,No,1,Yes,2022')
      .replace(/^90005,.*$/m, '90006,France,Peru,Marten APC,armoured personnel carrier,Armoured vehicles,2016,Yes,3,Yes,2024,No,New,0.5,0.2,2,No;');
    expect(releaseB).toContain('Atlantis');
    await att(['import', 'sipri', file('release-b.csv', releaseB)], env);
    const runs = await importsJson();
    const a = runs.find((r) => r.fileName === 'register.csv')!.id;
    const b = runs.find((r) => r.fileName === 'release-b.csv')!.id;
    const text = await att(['diff', String(a), String(b)], env);
    expect(text.code).toBe(0);
    const lines = text.out.split('\n');
    expect(lines[0]).toMatch(/^WARNING: the two runs are different selections of SIPRI's database \(from All countries to All countries, 2015-2024 \/ from France/);
    expect(text.out).toContain('rows: 1 added, 1 removed, 0 changed, 3 unchanged');
    expect(text.out).toContain(`1 row of run ${a} quarantined in run ${b} (not removed)`);
    const json = JSON.parse((await att(['diff', String(a), String(b), '--json'], env)).out);
    expect(json.selections.same).toBe(false);
    expect(json.rows.removed).toBe(1);
    expect(json.rows.quarantine).toMatchObject({ before: 1, after: 2, acceptedBeforeQuarantinedAfter: [{ sourceRecordId: '90001', year: 2022 }] });
  });

  it("checks SIPRI's own TIV table against a register of the same release, and lists the parties off by more than rounding", async () => {
    const table = fs.readFileSync(path.join(PROJECT_ROOT, 'test', 'fixtures', 'sipri', 'tiv-table.csv'), 'utf8');
    const header = sipriFixture.split(/\r?\n/).find((line) => line.startsWith('SIPRI AT Database ID'))!;
    const rows = [
      [1, 'Chile', 2012, '39'],
      [1, 'Chile', 2013, '13'],
      [1, 'Chile', 2014, '31'], // SIPRI's table: 25 (and 76 in all)
      [2, 'Peru', 2013, '2'],
      [2, 'Peru', 2014, '1'],
      [3, 'Turkiye', 2013, '0.2'],
      [4, 'unknown recipient(s)', 2014, '10'],
    ].map(([id, recipient, year, tiv]) => `${id},France,${recipient},Kestrel-X,transport aircraft,Aircraft,2010,No,1,No,${year},No,New,${tiv},${tiv},${tiv},No;`);
    const register = [
      "Transfers of major conventional arms from France to All countries . Deals with deliveries made for the year range '2012' to '2014';",
      'Source: SIPRI Arms Transfers Database (c) SIPRI.;',
      'Data generated: 20 Jul 2025 10:00:00 AM;',
      header,
      ...rows,
    ].join('\r\n');
    expect((await att(['import', 'sipri', file('france-register.csv', `${register}\r\n`)], env)).code).toBe(0);
    expect((await att(['import', 'sipri', file('tiv-table.csv', table)], env)).code).toBe(0);
    const runs = await importsJson();
    const tableRun = runs.find((r) => r.fileName.endsWith('tiv-table.csv'))!.id;
    const registerRun = runs.find((r) => r.fileName.endsWith('france-register.csv'))!.id;
    // By default the whole database of the table's release (register.csv, imported above) is the reference.
    const wholeRun = runs.find((r) => r.fileName.endsWith('register.csv') && !r.fileName.endsWith('france-register.csv'))!.id;
    expect((await att(['tiv-check', String(tableRun)], env)).out).toContain(`against register run ${wholeRun}`);
    const result = await att(['tiv-check', String(tableRun), '--import', String(registerRun)], env);
    expect(result.code).toBe(0);
    expect(result.out).toContain(`against register run ${registerRun}`);
    expect(result.out).toContain('recipients of France, 2012-2014');
    expect(result.out).toContain('party totals within 1 (SIPRI\'s rounding): 3 of 4');
    expect(result.out).toMatch(/CHL\s+Chile\s+76\s+83\s+7\s+2\/3/);
    expect(result.out).not.toContain('note:');
    const json = JSON.parse((await att(['tiv-check', String(tableRun), '--import', String(registerRun), '--json'], env)).out) as { partiesWithinRounding: number };
    expect(json.partiesWithinRounding).toBe(3);
    const wrong = await att(['tiv-check', String(registerRun)], env);
    expect(wrong.code).toBe(2); // a usage mistake: the run named is not a TIV table
    expect(wrong.err).toContain('not SIPRI\'s TIV table');
  });
});
