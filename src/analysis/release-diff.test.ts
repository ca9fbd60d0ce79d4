import { describe, expect, it } from 'vitest';
import type { Transfer } from '../model/transfer.js';
import { compareSelections, diffTivCells, diffTransfers, quarantinedRowRef, sipriSelection } from './release-diff.js';

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

describe('diffTransfers with quarantined rows', () => {
  const deliveryRaw = (id: string, year: string, recipient = 'Atlantis') => ({
    'SIPRI AT Database ID': id,
    Supplier: 'France',
    Recipient: recipient,
    Designation: 'Kestrel-X',
    'Order date': '2018',
    'Delivery year': year,
  });

  it('counts a row the later release quarantined (an unknown name) apart from the removals', () => {
    const before = [transfer({}), transfer({ sourceRecordId: '200', year: 2019, deliveryYears: [2019] }), transfer({ sourceRecordId: '300' })];
    const after = [transfer({})];
    const diff = diffTransfers(before, after, {
      after: [quarantinedRowRef({ row: 14, codes: ['unknown_state'], raw: deliveryRaw('200', '2019') })],
    });
    expect(diff.removed.map((t) => t.sourceRecordId)).toEqual(['300']);
    expect(diff.quarantine).toMatchObject({ matchedOn: 'source-id-and-year', before: 0, after: 1 });
    expect(diff.quarantine.acceptedBeforeQuarantinedAfter.map((t) => t.sourceRecordId)).toEqual(['200']);
  });

  it('counts a row the earlier release quarantined and the later one accepts apart from the additions', () => {
    const diff = diffTransfers([transfer({})], [transfer({}), transfer({ sourceRecordId: '200' })], {
      before: [quarantinedRowRef({ row: 9, codes: ['unknown_state'], raw: deliveryRaw('200', '2020') })],
    });
    expect(diff.added).toEqual([]);
    expect(diff.quarantine.quarantinedBeforeAcceptedAfter.map((t) => t.sourceRecordId)).toEqual(['200']);
  });

  it('matches on the id alone when the quarantined row has no readable delivery year, one row per quarantined row', () => {
    const before = [transfer({ sourceRecordId: '200', year: 2019 }), transfer({ sourceRecordId: '200', year: 2021 })];
    const diff = diffTransfers(before, [], { after: [quarantinedRowRef({ row: 3, codes: ['not_a_year'], raw: deliveryRaw('200', '20x9') })] });
    expect(diff.quarantine.acceptedBeforeQuarantinedAfter).toHaveLength(1);
    expect(diff.removed).toHaveLength(1);
  });

  it('matches classic deal rows, which have no ids, on designation and order year', () => {
    const classic = (o: Partial<Transfer>) => transfer({ sourceRecordId: null, ...o });
    const diff = diffTransfers([classic({}), classic({ designation: 'Marten APC', orderYear: 2015 })], [classic({})], {
      after: [quarantinedRowRef({ row: 20, codes: ['unknown_state'], raw: { Recipient: 'Atlantis', 'Weapon designation': ' marten  APC', 'Year of order': '2015' } })],
    });
    expect(diff.removed).toEqual([]);
    expect(diff.quarantine.matchedOn).toBe('designation-and-order-year');
    expect(diff.quarantine.acceptedBeforeQuarantinedAfter.map((t) => t.designation)).toEqual(['Marten APC']);
  });

  it('reads nothing from a quarantined row whose cells could not be split into columns', () => {
    expect(quarantinedRowRef({ row: 5, codes: ['wrong_field_count'], raw: ['90001', 'France'] })).toMatchObject({ sourceRecordId: null, year: null });
  });
});

describe('compareSelections', () => {
  const all = "Transfers of major conventional arms from All countries  to All countries . Deals with deliveries made for the year range '1995' to '2025';";
  const fromFrance = "Transfers of major conventional arms from France  to All countries . Deals with deliveries made for the year range '1995' to '2025' ";

  it('says two runs are different selections of the database, naming both, before anyone reads removals', () => {
    const compared = compareSelections({ selection: all }, { selection: fromFrance });
    expect(compared.same).toBe(false);
    expect(compared.warning).toContain('from All countries to All countries, 1995-2025');
    expect(compared.warning).toContain('from France to All countries, 1995-2025');
    expect(compared.warning).toContain('not added or removed by SIPRI');
  });

  it('finds nothing to say when the selections are the same but for spacing', () => {
    expect(compareSelections({ selection: all }, { selection: all.replace(/\s+/g, ' ') })).toMatchObject({ same: true, warning: null });
  });

  it('shortens a selection for tables and keeps text it cannot read as it is', () => {
    expect(sipriSelection({ selection: "Transfers of major conventional arms from China to All countries. Deals with deliveries made for the year range 'Not specified' to 'Not specified'" }).short).toBe(
      'from China to All countries, all years',
    );
    expect(sipriSelection({ selection: 'Invented preamble' }).short).toBe('Invented preamble');
    expect(sipriSelection({}).text).toBeNull();
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
