import { describe, expect, it } from 'vitest';
import { TransferSchema } from '../../model/transfer.js';
import { countQuarantineByCode, isRefused, sha256Hex } from '../framework.js';
import { fixtureBytes, fixtureStateLookup } from '../test-support.js';
import { parseSipriRegister, readSipriRegister } from './parse-sipri.js';

const lookup = fixtureStateLookup();
const parse = (name: string, bytes = fixtureBytes(name)) =>
  parseSipriRegister(bytes, { fileName: name, lookup, importRunId: 'run-1' });
const utf8 = (text: string) => new TextEncoder().encode(text);
const fileCodes = (result: ReturnType<typeof parse>) =>
  result.issues
    .filter((issue) => issue.row === null && issue.severity === 'error')
    .map((issue) => issue.code);

describe('parseSipriRegister on the delivery-row layout', () => {
  const result = parse('delivery-rows.csv');

  it('reads every row of a CRLF file whose lines end with a stray ";"', () => {
    expect(result.metadata.layout).toBe('delivery-rows');
    expect(result).toMatchObject({ rowsRead: 6, blank: 0, quarantined: [] });
    expect(result.accepted).toHaveLength(6);
    expect(result.stats.trailingSemicolonsStripped).toBe(6);
    expect(result.issues).toEqual([]);
  });

  it('keeps the preamble: selection, release date as an ISO date, source credit line', () => {
    expect(result.metadata.dataGenerated).toBe('2025-03-03');
    expect(result.metadata.sourceCredit).toBe('Source: SIPRI Arms Transfers Database (c) SIPRI.');
    expect(result.metadata.selection).toMatch(/^Transfers of major conventional arms/);
    expect(result.metadata).toMatchObject({
      yearRangeFrom: '2015',
      yearRangeTo: '2024',
      citation: 'Information from the SIPRI Arms Transfers Database',
    });
    expect(result.metadata.preamble!.split('\n')).toHaveLength(10);
  });

  it('maps a delivery row to a Transfer with its id, delivery year, category and per-year TIV', () => {
    expect(result.accepted[0]).toEqual(
      TransferSchema.parse({
        source: 'sipri',
        sourceRecordId: '90001',
        exporterId: 'FRA',
        importerId: 'CHL',
        partnerAggregated: false,
        year: 2021,
        yearMissingReason: null,
        deliveryYears: [2021],
        orderYear: 2019,
        categoryScheme: 'sipri',
        categoryCode: 'Aircraft',
        subcategoryCode: null,
        description: 'transport aircraft',
        designation: 'Kestrel-X',
        comments: null,
        basis: 'delivered',
        numberOfItems: 2,
        numberOfItemsMissingReason: null,
        numberOrdered: null,
        value: null,
        currency: null,
        valueMissingReason: 'not_applicable',
        tivDelivered: '25',
        tivPerUnit: '12.5',
        tivTotalOrder: null,
        endUser: null,
        endUse: null,
        status: 'New',
        localProduction: false,
        uncertain: [],
        provenance: {
          source: 'sipri',
          fileName: 'delivery-rows.csv',
          fileSha256: sha256Hex(fixtureBytes('delivery-rows.csv')),
          row: 13,
          sheet: null,
          importRunId: 'run-1',
        },
      }),
    );
  });

  it('turns "... is estimate" Yes columns into uncertain field names', () => {
    expect(result.accepted[1]!.uncertain).toEqual(['numberOfItems', 'year']);
    expect(result.accepted[2]!.uncertain).toEqual(['orderYear', 'numberOfItems']);
    expect(result.accepted[3]!.uncertain).toEqual([]);
  });

  it('keeps a TIV of "0" as the string "0" (more than 0, less than 0.5)', () => {
    expect(result.accepted[3]).toMatchObject({
      tivDelivered: '0',
      importerId: 'IO-AU',
      localProduction: true,
    });
  });

  it('maps non-State actors and unknown suppliers through the lookup and keeps formula-like text as text', () => {
    expect(result.accepted[4]).toMatchObject({
      exporterId: 'UNKNOWN',
      importerId: 'N-XXX-REBELS',
      designation: '=CMD()',
    });
  });

  it('does not take a complete last line without a line end for a truncated file', () => {
    expect(result.accepted[5]).toMatchObject({
      exporterId: 'TUR',
      importerId: 'CIV',
      provenance: { row: 18 },
    });
  });

  it('quarantines a repeated SIPRI AT Database ID and delivery year', () => {
    const text = new TextDecoder().decode(fixtureBytes('delivery-rows.csv'));
    const repeated = parse('repeated.csv', utf8(`${text}\r\n${text.split('\r\n').at(-1)}`));
    expect(repeated.rowsRead).toBe(7);
    expect(countQuarantineByCode(repeated)).toEqual({ duplicate_record: 1 });
  });
});

describe('parseSipriRegister on the classic deal-row layout', () => {
  const result = parse('deal-rows-latin1.csv');

  it('reads a Latin-1 file with a warning and rejoins a deal broken over two lines', () => {
    expect(result.metadata).toMatchObject({
      layout: 'deal-rows',
      encoding: 'windows-1252',
      dataGenerated: '2025-03-13',
    });
    expect(result).toMatchObject({ rowsRead: 5, blank: 0, quarantined: [] });
    expect(result.stats.rejoinedRows).toBe(1);
    expect(result.issues.map((issue) => issue.code)).toEqual(['encoding_fallback', 'rejoined_lines']);
    expect(result.accepted[3]).toMatchObject({ designation: 'Kiliç-9', comments: 'Café deal (invented)' });
  });

  it('keeps the rejoined comment whole and the row number of its first line', () => {
    const rejoined = result.accepted[2]!;
    expect(rejoined.comments).toBe('Diesel engine (300hp) for 12 invented trucks');
    expect(rejoined).toMatchObject({
      exporterId: 'DEU',
      importerId: 'CIV',
      tivPerUnit: '0.03',
      tivTotalOrder: '0.36',
      provenance: { row: 15 },
    });
  });

  it('gives an empty TIV of delivered weapons as null: no deliveries identified', () => {
    expect(result.accepted[2]).toMatchObject({
      tivDelivered: null,
      deliveryYears: [],
      year: null,
      yearMissingReason: 'not_yet_available',
    });
  });

  it('reads the positional "?" flags and the delivery-year list', () => {
    expect(result.accepted[0]).toMatchObject({
      uncertain: ['orderYear'],
      deliveryYears: [2016, 2017, 2018],
      year: null,
      yearMissingReason: 'aggregated',
      tivDelivered: '50',
      tivTotalOrder: '50',
      numberOrdered: 4,
      numberOfItems: 4,
      categoryCode: null,
      description: 'transport aircraft',
      sourceRecordId: null,
    });
    expect(result.accepted[1]).toMatchObject({
      uncertain: ['orderYear', 'numberOrdered', 'numberOfItems'],
      year: 1986,
      yearMissingReason: null,
      exporterId: 'H-SUN',
    });
  });

  it('keeps an empty number ordered as null and the "0" TIV of an undelivered deal as "0"', () => {
    expect(result.accepted[3]).toMatchObject({
      numberOrdered: null,
      tivTotalOrder: null,
      tivDelivered: '0.75',
    });
    expect(result.accepted[4]).toMatchObject({ tivDelivered: '0', deliveryYears: [], numberOfItems: 0 });
    expect(result.stats.tivZeroWithoutDelivery).toBe(1);
  });

  it('accepts the "Deliveries in the Year Range" rename with a warning', () => {
    const renamed = parse('deal-rows-renamed.csv');
    expect(renamed.accepted).toHaveLength(5);
    expect(renamed.issues.map((issue) => [issue.code, issue.column])).toEqual([
      ['renamed_column', 'Deliveries in the Year Range'],
    ]);
    expect(renamed.accepted[0]).toMatchObject({
      numberOfItems: 6,
      uncertain: ['orderYear', 'numberOrdered', 'numberOfItems'],
    });
    expect(renamed.accepted[3]).toMatchObject({
      numberOfItems: null,
      numberOfItemsMissingReason: 'not_yet_available',
    });
  });
});

describe('parseSipriRegister on bad values', () => {
  const result = parse('bad-values.csv');

  it('quarantines each bad row with the column named and accepts the rest', () => {
    expect(result).toMatchObject({ rowsRead: 10, blank: 1 });
    expect(result.accepted).toHaveLength(1);
    expect(
      result.quarantined.map((row) => [
        row.row,
        row.issues.map((issue) => `${issue.code}@${issue.column ?? ''}`),
      ]),
    ).toEqual([
      [13, ['negative_number@Number ordered']],
      [14, ['not_a_number@SIPRI TIV of delivered weapons']],
      [15, ['impossible_year@Year of order']],
      [16, ['impossible_year@Year(s) of delivery']],
      [17, ['unknown_state@Recipient']],
      [18, ['invalid_flag@? flag of Year of order']],
      [19, ['wrong_field_count@']],
      [21, ['not_an_integer@Number ordered']],
    ]);
  });

  it('tells how to fix an unknown name', () => {
    const issue = result.quarantined.find((row) => row.row === 17)!.issues[0]!;
    expect(issue.message).toBe('row 17, column "Recipient": "Atlantis" is not a known State or party');
    expect(issue.hint).toBe('add it to data/reference/state-aliases.csv (source sipri) or correct the file');
    expect(issue.value).toBe('Atlantis');
  });

  it('keeps the whole raw row of a quarantined row', () => {
    const raw = result.quarantined[0]!.raw as Record<string, string>;
    expect(raw).toMatchObject({ Recipient: 'Chile', 'Number ordered': '-4', '? flag of Year of order': '?' });
    expect(Array.isArray(result.quarantined.find((row) => row.row === 19)!.raw)).toBe(true);
  });

  it('keeps formula-like strings as text', () => {
    expect(result.accepted[0]).toMatchObject({
      designation: '=HYPERLINK("x")',
      comments: '@SUM(A1) formula-like text kept',
    });
  });

  it('quarantines a 10 MB cell instead of crashing', () => {
    const text = new TextDecoder().decode(fixtureBytes('delivery-rows.csv'));
    const huge = text.replace(
      'Kestrel-X,transport aircraft,Aircraft,2019,No,2',
      `${'x'.repeat(10_000_000)},transport aircraft,Aircraft,2019,No,2`,
    );
    const parsed = parse('huge.csv', utf8(huge));
    expect(parsed.accepted).toHaveLength(5);
    expect(countQuarantineByCode(parsed)).toEqual({ cell_too_long: 1 });
    expect(parsed.quarantined[0]!.issues[0]!.value!.length).toBeLessThan(300);
  });
});

describe('parseSipriRegister on files it refuses', () => {
  const cases: [string, string][] = [
    ['bad-empty.csv', 'empty_file'],
    ['bad-header-only.csv', 'no_data_rows'],
    ['bad-missing-column.csv', 'missing_column'],
    ['bad-duplicate-column.csv', 'duplicate_column'],
    ['bad-no-flag-columns.csv', 'missing_column'],
    ['bad-truncated.csv', 'truncated_file'],
    ['bad-binary.bin', 'zip_archive'],
    ['tiv-table.csv', 'wrong_file_kind'],
  ];
  for (const [name, code] of cases) {
    it(`refuses ${name} with a file-level ${code} issue and no rows, without throwing`, () => {
      const result = parse(name);
      expect(isRefused(result)).toBe(true);
      expect(fileCodes(result)).toContain(code);
      expect(result).toMatchObject({ rowsRead: 0, accepted: [], quarantined: [], blank: 0 });
      for (const issue of result.issues) expect(issue.hint.length).toBeGreaterThan(0);
    });
  }

  it('refuses bytes that are not text and not a ZIP archive as binary', () => {
    expect(fileCodes(parse('noise.csv', new Uint8Array([0, 1, 2, 3, 255, 254, 0, 0, 7, 8])))).toEqual([
      'binary_file',
    ]);
  });

  it('refuses an XLSX (a ZIP archive) with one message naming the importers that read workbooks', () => {
    const bytes = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00, 0xe9, 0x0e, 0x9f, 0xc4]);
    const result = parse('att-report-2023.xlsx', bytes);
    expect(isRefused(result)).toBe(true);
    expect(result.issues.map((issue) => issue.code)).toEqual(['zip_archive']);
    expect(result.issues[0]!.message).toMatch(/ZIP archive .*XLSX/);
    expect(result.issues[0]!.hint).toMatch(/att import att-report/);
    expect(result.issues[0]!.hint).toMatch(/att import national/);
  });

  it('names the missing column', () => {
    const issue = parse('bad-missing-column.csv').issues.find((i) => i.code === 'missing_column')!;
    expect(issue.column).toBe('Recipient');
  });

  it('says which positional flag column is missing', () => {
    const messages = parse('bad-no-flag-columns.csv').issues.map((issue) => issue.message);
    expect(messages).toContain(
      'the header lacks the unnamed \'?\' column after "Year of order", which the deal-rows layout needs',
    );
  });

  it('refuses text that is not a SIPRI register', () => {
    const result = parse('notes.csv', utf8('name,value\nx,1\n'));
    expect(fileCodes(result)).toEqual(['header_not_found']);
  });

  it('refuses a file over the size limit before decoding it', () => {
    const result = parseSipriRegister(fixtureBytes('delivery-rows.csv'), {
      fileName: 'big.csv',
      lookup,
      limits: { maxFileBytes: 100 },
    });
    expect(fileCodes(result)).toEqual(['file_too_large']);
  });

  it('refuses a delivery-row file cut inside its last field (the ";" every other line ends with is missing)', () => {
    const text = new TextDecoder().decode(fixtureBytes('delivery-rows.csv'));
    expect(fileCodes(parse('cut.csv', utf8(text.slice(0, -2))))).toEqual(['truncated_file']);
  });

  it('warns about an unknown column and a missing release date but reads the rows', () => {
    const text = new TextDecoder()
      .decode(fixtureBytes('deal-rows-renamed.csv'))
      .replace(/^Data generated:.*$/m, 'Generated on some day')
      .replace(/SIPRI TIV of delivered weapons$/m, 'SIPRI TIV of delivered weapons,Notes')
      .replace(/\n(Chile,France,2011,.*)\n/, '\n$1,extra note\n');
    const result = parse('edited.csv', utf8(text));
    expect([...new Set(result.issues.map((issue) => issue.code))]).toEqual([
      'missing_data_generated',
      'renamed_column',
      'unknown_column',
      'wrong_field_count',
    ]);
    expect(result.accepted).toHaveLength(1);
    expect(result.quarantined).toHaveLength(4);
  });

  it('throws a validation AppError only when the caller passes no bytes', () => {
    expect(() => parseSipriRegister('text' as unknown as Uint8Array, { fileName: 'x', lookup })).toThrow(
      /Uint8Array/,
    );
  });
});

describe('readSipriRegister, the row-by-row reading of a register', () => {
  const read = (name: string, bytes = fixtureBytes(name)) =>
    readSipriRegister(bytes, { fileName: name, lookup, importRunId: 'run-1' });

  it('decides about the file before reading any row, then yields each accepted row as it is read', () => {
    const reading = read('bad-values.csv');
    expect(isRefused(reading.result)).toBe(false);
    expect(reading.result).toMatchObject({ rowsRead: 0, accepted: [], quarantined: [] });
    expect(reading.rowsToRead).toBeGreaterThan(0);
    const seen: number[] = [];
    for (const transfer of reading.transfers) {
      // Each yielded row is already counted and kept when it arrives.
      expect(reading.result.accepted.at(-1)).toBe(transfer);
      seen.push(transfer.provenance.row);
    }
    expect(reading.result.rowsRead).toBe(reading.rowsToRead);
    expect(seen).toEqual(reading.result.accepted.map((t) => t.provenance.row));
    expect(reading.result.quarantined.length).toBeGreaterThan(0);
  });

  it('ends with the same result as parsing the file whole', () => {
    for (const name of ['delivery-rows.csv', 'deal-rows-latin1.csv', 'bad-values.csv']) {
      const reading = read(name);
      for (const _transfer of reading.transfers) {
        // read every row
      }
      expect(reading.result).toEqual(parse(name));
    }
  });

  it('gives a refused file complete, with nothing to read', () => {
    const reading = read('bad-truncated.csv');
    expect(isRefused(reading.result)).toBe(true);
    expect(reading.rowsToRead).toBe(0);
    expect([...reading.transfers]).toEqual([]);
    expect(reading.result).toEqual(parse('bad-truncated.csv'));
  });
});
