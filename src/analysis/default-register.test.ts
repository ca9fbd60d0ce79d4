import { describe, expect, it } from 'vitest';
import {
  defaultSipriRegister,
  describeSelection,
  isSelectionNotice,
  registerNotice,
  sipriReleaseYear,
  sipriSelectionOf,
  type RegisterCandidate,
} from './default-register.js';

const WHOLE =
  "Transfers of major conventional arms from All countries  to All countries . Deals with deliveries made for the year range '1995' to '2025'";
const CHINA =
  "Transfers of major conventional arms from China   to All countries . Deals with deliveries made for the year range '2000' to '2025' ";
const UKRAINE =
  "Transfers of major conventional arms from All countries to Ukraine . Deals with deliveries made for the year range 'Not specified' to 'Not specified'";

function run(
  id: number,
  parser: string,
  accepted: number,
  metadata: Record<string, string>,
): RegisterCandidate {
  return { id, parser, accepted, metadata };
}

describe('the selection of a SIPRI register', () => {
  it('reads suppliers and recipients from the first preamble line, spaces folded', () => {
    expect(sipriSelectionOf({ selection: WHOLE })).toEqual({
      suppliers: 'All countries',
      recipients: 'All countries',
      wholeDatabase: true,
    });
    expect(sipriSelectionOf({ selection: CHINA })).toEqual({
      suppliers: 'China',
      recipients: 'All countries',
      wholeDatabase: false,
    });
    expect(describeSelection(sipriSelectionOf({ selection: UKRAINE }))).toBe('from All countries to Ukraine');
  });

  it('prefers the keys the parser wrote, and is unknown without a preamble', () => {
    expect(
      sipriSelectionOf({
        selectionSuppliers: 'France',
        selectionRecipients: 'All countries',
        selection: WHOLE,
      }).wholeDatabase,
    ).toBe(false);
    expect(sipriSelectionOf({})).toEqual({ suppliers: null, recipients: null, wholeDatabase: undefined });
    expect(sipriSelectionOf({ selection: 'a line SIPRI never wrote' }).wholeDatabase).toBeUndefined();
  });
});

describe('the SIPRI release of a register', () => {
  it("counts a file generated before March as the previous year's release", () => {
    expect(sipriReleaseYear({ dataGenerated: '2026-02-12' })).toBe(2025);
    expect(sipriReleaseYear({ dataGenerated: '2025-03-13' })).toBe(2025);
    expect(sipriReleaseYear({ dataGenerated: '2026-07-14' })).toBe(2026);
    expect(sipriReleaseYear({})).toBeUndefined();
  });
});

describe('the default SIPRI register', () => {
  const world2025Deliveries = run(1, 'sipri-delivery-rows', 25_024, {
    selection: WHOLE,
    dataGenerated: '2026-02-12',
    yearRangeFrom: '1995',
    yearRangeTo: '2025',
  });
  const world2025Deals = run(2, 'sipri-deal-rows', 29_515, {
    selection: UKRAINE.replace('to Ukraine', 'to All countries'),
    dataGenerated: '2025-03-13',
    yearRangeFrom: 'Not specified',
    yearRangeTo: 'Not specified',
  });
  const china2026 = run(3, 'sipri-deal-rows', 692, {
    selection: CHINA,
    dataGenerated: '2026-07-14',
    yearRangeFrom: '2000',
    yearRangeTo: '2025',
  });
  const ukraine2025 = run(4, 'sipri-deal-rows', 900, { selection: UKRAINE, dataGenerated: '2026-03-20' });
  const tivTable = run(5, 'sipri-tiv-table', 84, { dataGenerated: '2026-07-14' });

  it('never lets a one-country selection stand for the world, however new it is', () => {
    expect(defaultSipriRegister([world2025Deliveries, china2026, ukraine2025], 'tiv')?.id).toBe(1);
    expect(defaultSipriRegister([world2025Deals, ukraine2025, china2026], 'rows')?.id).toBe(2);
  });

  it('takes a selection when nothing else was imported, and a file of unknown selection before a named one', () => {
    expect(defaultSipriRegister([china2026, tivTable], 'tiv')?.id).toBe(3);
    const noPreamble = run(6, 'sipri-delivery-rows', 10, {});
    expect(defaultSipriRegister([china2026, noPreamble], 'rows')?.id).toBe(6);
    expect(defaultSipriRegister([tivTable], 'tiv')).toBeUndefined();
  });

  it('within one release, gives TIV by year the delivery rows and the rows the wider year range', () => {
    expect(defaultSipriRegister([world2025Deals, world2025Deliveries], 'tiv')?.id).toBe(1);
    expect(defaultSipriRegister([world2025Deliveries, world2025Deals], 'rows')?.id).toBe(2);
  });

  it('prefers the newer release of the whole database to an older one with more rows', () => {
    const world2026 = run(7, 'sipri-deal-rows', 20_000, {
      selection: WHOLE,
      dataGenerated: '2026-03-16',
      yearRangeFrom: '1995',
      yearRangeTo: '2025',
    });
    expect(defaultSipriRegister([world2025Deals, world2025Deliveries, world2026], 'tiv')?.id).toBe(7);
    expect(defaultSipriRegister([world2025Deals, world2026], 'rows')?.id).toBe(7);
  });

  it('breaks a tie by rows, then by the later import', () => {
    const again = { ...world2025Deliveries, id: 9 };
    expect(defaultSipriRegister([world2025Deliveries, again], 'tiv')?.id).toBe(9);
    const bigger = { ...world2025Deliveries, id: 8, accepted: 30_000 };
    expect(defaultSipriRegister([bigger, again], 'tiv')?.id).toBe(8);
  });
});

describe('what an answer says of its register', () => {
  it('says nothing for the whole database, names a selection, and warns when the preamble does not say', () => {
    expect(registerNotice({ selection: WHOLE })).toBeNull();
    expect(registerNotice({ selection: CHINA })).toContain(
      '(from China to All countries), not the whole database',
    );
    expect(registerNotice({})).toContain('preamble does not say what was selected');
    expect([registerNotice({ selection: CHINA })!, registerNotice({})!].every(isSelectionNotice)).toBe(true);
  });
});
