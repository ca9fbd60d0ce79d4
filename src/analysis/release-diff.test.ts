import { describe, expect, it } from 'vitest';
import type { Transfer } from '../model/transfer.js';
import { diffTivCells, diffTransfers } from './release-diff.js';

function transfer(overrides: Partial<Transfer>): Transfer {
  return {
    source: 'sipri',
    sourceRecordId: '100',
    exporterId: 'FRA',
    importerId: 'CHL',
    partnerAggregated: false,
    year: 2020,
    yearMissingReason: null,
    deliveryYears: [2020],
    orderYear: 2018,
    categoryScheme: 'sipri',
    categoryCode: 'Aircraft',
    subcategoryCode: null,
    description: 'transport aircraft',
    designation: 'Kestrel-X',
    comments: null,
    basis: 'delivered',
    numberOfItems: 2,
    numberOfItemsMissingReason: null,
    numberOrdered: 4,
    value: null,
    currency: null,
    valueMissingReason: 'not_applicable',
    tivDelivered: '24',
    tivPerUnit: '12',
    tivTotalOrder: '48',
    endUser: null,
    endUse: null,
    status: 'New',
    localProduction: false,
    uncertain: [],
    provenance: { source: 'sipri', fileName: 'a.csv', fileSha256: 'a'.repeat(64), row: 12, sheet: null, importRunId: null },
    ...overrides,
  } as Transfer;
}

describe('diffTransfers', () => {
  it('matches delivery rows on SIPRI id and year and lists added, removed and changed fields', () => {
    const before = [transfer({}), transfer({ sourceRecordId: '200', year: 2019, deliveryYears: [2019] })];
    const after = [
      transfer({ tivDelivered: '30', provenance: { ...transfer({}).provenance, row: 99 } }),
      transfer({ sourceRecordId: '300' }),
    ];
    const diff = diffTransfers(before, after);
    expect(diff.matchedOn).toBe('source-id-and-year');
    expect(diff.added.map((t) => t.sourceRecordId)).toEqual(['300']);
    expect(diff.removed.map((t) => t.sourceRecordId)).toEqual(['200']);
    expect(diff.changed).toEqual([{ key: '100@2020', sourceRecordId: '100', year: 2020, fields: [{ field: 'tivDelivered', before: '24', after: '30' }] }]);
    expect(diff.unchanged).toBe(0);
  });

  it('matches classic deal rows (no ids) on exporter, importer, order year and designation', () => {
    const classic = (o: Partial<Transfer>) => transfer({ sourceRecordId: null, ...o });
    const diff = diffTransfers([classic({})], [classic({ numberOfItems: 3 })]);
    expect(diff.matchedOn).toBe('deal-key');
    expect(diff.changed[0]?.fields).toEqual([{ field: 'numberOfItems', before: 2, after: 3 }]);
  });

  it('does not pretend to compare a delivery-row release with a deal-row release row by row', () => {
    const diff = diffTransfers([transfer({})], [transfer({ sourceRecordId: null })]);
    expect(diff.comparable).toBe(false);
    expect(diff.reason).toContain('TIV');
  });
});

describe('diffTivCells', () => {
  it('reports each changed cell with the exact difference, a missing cell counting as no deliveries', () => {
    const changes = diffTivCells(
      [
        { stateId: 'FRA', year: 2020, tiv: '10.5' },
        { stateId: 'FRA', year: 2021, tiv: '3' },
      ],
      [
        { stateId: 'FRA', year: 2020, tiv: '10.50' },
        { stateId: 'FRA', year: 2022, tiv: '0.1' },
      ],
    );
    expect(changes).toEqual([
      { stateId: 'FRA', year: 2021, before: '3', after: null, change: '-3' },
      { stateId: 'FRA', year: 2022, before: null, after: '0.1', change: '0.1' },
    ]);
  });
});
