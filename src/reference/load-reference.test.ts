import { cp, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../model/errors.js';
import { loadReferenceData } from './load-reference.js';

const FIXTURES = path.resolve(import.meta.dirname, '../../test/fixtures/reference');
const VALID = path.join(FIXTURES, 'valid');

const temporary: string[] = [];
afterEach(async () => {
  await Promise.all(temporary.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

/** A copy of the valid fixture with one file replaced by a malformed fixture `malformed/<file>.<problem>.csv`. */
async function withMalformed(malformed: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'att-reference-'));
  temporary.push(dir);
  await cp(VALID, dir, { recursive: true });
  const target = malformed.replace(/\.[a-z0-9-]+\.csv$/, '.csv');
  await cp(path.join(FIXTURES, 'malformed', malformed), path.join(dir, target));
  return dir;
}

async function loadError(dir: string): Promise<AppError> {
  const error = await loadReferenceData(dir).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe('loadReferenceData', () => {
  it('loads the hand-written valid fixture into camelCase model objects', async () => {
    const data = await loadReferenceData(VALID);
    expect(data.states.map((s) => s.id)).toEqual([
      'FRA',
      'NGA',
      'LBY',
      'USA',
      'H-SUN',
      'N-LBY-HOR',
      'UNKNOWN',
    ]);
    const usa = data.states.find((s) => s.id === 'USA')!;
    expect(usa).toMatchObject({
      unMember: true,
      unRegionalGroup: 'Western European and others',
      aliases: ['United States of America'],
    });
    expect(data.treatyRecords.find((r) => r.stateId === 'USA')).toMatchObject({
      signatureDate: '2013-09-25',
      depositDate: null,
      declaredNotToBecomePartyDate: '2019-07-18',
    });
    expect(data.embargoes[0]).toMatchObject({
      targetIds: ['LBY'],
      targetActorIds: [],
      endBasis: 'recorded',
      chapterVii: 'yes',
    });
    expect(data.categories.map((c) => c.id)).toEqual(['I', 'VII', 'VIII']);
    expect(data.categories.at(-1)!.subcategories.map((s) => `${s.id}:${s.group}`)).toEqual([
      'SA1:small_arms',
      'LW1:light_weapons',
    ]);
    expect(data.articles.entryIntoForce).toBe('2014-12-24');
    expect(data.datasets.find((d) => d.dataset === 'treaty-status')?.asAt).toBe('2026-02-03');
  });

  it('names file, row, column and value of a deposit date that is not a date, and says how to fix it', async () => {
    const error = await loadError(await withMalformed('treaty-status.bad-deposit-date.csv'));
    expect(error.code).toBe('data');
    expect(error.location).toMatchObject({ row: 3, column: 'deposit_date', value: '2014-13-01' });
    expect(error.location?.file).toMatch(/treaty-status\.csv$/);
    expect(error.message).toBe('row 3, column "deposit_date": "2014-13-01" is not a date YYYY-MM-DD');
    expect(error.hint).toMatch(/^correct .*treaty-status\.csv or rebuild it with npm run reference:build$/);
  });

  it('rejects an entry-into-force date that ATT Art. 22 does not give', async () => {
    const error = await loadError(await withMalformed('treaty-status.eif-not-art22.csv'));
    expect(error.location).toMatchObject({ row: 3, column: 'entry_into_force_date', value: '2015-03-12' });
    expect(error.message).toContain('differs from 2014-12-24 given by ATT Art. 22');
  });

  it('rejects a treaty record for a State that is not in states.csv', async () => {
    const error = await loadError(await withMalformed('treaty-status.unknown-state.csv'));
    expect(error.location).toMatchObject({ row: 4, column: 'state_id', value: 'DEU' });
    expect(error.location?.file).toMatch(/treaty-status\.csv$/);
  });

  it('rejects an unknown kind in the crosswalk', async () => {
    const error = await loadError(await withMalformed('states.bad-kind.csv'));
    expect(error.location).toMatchObject({ row: 6, column: 'kind', value: 'historic_state' });
    expect(error.location?.file).toMatch(/states\.csv$/);
  });

  it('rejects a un_member value other than yes or no', async () => {
    const error = await loadError(await withMalformed('states.bad-un-member.csv'));
    expect(error.location).toMatchObject({ row: 4, column: 'un_member', value: 'maybe' });
  });

  it('rejects an embargo target id that the crosswalk does not know (XKX must be mapped to XKK)', async () => {
    const error = await loadError(await withMalformed('embargo-episodes.unknown-target.csv'));
    expect(error.location).toMatchObject({ row: 2, column: 'target_ids', value: 'XKX' });
    expect(error.location?.file).toMatch(/embargo-episodes\.csv$/);
  });

  it('rejects a scope code outside the normalised list', async () => {
    const error = await loadError(await withMalformed('embargo-episodes.bad-scope-code.csv'));
    expect(error.location).toMatchObject({ row: 2, column: 'scope_code', value: 'fully' });
  });

  it('rejects an alias pointing to an id that is not in states.csv', async () => {
    const error = await loadError(await withMalformed('state-aliases.unknown-state.csv'));
    expect(error.location).toMatchObject({ row: 3, column: 'state_id', value: 'KOR' });
  });

  it('reports a CSV syntax error with the file and row', async () => {
    const error = await loadError(await withMalformed('state-aliases.broken-quote.csv'));
    expect(error.location?.file).toMatch(/state-aliases\.csv$/);
    expect(error.location?.row).toBe(3);
  });

  it('says which directory to set when the reference files are missing', async () => {
    const error = await loadError(path.join(FIXTURES, 'does-not-exist'));
    expect(error.hint).toContain('ATT_REFERENCE_DIR');
  });
});
