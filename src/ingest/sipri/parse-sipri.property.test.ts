import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { IngestResult } from '../../model/ingest.js';
import { TransferSchema } from '../../model/transfer.js';
import { assertRowAccounting, isRefused } from '../framework.js';
import { fixtureBytes, fixtureStateLookup } from '../test-support.js';
import { parseSipriRegister } from './parse-sipri.js';
import { parseSipriTivTable } from './tiv-table.js';

/**
 * Damaged files: whatever happens to a fixture's bytes, parsing never throws, every row read is accounted for,
 * every quarantined row says why, and accepted rows are valid Transfers.
 */

type Mutation =
  | { kind: 'drop'; at: number }
  | { kind: 'duplicate'; at: number }
  | { kind: 'swap'; at: number; with: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'flip'; at: number; byte: number }
  | { kind: 'garbageCell'; at: number; position: number; text: string }
  | { kind: 'garbageBytes'; at: number; bytes: Uint8Array };

const garbageText = fc.string({
  unit: fc.oneof(
    fc.constantFrom(
      ',',
      ';',
      '"',
      '\n',
      '\r\n',
      '?',
      '-',
      '0',
      '=CMD()',
      ' ',
      '\u0000',
      '\u00e7',
      'Chile',
      '2019',
      '-5',
      '1e9',
      '9999',
    ),
    fc.string({ maxLength: 3 }),
  ),
  maxLength: 12,
});

/** A line index, mostly among the data lines (the fixtures' headers are on line 10 or 12). */
const lineIndex = fc.oneof(
  { arbitrary: fc.integer({ min: 12, max: 20 }), weight: 3 },
  { arbitrary: fc.nat(), weight: 1 },
);

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('drop' as const), at: lineIndex }),
  fc.record({ kind: fc.constant('duplicate' as const), at: lineIndex }),
  fc.record({ kind: fc.constant('swap' as const), at: lineIndex, with: lineIndex }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({
    kind: fc.constant('garbageCell' as const),
    at: lineIndex,
    position: fc.nat(),
    text: garbageText,
  }),
  fc.record({
    kind: fc.constant('garbageBytes' as const),
    at: fc.nat(),
    bytes: fc.uint8Array({ minLength: 1, maxLength: 16 }),
  }),
);

function splitLines(bytes: Uint8Array): Uint8Array[] {
  const lines: Uint8Array[] = [];
  let start = 0;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] === 0x0a) {
      lines.push(bytes.subarray(start, i + 1));
      start = i + 1;
    }
  }
  if (start < bytes.length) lines.push(bytes.subarray(start));
  return lines;
}

const concat = (parts: Uint8Array[]) => new Uint8Array(Buffer.concat(parts));

function apply(bytes: Uint8Array, m: Mutation): Uint8Array {
  const lines = splitLines(bytes);
  if (bytes.length === 0) return bytes;
  const line = lines.length === 0 ? 0 : m.at % lines.length;
  switch (m.kind) {
    case 'drop':
      return concat(lines.filter((_, i) => i !== line));
    case 'duplicate':
      return concat(lines.flatMap((l, i) => (i === line ? [l, l] : [l])));
    case 'swap': {
      const other = m.with % lines.length;
      const copy = lines.slice();
      [copy[line], copy[other]] = [copy[other]!, copy[line]!];
      return concat(copy);
    }
    case 'truncate':
      return bytes.subarray(0, m.at % bytes.length);
    case 'flip': {
      const copy = bytes.slice();
      copy[m.at % copy.length] = m.byte;
      return copy;
    }
    case 'garbageCell': {
      const target = lines[line]!;
      const commas = [...target.keys()].filter((i) => target[i] === 0x2c);
      const cut = commas.length === 0 ? 0 : commas[m.position % commas.length]! + 1;
      const inserted = concat([
        target.subarray(0, cut),
        new TextEncoder().encode(`${m.text},`),
        target.subarray(cut),
      ]);
      return concat(lines.map((l, i) => (i === line ? inserted : l)));
    }
    case 'garbageBytes': {
      const at = m.at % (bytes.length + 1);
      return concat([bytes.subarray(0, at), m.bytes, bytes.subarray(at)]);
    }
  }
}

function checkInvariants(result: IngestResult<unknown>): void {
  expect(() => assertRowAccounting(result)).not.toThrow();
  expect(result.rowsRead).toBe(result.accepted.length + result.quarantined.length + result.blank);
  for (const row of result.quarantined)
    expect(row.issues.some((issue) => issue.severity === 'error')).toBe(true);
  for (const issue of result.issues) {
    expect(issue.code).toMatch(/^[a-z_]+$/);
    expect(issue.hint.length).toBeGreaterThan(0);
  }
  if (isRefused(result)) {
    expect(result.rowsRead).toBe(0);
    expect(result.issues.some((issue) => issue.row === null && issue.severity === 'error')).toBe(true);
  }
}

const lookup = fixtureStateLookup();
const RUNS = 300;

describe('parseSipriRegister on damaged files', () => {
  for (const name of [
    'delivery-rows.csv',
    'deal-rows-latin1.csv',
    'deal-rows-renamed.csv',
    'bad-values.csv',
  ]) {
    it(`never throws and accounts for every row of a mutated ${name}`, () => {
      const original = fixtureBytes(name);
      fc.assert(
        fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), (mutations) => {
          const bytes = mutations.reduce(apply, original);
          const result = parseSipriRegister(bytes, { fileName: name, lookup });
          checkInvariants(result);
          for (const transfer of result.accepted)
            expect(TransferSchema.safeParse(transfer).success).toBe(true);
        }),
        { numRuns: RUNS },
      );
    });
  }
});

describe('parseSipriTivTable on damaged files', () => {
  it('never throws and accounts for every line of a mutated TIV table', () => {
    const original = fixtureBytes('tiv-table.csv');
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), (mutations) => {
        checkInvariants(
          parseSipriTivTable(mutations.reduce(apply, original), { fileName: 'tiv-table.csv', lookup }),
        );
      }),
      { numRuns: RUNS },
    );
  });
});
