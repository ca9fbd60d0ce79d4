import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isoDate } from '../model/dates.js';
import type { RegistryFormStatus, ReportRegistryEntry } from '../model/report-registry.js';
import { stateId } from '../model/state.js';
import type { Transfer } from '../model/transfer.js';
import { exchangeRateTable, parseExchangeRates } from './exchange-rates.js';
import { SIPRI_UNROCA_MAPPING, mirrorAnalysis, unrocaCategoryOfSipri, type MirrorRow } from './mirror.js';

const RATES = exchangeRateTable(
  parseExchangeRates(
    [
      'year,currency,units_per_usd,usd_per_unit,source,series,confidence,notes',
      '2022,EUR,0.9493,,Federal Reserve G.5A,AEXUSEU,high,',
      '2022,GBP,,1.2371,Federal Reserve G.5A,AEXUSUK,high,',
      '2022,CZK,23.3295,,recalled,ECB,low,',
    ].join('\n'),
  ),
);

let n = 0;
function base(): Transfer {
  return {
    source: 'att-report',
    sourceRecordId: null,
    exporterId: stateId('FRA'),
    importerId: stateId('IND'),
    partnerAggregated: false,
    year: 2022,
    yearMissingReason: null,
    deliveryYears: [],
    orderYear: null,
    categoryScheme: 'unroca',
    categoryCode: 'IV',
    subcategoryCode: null,
    description: null,
    designation: null,
    comments: null,
    basis: 'actual',
    numberOfItems: 12,
    numberOfItemsMissingReason: null,
    numberOrdered: null,
    value: null,
    currency: null,
    valueMissingReason: 'not_reported',
    tivDelivered: null,
    tivPerUnit: null,
    tivTotalOrder: null,
    endUser: null,
    endUse: null,
    status: null,
    localProduction: null,
    uncertain: [],
    provenance: {
      source: 'att-report',
      fileName: 'x.csv',
      fileSha256: 'a'.repeat(64),
      row: 1,
      sheet: 'Exports',
      importRunId: '1',
    },
  };
}

/** A row of the exporter's report (Exports sheet). */
function exported(patch: Partial<Transfer> = {}): MirrorRow {
  n += 1;
  const t = { ...base(), ...patch };
  return {
    id: `x${n}`,
    transfer: {
      ...t,
      provenance: { ...t.provenance, fileName: `${t.exporterId}-${t.year}.csv`, row: n, sheet: 'Exports' },
    },
  };
}

/** A row of the importer's report (Imports sheet). */
function imported(patch: Partial<Transfer> = {}): MirrorRow {
  n += 1;
  const t = { ...base(), ...patch };
  return {
    id: `m${n}`,
    transfer: {
      ...t,
      provenance: { ...t.provenance, fileName: `${t.importerId}-${t.year}.csv`, row: n, sheet: 'Imports' },
    },
  };
}

function sipri(patch: Partial<Transfer> = {}): MirrorRow {
  n += 1;
  const t: Transfer = {
    ...base(),
    source: 'sipri',
    sourceRecordId: `S${n}`,
    categoryScheme: 'sipri',
    categoryCode: 'Aircraft',
    description: 'FGA aircraft',
    designation: 'Rafale',
    basis: 'delivered',
    valueMissingReason: 'not_applicable',
    tivDelivered: '400',
    ...patch,
  };
  return {
    id: `s${n}`,
    transfer: {
      ...t,
      provenance: { ...t.provenance, source: 'sipri', fileName: 'trade_register.csv', row: n, sheet: null },
    },
  };
}

const PUBLIC: RegistryFormStatus = {
  visibility: 'public',
  nil: false,
  withheldCommerciallySensitive: false,
  withheldNationalSecurity: false,
};
function registered(
  state: string,
  year: number,
  exports: RegistryFormStatus | null,
  imports: RegistryFormStatus | null,
): ReportRegistryEntry {
  return {
    id: `r-${state}-${year}`,
    stateId: stateId(state),
    kind: 'annual',
    coveredYear: year,
    submittedOn: isoDate(`${year + 1}-05-30`),
    formsRecorded: true,
    exports,
    imports,
    reportVisibility: null,
    basis: ['actual'],
    origin: 'recorded',
    importRunId: null,
    sourceUrl: null,
    notes: null,
    recordedAt: '2026-01-01T00:00:00Z',
  };
}

const between = (rows: MirrorRow[], registry?: ReportRegistryEntry[]) =>
  mirrorAnalysis({ rows, rates: RATES, ...(registry ? { registry } : {}) }).results.filter(
    (r) => r.comparison === 'exporter_vs_importer',
  );

describe('mirrorAnalysis: exporter against importer', () => {
  it('matches 12 combat aircraft reported by both sides, with the rows behind it', () => {
    const [result, ...rest] = between([exported(), imported()]);
    expect(rest).toEqual([]);
    expect(result).toMatchObject({
      kind: 'match',
      exporterId: 'FRA',
      importerId: 'IND',
      year: 2022,
      category: 'IV',
    });
    expect(result!.left!.rows[0]).toMatchObject({
      source: 'att-report',
      fileName: 'FRA-2022.csv',
      sheet: 'Exports',
    });
    expect(result!.right!.rows[0]).toMatchObject({ fileName: 'IND-2022.csv', sheet: 'Imports' });
    expect(result!.reason).toContain('count: 12 vs 12 items (difference 0, tolerance 0) within tolerance');
  });

  it('counts within 5 % as a match and beyond as a quantity mismatch, stating the tolerance', () => {
    const near = between([exported({ numberOfItems: 1000 }), imported({ numberOfItems: 960 })])[0]!;
    expect(near.kind).toBe('match');
    expect(near.measures[0]).toMatchObject({
      measure: 'count',
      difference: '40',
      tolerance: '50',
      withinTolerance: true,
    });
    const far = between([exported({ numberOfItems: 12 }), imported({ numberOfItems: 10 })])[0]!;
    expect(far.kind).toBe('quantity_mismatch');
    expect(far.measures[0]).toMatchObject({ tolerance: '0', withinTolerance: false });
  });

  it('compares values in one currency: EUR against GBP through USD at the 2022 rates, within 10 %', () => {
    const [result] = between([
      exported({
        numberOfItems: null,
        numberOfItemsMissingReason: 'not_reported',
        value: '949.3',
        currency: 'EUR',
        valueMissingReason: null,
      }),
      imported({
        numberOfItems: null,
        numberOfItemsMissingReason: 'not_reported',
        value: '800',
        currency: 'GBP',
        valueMissingReason: null,
      }),
    ]);
    expect(result!.kind).toBe('match');
    const value = result!.measures.find((m) => m.measure === 'value')!;
    expect(value).toMatchObject({
      left: '1000',
      right: '989.68',
      currency: 'USD',
      difference: '10.32',
      withinTolerance: true,
    });
    expect(value.ratesUsed.map((r) => [r.currency, r.year, r.confidence])).toEqual([
      ['EUR', 2022, 'high'],
      ['GBP', 2022, 'high'],
    ]);
  });

  it('compares values in their own currency when both sides use it, without any rate', () => {
    const v = {
      numberOfItems: null,
      numberOfItemsMissingReason: 'not_reported' as const,
      currency: 'EUR',
      valueMissingReason: null,
      year: 2019,
    };
    const [result] = between([exported({ ...v, value: '100' }), imported({ ...v, value: '150' })]);
    expect(result!.kind).toBe('quantity_mismatch');
    expect(result!.measures[1]).toMatchObject({ currency: 'EUR', ratesUsed: [], tolerance: '15' });
  });

  it('makes a value without a usable rate not comparable, never guessed (CZK 2022 is low confidence)', () => {
    const [result] = between([
      exported({
        numberOfItems: null,
        numberOfItemsMissingReason: 'not_reported',
        value: '1000',
        currency: 'CZK',
        valueMissingReason: null,
      }),
      imported({
        numberOfItems: null,
        numberOfItemsMissingReason: 'not_reported',
        value: '43',
        currency: 'USD',
        valueMissingReason: null,
      }),
    ]);
    expect(result!.kind).toBe('not_comparable');
    expect(result!.reason).toContain('the CZK rate for 2022 has low confidence');
  });

  it('reports a count on one side against a value on the other as value_only_vs_count_only', () => {
    const [result] = between([
      exported(),
      imported({
        numberOfItems: null,
        numberOfItemsMissingReason: 'not_reported',
        value: '90000000',
        currency: 'USD',
        valueMissingReason: null,
      }),
    ]);
    expect(result!.kind).toBe('value_only_vs_count_only');
  });

  it('does not compare authorised exports with actual imports', () => {
    const [result] = between([exported({ basis: 'authorised' }), imported()]);
    expect(result!.kind).toBe('not_comparable');
    expect(result!.reason).toContain(
      'the exporter reports authorised transfers and the importer actual ones',
    );
  });

  it('uses the actual rows where one report gives both authorised and actual figures for a cell', () => {
    const analysis = mirrorAnalysis({
      rows: [exported({ basis: 'authorised', numberOfItems: 30 }), exported(), imported()],
      rates: RATES,
    });
    expect(
      analysis.results.filter((r) => r.comparison === 'exporter_vs_importer').map((r) => r.kind),
    ).toEqual(['match']);
    expect(analysis.excluded.map((e) => e.code)).toEqual(['other_basis_in_cell']);
  });

  it('finds a year shift: the exporter reports 2022, the importer 2023, same aircraft and number', () => {
    const [result, ...rest] = between([exported(), imported({ year: 2023 })]);
    expect(rest).toEqual([]);
    expect(result).toMatchObject({
      kind: 'year_shift',
      year: 2022,
      left: { year: 2022 },
      right: { year: 2023 },
    });
    expect(result!.reason).toContain('(shift +1)');
  });

  it('finds a category mismatch: combat aircraft for the exporter, attack helicopters for the importer', () => {
    const [result, ...rest] = between([exported(), imported({ categoryCode: 'V' })]);
    expect(rest).toEqual([]);
    expect(result).toMatchObject({
      kind: 'category_mismatch',
      category: 'IV',
      left: { category: 'IV' },
      right: { category: 'V' },
    });
  });

  it('keeps one-sided cells apart by what the other State reported: nothing held, a nil report, a private form', () => {
    const rows = [
      exported({ importerId: stateId('IND') }),
      exported({ importerId: stateId('BRA') }),
      exported({ importerId: stateId('CHL') }),
      exported({ importerId: stateId('ARE') }),
    ];
    const registry = [
      registered('BRA', 2022, PUBLIC, { ...PUBLIC, nil: true }),
      registered('CHL', 2022, PUBLIC, { ...PUBLIC, visibility: 'private' }),
      registered('ARE', 2022, PUBLIC, null),
    ];
    const results = between(rows, registry);
    expect(results.map((r) => [r.importerId, r.kind, r.presentIn, r.otherSide])).toEqual([
      ['ARE', 'one_sided', 'exporter_report', 'form_not_included'],
      ['BRA', 'one_sided', 'exporter_report', 'nil_report'],
      ['CHL', 'one_sided', 'exporter_report', 'private'],
      ['IND', 'one_sided', 'exporter_report', 'no_report_held'],
    ]);
    expect(results[1]!.reason).toBe(
      "FRA -> BRA, 2022, category IV is in the exporter's report only; the importer's report for that year is a nil report (nothing to report)",
    );
    expect(between([exported()])[0]!.otherSide).toBe('unknown');
  });

  it('says "reported without this" when the importer reported other imports that year', () => {
    const results = between([exported(), imported({ categoryCode: 'I', numberOfItems: 40 })]);
    expect(results.map((r) => [r.kind, r.category, r.otherSide])).toEqual([
      ['one_sided', 'I', 'reported_without_this'],
      ['one_sided', 'IV', 'reported_without_this'],
    ]);
  });

  it('leaves out aggregated partners and rows without a form, saying why', () => {
    const analysis = mirrorAnalysis({
      rows: [
        exported({ importerId: null, partnerAggregated: true }),
        { id: 'odd', transfer: { ...base(), provenance: { ...base().provenance, sheet: 'Sheet1' } } },
      ],
      rates: RATES,
    });
    expect(analysis.results).toEqual([]);
    expect(analysis.excluded.map((e) => [e.row.id, e.code])).toEqual([
      [expect.any(String), 'aggregated_partner'],
      ['odd', 'unknown_form'],
    ]);
    expect(analysis.stats).toMatchObject({ rowsRead: 2, rowsExcluded: 2, rowsCompared: 0 });
  });
});

describe('mirrorAnalysis: ATT reports against SIPRI', () => {
  const withSipri = (rows: MirrorRow[], registry?: ReportRegistryEntry[]) =>
    mirrorAnalysis({ rows, rates: RATES, ...(registry ? { registry } : {}) }).results.filter(
      (r) => r.comparison !== 'exporter_vs_importer',
    );

  it('compares numbers delivered with the exporter and the importer, never TIV with money', () => {
    const results = withSipri([
      exported({ value: '900000000', currency: 'EUR', valueMissingReason: null }),
      imported({ numberOfItems: 11 }),
      sipri({ uncertain: ['numberOfItems'] }),
    ]);
    expect(results.map((r) => [r.comparison, r.kind])).toEqual([
      ['exporter_vs_sipri', 'match'],
      ['importer_vs_sipri', 'quantity_mismatch'],
    ]);
    expect(results[0]!.measures.map((m) => m.measure)).toEqual(['count']);
    expect(results[0]!.measures[0]!.note).toBe('some numbers are estimates');
    expect(results[0]!.right!.value).toBeNull();
  });

  it('maps SIPRI descriptions to UNROCA categories only where they hold', () => {
    expect(unrocaCategoryOfSipri('Aircraft', 'FGA aircraft').category).toBe('IV');
    expect(unrocaCategoryOfSipri('Armoured vehicles', 'tank').category).toBe('I');
    expect(unrocaCategoryOfSipri('Missiles', 'portable SAM').category).toBe('VII');
    expect(unrocaCategoryOfSipri(null, 'combat helicopter').category).toBe('V');
    expect(unrocaCategoryOfSipri('Aircraft', 'transport helicopter')).toMatchObject({ category: null });
    expect(unrocaCategoryOfSipri('Sensors', 'air-search radar').reason).toBe(
      'SIPRI category "Sensors" has no UNROCA counterpart',
    );
    expect(unrocaCategoryOfSipri('Missiles', 'SAM').reason).toContain('ground-to-air');
    expect(unrocaCategoryOfSipri('Ships', 'FGA aircraft').category).toBeNull();
    // The classic export's abbreviation is the delivery-row export's spelled-out description.
    expect(unrocaCategoryOfSipri(null, 'APC')).toMatchObject({ category: 'II', mapping: { description: 'armoured personnel carrier' } });
    const mapped = SIPRI_UNROCA_MAPPING.filter((m) => m.unroca !== null);
    expect(mapped.every((m) => m.confidence !== null)).toBe(true);
    expect(new Set(SIPRI_UNROCA_MAPPING.map((m) => m.description)).size).toBe(SIPRI_UNROCA_MAPPING.length);
  });

  it('excludes SIPRI rows outside the mapping or without a single delivery year, with the reason', () => {
    const analysis = mirrorAnalysis({
      rows: [
        exported(),
        sipri({ categoryCode: 'Sensors', description: 'fire-control radar' }),
        sipri({ year: null, yearMissingReason: 'aggregated' }),
      ],
      rates: RATES,
    });
    expect(analysis.excluded.map((e) => e.code)).toEqual(['category_not_mapped', 'no_delivery_year']);
  });

  it('does not set authorised exports against SIPRI deliveries', () => {
    const [result] = withSipri([exported({ basis: 'authorised' }), sipri()]);
    expect(result).toMatchObject({ comparison: 'exporter_vs_sipri', kind: 'not_comparable' });
    expect(result!.reason).toContain('an authorisation is not a delivery');
  });

  it('lists a SIPRI delivery as one-sided only against a State that reported that form that year', () => {
    // FRA reported exports for 2022 (a row to IND); nobody reported 2021; IND filed a nil imports form for 2020.
    const results = withSipri(
      [
        exported(),
        sipri(),
        sipri({ importerId: stateId('EGY'), numberOfItems: 6 }),
        sipri({ year: 2021, importerId: stateId('QAT'), numberOfItems: 3, description: 'fighter aircraft' }),
        sipri({
          year: 2020,
          importerId: stateId('IND'),
          exporterId: stateId('RUS'),
          categoryCode: 'Armoured vehicles',
          description: 'tank',
          numberOfItems: 20,
        }),
      ],
      [registered('IND', 2020, null, { ...PUBLIC, nil: true })],
    );
    expect(
      results.map((r) => [r.comparison, r.kind, r.exporterId, r.importerId, r.year, r.otherSide]),
    ).toEqual([
      ['exporter_vs_sipri', 'one_sided', 'FRA', 'EGY', 2022, 'reported_without_this'],
      ['exporter_vs_sipri', 'match', 'FRA', 'IND', 2022, null],
      ['importer_vs_sipri', 'one_sided', 'RUS', 'IND', 2020, 'nil_report'],
    ]);
  });

  it('never sets small arms and light weapons (category VIII) against SIPRI, which does not cover them', () => {
    expect(
      withSipri([exported({ categoryCode: 'VIII', subcategoryCode: 'SA2', numberOfItems: 500 })]),
    ).toEqual([]);
  });

  it('finds a SIPRI delivery a year after the exporter reported it as a year shift', () => {
    const [result] = withSipri([exported(), sipri({ year: 2023 })]);
    expect(result).toMatchObject({
      comparison: 'exporter_vs_sipri',
      kind: 'year_shift',
      right: { year: 2023 },
    });
  });
});

describe('mirrorAnalysis properties', () => {
  it('puts every compared ATT row in exactly one exporter-importer result, and counts every result once', () => {
    const states = ['FRA', 'DEU', 'IND', 'BRA'];
    const rowArb = fc.record({
      side: fc.constantFrom('x', 'm'),
      exporter: fc.constantFrom(...states),
      importer: fc.constantFrom(...states),
      year: fc.integer({ min: 2020, max: 2023 }),
      category: fc.constantFrom('I', 'II', 'IV', 'VIII'),
      basis: fc.constantFrom('actual' as const, 'authorised' as const),
      count: fc.option(fc.integer({ min: 0, max: 50 }), { nil: null }),
      value: fc.option(fc.constantFrom('100', '250.5', '1000'), { nil: null }),
      currency: fc.constantFrom('EUR', 'GBP', 'CZK', 'USD', 'SEK'),
      aggregated: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(rowArb, { maxLength: 25 }), (specs) => {
        const rows = specs
          .filter((s) => s.exporter !== s.importer)
          .map((s) => {
            const patch: Partial<Transfer> = {
              exporterId: stateId(s.exporter),
              importerId: s.aggregated && s.side === 'x' ? null : stateId(s.importer),
              partnerAggregated: s.aggregated && s.side === 'x',
              year: s.year,
              categoryCode: s.category,
              basis: s.basis,
              numberOfItems: s.count,
              numberOfItemsMissingReason: s.count === null ? 'not_reported' : null,
              value: s.value,
              currency: s.value === null ? null : s.currency,
              valueMissingReason: s.value === null ? 'not_reported' : null,
            };
            return s.side === 'x' ? exported(patch) : imported(patch);
          });
        const analysis = mirrorAnalysis({ rows, rates: RATES });
        const excluded = new Set(analysis.excluded.map((e) => e.row.id));
        const seen = new Map<string, number>();
        for (const result of analysis.results.filter((r) => r.comparison === 'exporter_vs_importer'))
          for (const ref of [...(result.left?.rows ?? []), ...(result.right?.rows ?? [])])
            seen.set(ref.id, (seen.get(ref.id) ?? 0) + 1);
        for (const row of rows) expect(excluded.has(row.id) ? 0 : 1).toBe(seen.get(row.id) ?? 0);
        const total = Object.values(analysis.counts).reduce(
          (sum, byKind) => sum + Object.values(byKind).reduce((a, b) => a + b, 0),
          0,
        );
        expect(total).toBe(analysis.results.length);
        for (const result of analysis.results) {
          expect(result.reason.length).toBeGreaterThan(0);
          if (result.kind === 'one_sided') expect(result.otherSide).not.toBeNull();
          else expect(result.left !== null && result.right !== null).toBe(true);
        }
      }),
      { numRuns: 200 },
    );
  });
});
