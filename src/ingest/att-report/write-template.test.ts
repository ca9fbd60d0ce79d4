import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AttReport, AttReportRow } from '../../model/att-report.js';
import { isAppError } from '../../model/errors.js';
import { reportWithRowsArbitrary } from './arbitraries.js';
import type { AttReportFileFormat } from './format.js';
import { parseAttReport } from './parse-att-report.js';
import {
  STANDARD_TITLE,
  attFixtureLookup,
  fillWorkbook,
  fixtureBytes,
  loadWorkbook,
  saveWorkbook,
  text,
} from './test-support.js';
import { rowFromTransfer, writeAttReport, writeAttReportTemplate } from './write-template.js';

const lookup = attFixtureLookup();
const parse = (bytes: Uint8Array, fileName: string) => parseAttReport(bytes, { fileName, lookup });
const FORMATS: AttReportFileFormat[] = ['xlsx', 'csv', 'json'];

describe('writeAttReportTemplate', () => {
  it('writes an XLSX template with Instructions, Title, Exports, Imports and Lists, pre-filled with State, code and year', async () => {
    const workbook = await loadWorkbook(
      await writeAttReportTemplate({ stateId: 'NOR', stateName: 'Norway', year: 2025, format: 'xlsx' }),
    );
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual([
      'Instructions',
      'Title',
      'Exports',
      'Imports',
      'Lists',
    ]);
    const title = workbook.getWorksheet('Title')!;
    expect(title.getRow(1).values).toEqual([undefined, 'Question', 'Answer', 'Key']);
    const answers = new Map<string, unknown>();
    title.eachRow((row) => answers.set(String(row.getCell(3).value), row.getCell(2).value));
    expect(answers.get('reportingState')).toBe('Norway');
    expect(answers.get('reportingStateCode')).toBe('NOR');
    expect(answers.get('coveredYear')).toBe(2025);
    expect(workbook.getWorksheet('Exports')!.getRow(1).values).toEqual([
      undefined,
      'Category',
      'Sub-category',
      'Final importing State',
      'Number of items',
      'Value',
      'Currency',
      'Description of items',
      'Comments',
      'Authorised or actual',
      'End user',
      'End use',
      'State of origin',
      'Intermediate locations',
    ]);
    expect(workbook.getWorksheet('Imports')!.getCell('C1').value).toBe('Exporting State');
    expect(String(workbook.getWorksheet('Instructions')!.getCell('A1').value)).toMatch(
      /^Annual report under Article 13\(3\) of the Arms Trade Treaty/,
    );
  });

  it('puts drop-down lists on categories, sub-categories, basis and the yes/no and public/private answers', async () => {
    const workbook = await loadWorkbook(
      await writeAttReportTemplate({
        stateId: 'NOR',
        stateName: 'Norway',
        year: 2025,
        format: 'xlsx',
        listRows: 10,
      }),
    );
    const exports = workbook.getWorksheet('Exports')!;
    expect(exports.getCell('A2').dataValidation).toMatchObject({
      type: 'list',
      formulae: ['Lists!$A$2:$A$9'],
    });
    expect(exports.getCell('B11').dataValidation).toMatchObject({
      type: 'list',
      formulae: ['Lists!$B$2:$B$22'],
    });
    expect(exports.getCell('I5').dataValidation).toMatchObject({
      type: 'list',
      formulae: ['"authorised,actual"'],
    });
    const title = workbook.getWorksheet('Title')!;
    const rowOf = (key: string) => {
      let found = 0;
      title.eachRow((row, number) => {
        if (row.getCell(3).value === key) found = number;
      });
      return found;
    };
    expect(title.getCell(`B${rowOf('exportsVisibility')}`).dataValidation).toMatchObject({
      type: 'list',
      formulae: ['"public,private"'],
    });
    expect(title.getCell(`B${rowOf('importsNilReport')}`).dataValidation).toMatchObject({
      type: 'list',
      formulae: ['"yes,no"'],
    });
    const lists = workbook.getWorksheet('Lists')!;
    expect(lists.getCell('A2').value).toBe('I - Battle tanks');
    expect(lists.getCell('B7').value).toBe('VII(b) - Man-portable air-defence systems (MANPADS)');
  });

  it('gives an empty template that imports as a clear "nothing reported" refusal in every format', async () => {
    for (const format of FORMATS) {
      const parsed = await parse(
        await writeAttReportTemplate({ stateId: 'FRA', stateName: 'France', year: 2024, format }),
        `template.${format}`,
      );
      expect(parsed.report).toBeNull();
      expect(parsed.result.issues.map((issue) => issue.code)).toEqual(['nothing_reported']);
    }
  });

  it('refuses a State code that is not ISO3 and a year no report can cover', async () => {
    await expect(
      writeAttReportTemplate({ stateId: 'France', stateName: 'France', year: 2024, format: 'csv' }),
    ).rejects.toSatisfy(isAppError);
    await expect(
      writeAttReportTemplate({ stateId: 'FRA', stateName: 'France', year: 1990, format: 'csv' }),
    ).rejects.toSatisfy(isAppError);
  });
});

describe('template -> filled -> import', () => {
  it('round-trips an XLSX template filled programmatically with exceljs', async () => {
    const workbook = await loadWorkbook(
      await writeAttReportTemplate({
        stateId: 'FRA',
        stateName: 'France',
        year: 2024,
        format: 'xlsx',
        listRows: 20,
      }),
    );
    fillWorkbook(workbook, {
      title: {
        ...STANDARD_TITLE,
        importsBasis: 'authorised and actual',
        nationalDefinitionExport: 'Exit from customs territory',
      },
      exports: [
        {
          Category: 'VIII - Small arms and light weapons',
          'Sub-category': 'SA2 - Rifles and carbines',
          'Final importing State': 'NOR',
          'Number of items': 120,
          Value: 340000,
          'Description of items': 'Hunting-style rifles',
        },
        {
          Category: 'IV - Combat aircraft',
          'Final importing State': 'aggregated',
          'Number of items': 'withheld',
          Value: 'withheld',
          Comments: 'several States',
        },
      ],
      imports: [
        {
          Category: 'III',
          'Exporting State': 'Germany',
          'Number of items': 6,
          'Authorised or actual': 'actual',
          'State of origin': 'NOR',
          'Intermediate locations': 'CHL; BRA',
        },
      ],
    });
    const parsed = await parse(await saveWorkbook(workbook), 'filled.xlsx');
    expect(parsed.result.quarantined).toEqual([]);
    expect(parsed.report).toMatchObject({
      reportingStateId: 'FRA',
      coveredYear: 2024,
      nationalDefinitions: { export: 'Exit from customs territory', import: null },
      exports: { basis: ['actual'], visibility: 'public' },
      imports: { basis: ['authorised', 'actual'], visibility: 'private' },
    });
    expect(parsed.rows).toEqual<AttReportRow[]>([
      {
        form: 'exports',
        partnerId: 'NOR' as AttReportRow['partnerId'],
        partnerAggregated: false,
        categoryCode: 'VIII',
        subcategoryCode: 'SA2',
        basis: 'actual',
        numberOfItems: 120,
        numberOfItemsMissingReason: null,
        value: '340000',
        currency: 'EUR',
        valueMissingReason: null,
        description: 'Hunting-style rifles',
        comments: null,
        endUser: null,
        endUse: null,
        stateOfOriginId: null,
        intermediateLocationIds: [],
      },
      {
        form: 'exports',
        partnerId: null,
        partnerAggregated: true,
        categoryCode: 'IV',
        subcategoryCode: null,
        basis: 'actual',
        numberOfItems: null,
        numberOfItemsMissingReason: 'withheld',
        value: null,
        currency: null,
        valueMissingReason: 'withheld',
        description: null,
        comments: 'several States',
        endUser: null,
        endUse: null,
        stateOfOriginId: null,
        intermediateLocationIds: [],
      },
      {
        form: 'imports',
        partnerId: 'DEU' as AttReportRow['partnerId'],
        partnerAggregated: false,
        categoryCode: 'III',
        subcategoryCode: null,
        basis: 'actual',
        numberOfItems: 6,
        numberOfItemsMissingReason: null,
        value: null,
        currency: null,
        valueMissingReason: 'not_reported',
        description: null,
        comments: null,
        endUser: null,
        endUse: null,
        stateOfOriginId: 'NOR' as AttReportRow['partnerId'] & string,
        intermediateLocationIds: ['CHL', 'BRA'] as AttReportRow['intermediateLocationIds'],
      },
    ]);
  });

  it('round-trips the hand-written CSV report through writeAttReport in every format', async () => {
    const original = await parse(fixtureBytes('report.csv'), 'report.csv');
    for (const format of FORMATS) {
      const again = await parse(
        await writeAttReport(original.report!, original.rows, format, { stateName: 'France' }),
        `again.${format}`,
      );
      expect(again.result.issues).toEqual([]);
      expect(again.report).toEqual(original.report);
      expect(again.rows).toEqual(original.rows);
    }
  });

  it('writes Transfers back too, without the State of origin and transit the Transfer model cannot hold', async () => {
    const original = await parse(fixtureBytes('report.csv'), 'report.csv');
    const again = await parse(
      await writeAttReport(original.report!, original.result.accepted, 'csv'),
      'transfers.csv',
    );
    expect(again.rows).toEqual(
      original.rows.map((row) => ({ ...row, stateOfOriginId: null, intermediateLocationIds: [] })),
    );
  });

  it('refuses rows for a form the report does not include, and transfers of another State', async () => {
    const original = await parse(fixtureBytes('report.json'), 'report.json');
    const report: AttReport = { ...original.report!, formsIncluded: ['imports'], exports: null };
    await expect(writeAttReport(report, original.rows, 'csv')).rejects.toSatisfy(isAppError);
    const foreign = { ...original.result.accepted[0]!, exporterId: 'DEU' as never };
    expect(() => rowFromTransfer(foreign, original.report!)).toThrow(
      /neither exporter nor importer is the reporting State FRA/,
    );
  });

  it('guards formula-like text in CSV output with an apostrophe the import removes again', async () => {
    const original = await parse(fixtureBytes('report.json'), 'report.json');
    const rows = original.rows.map((row, index) =>
      index === 0 ? { ...row, description: '=HYPERLINK("http://x")', comments: "'=already quoted" } : row,
    );
    const csv = text(await writeAttReport(original.report!, rows, 'csv'));
    expect(csv).toContain(`"'=HYPERLINK(""http://x"")"`);
    expect(csv).toContain(`''=already quoted`);
    const again = await parse(new TextEncoder().encode(csv), 'guarded.csv');
    expect(again.rows[0]).toMatchObject({
      description: '=HYPERLINK("http://x")',
      comments: "'=already quoted",
    });
  });

  it('writes formula-like text into XLSX as a plain string, never as a formula', async () => {
    const original = await parse(fixtureBytes('report.json'), 'report.json');
    const rows = original.rows.map((row, index) =>
      index === 0 ? { ...row, description: '=CMD("calc")' } : row,
    );
    const workbook = await loadWorkbook(await writeAttReport(original.report!, rows, 'xlsx'));
    const cell = workbook.getWorksheet('Exports')!.getCell('G2');
    expect(cell.value).toBe('=CMD("calc")');
    expect(cell.formula).toBeUndefined();
  });
});

describe('writeAttReport -> parseAttReport (property)', () => {
  it('gives back the same report and rows for any valid report, as CSV and JSON', async () => {
    await fc.assert(
      fc.asyncProperty(
        reportWithRowsArbitrary,
        fc.constantFrom<AttReportFileFormat>('csv', 'json'),
        async ({ report, rows }, format) => {
          const again = await parse(await writeAttReport(report, rows, format), `property.${format}`);
          expect(again.result.quarantined).toEqual([]);
          expect(again.report).toEqual(report);
          expect(again.rows).toEqual(rows);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('gives back the same report and rows for any valid report, as XLSX', async () => {
    await fc.assert(
      fc.asyncProperty(reportWithRowsArbitrary, async ({ report, rows }) => {
        const again = await parse(
          await writeAttReport(report, rows, 'xlsx', { listRows: 5 }),
          'property.xlsx',
        );
        expect(again.result.quarantined).toEqual([]);
        expect(again.report).toEqual(report);
        expect(again.rows).toEqual(rows);
      }),
      { numRuns: 25 },
    );
  });
});
