import { describe, expect, it } from 'vitest';
import { splitCsvRecords } from '../csv-records.js';
import { isRefused } from '../framework.js';
import { fixtureBytes, fixtureStateLookup } from '../test-support.js';
import { parseSipriRegister } from './parse-sipri.js';
import { parseSipriTivTable, tivByYear, type TivTransfer } from './tiv-table.js';

const lookup = fixtureStateLookup();
const deal = (
  exporterId: string,
  importerId: string,
  deliveryYears: number[],
  tivDelivered: string | null,
): TivTransfer => ({
  exporterId,
  importerId,
  year: deliveryYears.length === 1 ? deliveryYears[0]! : null,
  deliveryYears,
  tivDelivered,
});

describe('tivByYear', () => {
  const transfers = [
    deal('FRA', 'CHL', [2016, 2017, 2018], '10'),
    deal('FRA', 'CHL', [2017], '0.1'),
    deal('FRA', 'PER', [2017], '0.2'),
    deal('DEU', 'PER', [2018], '0'),
    deal('DEU', 'PER', [], '0'),
    deal('DEU', 'CHL', [2019], null),
  ];

  it('splits a multi-year deal evenly and exactly, remainder to the earliest year', () => {
    const result = tivByYear(transfers, 'importer');
    expect(result.rows).toEqual([
      { stateId: 'CHL', year: 2016, tiv: '3.333334' },
      { stateId: 'CHL', year: 2017, tiv: '3.433333' },
      { stateId: 'CHL', year: 2018, tiv: '3.333333' },
      { stateId: 'PER', year: 2017, tiv: '0.2' },
      { stateId: 'PER', year: 2018, tiv: '0' },
    ]);
    expect(result.totals).toEqual([
      { stateId: 'CHL', tiv: '10.1' },
      { stateId: 'PER', tiv: '0.2' },
    ]);
    expect(result.grandTotal).toBe('10.3');
    expect(result.skipped).toEqual({ noTiv: 1, noYear: 1, noParty: 0, outsideRange: 0 });
  });

  it('keeps a "0" cell: deliveries of less than 0.5 are not no deliveries', () => {
    expect(tivByYear(transfers, 'exporter').rows).toContainEqual({ stateId: 'DEU', year: 2018, tiv: '0' });
  });

  it('places the whole TIV in the first or last delivery year under those rules', () => {
    expect(tivByYear(transfers.slice(0, 1), 'exporter', { classicYearRule: 'first-year' }).rows).toEqual([
      { stateId: 'FRA', year: 2016, tiv: '10' },
    ]);
    expect(tivByYear(transfers.slice(0, 1), 'exporter', { classicYearRule: 'last-year' }).rows).toEqual([
      { stateId: 'FRA', year: 2018, tiv: '10' },
    ]);
  });

  it('leaves out shares outside the from-to range', () => {
    const result = tivByYear(transfers, 'exporter', { from: 2018, to: 2018 });
    expect(result.rows).toEqual([
      { stateId: 'DEU', year: 2018, tiv: '0' },
      { stateId: 'FRA', year: 2018, tiv: '3.333333' },
    ]);
    expect(result.skipped.outsideRange).toBe(2);
    expect(result.yearTotals).toEqual([{ year: 2018, tiv: '3.333333' }]);
  });

  it('skips rows with no party on the chosen side', () => {
    expect(
      tivByYear([{ ...deal('FRA', 'CHL', [2017], '1'), importerId: null }], 'importer').skipped.noParty,
    ).toBe(1);
  });
});

describe('parseSipriTivTable', () => {
  const table = parseSipriTivTable(fixtureBytes('tiv-table.csv'), { fileName: 'tiv-table.csv', lookup });

  it('reads every line: parties, the totals line, "0 " and empty cells', () => {
    expect(table).toMatchObject({ rowsRead: 5, blank: 0, quarantined: [], issues: [] });
    expect(table.metadata).toMatchObject({
      layout: 'tiv-table',
      role: 'recipient',
      rangeColumn: '2012-2014',
      dataGenerated: '2025-07-14',
    });
    expect(table.accepted.map((row) => [row.kind, row.stateId, row.label])).toEqual([
      ['party', 'CHL', 'Chile'],
      ['party', 'PER', 'Peru'],
      ['party', 'UNKNOWN', 'unknown recipient(s)'],
      ['party', 'TUR', 'Turkiye'],
      ['total', null, 'Total imports from France'],
    ]);
    expect(table.accepted[1]).toMatchObject({
      years: [
        { year: 2012, tiv: null },
        { year: 2013, tiv: '2' },
        { year: 2014, tiv: '1' },
      ],
      rangeTotal: '3',
      share: '3.4%',
      provenance: { row: 12, source: 'sipri' },
    });
    expect(table.accepted[3]!.years[1]).toEqual({ year: 2013, tiv: '0' });
  });

  it('warns when a line does not add up to its range total within rounding', () => {
    const text = new TextDecoder()
      .decode(fixtureBytes('tiv-table.csv'))
      .replace('Chile,39,13,25,76', 'Chile,39,13,25,96');
    const edited = parseSipriTivTable(new TextEncoder().encode(text), { fileName: 'edited.csv', lookup });
    expect(edited.issues.map((issue) => [issue.code, issue.row, issue.column])).toEqual([
      ['total_mismatch', 11, '2012-2014'],
    ]);
    expect(edited.accepted).toHaveLength(5);
  });

  it('quarantines an unknown party and a bad figure, and refuses a trade register', () => {
    const text = new TextDecoder()
      .decode(fixtureBytes('tiv-table.csv'))
      .replace('Peru,,2,', 'Atlantis,,2,')
      .replace('Chile,39,', 'Chile,3x9,');
    const edited = parseSipriTivTable(new TextEncoder().encode(text), { fileName: 'edited.csv', lookup });
    expect(edited.quarantined.map((row) => row.issues.map((issue) => issue.code))).toEqual([
      ['not_a_number'],
      ['unknown_state'],
    ]);
    expect(isRefused(parseSipriTivTable(fixtureBytes('delivery-rows.csv'), { fileName: 'x', lookup }))).toBe(
      true,
    );
  });
});

describe('parseSipriTivTable on a table re-saved by a spreadsheet', () => {
  const text = new TextDecoder().decode(fixtureBytes('tiv-table.csv'));
  const before = parseSipriTivTable(fixtureBytes('tiv-table.csv'), { fileName: 't.csv', lookup });
  const rowsOf = (rows: typeof before.accepted) =>
    rows.map((row) => ({ ...row, provenance: { ...row.provenance, fileSha256: '' } }));
  const cells = splitCsvRecords(text).map((record) => record.fields);

  it('reads the release date of a table whose fields were all quoted and whose preamble was padded', () => {
    const width = Math.max(...cells.map((fields) => fields.length));
    const quoted = cells
      .map((fields) =>
        [...fields, ...Array<string>(width - fields.length).fill('')]
          .map((field) => (field === '' ? '' : `"${field}"`))
          .join(','),
      )
      .join('\r\n');
    const after = parseSipriTivTable(new TextEncoder().encode(quoted), { fileName: 't.csv', lookup });
    expect(after.metadata.dataGenerated).toBe('2025-07-14');
    expect(after.metadata).toEqual(before.metadata);
    expect(after.issues).toEqual([]);
    expect(rowsOf(after.accepted)).toEqual(rowsOf(before.accepted));
  });

  it('reads a ";"-separated table with decimal commas and ";" at the line ends', () => {
    const semicolons = cells
      .map((fields, index) => (index > 9 ? fields.map((field) => field.replace('.', ',')) : fields))
      .map((fields) => `${fields.map((field) => (field.includes(';') ? `"${field}"` : field)).join(';')};`)
      .join('\r\n');
    const after = parseSipriTivTable(new TextEncoder().encode(semicolons), { fileName: 't.csv', lookup });
    expect(after.issues.map((issue) => issue.code)).toEqual(['semicolon_separator']);
    expect(after.metadata).toEqual({ ...before.metadata, separator: ';' });
    expect(after.accepted[1]!.share).toBe('3.4%');
    expect(rowsOf(after.accepted)).toEqual(rowsOf(before.accepted));
  });
});

describe('reconciling a classic register with its TIV table (fixtures)', () => {
  it("reproduces each recipient's total within 1, though an even split misses SIPRI's uneven year cells", () => {
    const register = parseSipriRegister(fixtureBytes('deal-rows-renamed.csv'), { fileName: 'r.csv', lookup });
    const table = parseSipriTivTable(fixtureBytes('tiv-table.csv'), { fileName: 't.csv', lookup });
    const ours = tivByYear(register.accepted, 'importer', { from: 2012, to: 2014 });
    const totals = new Map(ours.totals.map((row) => [row.stateId, Number(row.tiv)]));
    for (const row of table.accepted.filter((r) => r.kind === 'party')) {
      expect(Math.abs((totals.get(row.stateId!) ?? 0) - Number(row.rangeTotal))).toBeLessThanOrEqual(1);
    }
    const cell = (stateId: string, year: number) =>
      ours.rows.find((r) => r.stateId === stateId && r.year === year)?.tiv;
    expect(cell('CHL', 2012)).toBe('26.2'); // SIPRI: 39 (more units delivered in the first year)
    expect(cell('PER', 2013)).toBe('1.5'); // SIPRI: 2
  });
});
