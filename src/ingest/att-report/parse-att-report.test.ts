import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AttReportRowSchema, AttReportSchema } from '../../model/att-report.js';
import { TransferSchema } from '../../model/transfer.js';
import { countQuarantineByCode, isRefused } from '../framework.js';
import { DEFAULT_ATT_REPORT_LIMITS } from './format.js';
import { parseAttReport, type ParseAttReportOptions, type ParsedAttReport } from './parse-att-report.js';
import {
  STANDARD_TITLE,
  attFixtureLookup,
  filledXlsx,
  fixtureBytes,
  loadWorkbook,
  makeZip,
  saveWorkbook,
  utf8,
} from './test-support.js';

const lookup = attFixtureLookup();
const parse = (bytes: Uint8Array, fileName: string, options: Partial<ParseAttReportOptions> = {}) =>
  parseAttReport(bytes, { fileName, lookup, importRunId: 'run-1', ...options });
const fileErrors = (parsed: ParsedAttReport) =>
  parsed.result.issues
    .filter((issue) => issue.row === null && issue.severity === 'error')
    .map((issue) => issue.code);
const errorCodes = (parsed: ParsedAttReport) =>
  parsed.result.issues.filter((issue) => issue.severity === 'error').map((issue) => issue.code);
const warningCodes = (parsed: ParsedAttReport) =>
  parsed.result.issues.filter((issue) => issue.severity === 'warning').map((issue) => issue.code);

/** A CSV report with the given title answers (key,value lines) and table bodies. */
function csvReport({
  title = STANDARD_CSV_TITLE,
  exports = [] as string[],
  imports = [] as string[],
  exportsHeader = EXPORTS_HEADER,
  importsHeader = IMPORTS_HEADER,
} = {}): Uint8Array {
  return utf8(
    [
      '[Title]',
      'Question,Answer,Key',
      ...title,
      '[Exports]',
      exportsHeader,
      ...exports,
      '[Imports]',
      importsHeader,
      ...imports,
    ].join('\n'),
  );
}
const STANDARD_CSV_TITLE = [
  ',FRA,reportingStateCode',
  ',2024,coveredYear',
  ',actual,exportsBasis',
  ',public,exportsVisibility',
  ',authorised,importsBasis',
  ',private,importsVisibility',
  ',EUR,defaultCurrency',
];
const EXPORTS_HEADER =
  'Category,Sub-category,Final importing State,Number of items,Value,Currency,Description of items,Comments';
const IMPORTS_HEADER =
  'Category,Sub-category,Exporting State,Number of items,Value,Currency,Description of items,Comments';

function expectRefused(parsed: ParsedAttReport, code: string): void {
  expect(isRefused(parsed.result)).toBe(true);
  expect(parsed.report).toBeNull();
  expect(parsed.result).toMatchObject({ rowsRead: 0, accepted: [], quarantined: [], blank: 0 });
  expect(parsed.rows).toEqual([]);
  expect(fileErrors(parsed).concat(errorCodes(parsed))).toContain(code);
}

describe('parseAttReport on the hand-written CSV report', async () => {
  const parsed = await parse(fixtureBytes('report.csv'), 'report.csv');
  const { report, result } = parsed;

  it('reads the title page: State, year, definitions, per-form basis, visibility and withheld flags', () => {
    expect(AttReportSchema.parse(report)).toEqual({
      reportingStateId: 'FRA',
      coveredYear: 2024,
      nationalDefinitions: { export: 'Physical transfer out of the national territory', import: null },
      formsIncluded: ['exports', 'imports'],
      exports: {
        basis: ['actual'],
        visibility: 'public',
        nilReport: false,
        withheldCommerciallySensitive: true,
        withheldNationalSecurity: false,
      },
      imports: {
        basis: ['authorised', 'actual'],
        visibility: 'private',
        nilReport: false,
        withheldCommerciallySensitive: false,
        withheldNationalSecurity: false,
      },
      defaultCurrency: 'EUR',
      submittedOn: '2025-05-28',
    });
  });

  it('accounts for every row: 7 read = 6 accepted + 0 quarantined + 1 blank, with no issue at all', () => {
    expect(result).toMatchObject({ rowsRead: 7, blank: 1, quarantined: [] });
    expect(result.accepted).toHaveLength(6);
    expect(parsed.rows).toHaveLength(6);
    expect(result.issues).toEqual([]);
    expect(result.stats).toMatchObject({
      exportsRowsRead: 5,
      exportsAccepted: 4,
      importsRowsRead: 2,
      importsAccepted: 2,
    });
    expect(result.metadata).toMatchObject({
      format: 'csv',
      reportingStateId: 'FRA',
      coveredYear: '2024',
      exportsVisibility: 'public',
      importsVisibility: 'private',
    });
  });

  it('maps an Exports row to a Transfer from the reporting State to the partner, in the covered year, with the form basis', () => {
    expect(result.accepted[0]).toEqual(
      TransferSchema.parse({
        source: 'att-report',
        sourceRecordId: null,
        exporterId: 'FRA',
        importerId: 'CHL',
        partnerAggregated: false,
        year: 2024,
        yearMissingReason: null,
        deliveryYears: [],
        orderYear: null,
        categoryScheme: 'unroca',
        categoryCode: 'II',
        subcategoryCode: null,
        description: 'Wheeled armoured personnel carriers',
        designation: null,
        comments: null,
        basis: 'actual',
        numberOfItems: 4,
        numberOfItemsMissingReason: null,
        numberOrdered: null,
        value: '12500000',
        currency: 'EUR',
        valueMissingReason: null,
        tivDelivered: null,
        tivPerUnit: null,
        tivTotalOrder: null,
        endUser: 'Army',
        endUse: null,
        status: null,
        localProduction: null,
        uncertain: [],
        provenance: {
          source: 'att-report',
          fileName: 'report.csv',
          fileSha256: result.fileSha256,
          row: 25,
          sheet: 'Exports',
          importRunId: 'run-1',
        },
      }),
    );
  });

  it('keeps a withheld value as null with the reason withheld, never zero', () => {
    expect(result.accepted[1]).toMatchObject({
      importerId: 'BRA',
      categoryCode: 'VIII',
      subcategoryCode: 'SA4',
      numberOfItems: 250,
      value: null,
      currency: null,
      valueMissingReason: 'withheld',
    });
  });

  it('records an aggregated partner as partnerAggregated with no importer, and an empty value as not reported', () => {
    expect(result.accepted[2]).toMatchObject({
      exporterId: 'FRA',
      importerId: null,
      partnerAggregated: true,
      categoryCode: 'VII',
      subcategoryCode: 'VII(b)',
      value: null,
      valueMissingReason: 'not_reported',
    });
    expect(parsed.rows[2]).toMatchObject({ partnerId: null, partnerAggregated: true });
  });

  it('resolves an att-report alias and keeps State of origin and intermediate locations on the report row', () => {
    expect(result.accepted[3]).toMatchObject({
      importerId: 'DEU',
      value: '45000.5',
      currency: 'USD',
      endUser: 'Police',
      endUse: 'Law enforcement',
      provenance: { row: 29 },
    });
    expect(parsed.rows[3]).toMatchObject({ stateOfOriginId: 'BRA', intermediateLocationIds: ['CHL', 'DEU'] });
  });

  it('maps Imports rows the other way round and takes each row basis when the form reports both', () => {
    expect(
      result.accepted
        .slice(4)
        .map((transfer) => [
          transfer.exporterId,
          transfer.importerId,
          transfer.basis,
          transfer.subcategoryCode,
        ]),
    ).toEqual([
      ['DEU', 'FRA', 'authorised', 'IV(b)'],
      ['DEU', 'FRA', 'actual', 'IV(b)'],
    ]);
  });

  it('gives rows that pass the row schema, in the order of the accepted transfers', () => {
    for (const row of parsed.rows) expect(AttReportRowSchema.safeParse(row).success).toBe(true);
    expect(parsed.rows.map((row) => row.form)).toEqual([
      'exports',
      'exports',
      'exports',
      'exports',
      'imports',
      'imports',
    ]);
  });
});

describe('parseAttReport on the other hand-written formats', () => {
  it('reads the JSON report with a nil report for imports', async () => {
    const parsed = await parse(fixtureBytes('report.json'), 'report.json');
    expect(parsed.report).toMatchObject({
      formsIncluded: ['exports', 'imports'],
      imports: { nilReport: true, basis: [], visibility: 'public' },
    });
    expect(parsed.result).toMatchObject({ rowsRead: 3, blank: 0, quarantined: [], issues: [] });
    expect(parsed.result.accepted[0]).toMatchObject({
      importerId: 'CHL',
      value: '12500000',
      currency: 'EUR',
      provenance: { sheet: 'exports', row: 1 },
    });
  });

  it('reads a semicolon CSV with decimal commas and title questions matched by their labels', async () => {
    const parsed = await parse(fixtureBytes('report-semicolon.csv'), 'report-semicolon.csv');
    expect(parsed.result.metadata.delimiter).toBe(';');
    expect(parsed.report).toMatchObject({
      reportingStateId: 'DEU',
      coveredYear: 2023,
      exports: { basis: ['authorised'] },
      imports: { nilReport: true },
    });
    expect(
      parsed.result.accepted.map((transfer) => [transfer.importerId, transfer.numberOfItems, transfer.value]),
    ).toEqual([
      ['FRA', 1200, '1250000.5'],
      ['CHL', 3, '99.9'],
    ]);
  });

  it('follows an Excel "sep=;" first line', async () => {
    const csv = new TextDecoder().decode(fixtureBytes('report-semicolon.csv'));
    const parsed = await parse(utf8(`sep=;\n${csv}`), 'sep.csv');
    expect(parsed.result.metadata.delimiter).toBe(';');
    expect(parsed.result.accepted.map((transfer) => transfer.provenance.row)).toEqual([12, 13]);
  });

  it('detects the format from the bytes whatever the file is called', async () => {
    const parsed = await parse(fixtureBytes('report.json'), 'upload.bin');
    expect(parsed.result.metadata.format).toBe('json');
    const xlsx = await parse(
      await filledXlsx({
        title: STANDARD_TITLE,
        exports: [{ Category: 'I', 'Final importing State': 'CHL', 'Number of items': 2 }],
      }),
      'report.csv',
    );
    expect(xlsx.result.metadata.format).toBe('xlsx');
  });
});

describe('parseAttReport on a filled XLSX template', () => {
  it('reads drop-down labels, numbers, dates and rich text the way an officer fills them', async () => {
    const good = await filledXlsx({
      title: {
        ...STANDARD_TITLE,
        submittedOn: new Date(Date.UTC(2025, 4, 30)),
        exportsWithheldNationalSecurity: true,
      },
      exports: [
        {
          Category: 'II - Armoured combat vehicles',
          'Final importing State': 'CHL',
          'Number of items': 4,
          Value: 12500000.5,
          Currency: 'eur',
        },
        {
          Category: 'VIII - Small arms and light weapons',
          'Sub-category': 'LW6 - Mortars of calibres less than 75 mm',
          'Final importing State': { richText: [{ text: 'Bra' }, { text: 'zil' }] },
          'Number of items': 'withheld',
        },
      ],
      imports: [{ Category: 'VI', 'Exporting State': 'NOR', 'Number of items': 1, Value: 0.1 + 0.2 }],
    });
    const parsed = await parse(good, 'filled.xlsx');
    expect(parsed.result.issues).toEqual([]);
    expect(parsed.report).toMatchObject({
      submittedOn: '2025-05-30',
      exports: { withheldNationalSecurity: true, visibility: 'public' },
      imports: { visibility: 'private' },
    });
    expect(
      parsed.result.accepted.map((t) => [
        t.exporterId,
        t.importerId,
        t.categoryCode,
        t.subcategoryCode,
        t.numberOfItems,
        t.numberOfItemsMissingReason,
        t.value,
        t.currency,
        t.basis,
      ]),
    ).toEqual([
      ['FRA', 'CHL', 'II', null, 4, null, '12500000.5', 'EUR', 'actual'],
      ['FRA', 'BRA', 'VIII', 'LW6', null, 'withheld', null, null, 'actual'],
      ['NOR', 'FRA', 'VI', null, 1, null, '0.3', 'EUR', 'authorised'],
    ]);
    expect(parsed.result.accepted[0]!.provenance).toMatchObject({ sheet: 'Exports', row: 2 });
  });

  it('uses the cached result of a formula cell with a warning, and never calculates one', async () => {
    const parsed = await parse(
      await filledXlsx({
        title: STANDARD_TITLE,
        exports: [
          {
            Category: 'I',
            'Final importing State': 'CHL',
            'Number of items': { formula: '2+2', result: 4 },
            Value: 10,
          },
        ],
      }),
      'formula.xlsx',
    );
    expect(parsed.result.accepted[0]).toMatchObject({ numberOfItems: 4 });
    expect(warningCodes(parsed)).toEqual(['empty_form', 'formula_result_used']);
    expect(parsed.result.issues.find((issue) => issue.code === 'formula_result_used')!.message).toMatch(
      /^sheet "Exports", row 2, column "Number of items": the cell holds the formula =2\+2; its saved result 4 was used/,
    );
  });

  it('quarantines a row whose formula has no saved result, naming the formula', async () => {
    const parsed = await parse(
      await filledXlsx({
        title: STANDARD_TITLE,
        exports: [
          { Category: 'I', 'Final importing State': { formula: 'CMD("calc")' }, 'Number of items': 3 },
        ],
      }),
      'formula.xlsx',
    );
    expect(parsed.result).toMatchObject({ rowsRead: 1, accepted: [] });
    expect(countQuarantineByCode(parsed.result)).toEqual({ formula_without_result: 1 });
    expect(parsed.result.quarantined[0]!.issues[0]!.message).toContain('=CMD("calc") without a saved result');
  });

  it('quarantines a spreadsheet error value and a date typed into the number column', async () => {
    const parsed = await parse(
      await filledXlsx({
        title: STANDARD_TITLE,
        exports: [
          { Category: 'I', 'Final importing State': 'CHL', 'Number of items': { error: '#DIV/0!' } as never },
          {
            Category: 'I',
            'Final importing State': 'CHL',
            'Number of items': new Date(Date.UTC(2024, 0, 3)),
          },
        ],
      }),
      'errors.xlsx',
    );
    expect(countQuarantineByCode(parsed.result)).toEqual({ cell_error: 1, not_a_number: 1 });
  });

  it('refuses a workbook without the template sheets, naming the sheets it expected', async () => {
    const workbook = await loadWorkbook(await filledXlsx({}));
    for (const name of ['Title', 'Exports', 'Imports', 'Instructions', 'Lists'])
      workbook.removeWorksheet(workbook.getWorksheet(name)!.id);
    workbook.addWorksheet('Sheet1').addRow(['Category', 'Partner']);
    const parsed = await parse(await saveWorkbook(workbook), 'wrong.xlsx');
    expectRefused(parsed, 'wrong_sheets');
    expect(parsed.result.issues[0]!.message).toBe(
      'the workbook has the sheets "Sheet1", but an annual report needs "Title", "Exports" and "Imports"; download the template for your State and year, copy your data into it, and upload it',
    );
  });

  it('refuses a workbook whose included Exports form has no Exports sheet', async () => {
    const workbook = await loadWorkbook(await filledXlsx({ title: STANDARD_TITLE }));
    workbook.removeWorksheet(workbook.getWorksheet('Exports')!.id);
    expectRefused(await parse(await saveWorkbook(workbook), 'no-exports.xlsx'), 'missing_sheet');
  });

  it('warns about a sheet that is not part of the template', async () => {
    const workbook = await loadWorkbook(
      await filledXlsx({
        title: STANDARD_TITLE,
        exports: [{ Category: 'I', 'Final importing State': 'CHL', 'Number of items': 1 }],
      }),
    );
    workbook.addWorksheet('Notes').addRow(['draft']);
    const parsed = await parse(await saveWorkbook(workbook), 'notes.xlsx');
    expect(warningCodes(parsed)).toContain('unknown_sheet');
    expect(parsed.result.accepted).toHaveLength(1);
  });

  it('quarantines a 10 MB cell in a workbook', async () => {
    const huge = randomBytes(7_500_000).toString('base64');
    const parsed = await parse(
      await filledXlsx({
        title: STANDARD_TITLE,
        exports: [
          { Category: 'I', 'Final importing State': 'CHL', 'Number of items': 1, Comments: huge },
          { Category: 'II', 'Final importing State': 'CHL', 'Number of items': 2 },
        ],
      }),
      'huge-cell.xlsx',
    );
    expect(parsed.result).toMatchObject({ rowsRead: 2 });
    expect(parsed.result.accepted).toHaveLength(1);
    expect(countQuarantineByCode(parsed.result)).toEqual({ cell_too_long: 1 });
    const issue = parsed.result.quarantined[0]!.issues[0]!;
    expect(issue.message).toMatch(
      /^sheet "Exports", row 2, column "Comments": the cell has 10000000 characters, more than the limit of 10000/,
    );
    expect(issue.value!.length).toBeLessThan(300);
    expect((parsed.result.quarantined[0]!.raw as Record<string, string>).Comments!.length).toBeLessThan(
      10_100,
    );
  }, 120_000);
});

describe('parseAttReport refuses XLSX files that are not safe to open', () => {
  const template = () => filledXlsx({ title: STANDARD_TITLE });

  it('refuses a zip bomb whose parts declare more than the uncompressed limit, before exceljs sees it', async () => {
    const zeros = new Uint8Array(80 * 1024 * 1024);
    const bomb = makeZip([
      { name: '[Content_Types].xml', data: utf8('<Types/>') },
      { name: 'xl/workbook.xml', data: utf8('<workbook/>') },
      { name: 'xl/worksheets/sheet1.xml', data: zeros },
    ]);
    expect(bomb.length).toBeLessThan(200_000);
    const parsed = await parse(bomb, 'bomb.xlsx');
    expectRefused(parsed, 'zip_bomb');
    expect(parsed.result.issues[0]!.message).toMatch(/expands to more than 64 MiB/);
  });

  it('refuses a part whose compression ratio is far above any real workbook', async () => {
    const bomb = makeZip([
      { name: '[Content_Types].xml', data: utf8('<Types/>') },
      { name: 'xl/workbook.xml', data: utf8('<workbook/>') },
      { name: 'xl/sharedStrings.xml', data: new Uint8Array(20 * 1024 * 1024) },
    ]);
    expect(fileErrors(await parse(bomb, 'ratio.xlsx'))).toEqual(['zip_bomb']);
  });

  it('refuses a part that inflates to more than the size it declares', async () => {
    const liar = makeZip([
      { name: '[Content_Types].xml', data: utf8('<Types/>') },
      { name: 'xl/workbook.xml', data: utf8('<workbook/>') },
      { name: 'xl/worksheets/sheet1.xml', data: new Uint8Array(5_000_000), declaredSize: 1000 },
    ]);
    const parsed = await parse(liar, 'liar.xlsx');
    expectRefused(parsed, 'zip_bomb');
    expect(parsed.result.issues[0]!.message).toContain('expands to more than the 1000 bytes it declares');
  });

  it('refuses an encrypted workbook, a truncated one, and a ZIP that is not a workbook', async () => {
    const encrypted = makeZip([{ name: 'EncryptedPackage', data: utf8('x'), flags: 1 }]);
    expect(fileErrors(await parse(encrypted, 'locked.xlsx'))).toEqual(['encrypted_workbook']);
    const bytes = await template();
    expect(fileErrors(await parse(bytes.subarray(0, bytes.length - 100), 'cut.xlsx'))).toEqual(['not_a_zip']);
    expect(
      fileErrors(await parse(makeZip([{ name: 'readme.txt', data: utf8('hello') }]), 'archive.zip')),
    ).toEqual(['not_xlsx']);
  });

  it('refuses garbage that starts with the ZIP signature, an old .xls and a PDF, with what to do', async () => {
    const garbage = new Uint8Array([0x50, 0x4b, 0x03, 0x04, ...randomBytes(3000)]);
    expect(isRefused((await parse(garbage, 'garbage.xlsx')).result)).toBe(true);
    const xls = new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0]);
    const old = await parse(xls, 'old.xls');
    expectRefused(old, 'old_xls');
    expect(old.result.issues[0]!.hint).toBe('save it as .xlsx (Excel Workbook) and upload it again');
    expectRefused(await parse(utf8('%PDF-1.7\n...'), 'report.pdf'), 'pdf_file');
  });

  it('refuses a file over the upload limit before decoding it', async () => {
    const parsed = await parse(fixtureBytes('report.csv'), 'report.csv', { limits: { maxFileBytes: 100 } });
    expectRefused(parsed, 'file_too_large');
    expect(DEFAULT_ATT_REPORT_LIMITS.maxFileBytes).toBe(20 * 1024 * 1024);
  });
});

describe('parseAttReport on bad CSV and JSON input', () => {
  it('refuses an empty file, a blank file and binary garbage', async () => {
    expectRefused(await parse(new Uint8Array(0), 'empty.csv'), 'empty_file');
    expectRefused(await parse(utf8('\n \r\n'), 'blank.csv'), 'empty_file');
    expectRefused(await parse(new Uint8Array(randomBytes(2000)), 'noise.csv'), 'binary_file');
  });

  it('refuses a report with headers only and no nil report, saying how to send a nil report', async () => {
    const parsed = await parse(csvReport(), 'headers-only.csv');
    expectRefused(parsed, 'nothing_reported');
    expect(parsed.result.issues.at(-1)!.hint).toContain('Nil report: no exports to report (yes / no)');
  });

  it('refuses a CSV without section lines, naming the sections it expected', async () => {
    const parsed = await parse(utf8(`${EXPORTS_HEADER}\nI,,CHL,1,,,,\n`), 'table-only.csv');
    expectRefused(parsed, 'missing_section');
    expect(parsed.result.issues[0]!.message).toContain('the file must start with [Title]');
  });

  it('says a SIPRI trade register sent as an ATT report is one, and how to import it', async () => {
    const register = utf8(
      [
        "Transfers of major conventional arms from All countries to All countries (invented). Deals with deliveries made for the year range '2015' to '2024';",
        'Source: SIPRI Arms Transfers Database (c) SIPRI.;',
        'SIPRI AT Database ID,Supplier,Recipient;',
        '90001,France,Chile;',
      ].join('\n'),
    );
    const parsed = await parse(register, 'trade_register.csv');
    expectRefused(parsed, 'missing_section');
    expect(parsed.result.issues[0]).toMatchObject({
      row: 1,
      message: expect.stringContaining('SIPRI trade register'),
      hint: expect.stringContaining('att import sipri'),
    });
  });

  it('refuses a table whose required column is missing, naming the column', async () => {
    const parsed = await parse(
      csvReport({ exportsHeader: 'Category,Final importing State,Value', exports: ['I,CHL,10'] }),
      'missing.csv',
    );
    expectRefused(parsed, 'missing_column');
    expect(parsed.result.issues.find((issue) => issue.code === 'missing_column')!.message).toBe(
      'sheet "Exports", row 11, column "Number of items": the required column "Number of items" is missing from the header row; add a column headed "Number of items" (see the template)',
    );
  });

  it('refuses a table with a duplicated column, also under another accepted name', async () => {
    const parsed = await parse(
      csvReport({ exportsHeader: `${EXPORTS_HEADER},Quantity`, exports: ['I,,CHL,1,,,,,2'] }),
      'duplicate.csv',
    );
    expectRefused(parsed, 'duplicate_column');
    expect(parsed.result.issues.find((issue) => issue.code === 'duplicate_column')!.message).toContain(
      'the column "Number of items" appears twice (as "Number of items" and "Quantity")',
    );
  });

  it('warns about an unknown column and keeps reading', async () => {
    const parsed = await parse(
      csvReport({ exportsHeader: `${EXPORTS_HEADER},Licence number`, exports: ['I,,CHL,1,,,,,L-123'] }),
      'unknown-column.csv',
    );
    expect(warningCodes(parsed)).toEqual(['unknown_column']);
    expect(parsed.result.accepted).toHaveLength(1);
  });

  it('quarantines an unknown State with a hint to use the ISO3 code or add an alias', async () => {
    const parsed = await parse(
      csvReport({ exports: ['I,,Rep. Korea,1,,,,', 'I,,CHL,1,,,,'] }),
      'unknown-state.csv',
    );
    expect(parsed.result).toMatchObject({ rowsRead: 2 });
    expect(parsed.result.accepted).toHaveLength(1);
    const issue = parsed.result.quarantined[0]!.issues[0]!;
    expect(issue).toMatchObject({
      sheet: 'Exports',
      row: 12,
      column: 'Final importing State',
      value: 'Rep. Korea',
      code: 'unknown_state',
    });
    expect(issue.message).toBe(
      'sheet "Exports", row 12, column "Final importing State": "Rep. Korea" is not a known State; write the ISO 3166-1 alpha-3 code (e.g. FRA), or add the spelling to data/reference/state-aliases.csv (source att-report)',
    );
    expect(parsed.result.quarantined[0]!.raw).toEqual({
      Category: 'I',
      'Final importing State': 'Rep. Korea',
      'Number of items': '1',
    });
  });

  it('quarantines a negative number of items with the fix in the message', async () => {
    const parsed = await parse(csvReport({ exports: ['I,,CHL,-3,,,,'] }), 'negative.csv');
    expect(parsed.result.quarantined[0]!.issues[0]!.message).toBe(
      'sheet "Exports", row 12, column "Number of items": "-3" is negative; enter a whole number of items, or leave it empty (or write "withheld") and say why in Comments',
    );
  });

  it('quarantines non-numeric, fractional and currency-sign numbers, each with its own code', async () => {
    const parsed = await parse(
      csvReport({
        exports: ['I,,CHL,about 5,,,,', 'I,,CHL,2.5,,,,', 'I,,CHL,1,€100,,,', 'I,,CHL,1,"1,5",,,'],
      }),
      'numbers.csv',
    );
    expect(parsed.result.quarantined.map((row) => row.issues.map((issue) => issue.code))).toEqual([
      ['not_a_number'],
      ['not_a_whole_number'],
      ['not_a_number'],
      ['not_a_number'],
    ]);
  });

  it('refuses an impossible year and a year after the current one', async () => {
    const title = (year: string) =>
      STANDARD_CSV_TITLE.map((line) => (line.endsWith('coveredYear') ? `,${year},coveredYear` : line));
    const old = await parse(csvReport({ title: title('1999'), exports: ['I,,CHL,1,,,,'] }), 'old.csv');
    expectRefused(old, 'impossible_year');
    expect(old.result.issues[0]!.message).toContain(
      '1999 cannot be the year covered: it must be between 2014',
    );
    expectRefused(
      await parse(csvReport({ title: title('2031'), exports: ['I,,CHL,1,,,,'] }), 'future.csv', {
        currentYear: 2026,
      }),
      'impossible_year',
    );
    expectRefused(
      await parse(csvReport({ title: title('twenty'), exports: ['I,,CHL,1,,,,'] }), 'words.csv'),
      'not_a_year',
    );
  });

  it('refuses an unknown or non-State reporting State and a code that disagrees with the name', async () => {
    const swap = (key: string, value: string) => [
      ...STANDARD_CSV_TITLE.filter((line) => !line.endsWith(',reportingStateCode')),
      `,${value},${key}`,
    ];
    expectRefused(
      await parse(
        csvReport({ title: swap('reportingStateCode', 'XXX'), exports: ['I,,CHL,1,,,,'] }),
        'x.csv',
      ),
      'unknown_state',
    );
    expectRefused(
      await parse(
        csvReport({ title: swap('reportingState', 'Soviet Union'), exports: ['I,,CHL,1,,,,'] }),
        'x.csv',
      ),
      'not_a_state',
    );
    expectRefused(
      await parse(
        csvReport({ title: [...STANDARD_CSV_TITLE, ',Germany,reportingState'], exports: ['I,,CHL,1,,,,'] }),
        'x.csv',
      ),
      'conflicting_reporting_state',
    );
  });

  it('quarantines a 10 MB cell in a CSV without copying it into the issue', async () => {
    const parsed = await parse(
      csvReport({ exports: [`I,,CHL,1,,,,"${'x'.repeat(10 * 1024 * 1024)}"`, 'II,,CHL,2,,,,'] }),
      'huge.csv',
    );
    expect(countQuarantineByCode(parsed.result)).toEqual({ cell_too_long: 1 });
    expect(parsed.result.accepted).toHaveLength(1);
    expect(parsed.result.quarantined[0]!.issues[0]!.value!.length).toBeLessThan(300);
  });

  it('keeps formula strings such as =CMD() as text with a warning and never evaluates them', async () => {
    const parsed = await parse(
      csvReport({ exports: ['I,,CHL,1,,,"=CMD(""calc"")",@SUM(A1)', "I,,CHL,1,,,'=1+1,"] }),
      'formula.csv',
    );
    expect(parsed.result.accepted.map((transfer) => [transfer.description, transfer.comments])).toEqual([
      ['=CMD("calc")', '@SUM(A1)'],
      ['=1+1', null],
    ]);
    expect(warningCodes(parsed)).toEqual([
      'formula_kept_as_text',
      'formula_kept_as_text',
      'formula_kept_as_text',
    ]);
  });

  it('refuses a CSV whose quote never closes, naming the line', async () => {
    const parsed = await parse(csvReport({ exports: ['I,,CHL,1,,,"unclosed'] }), 'quote.csv');
    expectRefused(parsed, 'broken_csv');
    expect(parsed.result.issues[0]!.message).toContain(
      'row 12: a quoted cell opens here and is never closed',
    );
  });

  it('quarantines rows in a nil report, a form marked not included, and a totals row', async () => {
    const title = [...STANDARD_CSV_TITLE, ',yes,importsNilReport', ',no,exportsIncluded'];
    const parsed = await parse(
      csvReport({ title, exports: ['I,,CHL,1,,,,'], imports: ['I,,DEU,1,,,,', 'Total,,,1,,,,'] }),
      'nil.csv',
    );
    expect(parsed.result).toMatchObject({ rowsRead: 3, accepted: [] });
    expect(countQuarantineByCode(parsed.result)).toEqual({
      form_not_included: 1,
      rows_in_nil_report: 2,
      total_row: 1,
    });
  });

  it('checks sub-categories, bases, currencies and the partner against the title page', async () => {
    const title = STANDARD_CSV_TITLE.filter((line) => !line.endsWith('defaultCurrency')).map((line) =>
      line.endsWith('importsBasis') ? ',authorised and actual,importsBasis' : line,
    );
    const parsed = await parse(
      csvReport({
        title,
        exports: [
          'IV,SA1,CHL,1,,,,',
          'I,,CHL,1,100,,,',
          'I,,FRA,1,,,,',
          'ammunition,,CHL,1,,,,',
          ',VII(b),CHL,3,10,USD,,',
        ],
        imports: ['I,,DEU,1,,,,'],
      }),
      'checks.csv',
    );
    expect(parsed.result.quarantined.map((row) => row.issues.map((issue) => issue.code))).toEqual([
      ['subcategory_mismatch'],
      ['missing_currency'],
      ['partner_is_reporting_state'],
      ['unknown_category'],
      ['basis_required'],
    ]);
    expect(parsed.result.accepted).toEqual([
      expect.objectContaining({
        categoryCode: 'VII',
        subcategoryCode: 'VII(b)',
        value: '10',
        currency: 'USD',
      }),
    ]);
  });

  it('records an aggregated Imports partner as exporter UNKNOWN with partnerAggregated, never as a State', async () => {
    const parsed = await parse(csvReport({ imports: ['VIII,SA,aggregated,1000,,,,'] }), 'aggregated.csv');
    expect(parsed.result.accepted[0]).toMatchObject({
      exporterId: 'UNKNOWN',
      importerId: 'FRA',
      partnerAggregated: true,
      subcategoryCode: 'SA',
    });
    expect(parsed.rows[0]).toMatchObject({ partnerId: null, partnerAggregated: true });
  });

  it('records a form without a visibility answer as private, with a warning', async () => {
    const title = STANDARD_CSV_TITLE.filter((line) => !line.endsWith('exportsVisibility'));
    const parsed = await parse(csvReport({ title, exports: ['I,,CHL,1,,,,'] }), 'visibility.csv');
    expect(parsed.report!.exports!.visibility).toBe('private');
    expect(warningCodes(parsed)).toContain('missing_visibility');
  });

  it('refuses broken JSON, a JSON list and an unknown format version', async () => {
    expectRefused(await parse(utf8('{"title": {'), 'broken.json'), 'broken_json');
    expectRefused(await parse(utf8('[1, 2]'), 'list.json', { format: 'json' }), 'wrong_json_shape');
    expectRefused(
      await parse(utf8('{"format":"att-annual-report","formatVersion":7,"title":{}}'), 'v7.json'),
      'unsupported_format_version',
    );
  });

  it('quarantines a JSON row that is not an object and a value that is an object', async () => {
    const document = JSON.parse(new TextDecoder().decode(fixtureBytes('report.json'))) as {
      exports: unknown[];
    };
    document.exports.push('II,CHL,4', { category: 'II', partner: 'CHL', numberOfItems: { n: 4 } });
    const parsed = await parse(utf8(JSON.stringify(document)), 'rows.json');
    expect(parsed.result).toMatchObject({ rowsRead: 5 });
    expect(countQuarantineByCode(parsed.result)).toEqual({ wrong_json_shape: 2 });
  });

  it('refuses an explicit format that contradicts the bytes', async () => {
    expectRefused(
      await parse(fixtureBytes('report.csv'), 'report.csv', { format: 'xlsx' }),
      'format_mismatch',
    );
  });

  it('refuses a title question answered twice', async () => {
    expectRefused(
      await parse(
        csvReport({ title: [...STANDARD_CSV_TITLE, ',2023,coveredYear'], exports: ['I,,CHL,1,,,,'] }),
        'twice.csv',
      ),
      'duplicate_title_field',
    );
  });
});
