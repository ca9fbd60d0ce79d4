import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NationalRecordSchema } from '../../model/national.js';
import { isRefused } from '../framework.js';
import { parseNationalFile, type NationalKind } from './index.js';
import { expectSound, fixtureBytes, fixtureLookups } from './test-support.js';

/**
 * Damaged files: whatever happens to a fixture's bytes, parsing never throws, every row read is accepted, quarantined
 * or blank, every quarantined row says why, and accepted records pass their schema.
 */

type Mutation =
  | { kind: 'drop' | 'duplicate'; at: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'flip'; at: number; byte: number }
  | { kind: 'insert'; at: number; text: string };

const garbage = fc.string({
  unit: fc.oneof(
    fc.constantFrom(
      ',',
      ';',
      '"',
      '\n',
      '\r\n',
      "[u'",
      '-',
      '0',
      '-7',
      ' ',
      '\u0000',
      '\u00e9',
      'ML',
      'PL5017',
      '2010',
      '1850',
      'NL',
      'Atlantis',
      'issued',
      'N/A',
    ),
    fc.string({ maxLength: 3 }),
  ),
  maxLength: 10,
});

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constantFrom('drop' as const, 'duplicate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: garbage }),
);

const concat = (parts: Uint8Array[]) => new Uint8Array(Buffer.concat(parts));

function lines(bytes: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  let start = 0;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] === 0x0a) {
      out.push(bytes.subarray(start, i + 1));
      start = i + 1;
    }
  }
  if (start < bytes.length) out.push(bytes.subarray(start));
  return out;
}

function apply(bytes: Uint8Array, m: Mutation): Uint8Array {
  if (bytes.length === 0) return bytes;
  const all = lines(bytes);
  const line = m.at % Math.max(all.length, 1);
  switch (m.kind) {
    case 'drop':
      return concat(all.filter((_, i) => i !== line));
    case 'duplicate':
      return concat(all.flatMap((l, i) => (i === line ? [l, l] : [l])));
    case 'truncate':
      return bytes.subarray(0, m.at % bytes.length);
    case 'flip': {
      const copy = bytes.slice();
      copy[m.at % copy.length] = m.byte;
      return copy;
    }
    case 'insert': {
      const at = m.at % (bytes.length + 1);
      return concat([bytes.subarray(0, at), new TextEncoder().encode(m.text), bytes.subarray(at)]);
    }
  }
}

const lookups = fixtureLookups();
const FIXTURES: [string, NationalKind][] = [
  ['eu-broker.csv', 'eu-coarm-broker'],
  ['eu-mission.csv', 'eu-coarm-mission'],
  ['eu-consult.csv', 'eu-coarm-consult'],
  ['uk-ratings.csv', 'uk-ratings'],
  ['uk-refusal-criteria.csv', 'uk-refusal-criteria'],
  ['uk-footnotes.csv', 'uk-footnotes-region'],
];

describe('damaged national CSV files', () => {
  for (const [file, kind] of FIXTURES) {
    it(`never throws and always accounts for every row of a mutated ${file}`, async () => {
      const original = fixtureBytes(file);
      await fc.assert(
        fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 4 }), async (mutations) => {
          const bytes = mutations.reduce(apply, original);
          const result = await parseNationalFile(bytes, {
            fileName: file,
            kind,
            ...lookups,
            limits: { maxCellChars: 500 },
          });
          expectSound(result);
          for (const record of result.accepted) expect(NationalRecordSchema.parse(record)).toEqual(record);
          for (const issue of result.issues) {
            expect(issue.code).toMatch(/^[a-z_]+$/);
            expect(issue.hint.length).toBeGreaterThan(0);
          }
          if (isRefused(result))
            expect(result.rowsRead + result.accepted.length + result.quarantined.length).toBe(0);
        }),
        { numRuns: 150 },
      );
    });
  }
});

describe('damaged SaferGlobe workbooks', () => {
  it('never throws and always accounts for every row when bytes are flipped, cut or inserted', async () => {
    const { buildFiWorkbook } = await import('../../../test/fixtures/national/fi-workbook.js');
    const original = await buildFiWorkbook();
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 3 }), async (mutations) => {
        const bytes = mutations.reduce(apply, original);
        const result = await parseNationalFile(bytes, {
          fileName: 'f.xlsx',
          kind: 'fi-saferglobe',
          ...lookups,
        });
        expectSound(result);
      }),
      { numRuns: 40 },
    );
  });
});
