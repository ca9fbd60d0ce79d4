import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { countIssuesByCode, countQuarantineByCode, isRefused } from '../framework.js';
import { detectNationalKind, parseNationalFile, type NationalKind, type NationalResult } from './index.js';
import {
  SHARED_NATIONAL_DIR,
  expectSound,
  recordsOf,
  referenceLookups,
  sharedNationalBytes,
} from './test-support.js';

/**
 * Integration tests on the real national files in ../shared/data/national (read in place, never copied into the
 * repository: they are third-party data). Names resolve through data/reference. Names missing from
 * data/reference/state-aliases.csv are quarantined as `unknown_state`: their number may only shrink as aliases are
 * added, so the tests pin accepted + unknown_state and every other count exactly.
 */
const present = existsSync(SHARED_NATIONAL_DIR);
if (!present)
  console.warn(
    `National integration tests skipped: ${SHARED_NATIONAL_DIR} is absent (third-party files live beside the repository, not in it)`,
  );

const lookups = present ? referenceLookups() : undefined;
let workbook: Promise<NationalResult> | undefined;
/** The workbook takes about a second to read: read it once for the tests that look at it. */
const saferglobe = () =>
  (workbook ??= parseShared(
    'fi-saferglobe-2002-2021',
    'saferglobe_arms_exports_dataset_v2-3.xlsx',
    'fi-saferglobe',
  ));

async function parseShared(folder: string, file: string, kind: NationalKind): Promise<NationalResult> {
  const bytes = sharedNationalBytes(folder, file)!;
  expect(detectNationalKind(file, bytes)).toBe(kind);
  const result = await parseNationalFile(bytes, { fileName: `${folder}/${file}`, kind, ...lookups! });
  const unknown = [
    ...new Set(result.issues.filter((issue) => issue.code === 'unknown_state').map((issue) => issue.value)),
  ];
  console.log(
    `${result.fileName}: ${result.rowsRead} rows read, ${result.accepted.length} accepted, ${result.quarantined.length} quarantined ${JSON.stringify(countQuarantineByCode(result))}, ${result.blank} blank; issues ${JSON.stringify(countIssuesByCode(result.issues))}${unknown.length ? `; names missing from data/reference/state-aliases.csv: ${unknown.join(' | ')}` : ''}`,
  );
  expectSound(result);
  expect(isRefused(result)).toBe(false);
  return result;
}

/** Pins the counts: `accepted + unknown_state` and every other quarantine code exactly. */
function expectCounts(
  result: NationalResult,
  rowsRead: number,
  acceptedOrUnknownName: number,
  otherQuarantine: Record<string, number>,
): void {
  const byCode = countQuarantineByCode(result);
  const unknownNames = byCode.unknown_state ?? 0;
  delete byCode.unknown_state;
  expect(result.rowsRead).toBe(rowsRead);
  expect(result.blank).toBe(0);
  expect(result.accepted.length + unknownNames).toBe(acceptedOrUnknownName);
  expect(byCode).toEqual(otherQuarantine);
  for (const row of result.quarantined) {
    const codes = row.issues.filter((issue) => issue.severity === 'error').map((issue) => issue.code);
    expect(codes.length).toBeGreaterThan(0);
  }
}

describe.skipIf(!present)('national files in ../shared/data/national', () => {
  it('reads every sheet of the SaferGlobe workbook and accounts for each', async () => {
    const result = await saferglobe();
    expectCounts(result, 16_403, 16_403, {});
    const perSheet = {
      actual_exp_mil_by_product: 2910,
      actual_exp_mil_by_country: 1128,
      exp_licences_mil_by_product: 2895,
      exp_licences_mil_by_country: 1143,
      actual_exp_civ: 1209,
      'exp_licences_dual-use': 7118,
    };
    for (const [sheet, rows] of Object.entries(perSheet)) {
      expect(result.stats[`${sheet}.rowsRead`]).toBe(rows);
      expect(
        result.stats[`${sheet}.accepted`]! +
          result.stats[`${sheet}.quarantined`]! +
          result.stats[`${sheet}.blank`]!,
      ).toBe(rows);
    }
    expect(result.stats['actual_exp_civ.accepted']).toBe(1209);
    expect(result.metadata).toMatchObject({ version: '2.4' });
    expect(result.stats).toMatchObject({
      releaseYear: 2022,
      valuesFloatNoiseRounded: 28,
      valuesSubCentRounded: 9,
      dualUseDatesMissing: 10,
      dualUseRepeatedLicenceNumbers: 5,
      dualUseDateOutsideYear: 153,
      amountsNotParsed: 3,
      invalidMlSubcategories: 2,
    });
    expect(countIssuesByCode(result.issues)).toMatchObject({
      'warning:sheet_skipped': 1,
      'warning:cross_check_mismatch': result.stats['crossCheck.actual.mismatched'] ?? 0,
    });
  });

  it('finds the by-country totals equal to the by-product sums wherever both have values', async () => {
    const result = await saferglobe();
    const actual = ['matched', 'mismatched', 'notComparable'].map(
      (key) => result.stats[`crossCheck.actual.${key}`] ?? 0,
    );
    const licences = ['matched', 'mismatched'].map(
      (key) => result.stats[`crossCheck.authorised.${key}`] ?? 0,
    );
    // Rows quarantined for an unknown name leave their group out of the comparison; with today's aliases:
    expect(actual[1]).toBe(10);
    expect(actual[0]! + actual[1]! + actual[2]!).toBeGreaterThanOrEqual(1100);
    expect(licences[1]).toBe(0);
    expect(licences[0]).toBeGreaterThanOrEqual(290);
  });

  it('stores every euro value as an exact decimal with at most two decimals', async () => {
    const result = await saferglobe();
    const values = [
      ...recordsOf(result, 'transfer').map((record) => record.transfer.value),
      ...recordsOf(result, 'fi-country-total').flatMap((record) => [
        record.totalValue,
        record.valueToMissions,
        record.valueToRecipientsInCountry,
      ]),
      ...recordsOf(result, 'fi-civilian-arms-export').flatMap((record) => [
        record.totalValue,
        ...record.values.map((value) => value.value),
      ]),
    ].filter((value): value is string => value !== null);
    expect(values.length).toBeGreaterThan(20_000);
    for (const value of values) expect(value).toMatch(/^\d+(\.\d{1,2})?$/);
    const transfers = recordsOf(result, 'transfer');
    expect(new Set(transfers.map((record) => record.transfer.basis))).toEqual(
      new Set(['actual', 'authorised']),
    );
    expect(
      transfers.every(
        (record) => record.transfer.exporterId === 'FIN' && record.transfer.categoryScheme === 'eu-ml',
      ),
    ).toBe(true);
  });

  it('reads broker.csv: the Python-list residue and item numbers as ratings are quarantined, never guessed', async () => {
    const result = await parseShared('eu-coarm-caat-partial', 'broker.csv', 'eu-coarm-broker');
    expectCounts(result, 1089, 869, { python_repr_residue: 195, invalid_rating: 25 });
    expect(result.stats.pythonReprResidue).toBe(195);
  });

  it('reads mission.csv, multi-line cells included', async () => {
    const result = await parseShared('eu-coarm-caat-partial', 'mission.csv', 'eu-coarm-mission');
    expectCounts(result, 716, 715, { missing_value: 1 });
    expect(result.stats.physicalLines).toBe(726);
  });

  it('reads consult.csv with its one total row', async () => {
    const result = await parseShared('eu-coarm-caat-partial', 'consult.csv', 'eu-coarm-consult');
    expectCounts(result, 735, 735, {});
    expect(recordsOf(result, 'eu-consultation').filter((record) => record.role === 'total')).toHaveLength(1);
  });

  it('reads the UK ratings, refusal criteria and footnotes', async () => {
    const ratings = await parseShared('uk-caat-partial', 'ratings.csv', 'uk-ratings');
    expectCounts(ratings, 317, 317, {});
    expect(ratings.stats).toMatchObject({
      'ratings.eu-ml': 22,
      'ratings.uk-national': 15,
      'ratings.dual-use': 261,
      'ratings.other': 19,
    });
    const criteria = await parseShared('uk-caat-partial', 'refusal-criteria.csv', 'uk-refusal-criteria');
    expectCounts(criteria, 4464, 4464, {});
    expect(new Set(recordsOf(criteria, 'uk-refusal-criterion').map((record) => record.criterion))).toEqual(
      new Set([1, 2, 3, 4, 5, 6, 7, 8]),
    );
    const footnotes = await parseShared('uk-caat-partial', 'footnotes-region.csv', 'uk-footnotes-region');
    expectCounts(footnotes, 266, 266, {});
  });
});
