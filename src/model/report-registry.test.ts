import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AttReport } from './att-report.js';
import { isoDate } from './dates.js';
import {
  ReportRegistryEntrySchema,
  parseSubmissionLog,
  registryEntryFromAttReport,
  type ReportRegistryEntry,
  type SubmissionLogContext,
} from './report-registry.js';
import { stateId, type StateId } from './state.js';

const report = (overrides: Partial<AttReport> = {}): AttReport => ({
  reportingStateId: stateId('FRA'),
  coveredYear: 2022,
  nationalDefinitions: { export: null, import: null },
  formsIncluded: ['exports', 'imports'],
  exports: {
    basis: ['actual'],
    visibility: 'public',
    nilReport: false,
    withheldCommerciallySensitive: true,
    withheldNationalSecurity: false,
  },
  imports: {
    basis: ['authorised'],
    visibility: 'private',
    nilReport: true,
    withheldCommerciallySensitive: false,
    withheldNationalSecurity: false,
  },
  defaultCurrency: 'EUR',
  submittedOn: isoDate('2023-05-30'),
  ...overrides,
});

const NAMES: Record<string, string> = {
  france: 'FRA',
  fra: 'FRA',
  germany: 'DEU',
  deu: 'DEU',
  'soviet union': 'H-SUN',
};
const context: SubmissionLogContext = {
  resolveState: (text) => (NAMES[text.trim().toLowerCase()] ?? null) as StateId | null,
  recordedAt: '2026-02-03T10:00:00Z',
  fileName: 'log.csv',
};
const HEADER = 'state,kind,covered_year,submitted_on,exports,imports,source_url,notes';

describe('registryEntryFromAttReport', () => {
  it('makes one annual entry from an imported report, with each form, its visibility, nil report and withheld flags', () => {
    const entry = registryEntryFromAttReport(report(), 17, { recordedAt: new Date('2026-02-03T10:00:00Z') });
    expect(entry).toEqual({
      id: 'att-report-import:17:FRA:annual:2022',
      stateId: 'FRA',
      kind: 'annual',
      coveredYear: 2022,
      submittedOn: '2023-05-30',
      formsRecorded: true,
      exports: {
        visibility: 'public',
        nil: false,
        withheldCommerciallySensitive: true,
        withheldNationalSecurity: false,
      },
      imports: {
        visibility: 'private',
        nil: true,
        withheldCommerciallySensitive: false,
        withheldNationalSecurity: false,
      },
      reportVisibility: null,
      basis: ['authorised', 'actual'],
      origin: 'att-report-import',
      importRunId: 17,
      sourceUrl: null,
      notes: null,
      recordedAt: '2026-02-03T10:00:00.000Z',
    });
  });

  it('leaves the submission date unknown when the title page gives none, and a form left out is null', () => {
    const entry = registryEntryFromAttReport(
      report({ submittedOn: undefined, formsIncluded: ['exports'], imports: null }),
      null,
      { recordedAt: '2026-02-03T10:00:00Z', kind: 'update' },
    );
    expect(entry.submittedOn).toBeNull();
    expect(entry.imports).toBeNull();
    expect(entry.kind).toBe('update');
    expect(entry.id).toBe('att-report-import:unstored:FRA:update:2022');
  });

  it('gives the same id when the same report is imported again in the same run', () => {
    const a = registryEntryFromAttReport(report(), 3, { recordedAt: '2026-01-01T00:00:00Z' });
    const b = registryEntryFromAttReport(report(), 3, { recordedAt: '2026-02-01T00:00:00Z' });
    expect(a.id).toBe(b.id);
  });
});

describe('ReportRegistryEntrySchema', () => {
  const valid = registryEntryFromAttReport(report(), 1, { recordedAt: '2026-02-03T10:00:00Z' });
  const rejects = (patch: Partial<ReportRegistryEntry>) =>
    expect(ReportRegistryEntrySchema.safeParse({ ...valid, ...patch }).success).toBe(false);

  it('refuses an annual report without a covered year and an initial report with forms', () => {
    rejects({ coveredYear: null });
    rejects({ kind: 'initial' });
    rejects({ kind: 'initial', coveredYear: null });
    expect(
      ReportRegistryEntrySchema.safeParse({
        ...valid,
        kind: 'initial',
        coveredYear: null,
        exports: null,
        imports: null,
      }).success,
    ).toBe(true);
  });

  it('refuses forms under formsRecorded false, a whole-report visibility on an annual report, and a non-State', () => {
    rejects({ formsRecorded: false });
    rejects({ reportVisibility: 'public' });
    rejects({ stateId: stateId('H-SUN') });
  });
});

describe('parseSubmissionLog', () => {
  it('reads public, private, nil and not-included forms, per form', () => {
    const result = parseSubmissionLog(
      [
        HEADER,
        'FRA,annual,2022,2023-05-30,public,private,https://thearmstradetreaty.org/x,',
        'Germany,annual,2022,2023-06-05,public nil,not included,,late by five days',
        'fra,initial,,2015-12-01,,,,',
      ].join('\n'),
      context,
    );
    expect(result.issues).toEqual([]);
    expect(
      result.entries.map((e) => [
        e.id,
        e.exports?.visibility ?? null,
        e.exports?.nil ?? null,
        e.imports?.visibility ?? null,
      ]),
    ).toEqual([
      ['submission-log:FRA:annual:2022:2023-05-30', 'public', false, 'private'],
      ['submission-log:DEU:annual:2022:2023-06-05', 'public', true, null],
      ['submission-log:FRA:initial:initial:2015-12-01', null, null, null],
    ]);
    expect(result.entries[0]!.exports?.withheldCommerciallySensitive).toBeNull();
    expect(result.entries[1]!.notes).toBe('late by five days');
    expect(result.entries[2]!.formsRecorded).toBe(true);
  });

  it('records a row that says only "submitted" as forms not recorded, never as forms not included', () => {
    const { entries } = parseSubmissionLog(`${HEADER}\nFRA,annual,2021,2022-05-20,,,,`, context);
    expect(entries[0]).toMatchObject({ formsRecorded: false, exports: null, imports: null });
  });

  it('records a nil report of unstated visibility as private, with a warning', () => {
    const { entries, issues } = parseSubmissionLog(
      `${HEADER}\nFRA,annual,2021,2022-05-20,nil,nil,,`,
      context,
    );
    expect(entries[0]!.exports).toMatchObject({ visibility: 'private', nil: true });
    expect(issues.map((i) => [i.code, i.severity])).toEqual([
      ['missing_visibility', 'warning'],
      ['missing_visibility', 'warning'],
    ]);
  });

  it('quarantines a row naming an unknown State, a non-State, a day-month date or an unknown form word, and says where', () => {
    const result = parseSubmissionLog(
      [
        HEADER,
        'Atlantis,annual,2022,2023-05-30,public,public,,',
        'Soviet Union,annual,2022,2023-05-30,public,public,,',
        'FRA,annual,2022,30/05/2023,public,public,,',
        'FRA,annual,2022,2023-05-30,secret,public,,',
        '',
        'DEU,annual,2022,2023-05-30,public,public,,',
      ].join('\n'),
      context,
    );
    expect(result.issues.map((i) => [i.row, i.column, i.code])).toEqual([
      [2, 'state', 'unknown_state'],
      [3, 'state', 'not_a_state'],
      [4, 'submitted_on', 'not_a_date'],
      [5, 'exports', 'unknown_form_status'],
    ]);
    expect(result.issues[0]!.message).toBe('row 2, column "state": "Atlantis" is not a known State');
    expect(result.entries.map((e) => e.stateId)).toEqual(['DEU']);
    expect(result.rowsRead).toBe(result.entries.length + result.quarantined + result.blank);
    expect([result.rowsRead, result.quarantined, result.blank]).toEqual([6, 4, 1]);
  });

  it('refuses an annual report without a year, an initial report with one, and a report with neither form', () => {
    const result = parseSubmissionLog(
      [
        HEADER,
        'FRA,annual,,2023-05-30,public,public,,',
        'FRA,initial,2022,2015-05-30,,,,',
        'FRA,annual,2022,2023-05-30,not included,not included,,',
      ].join('\n'),
      context,
    );
    expect(result.issues.map((i) => i.code)).toEqual([
      'missing_year',
      'year_on_initial_report',
      'nothing_included',
    ]);
    expect(result.entries).toEqual([]);
  });

  it('keeps the first of two rows for the same report and flags the second', () => {
    const row = 'FRA,annual,2022,2023-05-30,public,public,,';
    const result = parseSubmissionLog([HEADER, row, row].join('\n'), context);
    expect(result.entries).toHaveLength(1);
    expect(result.issues.map((i) => [i.row, i.code])).toEqual([[3, 'duplicate_report']]);
  });

  it('refuses a file without a required column, naming it, and warns of unknown columns', () => {
    const missing = parseSubmissionLog('state,kind,covered_year\nFRA,annual,2022', context);
    expect(missing.entries).toEqual([]);
    expect(missing.issues.map((i) => i.code)).toContain('missing_column');
    expect(missing.issues[0]!.message).toBe('log.csv has no column "submitted_on"');
    const extra = parseSubmissionLog(
      `${HEADER},reviewer\nFRA,annual,2022,2023-05-30,public,public,,,Ann`,
      context,
    );
    expect(extra.entries).toHaveLength(1);
    expect(extra.issues.map((i) => [i.code, i.severity])).toEqual([['unknown_column', 'warning']]);
  });

  it('reads the optional basis and withheld columns', () => {
    const { entries, issues } = parseSubmissionLog(
      `${HEADER},basis,exports_withheld,imports_withheld\nFRA,annual,2022,2023-05-30,public,public,,,both,commercially sensitive,none`,
      context,
    );
    expect(issues).toEqual([]);
    expect(entries[0]).toMatchObject({
      basis: ['authorised', 'actual'],
      exports: { withheldCommerciallySensitive: true, withheldNationalSecurity: false },
      imports: { withheldCommerciallySensitive: false, withheldNationalSecurity: false },
    });
  });

  it('never throws and always accounts for every row, whatever the cells hold', () => {
    const cell = fc.oneof(
      fc.constantFrom(
        '',
        'FRA',
        'annual',
        'initial',
        'update',
        '2022',
        '2023-05-30',
        'public',
        'private nil',
        'not included',
        'x',
        '"',
        ',',
      ),
      fc.string({ maxLength: 8 }),
    );
    fc.assert(
      fc.property(fc.array(fc.array(cell, { minLength: 0, maxLength: 9 }), { maxLength: 12 }), (rows) => {
        const text = [HEADER, ...rows.map((r) => r.map((c) => `"${c.replace(/"/g, '""')}"`).join(','))].join(
          '\n',
        );
        const result = parseSubmissionLog(text, context);
        expect(result.rowsRead).toBe(result.entries.length + result.quarantined + result.blank);
        for (const entry of result.entries)
          expect(ReportRegistryEntrySchema.safeParse(entry).success).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});
