import { describe, expect, it } from 'vitest';
import { AppError } from './errors.js';

describe('AppError.describe', () => {
  it('says where, what and what next in one line', () => {
    const error = new AppError('data', '"Rep. Korea" is not a known State', {
      location: { file: 'register.csv', row: 14, column: 'Recipient' },
      hint: 'add it to data/reference/state-aliases.csv or correct the file',
    });
    expect(error.describe()).toBe(
      'register.csv, row 14, column "Recipient": "Rep. Korea" is not a known State. add it to data/reference/state-aliases.csv or correct the file',
    );
  });

  it('does not repeat parts of the location that the message already names', () => {
    const error = new AppError('data', 'row 16, column "deposit_date": "2014-13-02" is not a date', {
      location: { file: 'treaty-status.csv', row: 16, column: 'deposit_date' },
    });
    expect(error.describe()).toBe(
      'treaty-status.csv: row 16, column "deposit_date": "2014-13-02" is not a date',
    );
  });
});
