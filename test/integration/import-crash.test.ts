/**
 * kill -9 during an import (issue 7, faults): `att import` is killed at several points of a large import into the
 * embedded database; afterwards the database holds either the whole import or no trace of it (no run, no
 * transfers, no quarantine rows, no registry entry), and it opens and imports again. The file is generated here
 * from the invented SIPRI fixture (6,000 rows with distinct ids); no third-party data.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/open-store.js';
import { preparedPGliteDataDir, temporaryDirectory } from '../support/engines.js';
import { REPO_ROOT } from '../support/server-process.js';

const ROWS = 6_000;
const ATT = path.join(REPO_ROOT, 'bin', 'att.js');
let work: string;
let bigFile: string;

/** The fixture's header lines, then ROWS delivery rows made from its first row with new ids and years. */
function generateRegister(target: string): void {
  const lines = fs.readFileSync(path.join(REPO_ROOT, 'test/fixtures/sipri/delivery-rows.csv'), 'utf8').split(/\r?\n/);
  const headerAt = lines.findIndex((line) => line.startsWith('SIPRI AT Database ID,'));
  const template = lines[headerAt + 1]!.split(',');
  const rows = Array.from({ length: ROWS }, (_, i) => {
    const row = [...template];
    row[0] = String(100_000 + i);
    row[10] = String(2000 + (i % 24));
    row[6] = String(1999 + (i % 24));
    return row.join(',');
  });
  fs.writeFileSync(target, [...lines.slice(0, headerAt + 1), ...rows, ''].join('\r\n'));
}

function importProcess(dataDir: string): { exited: Promise<{ code: number | null; signal: string | null }>; kill(): void; output(): string } {
  const child = spawn(process.execPath, [ATT, 'import', 'sipri', bigFile], {
    cwd: REPO_ROOT,
    env: { ...process.env, ATT_DATA_DIR: dataDir, ATT_DATABASE_URL: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return {
    exited: new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal }))),
    kill: () => child.kill('SIGKILL'),
    output: () => output,
  };
}

async function traces(dataDir: string) {
  const store = await openStore({ kind: 'pglite', dataDir: path.join(dataDir, 'pglite') });
  try {
    const count = async (table: string) => (await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(store.db)).rows[0]!.n;
    const runs = await sql<{ accepted: number; rows_read: number }>`select accepted, rows_read from import_runs where source = 'sipri'`.execute(store.db);
    return { runs: runs.rows, transfers: await count('transfers'), quarantine: await count('quarantined_rows') };
  } finally {
    await store.close();
  }
}

describe('kill -9 during an import', () => {
  let fullMs = 0;

  beforeAll(async () => {
    work = temporaryDirectory('att-import-crash-');
    bigFile = path.join(work, 'generated-register.csv');
    generateRegister(bigFile);
    // How long a whole import takes here: the kills below land at fractions of it.
    const dataDir = await preparedPGliteDataDir();
    const started = Date.now();
    const whole = importProcess(dataDir);
    const result = await whole.exited;
    fullMs = Date.now() - started;
    expect(result.code, whole.output()).toBe(0);
    const done = await traces(dataDir);
    expect(done.runs).toEqual([{ accepted: ROWS, rows_read: ROWS }]);
    expect(done.transfers).toBe(ROWS);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }, 180_000);

  afterAll(() => {
    fs.rmSync(work, { recursive: true, force: true });
  });

  it.each([0.5, 0.7, 0.9])('leaves the whole import or no trace of it when killed at %s of its time', async (fraction) => {
    const dataDir = await preparedPGliteDataDir();
    try {
      const victim = importProcess(dataDir);
      const timer = setTimeout(() => victim.kill(), Math.round(fullMs * fraction));
      const result = await victim.exited;
      clearTimeout(timer);
      const after = await traces(dataDir);
      if (result.signal === 'SIGKILL') {
        const complete = after.runs.length === 1 && after.runs[0]!.accepted === ROWS && after.transfers === ROWS;
        const nothing = after.runs.length === 0 && after.transfers === 0 && after.quarantine === 0;
        expect(complete || nothing, JSON.stringify(after)).toBe(true);
      } else {
        // The import finished before the kill: then it is whole.
        expect(after.transfers).toBe(ROWS);
      }
      // The database still works: the same import runs to the end (or is a no-op when it was already whole).
      const again = importProcess(dataDir);
      expect((await again.exited).code, again.output()).toBe(0);
      expect((await traces(dataDir)).transfers).toBe(ROWS);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 180_000);
});
