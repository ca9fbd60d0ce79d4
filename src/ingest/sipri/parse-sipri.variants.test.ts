import { describe, expect, it } from 'vitest';
import type { IngestResult } from '../../model/ingest.js';
import type { Transfer } from '../../model/transfer.js';
import { splitCsvRecords } from '../csv-records.js';
import { countQuarantineByCode, isRefused } from '../framework.js';
import { fixtureBytes, fixtureStateLookup } from '../test-support.js';
import { parseSipriRegister } from './parse-sipri.js';

/**
 * The same hand-written registers after what people do to files: a spreadsheet re-save (every field quoted, preamble
 * padded, or ';' as the separator with decimal commas), columns moved, line ends converted twice, an older release's
 * spelling. What the file holds must read the same.
 */

const lookup = fixtureStateLookup();
const parse = (name: string, bytes: Uint8Array) =>
  parseSipriRegister(bytes, { fileName: name, lookup, importRunId: 'run-1' });
const utf8 = (text: string) => new TextEncoder().encode(text);
const fixtureText = (name: string) => new TextDecoder().decode(fixtureBytes(name));
const original = (name: string) => parse(name, fixtureBytes(name));

/** The accepted rows without the file's name and hash (which differ between variants of one file). */
const rowsOf = (result: IngestResult<Transfer>) =>
  result.accepted.map((transfer) => ({
    ...transfer,
    provenance: { ...transfer.provenance, fileName: '', fileSha256: '' },
  }));
const codes = (result: IngestResult<Transfer>) => result.issues.map((issue) => issue.code);

/** Index of the header among the records of a fixture. */
const headerIndexOf = (fields: string[][]) =>
  fields.findIndex((row) => row[0] === 'SIPRI AT Database ID' || row[0] === 'Recipient');

/** A fixture's records as fields, the stray ';' at the end of delivery-row lines taken off (and reported). */
function fieldsOf(text: string): { rows: string[][]; semicolonEnds: boolean } {
  const rows = splitCsvRecords(text).map((record) => record.fields.slice());
  const header = rows[headerIndexOf(rows)]!;
  const semicolonEnds = header[header.length - 1]!.endsWith(';');
  if (semicolonEnds) for (const row of rows) row[row.length - 1] = row[row.length - 1]!.replace(/;$/, '');
  return { rows, semicolonEnds };
}

const quoteIfNeeded = (field: string, separator: string) =>
  field.includes(separator) || field.includes('"') ? `"${field.replace(/"/g, '""')}"` : field;

/** What a spreadsheet writes back: every non-empty field quoted, every line padded to the widest. */
function resaveQuoted(text: string, eol: string): string {
  const records = splitCsvRecords(text);
  const width = Math.max(...records.map((record) => record.fields.length));
  return (
    records
      .map((record) =>
        [...record.fields, ...Array<string>(width - record.fields.length).fill('')]
          .map((field) => (field === '' ? '' : `"${field.replace(/"/g, '""')}"`))
          .join(','),
      )
      .join(eol) + eol
  );
}

/** A ';'-separated re-save with decimal commas in the TIV columns (positions 13-15 in both layouts). */
function toSemicolons(text: string, options: { lineEndSemicolon: boolean; tiv?: (cell: string) => string }) {
  const { rows } = fieldsOf(text);
  const header = headerIndexOf(rows);
  const tiv = options.tiv ?? ((cell: string) => cell.replace('.', ','));
  return rows
    .map((row, index) =>
      row
        .map((field, position) => (index > header && position >= 13 && position <= 15 ? tiv(field) : field))
        .map((field) => quoteIfNeeded(field, ';'))
        .join(';')
        .concat(options.lineEndSemicolon ? ';' : ''),
    )
    .join('\r\n');
}

/** The register with its columns in `order` (positions of the original), lines ending with ';' if they did. */
function reorder(text: string, order: readonly number[], eol = '\n'): string {
  const { rows, semicolonEnds } = fieldsOf(text);
  const header = headerIndexOf(rows);
  return rows
    .map((row, index) =>
      (index < header ? row : order.map((position) => row[position] ?? ''))
        .map((field) => quoteIfNeeded(field, ','))
        .join(',')
        .concat(semicolonEnds ? ';' : ''),
    )
    .join(eol);
}

describe('a register re-saved by a spreadsheet with every field quoted', () => {
  for (const name of ['delivery-rows.csv', 'deal-rows-renamed.csv']) {
    it(`reads ${name} with the same release date, preamble and rows as the file SIPRI wrote`, () => {
      const before = original(name);
      const after = parse(name, utf8(resaveQuoted(fixtureText(name), '\r\n')));
      expect(after.metadata.dataGenerated).toBe(before.metadata.dataGenerated);
      expect(after.metadata).toEqual(before.metadata);
      expect(codes(after)).toEqual(codes(before));
      expect(rowsOf(after)).toEqual(rowsOf(before));
    });
  }
});

describe('the selection in the first preamble line', () => {
  it('is kept as written, with its suppliers and recipients read apart', () => {
    const text = fixtureText('deal-rows-renamed.csv').replace(
      /^.*$/m,
      "Transfers of major conventional arms from China   to All countries . Deals with deliveries made for the year range '2010' to '2024' ",
    );
    expect(parse('china.csv', utf8(text)).metadata).toMatchObject({
      selection:
        "Transfers of major conventional arms from China   to All countries . Deals with deliveries made for the year range '2010' to '2024'",
      selectionSuppliers: 'China',
      selectionRecipients: 'All countries',
      yearRangeFrom: '2010',
      yearRangeTo: '2024',
    });
  });

  it('adds nothing when the first line is not a selection', () => {
    const result = original('bad-values.csv');
    expect(result.metadata.selection).toMatch(/^Invented bad-input fixture/);
    expect(result.metadata).not.toHaveProperty('selectionSuppliers');
    expect(result.metadata).not.toHaveProperty('selectionRecipients');
  });
});

describe('a register separated by semicolons (a spreadsheet with European settings)', () => {
  it('reads delivery rows whose lines end with ";" and whose TIVs have decimal commas, with a warning naming ";"', () => {
    const before = original('delivery-rows.csv');
    const after = parse(
      'semicolons.csv',
      utf8(toSemicolons(fixtureText('delivery-rows.csv'), { lineEndSemicolon: true })),
    );
    expect(rowsOf(after)).toEqual(rowsOf(before));
    expect(after.accepted[0]).toMatchObject({ tivPerUnit: '12.5', tivDelivered: '25' });
    expect(codes(after)).toEqual(['semicolon_separator']);
    expect(after.issues[0]!.message).toMatch(/separated by ";"/);
    expect(after.metadata).toEqual({ ...before.metadata, separator: ';' });
    expect(after.stats.decimalCommasRead).toBe(12);
    expect(after.stats.trailingSemicolonsStripped).toBe(6);
  });

  it('reads classic deal rows without ";" at the line ends, the delivery-year lists quoted', () => {
    const before = original('deal-rows-renamed.csv');
    const after = parse(
      'semicolons.csv',
      utf8(toSemicolons(fixtureText('deal-rows-renamed.csv'), { lineEndSemicolon: false })),
    );
    expect(rowsOf(after)).toEqual(rowsOf(before));
    expect(after.accepted[0]).toMatchObject({ deliveryYears: [2012, 2013, 2014], tivDelivered: '75' });
    expect(after.accepted[1]).toMatchObject({ tivPerUnit: '0.4', tivTotalOrder: '1.2' });
    expect(codes(after)).toEqual(['semicolon_separator', ...codes(before)]);
  });

  it('quarantines a TIV whose "." may group thousands, saying why, rather than guess', () => {
    const text = toSemicolons(fixtureText('delivery-rows.csv'), {
      lineEndSemicolon: true,
      tiv: (cell) => (cell === '25' ? '1.250' : cell.replace('.', ',')),
    });
    const result = parse('ambiguous.csv', utf8(text));
    expect(result.accepted).toHaveLength(5);
    expect(countQuarantineByCode(result)).toEqual({ ambiguous_decimal: 1 });
    const issue = result.quarantined[0]!.issues[0]!;
    expect(issue).toMatchObject({ column: 'TIV delivery values', value: '1.250' });
    expect(issue.message).toMatch(/may be 1250 .* or 1\.250 .*not guessed/);
  });

  it('still refuses a semicolon file that is not a SIPRI register', () => {
    const result = parse('notes.csv', utf8('name;value\nx;1\n'));
    expect(codes(result)).toEqual(['header_not_found']);
  });
});

describe('a register with its columns in another order', () => {
  it('reads shuffled delivery-row columns as the original', () => {
    const before = original('delivery-rows.csv');
    const order = [16, 2, 0, 15, 1, 5, 4, 3, 14, 13, 12, 11, 10, 9, 8, 7, 6];
    const after = parse('shuffled.csv', utf8(reorder(fixtureText('delivery-rows.csv'), order, '\r\n')));
    expect(after.issues).toEqual([]);
    expect(rowsOf(after)).toEqual(rowsOf(before));
  });

  it("reads columns reordered after the stray ';' was saved into the last cell: the ';' moved with its column", () => {
    const before = original('delivery-rows.csv');
    // The raw lines keep their ';' in the last cell ("Local production;", "No;"); moving that column to the front
    // moves the ';' with it, as a spreadsheet does with a cell's text.
    const lines = fixtureText('delivery-rows.csv').split(/\r?\n/);
    const header = lines.findIndex((line) => line.startsWith('SIPRI AT Database ID'));
    const moved = lines.map((line, index) => {
      if (index < header || line === '') return line;
      const cells = line.split(',');
      return [cells.at(-1), ...cells.slice(0, -1)].join(',');
    });
    expect(moved[header]).toMatch(/^Local production;,SIPRI AT Database ID,/);
    const after = parse('moved.csv', utf8(moved.join('\r\n')));
    expect(codes(after)).toEqual(codes(before));
    expect(rowsOf(after)).toEqual(rowsOf(before));
  });

  it('reads shuffled classic columns, each "?" flag column moved with the column it follows', () => {
    const before = original('deal-rows-renamed.csv');
    const order = [15, 14, 13, 1, 0, 8, 9, 10, 6, 7, 2, 3, 4, 5, 12, 11];
    const after = parse('shuffled.csv', utf8(reorder(fixtureText('deal-rows-renamed.csv'), order)));
    expect(codes(after)).toEqual(codes(before));
    expect(rowsOf(after)).toEqual(rowsOf(before));
  });

  it('warns about an extra column in the middle and reads the rest as the original', () => {
    const before = original('delivery-rows.csv');
    const text = fixtureText('delivery-rows.csv')
      .replace('Designation,Description,', 'Designation,Notes,Description,')
      .replace(/^(\d+,[^,]*,[^,]*,[^,]*),/gm, '$1,a note,');
    const after = parse('extra.csv', utf8(text));
    expect(after.issues.map((issue) => [issue.code, issue.column])).toEqual([['unknown_column', 'Notes']]);
    expect(rowsOf(after)).toEqual(rowsOf(before));
  });

  it('refuses a shuffled header that lacks a required column, naming it', () => {
    const order = [16, 0, 15, 1, 5, 4, 3, 14, 13, 12, 11, 10, 9, 8, 7, 6];
    const result = parse('no-recipient.csv', utf8(reorder(fixtureText('delivery-rows.csv'), order)));
    expect(isRefused(result)).toBe(true);
    expect(
      result.issues.filter((issue) => issue.severity === 'error').map((issue) => [issue.code, issue.column]),
    ).toEqual([['missing_column', 'Recipient']]);
  });

  it('refuses a shuffled header with a column twice, naming it', () => {
    const order = [16, 1, 2, 0, 15, 1, 5, 4, 3, 14, 13, 12, 11, 10, 9, 8, 7, 6];
    const result = parse('twice.csv', utf8(reorder(fixtureText('delivery-rows.csv'), order)));
    expect(isRefused(result)).toBe(true);
    expect(
      result.issues.filter((issue) => issue.severity === 'error').map((issue) => [issue.code, issue.column]),
    ).toEqual([['duplicate_column', 'Supplier']]);
  });
});

describe('line ends "\\r\\r\\n" (a CRLF file converted to CRLF again)', () => {
  it('reads each as one line end: the same rows on the same lines, with a warning', () => {
    const before = original('delivery-rows.csv');
    const after = parse('crcrlf.csv', utf8(fixtureText('delivery-rows.csv').replace(/\r\n/g, '\r\r\n')));
    expect(rowsOf(after)).toEqual(rowsOf(before));
    expect(after).toMatchObject({ rowsRead: before.rowsRead, blank: 0 });
    expect(codes(after)).toEqual(['doubled_line_ends']);
    expect(after.stats.doubledLineEnds).toBe(17);
  });

  it('still rejoins a classic deal broken over two lines', () => {
    const before = original('deal-rows-latin1.csv');
    const latin1 = Buffer.from(fixtureBytes('deal-rows-latin1.csv'))
      .toString('latin1')
      .replace(/\n/g, '\r\n');
    const after = parse('crcrlf.csv', Buffer.from(latin1, 'latin1'));
    expect(after.stats.rejoinedRows).toBe(1);
    expect(after.quarantined).toEqual([]);
    expect(rowsOf(after)).toEqual(rowsOf(before));
  });
});

describe('armament categories spelt as in older releases', () => {
  const text = fixtureText('delivery-rows.csv')
    .replace(',Sensors,', ',Air defence systems,')
    .replace(',Missiles,', ',Air-defence systems,');
  const result = parse('2024-release.csv', utf8(text));

  it('stores "Air defence systems" as the current "Air-defence systems", so one filter finds both', () => {
    expect(result.accepted.map((transfer) => transfer.categoryCode)).toEqual([
      'Aircraft',
      'Aircraft',
      'Armoured vehicles',
      'Air-defence systems',
      'Air-defence systems',
      'Ships',
    ]);
  });

  it('keeps what the file said in a warning with the count and in the metadata', () => {
    expect(result.issues.map((issue) => [issue.code, issue.column, issue.value])).toEqual([
      ['category_spelling', 'Armament category', 'Air defence systems'],
    ]);
    expect(result.issues[0]!.message).toBe(
      'column "Armament category": the armament category "Air defence systems" (an older SIPRI spelling) is stored as "Air-defence systems" on 1 row (the first on line 16)',
    );
    expect(result.metadata.categorySpellings).toBe('Air defence systems -> Air-defence systems (1 row)');
    expect(result.stats.categorySpellingsNormalised).toBe(1);
  });
});
