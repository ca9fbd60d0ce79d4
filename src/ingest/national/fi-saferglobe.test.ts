import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { buildFiWorkbook, FI_HEADERS, FI_ROWS } from '../../../test/fixtures/national/fi-workbook.js';
import { countQuarantineByCode, isRefused } from '../framework.js';
import { FI_SHEETS, normaliseControlCode, parseFiSaferglobe } from './fi-saferglobe.js';
import { expectSound, fixtureLookups, quarantineCodes, recordsOf, textBytes } from './test-support.js';

const { lookup } = fixtureLookups();
const parse = async (bytes: Uint8Array | Promise<Uint8Array>) =>
  parseFiSaferglobe(await bytes, { fileName: 'saferglobe.xlsx', lookup, importRunId: 'run-1' });
const transfers = (result: Awaited<ReturnType<typeof parse>>, sheet: string) =>
  recordsOf(result, 'transfer').filter((record) => record.transfer.provenance.sheet === sheet);

/** The default rows of a sheet with one row replaced. */
function withRow(sheet: string, index: number, row: unknown[]): Record<string, unknown[][]> {
  const rows = FI_ROWS[sheet]!.map((existing) => existing.slice());
  rows[index] = row;
  return { [sheet]: rows };
}

describe('SaferGlobe workbook: a well-formed file', async () => {
  const result = await parse(buildFiWorkbook());

  it('accounts for every row of every sheet', () => {
    expectSound(result);
    const sheets = Object.values(FI_SHEETS);
    for (const sheet of sheets) {
      const read = result.stats[`${sheet}.rowsRead`]!;
      expect(read).toBe(FI_ROWS[sheet]!.length);
      expect(read).toBe(
        result.stats[`${sheet}.accepted`]! +
          result.stats[`${sheet}.quarantined`]! +
          result.stats[`${sheet}.blank`]!,
      );
    }
    expect(result.rowsRead).toBe(sheets.reduce((total, sheet) => total + FI_ROWS[sheet]!.length, 0));
    expect(result.quarantined).toEqual([]);
  });

  it('reads actual exports as Transfers from Finland with ML categories and euro values', () => {
    const [first] = transfers(result, FI_SHEETS.actualByProduct);
    expect(first!.transfer).toMatchObject({
      source: 'national:fin',
      exporterId: 'FIN',
      importerId: 'SWE',
      year: 2020,
      basis: 'actual',
      categoryScheme: 'eu-ml',
      categoryCode: 'ML1',
      subcategoryCode: 'ML1a',
      currency: 'EUR',
      deliveryYears: [2020],
    });
    expect(first!.transfer.provenance).toMatchObject({
      sheet: 'actual_exp_mil_by_product',
      row: 2,
      importRunId: 'run-1',
    });
  });

  it('rounds float noise to cents and keeps the stored float text', () => {
    const [noisy, mission, subCent] = transfers(result, FI_SHEETS.actualByProduct);
    expect(noisy!.transfer.value).toBe('1000.3');
    expect(noisy!.details.valueAsStored).toBe('1000.3000000000001');
    expect(mission!.transfer.value).toBe('646229.55');
    expect(mission!.details.valueAsStored).toBeNull();
    expect(subCent!.transfer.value).toBe('1234.57');
    expect(result.issues.find((issue) => issue.code === 'sub_cent_value')).toMatchObject({
      row: 4,
      value: '1234.5678',
      severity: 'warning',
    });
    expect(result.stats).toMatchObject({ valuesFloatNoiseRounded: 1, valuesSubCentRounded: 1 });
  });

  it('marks exports to international missions and completes abbreviated sub-categories', () => {
    const mission = transfers(result, FI_SHEETS.actualByProduct)[1]!;
    expect(mission.transfer.endUser).toBe('international mission(s)');
    expect(mission.details.toInternationalMissions).toBe(true);
    expect(mission.details.mlSubcategories).toEqual(['ML13c', 'ML13d']);
    expect(mission.transfer.subcategoryCode).toBeNull();
  });

  it('keeps "N/A" values as not reported, never zero', () => {
    const missing = transfers(result, FI_SHEETS.actualByProduct)[3]!;
    expect(missing.transfer).toMatchObject({
      value: null,
      currency: null,
      valueMissingReason: 'not_reported',
    });
  });

  it('keeps rows without an ML category with their note', () => {
    const old = transfers(result, FI_SHEETS.actualByProduct)[5]!;
    expect(old.transfer).toMatchObject({
      categoryCode: null,
      comments: 'ML category note: ML7 or ML13',
      year: 2002,
    });
  });

  it('reads licences as authorised Transfers with licence counts, amounts and units', () => {
    const licences = transfers(result, FI_SHEETS.licencesByProduct);
    expect(licences[0]!.transfer).toMatchObject({
      basis: 'authorised',
      numberOfItems: 200,
      value: '44800',
      deliveryYears: [],
    });
    expect(licences[0]!.details.numberOfLicences).toBe(2);
    expect(licences[3]!.details.amounts).toEqual([
      { amount: '1200', unit: 'pcs' },
      { amount: '350', unit: 'kg' },
    ]);
    expect(licences[3]!.transfer).toMatchObject({
      categoryCode: null,
      numberOfItems: null,
      numberOfItemsMissingReason: 'aggregated',
    });
    expect(licences[3]!.details.mlCategories).toEqual(['ML2', 'ML3']);
    expect(licences[4]!.transfer.comments).toBe('Finnish national category (CL) 13.3');
  });

  it('gives a licence for several destinations no single importer, listing them all', () => {
    const several = transfers(result, FI_SHEETS.licencesByProduct)[1]!;
    expect(several.transfer).toMatchObject({ importerId: null, partnerAggregated: true });
    expect(several.details.destinations.map((party) => party.stateId)).toEqual(['ITA', 'FRA', 'ESP']);
    const unspecified = transfers(result, FI_SHEETS.licencesByProduct)[2]!;
    expect(unspecified.details.destinations).toEqual([
      { name: 'N/A', code: null, stateId: null, aggregate: 'unspecified' },
    ]);
    expect(unspecified.transfer.endUser).toBe('international mission(s)');
  });

  it('imports the by-country sheets as totals and cross-checks them against the by-product sums', () => {
    const totals = recordsOf(result, 'fi-country-total');
    expect(totals.filter((total) => total.basis === 'actual')[0]).toMatchObject({
      valueToMissions: '646229.55',
      valueToRecipientsInCountry: '2234.87',
      totalValue: '648464.42',
    });
    expect(totals.filter((total) => total.basis === 'authorised')[2]).toMatchObject({
      toInternationalMissions: 'all',
      missionFlag: 'Int all',
      partnerAggregated: true,
    });
    expect(result.stats).toMatchObject({
      'crossCheck.actual.matched': 2,
      'crossCheck.actual.mismatched': 1,
      'crossCheck.actual.notComparable': 1,
      'crossCheck.authorised.matched': 2,
    });
    expect(result.issues.find((issue) => issue.code === 'cross_check_mismatch')).toMatchObject({
      sheet: 'actual_exp_mil_by_country',
      row: 4,
    });
    expect(result.metadata['unmappedColumns.actual_exp_mil_by_country']).toContain(
      'Share of total exports of that year',
    );
  });

  it('reads civilian firearms under three header rows, one value per HS code', () => {
    const [norway, sweden] = recordsOf(result, 'fi-civilian-arms-export');
    expect(norway).toMatchObject({ year: 2020, totalValue: '1500', currency: 'EUR' });
    expect(norway!.values).toEqual([
      {
        hsCode: '930200',
        labelEn: 'Example pistols (invented label)',
        labelFi: 'Esimerkki pistoolit',
        value: '1500',
      },
      {
        hsCode: '930521',
        labelEn: 'Example shotgun parts (invented label)',
        labelFi: 'Esimerkki osat',
        value: '0',
      },
    ]);
    expect(sweden!.provenance.row).toBe(5);
    expect(result.issues.find((issue) => issue.code === 'hs_code_outside_years')).toMatchObject({
      row: 5,
      column: '930521',
    });
  });

  it('reads dual-use licences with dates from Excel serials rounded to the second', () => {
    const licences = recordsOf(result, 'fi-dual-use-licence');
    expect(licences[0]).toMatchObject({
      licenceDate: '2021-06-15',
      licenceDateTime: '2021-06-15T15:51:40',
      licenceType: 'individual',
      controlCodes: ['2B351', '1A004c1'],
      exporterCompany: 'Example Oy',
      exporterBusinessId: '1234567-8',
      licenceNumber: 'FI21000001',
    });
    expect(licences[1]).toMatchObject({ licenceDate: '2021-06-15', licenceDateTime: '2021-06-15T12:00:00' });
    expect(licences[1]!.destinations.map((party) => party.stateId)).toEqual(['SWE', 'NOR']);
    expect(licences[2]).toMatchObject({
      licenceDate: null,
      licenceType: 'global',
      controlCodes: [],
      exporterBusinessId: null,
    });
    expect(licences[2]!.destinations[0]!.aggregate).toBe('multiple');
  });

  it('keeps repeated licence numbers and dates outside the year, with warnings', () => {
    expect(result.issues.find((issue) => issue.code === 'repeated_licence_number')).toMatchObject({ row: 5 });
    expect(result.issues.find((issue) => issue.code === 'date_outside_year')!.message).toContain('rows 5');
  });

  it('takes version, release date and citation from the info sheet and says why graphs are skipped', () => {
    expect(result.metadata).toMatchObject({
      version: '2.4',
      releaseDate: '19th October, 2022',
      sourceCitation: 'Example citation (invented for tests)',
    });
    expect(result.issues.find((issue) => issue.code === 'sheet_skipped')!.message).toContain('graphs');
  });
});

describe('SaferGlobe workbook: bad rows', () => {
  it('quarantines negative and non-numeric values, impossible years and unknown destinations', async () => {
    const rows = FI_ROWS[FI_SHEETS.actualByProduct]!.map((row) => row.slice());
    rows[0]![8] = -5;
    rows[1]![8] = 'about 100';
    rows[2]![0] = 2099;
    rows[3]![1] = 'Atlantis';
    rows[4]![4] = 'ML99';
    const result = await parse(buildFiWorkbook({ rows: { [FI_SHEETS.actualByProduct]: rows } }));
    expectSound(result);
    const sheet = FI_SHEETS.actualByProduct;
    expect([2, 3, 4, 5, 6].map((row) => quarantineCodes(result, row, sheet))).toEqual([
      ['negative_number'],
      ['not_a_number'],
      ['impossible_year'],
      ['unknown_state'],
      ['invalid_ml_category'],
    ]);
    expect(result.issues.find((issue) => issue.code === 'impossible_year')!.message).toContain('after 2022');
  });

  it('counts empty rows between data rows as blank', async () => {
    const rows = [FI_ROWS[FI_SHEETS.licencesByCountry]![0]!, [], FI_ROWS[FI_SHEETS.licencesByCountry]![1]!];
    const result = await parse(buildFiWorkbook({ rows: { [FI_SHEETS.licencesByCountry]: rows } }));
    expect(result.stats).toMatchObject({
      'exp_licences_mil_by_country.rowsRead': 3,
      'exp_licences_mil_by_country.blank': 1,
    });
    expectSound(result);
  });

  it('quarantines an oversized cell and a negative licence count', async () => {
    const row = FI_ROWS[FI_SHEETS.licencesByProduct]![0]!.slice();
    row[9] = 'x'.repeat(300);
    const other = FI_ROWS[FI_SHEETS.licencesByProduct]![1]!.slice();
    other[11] = -1;
    const rows = { [FI_SHEETS.licencesByProduct]: [row, other] };
    const result = await parseFiSaferglobe(await buildFiWorkbook({ rows }), {
      fileName: 'f.xlsx',
      lookup,
      limits: { maxCellChars: 200 },
    });
    expect(countQuarantineByCode(result)).toEqual({ cell_too_long: 1, negative_number: 1 });
  });

  it('warns about a sub-category of another category and leaves it empty', async () => {
    const result = await parse(
      buildFiWorkbook({
        rows: withRow(FI_SHEETS.actualByProduct, 0, [
          2020,
          'Sweden',
          'European Union',
          null,
          'ML3',
          'ML32',
          null,
          'x',
          10,
        ]),
      }),
    );
    const transfer = transfers(result, FI_SHEETS.actualByProduct)[0]!;
    expect(transfer.transfer).toMatchObject({ categoryCode: 'ML3', subcategoryCode: null });
    expect(transfer.details.mlCategoryFullText).toBe('ML32');
    expect(result.issues.find((issue) => issue.code === 'invalid_ml_subcategory')).toMatchObject({
      row: 2,
      severity: 'warning',
    });
  });

  it('keeps amounts it cannot read as text with a warning', async () => {
    const row = FI_ROWS[FI_SHEETS.licencesByProduct]![0]!.slice();
    row[12] = '50/1';
    row[13] = 'mg/ml';
    const result = await parse(buildFiWorkbook({ rows: withRow(FI_SHEETS.licencesByProduct, 0, row) }));
    const transfer = transfers(result, FI_SHEETS.licencesByProduct)[0]!;
    expect(transfer.details).toMatchObject({ amountText: '50/1', unitText: 'mg/ml', amounts: [] });
    expect(transfer.transfer.numberOfItems).toBeNull();
    expect(result.issues.find((issue) => issue.code === 'unparsed_amount')).toBeDefined();
  });

  it('quarantines a dual-use row without licence number and with an impossible date', async () => {
    const rows = FI_ROWS[FI_SHEETS.dualUse]!.map((row) => row.slice());
    rows[0]![9] = null;
    rows[1]![1] = 'yesterday';
    rows[2]![1] = 1;
    const result = await parse(buildFiWorkbook({ rows: { [FI_SHEETS.dualUse]: rows } }));
    const sheet = FI_SHEETS.dualUse;
    expect([2, 3, 4].map((row) => quarantineCodes(result, row, sheet))).toEqual([
      ['missing_value'],
      ['not_a_date'],
      ['impossible_date'],
    ]);
  });

  it('reads a spreadsheet error in a cell as an issue, not a crash', async () => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await buildFiWorkbook()) as unknown as ArrayBuffer);
    workbook.getWorksheet(FI_SHEETS.actualByCountry)!.getCell('F2').value = {
      error: '#DIV/0!',
    } as ExcelJS.CellErrorValue;
    const result = await parse(new Uint8Array(await workbook.xlsx.writeBuffer()));
    expect(quarantineCodes(result, 2, FI_SHEETS.actualByCountry)).toEqual(['cell_error']);
    expectSound(result);
  });
});

describe('SaferGlobe workbook: sheets and headers', () => {
  it('refuses a workbook with none of the expected sheets, naming them', async () => {
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('Sheet1').getCell('A1').value = 'Year';
    const result = await parse(new Uint8Array(await workbook.xlsx.writeBuffer()));
    expect(isRefused(result)).toBe(true);
    expect(result.issues[0]!.code).toBe('wrong_sheets');
    expect(result.issues[0]!.message).toContain('actual_exp_mil_by_product');
    expect(result.issues[0]!.message).toContain('"Sheet1"');
  });

  it('reads the sheets that are there and warns about missing and unknown ones', async () => {
    const result = await parse(
      buildFiWorkbook({ omit: [FI_SHEETS.dualUse, 'graphs'], extraSheets: ['notes'] }),
    );
    expect(isRefused(result)).toBe(false);
    expect(result.issues.filter((issue) => issue.row === null).map((issue) => issue.code)).toEqual([
      'missing_sheet',
      'unknown_sheet',
    ]);
    expect(recordsOf(result, 'fi-dual-use-licence')).toEqual([]);
    expectSound(result);
  });

  it('refuses a workbook whose sheet lacks a required column, naming sheet and column', async () => {
    const headers = { [FI_SHEETS.actualByProduct]: [FI_HEADERS[FI_SHEETS.actualByProduct]![0]!.slice(0, 8)] };
    const result = await parse(buildFiWorkbook({ headers }));
    expect(isRefused(result)).toBe(true);
    expect(result.rowsRead).toBe(0);
    const error = result.issues.find((issue) => issue.severity === 'error')!;
    expect(error).toMatchObject({ code: 'missing_column', column: 'Value of export (eur)' });
    expect(error.message).toContain('actual_exp_mil_by_product');
  });

  it('bounds years by 2100 when the info sheet gives no release date, with a warning', async () => {
    const result = await parse(buildFiWorkbook({ releaseDate: null }));
    expect(result.issues.find((issue) => issue.code === 'release_date_unknown')).toBeDefined();
    expect(result.quarantined).toEqual([]);
  });

  it('refuses empty files, text, legacy .xls, garbage and a truncated workbook', async () => {
    const full = await buildFiWorkbook();
    const cases: [Uint8Array, string][] = [
      [new Uint8Array(), 'empty_file'],
      [textBytes('Year,Country\n2020,Sweden\n'), 'not_xlsx'],
      [new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]), 'legacy_xls'],
      [new Uint8Array([0x50, 0x4b, 0x03, 0x04, 9, 9, 9, 9, 9, 9, 9, 9]), 'unreadable_xlsx'],
      [full.subarray(0, Math.floor(full.length / 2)), 'unreadable_xlsx'],
    ];
    for (const [bytes, code] of cases) {
      const result = await parse(bytes);
      expect(isRefused(result)).toBe(true);
      expect(result.issues.find((issue) => issue.severity === 'error')!.code).toBe(code);
    }
  });
});

describe('normaliseControlCode', () => {
  it('writes EU dual-use codes the way Annex I does and leaves other codes as written', () => {
    expect(['2b351', '5A002A1', '3B001 a3', 'II.A1.003', 'RU'].map(normaliseControlCode)).toEqual([
      '2B351',
      '5A002a1',
      '3B001a3',
      'II.A1.003',
      'RU',
    ]);
  });
});
