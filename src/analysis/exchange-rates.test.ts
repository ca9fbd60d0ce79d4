import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppError } from '../model/errors.js';
import {
  convertToUsd,
  exchangeRateTable,
  parseExchangeRates,
  unitsPerUsdText,
  type ExchangeRate,
} from './exchange-rates.js';

const COMMITTED = path.resolve(import.meta.dirname, '..', '..', 'data', 'reference', 'exchange-rates.csv');
const committed = () => parseExchangeRates(readFileSync(COMMITTED, 'utf8'));
const HEADER = 'year,currency,units_per_usd,usd_per_unit,source,series,confidence,notes';

function thrown(fn: () => unknown): AppError {
  try {
    fn();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected an AppError');
}

describe('the committed exchange-rate table', () => {
  it('parses, with a source and a confidence on every row', () => {
    const rates = committed();
    expect(rates.length).toBeGreaterThan(250);
    for (const rate of rates) {
      expect(rate.source.length).toBeGreaterThan(10);
      expect(['high', 'medium', 'low']).toContain(rate.confidence);
    }
  });

  it('has a usable (high or medium) annual rate for the main reporting currencies for every year 2013-2025', () => {
    const table = exchangeRateTable(committed());
    for (const currency of [
      'EUR',
      'GBP',
      'CHF',
      'SEK',
      'NOK',
      'DKK',
      'CAD',
      'AUD',
      'JPY',
      'KRW',
      'NZD',
      'BGN',
    ]) {
      for (let year = 2013; year <= 2025; year += 1) {
        const rate = table.get(currency, year);
        expect(rate, `${currency} ${year}`).toBeDefined();
        expect(rate!.confidence, `${currency} ${year}`).not.toBe('low');
      }
    }
  });

  it('marks CZK and PLN low confidence (unverified), so that comparisons do not use them by default', () => {
    const table = exchangeRateTable(committed());
    expect(table.get('CZK', 2022)!.confidence).toBe('low');
    expect(convertToUsd('1000', 'CZK', 2022, table).kind).toBe('not_convertible');
    expect(convertToUsd('1000', 'CZK', 2022, table, 'low').kind).toBe('converted');
  });

  it('agrees with the Federal Reserve figures it was taken from: EUR 2022 0.9493 per USD, GBP 2022 1.2371 USD', () => {
    const table = exchangeRateTable(committed());
    expect(table.get('EUR', 2022)).toMatchObject({
      unitsPerUsd: '0.9493',
      series: 'AEXUSEU',
      confidence: 'high',
    });
    expect(table.get('GBP', 2022)).toMatchObject({ usdPerUnit: '1.2371', series: 'AEXUSUK' });
    expect(table.get('JPY', 2025)!.unitsPerUsd).toBe('149.5686');
  });
});

describe('convertToUsd', () => {
  const table = exchangeRateTable(
    parseExchangeRates(
      [
        HEADER,
        '2022,EUR,0.9493,,Fed G.5A,AEXUSEU,high,',
        '2022,GBP,,1.2371,Fed G.5A,AEXUSUK,high,',
        '2022,XAF,615.5,,someone,none,low,unverified',
      ].join('\n'),
    ),
  );

  it('divides by units per dollar and multiplies by dollars per unit, exactly, to 6 decimals', () => {
    expect(convertToUsd('949.3', 'EUR', 2022, table)).toMatchObject({ kind: 'converted', amount: '1000' });
    expect(convertToUsd('100', 'EUR', 2022, table)).toMatchObject({ amount: '105.340777' });
    expect(convertToUsd('1000', 'GBP', 2022, table)).toMatchObject({ amount: '1237.1' });
    expect(convertToUsd('12.5', 'USD', 2022, table)).toEqual({
      kind: 'converted',
      amount: '12.5',
      rate: null,
    });
  });

  it('never guesses: a missing year or currency is not convertible and says which row to add', () => {
    const conversion = convertToUsd('100', 'EUR', 2019, table);
    expect(conversion).toEqual({
      kind: 'not_convertible',
      reason:
        'no EUR rate for 2019 in the exchange-rate table: add a sourced annual average to data/reference/exchange-rates.csv',
    });
    expect(convertToUsd('100', 'XAF', 2022, table)).toMatchObject({ kind: 'not_convertible' });
  });

  it('shows a rate as units per dollar whichever way the source quotes it', () => {
    const gbp = table.get('GBP', 2022) as ExchangeRate;
    expect(unitsPerUsdText(gbp)).toBe('0.808342');
  });
});

describe('parseExchangeRates', () => {
  it('names the file, row and column of a bad value', () => {
    const error = thrown(() =>
      parseExchangeRates(`${HEADER}\n2022,EUR,0.9493,,Fed,AEXUSEU,high,\n2023,EUR,-1,,Fed,AEXUSEU,high,`),
    );
    expect(error.code).toBe('data');
    expect(error.location).toMatchObject({
      file: 'data/reference/exchange-rates.csv',
      row: 3,
      column: 'units_per_usd',
    });
  });

  it('refuses a row with both or neither quote, an unknown confidence, and a currency-year given twice', () => {
    expect(thrown(() => parseExchangeRates(`${HEADER}\n2022,EUR,0.9,1.1,Fed,S,high,`)).message).toContain(
      'exactly one',
    );
    expect(thrown(() => parseExchangeRates(`${HEADER}\n2022,EUR,,,Fed,S,high,`)).message).toContain(
      'exactly one',
    );
    expect(thrown(() => parseExchangeRates(`${HEADER}\n2022,EUR,0.9,,Fed,S,certain,`)).location?.column).toBe(
      'confidence',
    );
    expect(
      thrown(() => parseExchangeRates(`${HEADER}\n2022,EUR,0.9,,Fed,S,high,\n2022,EUR,0.95,,ECB,S,high,`))
        .message,
    ).toBe('row 3: EUR 2022 is already given on row 2');
  });

  it('refuses a file without a required column', () => {
    expect(thrown(() => parseExchangeRates('year,currency,units_per_usd\n2022,EUR,0.9')).message).toContain(
      'has no column "usd_per_unit"',
    );
  });
});
