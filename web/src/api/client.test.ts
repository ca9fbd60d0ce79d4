import { describe, expect, it } from 'vitest';
import statusFixture from '../dev-fixtures/treaty-status-2015-08-24.json' with { type: 'json' };
import { normaliseMeta, normaliseStatusResponse } from './client.js';

describe('reading /v1/treaty/status', () => {
  it('pads numeric M49 codes to the three digits the map uses and reads the declaration date field', () => {
    const response = normaliseStatusResponse(statusFixture);
    expect(response.rows.find((row) => row.iso3 === 'CIV')?.m49).toBe('384');
    expect(response.rows.find((row) => row.iso3 === 'AND')?.m49).toBeNull();
    expect(response.rows.every((row) => row.declaredNotToBecomeParty === null)).toBe(true);
    expect(response.asOf).toBe('2015-08-24');
    expect(response.counts.deposited).toBe(3);
  });

  it('counts the rows itself when an answer has no summary', () => {
    const { summary: _summary, ...withoutSummary } = statusFixture;
    expect(normaliseStatusResponse(withoutSummary).counts).toMatchObject({
      stateParty: 2,
      deposited: 3,
      depositedAwaitingEif: 1,
      signatory: 1,
      notSigned: 1,
      total: 5,
    });
  });

  it('keeps sources without an "as at" date and accepts the American spelling "license"', () => {
    const meta = normaliseMeta({ sources: [{ source: 'x', license: 'CC-BY-4.0', asAt: null }] });
    expect(meta.sources).toEqual([
      { dataset: undefined, source: 'x', licence: 'CC-BY-4.0', asAt: undefined },
    ]);
  });
});
