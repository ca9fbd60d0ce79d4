 
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createStateLookup } from '../ingest/framework.js';
import { parseSipriRegister } from '../ingest/sipri/index.js';
import { readReferenceNames } from '../ingest/test-support.js';
import { isoDate } from '../model/dates.js';
import type { EmbargoEpisode } from '../model/embargo.js';
import { DEFAULT_REPORTING_RULES, type ReportingObligation } from '../model/reporting.js';
import { RiskDossierSchema, type DossierIndicator, type RiskDossier } from '../model/screening.js';
import type { State } from '../model/state.js';
import type { TreatyRecord } from '../model/treaty.js';
import { loadCommittedReference } from '../reference/committed.js';
import { screenTransfers } from './embargo-screening.js';
import { reportingObligations } from './reporting-calendar.js';
import { riskDossier, type RiskDossierInput, type ScreenedTransfer } from './risk-dossier.js';
import { releaseFromMetadata } from './treaty-coverage.js';

let states: State[];
let episodes: EmbargoEpisode[];
let records: TreatyRecord[];
beforeAll(async () => {
  const data = await loadCommittedReference();
  states = data.states;
  episodes = data.embargoes;
  records = data.treatyRecords;
});

const base = (destinationId: string, asOf: string, more: Partial<RiskDossierInput> = {}): RiskDossier => {
  const dossier = riskDossier({
    destinationId,
    asOf: isoDate(asOf),
    states,
    episodes,
    treatyRecords: records,
    ...more,
  });
  RiskDossierSchema.parse(dossier);
  return dossier;
};
const find = (d: RiskDossier, indicator: string): DossierIndicator => {
  const found = d.indicators.find((i) => i.indicator === indicator);
  if (!found) throw new Error(`no indicator ${indicator}`);
  return found;
};

/** Verdict words: an indicator never says a State or a transfer violated or breached anything. */
const VERDICT = /\b(violates|violated|breached|is in breach|illegal|unlawful)\b/i;

describe('riskDossier from reference data alone', () => {
  it('reports the UN embargo in force on South Sudan (res. 2428) as a concern under Art. 6(1)', () => {
    const d = base('SSD', '2024-06-30');
    const un = find(d, 'un_arms_embargo_in_force');
    expect(un).toMatchObject({
      article: '6(1)',
      level: 'concern',
      value: 'SSD-2018',
      evidence: ['SSD-2018'],
    });
    expect(un.explanation).toContain(
      'An arms embargo on supplies to South Sudan is in force since 2018-07-13',
    );
    expect(find(d, 'eu_arms_embargo_in_force')).toMatchObject({ article: '6(2)', value: 'EU-SSD-2011' });
    expect(find(d, 'att_membership')).toMatchObject({
      article: '7(1)',
      value: 'not_signed',
      level: 'attention',
    });
  });

  it('says what an exemption for the government means (Libya, LBY-2011b), without a verdict', () => {
    const un = find(base('LBY', '2024-06-30'), 'un_arms_embargo_in_force');
    expect(un.level).toBe('attention');
    expect(un.explanation).toMatch(
      /supplies to and from Libya .* exemptions under conditions .* government's forces/,
    );
  });

  it('reports an embargo on non-State actors only as not covering the government (Iraq since 2004)', () => {
    const un = find(base('IRQ', '2024-06-30'), 'un_arms_embargo_in_force');
    expect(un).toMatchObject({ value: 'IRQ-2004', level: 'attention' });
    expect(un.explanation).toContain('supplies to the government are not covered');
  });

  it('gives no embargo indicator above info for France, a State Party', () => {
    const d = base('FRA', '2024-06-30');
    expect(find(d, 'un_arms_embargo_in_force')).toMatchObject({ level: 'info', value: 0 });
    expect(find(d, 'att_membership')).toMatchObject({ value: 'state_party', level: 'info' });
  });

  it('dates the embargo indicator: South Africa on 1985-06-30 (ZAF-1977) and on 2000-01-01 (none)', () => {
    expect(find(base('ZAF', '1985-06-30'), 'un_arms_embargo_in_force')).toMatchObject({
      value: 'ZAF-1977',
      level: 'concern',
    });
    expect(find(base('ZAF', '2000-01-01'), 'un_arms_embargo_in_force')).toMatchObject({
      value: 0,
      level: 'info',
    });
  });

  it('says an episode of unrecorded end may still be in force (Portugal 1963)', () => {
    const un = find(base('PRT', '1990-01-01'), 'un_arms_embargo_in_force');
    expect(un).toMatchObject({ value: 'PRT-1963', level: 'attention' });
    expect(un.explanation).toContain('may or may not still be in force');
  });

  it('covers a non-State actor through the State where it operates, and says it cannot join', () => {
    const d = base('N-LBY-HOR', '2024-06-30');
    expect(find(d, 'un_arms_embargo_in_force')).toMatchObject({ value: 'LBY-2011b', level: 'concern' });
    expect(find(d, 'att_membership')).toMatchObject({ value: 'cannot_join', level: 'attention' });
    expect(find(d, 'reporting_record').value).toBe('not_applicable');
  });

  it('maps every indicator to an article and marks what it cannot assess (6(3), 7(4)) as not assessed', () => {
    const d = base('SSD', '2024-06-30');
    expect(d.indicators.map((i) => i.article).sort()).toEqual([
      '11',
      '13(3)',
      '6(1)',
      '6(1)',
      '6(2)',
      '6(3)',
      '7(1)',
      '7(4)',
    ]);
    for (const article of ['6(3)', '7(4)'])
      expect(d.indicators.find((i) => i.article === article)).toMatchObject({ value: null, level: 'info' });
    expect(find(d, 'screened_transfers_un').explanation).toContain('Not assessed');
  });
});

describe('reporting record and mirror discrepancies (given as inputs)', () => {
  const obligation = (
    status: ReportingObligation['status'],
    coveredYear: number | null,
  ): ReportingObligation => ({
    stateId: records.find((r) => r.stateId === 'FRA')!.stateId,
    iso3: records.find((r) => r.stateId === 'FRA')!.iso3,
    kind: coveredYear === null ? 'initial' : 'annual',
    article: coveredYear === null ? '13(1)' : '13(3)',
    coveredYear,
    windowOpens: isoDate('2016-01-01'),
    dueDate: isoDate('2016-05-31'),
    graceEndsOn: isoDate('2016-06-07'),
    deadlineTimeZone: 'Europe/Zurich',
    status,
  });

  it('is attention when a report is missing or late, info when deadlines passed without registry data', () => {
    const late = find(
      base('FRA', '2024-06-30', {
        obligations: [obligation('on_time', null), obligation('missing', 2016), obligation('late', 2017)],
      }),
      'reporting_record',
    );
    expect(late).toMatchObject({
      article: '13(3)',
      level: 'attention',
      evidence: ['annual:2016', 'annual:2017'],
    });
    expect(late.explanation).toContain('annual report on 2016');
    const calendar = reportingObligations(records, new Date('2024-06-30T12:00:00Z'), DEFAULT_REPORTING_RULES);
    const fra = find(base('FRA', '2024-06-30', { obligations: calendar }), 'reporting_record');
    expect(fra.level).toBe('info');
    expect(fra.explanation).toContain('whether the report arrived is not recorded here yet');
    expect(find(base('SSD', '2024-06-30', { obligations: calendar }), 'reporting_record').value).toBe(
      'no_obligation',
    );
  });

  it('is attention when mirror records disagree or one side is missing (Art. 11)', () => {
    const d = base('FRA', '2024-06-30', {
      discrepancies: [
        { kind: 'match', reason: 'same items' },
        { kind: 'one-sided', reason: 'importer did not report', id: 'flow-1' },
      ],
    });
    expect(find(d, 'mirror_discrepancies')).toMatchObject({
      article: '11',
      level: 'attention',
      evidence: ['flow-1'],
    });
    expect(find(base('FRA', '2024-06-30'), 'mirror_discrepancies').value).toBeNull();
  });
});

// ------------------------------------------------------------------------------------------------ real SIPRI register

const SHARED_SIPRI = path.resolve(import.meta.dirname, '..', '..', '..', 'shared', 'data', 'sipri');
const present = existsSync(SHARED_SIPRI);
if (!present) console.warn(`SIPRI dossier tests skipped: ${SHARED_SIPRI} is absent`);

describe.skipIf(!present)('dossiers with the screened 2025-release delivery register', () => {
  let screened: ScreenedTransfer[];
  let more: Partial<RiskDossierInput>;
  beforeAll(() => {
    const { aliases, states: names } = readReferenceNames();
    const file = '2025-release-delivery-rows/trade_register.csv';
    const result = parseSipriRegister(readFileSync(path.join(SHARED_SIPRI, file)), {
      fileName: file,
      lookup: createStateLookup(aliases, names),
    });
    screened = screenTransfers(result.accepted, episodes, states).items;
    more = {
      screened,
      period: { from: 2014, to: 2024 },
      release: releaseFromMetadata('sipri', file, result.metadata),
    };
  });

  it('South Sudan: flagged deliveries after res. 2428, with their TIV and SIPRI ids', () => {
    const d = base('SSD', '2024-06-30', more);
    const un = find(d, 'screened_transfers_un');
    expect(un.level).toBe('concern');
    expect(un.value).toMatch(/^3 flag, /);
    expect(un.evidence.every((e) => /^SIPRI \d+ \(20(19|2\d)\): flag \[SSD-2018\]$/.test(e))).toBe(true);
    expect(un.source).toContain('data generated 2026-02-12');
    expect(d.period).toEqual({ from: 2014, to: 2024 });
    console.log(
      `dossier SSD 2024-06-30: ${d.indicators.map((i) => `${i.indicator}=${i.level}`).join(', ')}; ${un.explanation}`,
    );
  });

  it('Libya: deliveries to the government possible, deliveries to the HoR flagged (non-State actors in Libya)', () => {
    const d = base('LBY', '2024-06-30', more);
    const government = find(d, 'screened_transfers_un');
    expect(government.level).toBe('attention');
    expect(government.value).toMatch(/^0 flag, [1-9]\d* possible, 0 inconclusive, 0 clear$/);
    const actors = find(d, 'transfers_to_non_state_actors');
    expect(actors).toMatchObject({ article: '7(1)', level: 'concern' });
    expect(actors.explanation).toContain('House of Representatives and allied forces (eastern Libya)');
    expect(actors.value).toMatch(/^27 flag, 0 possible/);
    console.log(`dossier LBY 2024-06-30: ${actors.explanation}`);
  });

  it('Russia: EU-embargo flags counted under Art. 6(2), apart from the UN ones under Art. 6(1)', () => {
    const d = base('RUS', '2024-06-30', more);
    expect(find(d, 'screened_transfers_eu')).toMatchObject({ article: '6(2)', level: 'concern' });
    expect(find(d, 'screened_transfers_un').evidence.every((e) => e.includes('PRK-2016'))).toBe(true);
  });

  it('France: every indicator info, all transfers clear', () => {
    const d = base('FRA', '2024-06-30', more);
    expect(find(d, 'screened_transfers_un').value).toMatch(/^0 flag, 0 possible, 0 inconclusive, \d+ clear$/);
    expect(d.indicators.every((i) => i.level === 'info')).toBe(true);
  });

  it('never words an indicator as a verdict', () => {
    for (const id of ['SSD', 'LBY', 'RUS', 'CAF', 'N-LBY-HOR', 'N-YEM-HOUTHIS', 'IRN', 'PRK', 'FRA']) {
      const d = base(id, '2024-06-30', more);
      for (const i of d.indicators) expect(i.explanation, `${id} ${i.indicator}`).not.toMatch(VERDICT);
    }
  });
});

describe('riskDossier with transfers that carry no TIV', () => {
  it('says the volume is not available rather than 0 for reported transfers without TIV (missing is not zero)', () => {
    const transfer = {
      exporterId: 'BGR',
      importerId: 'SSD',
      year: 2020,
      deliveryYears: [],
      orderYear: null,
      tivDelivered: null,
    } as unknown as ScreenedTransfer['transfer'];
    const screened = screenTransfers([transfer], episodes, states).items.map((i) => ({ transfer: i.transfer, result: i.result }));
    const d = base('SSD', '2021-01-01', { screened });
    const explanation = find(d, 'screened_transfers_un').explanation;
    // The one transfer and the one flagged have no TIV; an empty subset (none possibly) is a true 0.
    expect(explanation).toMatch(/recorded with deliveries in [^(]*\(TIV not available\): 1 fall within [^(]*\(TIV not available\)/);
  });
});
