import { describe, expect, it } from 'vitest';
import {
  classifyHeader,
  preambleLine,
  readSelection,
  readTivText,
} from './sipri-file.js';

describe('preambleLine', () => {
  it('reads a line a spreadsheet quoted and padded with empty fields as the plain line', () => {
    expect(preambleLine(['Data generated: 13 Mar 2025 10:02:49 AM', '', '', '', ''])).toBe(
      'Data generated: 13 Mar 2025 10:02:49 AM',
    );
    expect(preambleLine(['Data generated: 13 Mar 2025 10:02:49 AM;'])).toBe(
      'Data generated: 13 Mar 2025 10:02:49 AM',
    );
  });

  it('rejoins a line that was split at its commas, and drops a lone trailing ";"', () => {
    expect(preambleLine(['Figures are in millions', ' rounded', '', ';'])).toBe(
      'Figures are in millions, rounded',
    );
    expect(preambleLine([';'])).toBe('');
  });
});

describe('readSelection', () => {
  it('reads suppliers and recipients from the whole-database line, spaces collapsed', () => {
    expect(
      readSelection(
        "Transfers of major conventional arms from All countries  to All countries . Deals with deliveries made for the year range '1995' to '2025'",
      ),
    ).toEqual({ suppliers: 'All countries', recipients: 'All countries' });
  });

  it('reads a one-country selection on either side', () => {
    expect(
      readSelection(
        "Transfers of major conventional arms from China   to All countries . Deals with deliveries made for the year range '2000' to '2025' ",
      ),
    ).toEqual({ suppliers: 'China', recipients: 'All countries' });
    expect(
      readSelection(
        "Transfers of major conventional arms from All countries to Ukraine . Deals with deliveries made for the year range '2022' to '2025'",
      ),
    ).toEqual({ suppliers: 'All countries', recipients: 'Ukraine' });
  });

  it('keeps a multi-country selection as SIPRI writes it, and reads a line without the year sentence', () => {
    expect(
      readSelection('Transfers of major conventional arms from France; Germany  to Chile;  Peru .'),
    ).toEqual({ suppliers: 'France; Germany', recipients: 'Chile; Peru' });
    expect(readSelection('Transfers of major conventional arms from China to Pakistan')).toEqual({
      suppliers: 'China',
      recipients: 'Pakistan',
    });
  });

  it('gives nothing for a line it cannot read rather than a guess', () => {
    expect(readSelection('Volume of transfers of major arms')).toBeUndefined();
    expect(
      readSelection('Transfers of major conventional arms from All countries . Deals with'),
    ).toBeUndefined();
    expect(
      readSelection('Transfers of major conventional arms from A to B to C . Deals with'),
    ).toBeUndefined();
  });
});

describe('classifyHeader', () => {
  it('recognises a register by its column names in any order', () => {
    expect(
      classifyHeader([
        'Supplier',
        'TIV delivery values',
        'SIPRI AT Database ID',
        'Recipient',
        'Delivery year',
      ]),
    ).toBe('delivery-rows');
    expect(
      classifyHeader(['SIPRI TIV of delivered weapons', 'Supplier', 'Recipient', 'Year of order', ' ']),
    ).toBe('deal-rows');
  });

  it('takes neither a preamble line, a data row nor an unrelated table for a header', () => {
    expect(classifyHeader(['Transfers of major conventional arms from All countries'])).toBeUndefined();
    expect(classifyHeader(['90001', 'France', 'Chile', 'Kestrel-X', 'Aircraft', 'New'])).toBeUndefined();
    expect(classifyHeader(['Recipient', 'Supplier', 'Notes'])).toBeUndefined();
  });

  it('still tells a TIV table by its first column and years', () => {
    expect(classifyHeader(['Recipient', '2012', '2013', '2012-2013', 'Percentage'])).toBe('tiv-table');
  });
});

describe('readTivText', () => {
  it('reads a decimal comma of a ";"-separated file as a decimal, never as thousands', () => {
    expect(readTivText('0,25', ';')).toEqual({ ok: true, text: '0.25', decimalComma: true });
    expect(readTivText('1,250', ';')).toEqual({ ok: true, text: '1.250', decimalComma: true });
    expect(readTivText('12', ';')).toEqual({ ok: true, text: '12', decimalComma: false });
  });

  it('reads a "." in a ";"-separated file only where it cannot group thousands', () => {
    expect(readTivText('12.5', ';')).toEqual({ ok: true, text: '12.5', decimalComma: false });
    expect(readTivText('0.125', ';')).toEqual({ ok: true, text: '0.125', decimalComma: false });
    expect(readTivText('1.250', ';')).toEqual({ ok: false, problem: 'ambiguous' });
    expect(readTivText('1.250,5', ';')).toEqual({ ok: false, problem: 'not_a_number' });
    expect(readTivText('-0,5', ';')).toEqual({ ok: false, problem: 'negative' });
  });

  it('leaves a ","-separated file as before: a point is the decimal mark and a comma is not a number', () => {
    expect(readTivText('1.250', ',')).toEqual({ ok: true, text: '1.250', decimalComma: false });
    expect(readTivText('0,25', ',')).toEqual({ ok: false, problem: 'not_a_number' });
  });
});
