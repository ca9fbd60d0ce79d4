 
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createStateLookup } from '../ingest/framework.js';
import { parseSipriRegister } from '../ingest/sipri/index.js';
import { readReferenceNames } from '../ingest/test-support.js';
import { isoDate } from '../model/dates.js';
import { sumDecimals, decimalToString } from '../model/decimal.js';
import { TreatyCoverageSchema, type ReleaseRef } from '../model/screening.js';
import { stateId, type State } from '../model/state.js';
import type { Transfer } from '../model/transfer.js';
import type { TreatyRecord } from '../model/treaty.js';
import { loadCommittedReference } from '../reference/committed.js';
import {
  percentOf,
  releaseFromMetadata,
  tivInPeriod,
  treatyCoverage,
  type CoverageTransfer,
} from './treaty-coverage.js';

let states: State[];
let records: TreatyRecord[];
beforeAll(async () => {
  const data = await loadCommittedReference();
  states = data.states;
  records = data.treatyRecords;
});

const RELEASE: ReleaseRef = {
  source: 'test',
  dataGenerated: '2026-01-01',
  fileName: 'hand-written',
  layout: null,
  citation: null,
};

const row = (
  exporter: string,
  importer: string | null,
  tiv: string | null,
  years: number[],
): CoverageTransfer => ({
  exporterId: stateId(exporter),
  importerId: importer === null ? null : stateId(importer),
  year: years.length === 1 ? years[0]! : null,
  deliveryYears: years,
  tivDelivered: tiv,
});

describe('percentOf', () => {
  it('rounds half away from zero at two decimals, exactly', () => {
    expect(percentOf('1', '3')).toBe('33.33');
    expect(percentOf('2', '3')).toBe('66.67');
    expect(percentOf('1', '8')).toBe('12.5');
    expect(percentOf('0.00125', '1')).toBe('0.13');
    expect(percentOf('5', '0')).toBe('0');
  });
});

describe('tivInPeriod', () => {
  it('splits a classic deal evenly over its delivery years and keeps the part inside the period', () => {
    expect(
      decimalToString(
        tivInPeriod({ year: null, deliveryYears: [2013, 2014, 2015], tivDelivered: '10' }, 2014, 2020)!,
      ),
    ).toBe('6.666666');
    expect(tivInPeriod({ year: 2000, deliveryYears: [2000], tivDelivered: '10' }, 2014, 2020)).toBeNull();
    expect(tivInPeriod({ year: 2015, deliveryYears: [2015], tivDelivered: null }, 2014, 2020)).toBeNull();
  });
});

describe('treatyCoverage on hand-written rows', () => {
  const rows = [
    row('FRA', 'IND', '40', [2014]), // State Party on 2015-08-24
    row('USA', 'FRA', '30', [2014]), // signatory
    row('RUS', 'IND', '20', [2014]), // not signed
    row('CHE', 'TWN', '5', [2014]), // deposited 2015-01-30, in force 2015-04-30
    row('H-SUN', 'N-LBY-HOR', '3', [2014]), // historical State -> non-State actor
    row('UNKNOWN', 'IO-UN', '2', [2014]),
    row('FRA', 'USA', '0', [2014]), // less than 0.5: counts as 0, but the party is there
    row('FRA', 'USA', '100', [2000]), // outside the period
    row('FRA', 'USA', null, [2014]), // no deliveries
    row('FRA', 'USA', '7', []), // no year
    row('DEU', 'IND', '10', [2013, 2014, 2015, 2016]), // 2.5 a year
  ];

  it('puts every party in one bucket, the buckets adding up exactly to the world total', () => {
    const c = treatyCoverage(rows, states, records, {
      asOf: isoDate('2015-08-24'),
      from: 2014,
      to: 2015,
      release: RELEASE,
    });
    TreatyCoverageSchema.parse(c);
    expect(c.exports.totalTiv).toBe('105');
    expect(decimalToString(sumDecimals(c.exports.buckets.map((b) => b.tiv)))).toBe(c.exports.totalTiv);
    expect(decimalToString(sumDecimals(c.imports.buckets.map((b) => b.tiv)))).toBe(c.imports.totalTiv);
    const exports = Object.fromEntries(c.exports.buckets.map((b) => [b.bucket, b.tiv]));
    expect(exports).toMatchObject({
      state_party: '50', // FRA 40 + 0, DEU 5 (two of its four years inside), CHE 5 (in force since 2015-04-30)
      signatory: '30',
      not_signed: '20',
      deposited_awaiting_eif: '0',
      historical_state: '3',
      not_a_state: '2',
    });
    expect(c.exports.buckets.find((b) => b.bucket === 'state_party')).toMatchObject({
      tiv: '50',
      parties: 3,
    });
  });

  it('keeps deposited and in force apart (Switzerland between its deposit and its EIF)', () => {
    const c = treatyCoverage(rows, states, records, {
      asOf: isoDate('2015-03-01'),
      from: 2014,
      to: 2014,
      release: RELEASE,
    });
    expect(c.exports.deposited.tiv).toBe('47.5'); // FRA 40, DEU 2.5, CHE 5
    expect(c.exports.inForce.tiv).toBe('42.5');
    const che = c.exports.top.find((p) => p.stateId === 'CHE');
    expect(che).toMatchObject({
      status: 'deposited_awaiting_eif',
      deposited: true,
      inForce: false,
      depositDate: '2015-01-30',
    });
  });

  it('echoes the period, the as-of date and the release, and counts the rows left out', () => {
    const c = treatyCoverage(rows, states, records, {
      asOf: isoDate('2015-08-24'),
      from: 2014,
      to: 2014,
      release: RELEASE,
    });
    expect(c).toMatchObject({
      asOf: '2015-08-24',
      period: { from: 2014, to: 2014 },
      release: RELEASE,
      yearRule: 'even-split',
    });
    expect(c.skipped).toEqual({ noTiv: 1, noYear: 1, outsidePeriod: 1 });
    expect(c.caveats.join(' ')).toMatch(/major conventional arms only.*not money/s);
  });

  it('ranks by TIV, then id, and never gives a treaty status to a non-State, a territory or a historical State', () => {
    const c = treatyCoverage(rows, states, records, {
      asOf: isoDate('2015-08-24'),
      from: 2014,
      to: 2014,
      release: RELEASE,
      top: 20,
    });
    expect(c.imports.top.map((p) => p.stateId)).toEqual(['IND', 'FRA', 'TWN', 'N-LBY-HOR', 'IO-UN', 'USA']);
    for (const id of ['TWN', 'N-LBY-HOR', 'IO-UN'])
      expect(c.imports.top.find((p) => p.stateId === id)?.status).toBeNull();
    expect(c.imports.buckets.find((b) => b.bucket === 'territory')?.tiv).toBe('5');
    expect(c.imports.cannotJoin).toMatchObject({ tiv: '10', parties: 3 });
  });

  it('turns import metadata into a release reference', () => {
    expect(
      releaseFromMetadata('sipri', 'x.csv', { dataGenerated: '2026-02-12', layout: 'delivery-rows' }),
    ).toEqual({
      source: 'sipri',
      dataGenerated: '2026-02-12',
      fileName: 'x.csv',
      layout: 'delivery-rows',
      citation: null,
    });
  });
});

// ------------------------------------------------------------------------------------------------ real SIPRI register

const SHARED_SIPRI = path.resolve(import.meta.dirname, '..', '..', '..', 'shared', 'data', 'sipri');
const present = existsSync(SHARED_SIPRI);
if (!present) console.warn(`SIPRI coverage tests skipped: ${SHARED_SIPRI} is absent`);

describe.skipIf(!present)('the 2025-release delivery register', () => {
  let transfers: Transfer[];
  let release: ReleaseRef;
  beforeAll(() => {
    const { aliases, states: names } = readReferenceNames();
    const file = '2025-release-delivery-rows/trade_register.csv';
    const result = parseSipriRegister(readFileSync(path.join(SHARED_SIPRI, file)), {
      fileName: file,
      lookup: createStateLookup(aliases, names),
    });
    transfers = result.accepted;
    release = releaseFromMetadata('sipri', file, result.metadata);
  });

  const coverage = (from: number, to: number, asOf = '2015-08-24') =>
    treatyCoverage(transfers, states, records, { asOf: isoDate(asOf), from, to, release });

  it('has five of the top 10 exporters of 2009-2013 deposited by 2015-08-24', () => {
    const c = coverage(2009, 2013);
    TreatyCoverageSchema.parse(c);
    const deposited = c.exports.top
      .filter((p) => p.deposited)
      .map((p) => p.stateId)
      .sort();
    expect(deposited).toEqual(['DEU', 'ESP', 'FRA', 'GBR', 'ITA']);
    expect(c.exports.topDeposited).toBe(5);
    expect(c.exports.topInForce).toBe(5);
    expect(c.release.dataGenerated).toBe('2026-02-12');
    console.log(
      `ATT coverage 2009-2013 as of 2015-08-24 (SIPRI data generated ${c.release.dataGenerated}): exports deposited ${c.exports.deposited.sharePercent} %, in force ${c.exports.inForce.sharePercent} %, signed not deposited ${c.exports.signedNotDeposited.sharePercent} %, not signed ${c.exports.notSigned.sharePercent} %, cannot join ${c.exports.cannotJoin.sharePercent} %; imports deposited ${c.imports.deposited.sharePercent} %; top 10 exporters ${c.exports.top.map((p) => `${p.stateId} ${p.status}`).join(', ')}`,
    );
  });

  it('has six for 2010-2014: the Netherlands enters the top 10', () => {
    const c = coverage(2010, 2014);
    const deposited = c.exports.top
      .filter((p) => p.deposited)
      .map((p) => p.stateId)
      .sort();
    expect(deposited).toEqual(['DEU', 'ESP', 'FRA', 'GBR', 'ITA', 'NLD']);
    expect(c.exports.topInForce).toBe(6);
    console.log(
      `ATT coverage 2010-2014 as of 2015-08-24: exports deposited ${c.exports.deposited.sharePercent} % (${c.exports.deposited.tiv} of ${c.exports.totalTiv} TIV), imports deposited ${c.imports.deposited.sharePercent} %`,
    );
  });

  it('counts deposits before the treaty entered into force, and none in force (2014-12-01)', () => {
    const c = coverage(2009, 2013, '2014-12-01');
    expect(c.exports.topDeposited).toBe(5);
    expect(c.exports.topInForce).toBe(0);
    expect(c.exports.inForce.tiv).toBe('0');
  });

  it("keeps every TIV unit: buckets add up to the world total, which matches SIPRI's rows in the period", () => {
    const c = coverage(2009, 2013);
    const direct = sumDecimals(
      transfers
        .filter((t) => t.year! >= 2009 && t.year! <= 2013 && t.tivDelivered !== null)
        .map((t) => t.tivDelivered!),
    );
    expect(c.exports.totalTiv).toBe(decimalToString(direct));
    expect(c.imports.totalTiv).toBe(c.exports.totalTiv);
    expect(decimalToString(sumDecimals(c.exports.buckets.map((b) => b.tiv)))).toBe(c.exports.totalTiv);
  });
});
