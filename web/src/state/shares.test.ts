import { describe, expect, it } from 'vitest';
import type { ComplianceRate, CoverageParty, CoverageSide } from '../api/data.js';
import { coveragePeriod, latestRate, restOf } from './shares.js';

const party = (stateId: string, tiv: number, bucket: string): CoverageParty => ({
  rank: null,
  stateId,
  name: stateId,
  kind: bucket === 'not_a_state' ? 'non_state_actor' : 'state',
  tiv,
  sharePercent: 0,
  status: bucket,
  bucket,
});

describe('the rest of a chart of shares', () => {
  const side: CoverageSide = {
    totalTiv: 200,
    buckets: [
      { bucket: 'state_party', tiv: 120, sharePercent: 60, parties: 3 },
      { bucket: 'not_signed', tiv: 70, sharePercent: 35, parties: 2 },
      { bucket: 'not_a_state', tiv: 10, sharePercent: 5, parties: 1 },
    ],
    top: [],
  };

  it('counts the States and other parties not listed, with their TIV and share', () => {
    const listed = [party('USA', 100, 'state_party'), party('RUS', 50, 'not_signed')];
    expect(restOf(side, listed)).toEqual({ states: 3, others: 1, tiv: 50, sharePercent: 25 });
  });

  it('is null when every party is listed', () => {
    const listed = [
      party('A', 40, 'state_party'),
      party('B', 40, 'state_party'),
      party('C', 40, 'state_party'),
      party('D', 35, 'not_signed'),
      party('E', 35, 'not_signed'),
      party('N', 10, 'not_a_state'),
    ];
    expect(restOf(side, listed)).toBeNull();
  });
});

describe('coverage period and reporting rate', () => {
  it('takes the five full years before the date', () => {
    expect(coveragePeriod('2015-08-24')).toEqual({ from: 2010, to: 2014 });
  });

  it('picks the latest covered year whose deadline has passed for most States', () => {
    const rate = (coveredYear: number, pending: number): ComplianceRate => ({
      kind: 'annual',
      coveredYear,
      groupBy: 'all',
      group: 'all',
      counts: { obliged: 100, pending },
      reported: { numerator: 50, denominator: 100, percent: 50 },
      onTime: null,
      private: null,
      anyFormPrivate: null,
      summary: null,
    });
    expect(latestRate([rate(2023, 0), rate(2024, 10), rate(2025, 100)])?.coveredYear).toBe(2024);
  });
});
