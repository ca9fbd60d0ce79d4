import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AttReportRowSchema, AttReportSchema } from '../../model/att-report.js';
import { TransferSchema } from '../../model/transfer.js';
import { isRefused } from '../framework.js';
import { hostileCellArbitrary } from './arbitraries.js';
import { parseAttReport, type ParsedAttReport } from './parse-att-report.js';
import {
  STANDARD_TITLE,
  type SheetValue,
  attFixtureLookup,
  fillWorkbook,
  fixtureBytes,
  loadWorkbook,
  saveWorkbook,
  text,
  utf8,
} from './test-support.js';
import { writeAttReportTemplate } from './write-template.js';

const lookup = attFixtureLookup();

/** What must hold for every file, however broken: accounting, schemas, refusal leaves nothing, every issue located. */
function checkInvariants(parsed: ParsedAttReport, fileName: string): void {
  const { result, report, rows } = parsed;
  expect(result.rowsRead).toBe(result.accepted.length + result.quarantined.length + result.blank);
  expect(rows).toHaveLength(result.accepted.length);
  if (report === null) {
    expect(isRefused(result)).toBe(true);
    expect(result).toMatchObject({ rowsRead: 0, accepted: [], quarantined: [], blank: 0 });
    expect(result.issues.some((issue) => issue.severity === 'error')).toBe(true);
  } else {
    expect(AttReportSchema.safeParse(report).success).toBe(true);
  }
  result.accepted.forEach((transfer, index) => {
    expect(TransferSchema.safeParse(transfer).success).toBe(true);
    expect(AttReportRowSchema.safeParse(rows[index]).success).toBe(true);
    expect(transfer.year).toBe(report!.coveredYear);
    expect([transfer.exporterId, transfer.importerId]).toContain(report!.reportingStateId);
    expect(report![rows[index]!.form]?.nilReport).toBe(false);
  });
  for (const row of result.quarantined)
    expect(row.issues.some((issue) => issue.severity === 'error')).toBe(true);
  for (const issue of result.issues) {
    expect(issue.file).toBe(fileName);
    expect(issue.code).toMatch(/^[a-z_0-9]+$/);
    expect(issue.message.length).toBeGreaterThan(10);
    expect(issue.hint.length).toBeGreaterThan(5);
    expect((issue.value ?? '').length).toBeLessThan(300);
  }
}

/** Edits a text the way a hurried officer, a broken export or an attacker would. */
type TextMutation =
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'duplicateLine'; line: number }
  | { kind: 'swapLines'; a: number; b: number }
  | { kind: 'dropLine'; line: number }
  | { kind: 'replaceCell'; line: number; cell: number; text: string };

const fragment = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom(
    '"',
    '""',
    ',',
    ';',
    '\n',
    '\r\n',
    '[Exports]',
    '[Imports]',
    '[Title]',
    '#',
    '=CMD()',
    '-3',
    'aggregated',
    'withheld',
    'Total',
    '\u0000',
    '\uFEFF',
    '{',
    '}',
    '[',
    ']',
    'null',
    '1e309',
    'x'.repeat(10_001),
  ),
);
const mutation: fc.Arbitrary<TextMutation> = fc.oneof(
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fragment }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ kind: fc.constant('duplicateLine' as const), line: fc.nat() }),
  fc.record({ kind: fc.constant('swapLines' as const), a: fc.nat(), b: fc.nat() }),
  fc.record({ kind: fc.constant('dropLine' as const), line: fc.nat() }),
  fc.record({
    kind: fc.constant('replaceCell' as const),
    line: fc.nat(),
    cell: fc.nat({ max: 14 }),
    text: fragment,
  }),
);

function mutate(source: string, mutations: readonly TextMutation[]): string {
  let text = source;
  for (const m of mutations) {
    const lines = text.split('\n');
    const pick = (n: number) => n % Math.max(lines.length, 1);
    switch (m.kind) {
      case 'insert': {
        const at = m.at % (text.length + 1);
        text = text.slice(0, at) + m.text + text.slice(at);
        break;
      }
      case 'delete': {
        const at = m.at % (text.length + 1);
        text = text.slice(0, at) + text.slice(at + m.length);
        break;
      }
      case 'duplicateLine':
        lines.splice(pick(m.line), 0, lines[pick(m.line)] ?? '');
        text = lines.join('\n');
        break;
      case 'swapLines': {
        const a = pick(m.a);
        const b = pick(m.b);
        [lines[a], lines[b]] = [lines[b] ?? '', lines[a] ?? ''];
        text = lines.join('\n');
        break;
      }
      case 'dropLine':
        lines.splice(pick(m.line), 1);
        text = lines.join('\n');
        break;
      case 'replaceCell': {
        const index = pick(m.line);
        const cells = (lines[index] ?? '').split(',');
        cells[m.cell % Math.max(cells.length, 1)] = m.text;
        lines[index] = cells.join(',');
        text = lines.join('\n');
        break;
      }
    }
  }
  return text;
}

describe('parseAttReport never throws and always accounts for every row (property)', () => {
  it('holds for text mutations of the CSV report', async () => {
    const source = text(fixtureBytes('report.csv'));
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 6 }), async (mutations) => {
        const parsed = await parseAttReport(utf8(mutate(source, mutations)), {
          fileName: 'mutated.csv',
          lookup,
        });
        checkInvariants(parsed, 'mutated.csv');
      }),
      { numRuns: 400 },
    );
  });

  it('holds for text mutations of the JSON report', async () => {
    const source = text(fixtureBytes('report.json'));
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 4 }), async (mutations) => {
        const parsed = await parseAttReport(utf8(mutate(source, mutations)), {
          fileName: 'mutated.json',
          lookup,
        });
        checkInvariants(parsed, 'mutated.json');
      }),
      { numRuns: 300 },
    );
  });

  it('holds for structural mutations of the JSON report (any JSON value anywhere)', async () => {
    const source = JSON.parse(text(fixtureBytes('report.json'))) as Record<string, unknown>;
    const path = fc.array(
      fc.oneof(
        fc.constantFrom(
          'title',
          'exports',
          'imports',
          'format',
          'coveredYear',
          'partner',
          'value',
          'numberOfItems',
          'category',
        ),
        fc.nat({ max: 4 }).map(String),
      ),
      {
        minLength: 1,
        maxLength: 3,
      },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.tuple(
            path,
            fc.oneof(
              fc.jsonValue({ maxDepth: 2 }),
              hostileCellArbitrary.filter((value) => !(value instanceof Date)),
            ),
          ),
          { maxLength: 5 },
        ),
        async (edits) => {
          const document = structuredClone(source);
          for (const [keys, value] of edits) {
            let target: unknown = document;
            for (const key of keys.slice(0, -1))
              target =
                target !== null && typeof target === 'object'
                  ? (target as Record<string, unknown>)[key]
                  : undefined;
            // A copy of the value: fast-check may hand the same object to two edits, and placing it inside itself
            // would make a cyclic document that no JSON file can hold.
            if (target !== null && typeof target === 'object')
              (target as Record<string, unknown>)[keys.at(-1)!] = structuredClone(value);
          }
          const parsed = await parseAttReport(utf8(JSON.stringify(document)), {
            fileName: 'edited.json',
            lookup,
          });
          checkInvariants(parsed, 'edited.json');
        },
      ),
      { numRuns: 300 },
    );
  });

  it('holds for row-level mutations of a filled XLSX template (any cell content, headers and title answers)', async () => {
    const template = await writeAttReportTemplate({
      stateId: 'FRA',
      stateName: 'France',
      year: 2024,
      format: 'xlsx',
      listRows: 5,
    });
    const cellRow = fc.array(hostileCellArbitrary, { minLength: 0, maxLength: 14 });
    const titleKey = fc.constantFrom(
      'reportingStateCode',
      'coveredYear',
      'exportsBasis',
      'exportsNilReport',
      'importsIncluded',
      'exportsVisibility',
      'defaultCurrency',
      'submittedOn',
    );
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          exports: fc.array(cellRow, { maxLength: 5 }),
          imports: fc.array(cellRow, { maxLength: 3 }),
          title: fc.array(fc.tuple(titleKey, hostileCellArbitrary), { maxLength: 2 }),
          header: fc.option(
            fc.tuple(
              fc.nat({ max: 13 }),
              fc.oneof(fc.constant(null), fc.constantFrom('Category', 'Value', 'Quantity', 'Extra')),
            ),
            { nil: undefined },
          ),
        }),
        async ({ exports, imports, title, header }) => {
          const workbook = await loadWorkbook(template);
          fillWorkbook(workbook, {
            title: { ...STANDARD_TITLE, ...(Object.fromEntries(title) as Record<string, SheetValue>) },
          });
          for (const [name, rows] of [
            ['Exports', exports],
            ['Imports', imports],
          ] as const) {
            const sheet = workbook.getWorksheet(name)!;
            rows.forEach((cells, r) =>
              cells.forEach((value, c) => (sheet.getRow(r + 2).getCell(c + 1).value = value as never)),
            );
          }
          if (header)
            workbook
              .getWorksheet('Exports')!
              .getRow(1)
              .getCell(header[0] + 1).value = header[1];
          const parsed = await parseAttReport(await saveWorkbook(workbook), {
            fileName: 'mutated.xlsx',
            lookup,
          });
          checkInvariants(parsed, 'mutated.xlsx');
        },
      ),
      { numRuns: 40 },
    );
  }, 120_000);

  it('holds for random bytes, with or without a ZIP signature', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 400 }), fc.boolean(), async (bytes, zip) => {
        const input = zip ? new Uint8Array([0x50, 0x4b, 0x03, 0x04, ...bytes]) : bytes;
        const parsed = await parseAttReport(input, { fileName: 'random.bin', lookup });
        checkInvariants(parsed, 'random.bin');
      }),
      { numRuns: 300 },
    );
  });
});
