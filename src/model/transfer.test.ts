import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isValidTransfer, TransferSchema } from './transfer.js';

/** A valid transfer; the property below damages copies of it one field at a time, and sometimes several. */
function valid(): Record<string, unknown> {
  return {
    source: 'sipri',
    sourceRecordId: '55238',
    exporterId: 'ALB',
    importerId: 'BFA',
    partnerAggregated: false,
    year: 2011,
    yearMissingReason: null,
    deliveryYears: [2011],
    orderYear: 2011,
    categoryScheme: 'sipri',
    categoryCode: 'Artillery',
    subcategoryCode: null,
    description: 'mortar',
    designation: 'PM-43 120mm',
    comments: null,
    basis: 'delivered',
    numberOfItems: 12,
    numberOfItemsMissingReason: null,
    numberOrdered: null,
    value: null,
    currency: null,
    valueMissingReason: 'not_applicable',
    tivDelivered: '1.2',
    tivPerUnit: '0.1',
    tivTotalOrder: null,
    endUser: null,
    endUse: null,
    status: 'Second hand',
    localProduction: false,
    uncertain: ['orderYear'],
    provenance: {
      source: 'sipri',
      fileName: 'trade_register.csv',
      fileSha256: 'de974d8302efdeaad98d0b5a7d0ef020a3e5d1929b6406423cfe2ee2bad51868',
      row: 13,
      sheet: null,
      importRunId: null,
    },
  };
}

const FIELDS = Object.keys(valid());
const PROVENANCE_FIELDS = Object.keys(valid()['provenance'] as object);

/** Values near and past the edges of what the schema allows, of every JS type. */
const awkward: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    null,
    undefined,
    '',
    ' ',
    'sipri',
    'national:fra',
    'national:FRA',
    'FRA',
    'fra',
    'H-SUN',
    'N-LBY-HOR',
    'IO-NATO',
    'UNKNOWN',
    'EUR',
    'eur',
    '12.5',
    '-3',
    '1e3',
    '.5',
    '12.',
    '0',
    'delivered',
    'aggregated',
    'unroca',
    'a'.repeat(64),
    'A'.repeat(64),
    0,
    -0,
    -1,
    1,
    1899,
    1900,
    2100,
    2101,
    1.5,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    Number.MAX_SAFE_INTEGER,
    Number.MAX_SAFE_INTEGER + 1,
    true,
    false,
    [],
    [2011],
    [2011, 2012.5],
    ['year'],
    [1, 'x'],
    {},
    new Date(0),
  ),
  fc.string(),
  fc.integer(),
  fc.double(),
  fc.array(fc.oneof(fc.integer(), fc.string()), { maxLength: 3 }),
);

type Damage =
  | { kind: 'set'; field: string; value: unknown }
  | { kind: 'setProvenance'; field: string; value: unknown }
  | { kind: 'delete'; field: string }
  | { kind: 'extra'; field: string; value: unknown };

const damage: fc.Arbitrary<Damage> = fc.oneof(
  {
    arbitrary: fc.record({
      kind: fc.constant('set' as const),
      field: fc.constantFrom(...FIELDS),
      value: awkward,
    }),
    weight: 6,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('setProvenance' as const),
      field: fc.constantFrom(...PROVENANCE_FIELDS),
      value: awkward,
    }),
    weight: 3,
  },
  {
    arbitrary: fc.record({ kind: fc.constant('delete' as const), field: fc.constantFrom(...FIELDS) }),
    weight: 1,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('extra' as const),
      field: fc.string({ minLength: 1 }),
      value: awkward,
    }),
    weight: 1,
  },
);

function damaged(damages: readonly Damage[]): Record<string, unknown> {
  const value = valid();
  const provenance = { ...(value['provenance'] as Record<string, unknown>) };
  value['provenance'] = provenance;
  for (const d of damages) {
    if (d.kind === 'set') value[d.field] = d.value;
    else if (d.kind === 'setProvenance') provenance[d.field] = d.value;
    else if (d.kind === 'delete') delete value[d.field];
    else value[d.field] = d.value;
  }
  return value;
}

describe('the quick transfer check', () => {
  it('accepts a valid transfer, as the schema does', () => {
    expect(isValidTransfer(valid())).toBe(true);
    expect(TransferSchema.safeParse(valid()).success).toBe(true);
  });

  it('never accepts what the schema refuses, and what it accepts the schema returns unchanged', () => {
    fc.assert(
      fc.property(fc.array(damage, { minLength: 1, maxLength: 3 }), (damages) => {
        const value = damaged(damages);
        if (!isValidTransfer(value)) return;
        const parsed = TransferSchema.safeParse(value);
        expect(parsed.success).toBe(true);
        expect(parsed.data).toStrictEqual(value);
      }),
      { numRuns: 5000 },
    );
  });

  it('agrees with the schema on the usual variations of a valid transfer', () => {
    // The check is only worth having if it passes the rows parsers make: nulls where allowed, other sources and ids.
    const variations: Record<string, unknown>[] = [
      { importerId: null, year: null, yearMissingReason: 'aggregated', deliveryYears: [2016, 2017] },
      {
        source: 'national:gbr',
        exporterId: 'GBR',
        importerId: 'N-LBY-HOR',
        value: '-12.50',
        currency: 'GBP',
      },
      {
        exporterId: 'H-SUN',
        importerId: 'IO-NATO',
        numberOfItems: 0,
        numberOrdered: 5,
        localProduction: null,
      },
      { tivDelivered: null, tivPerUnit: null, uncertain: [], categoryScheme: 'unroca', basis: 'actual' },
    ];
    for (const patch of variations) {
      const value = { ...valid(), ...patch };
      expect(TransferSchema.safeParse(value).success).toBe(true);
      expect(isValidTransfer(value)).toBe(true);
    }
  });

  it('refuses lookalikes the schema would change or refuse: extra keys, class instances, unsafe integers', () => {
    expect(isValidTransfer({ ...valid(), extra: 1 })).toBe(false);
    expect(isValidTransfer({ ...valid(), numberOfItems: Number.MAX_SAFE_INTEGER + 1 })).toBe(false);
    expect(isValidTransfer({ ...valid(), year: 2101 })).toBe(false);
    expect(
      isValidTransfer({ ...valid(), provenance: { ...(valid()['provenance'] as object), row: 0 } }),
    ).toBe(false);
    class Row {}
    expect(isValidTransfer(Object.assign(new Row(), valid()))).toBe(false);
    expect(isValidTransfer(null)).toBe(false);
    expect(isValidTransfer([])).toBe(false);
  });
});
