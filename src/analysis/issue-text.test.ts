import { describe, expect, it } from 'vitest';
import type { IngestIssue } from '../model/ingest.js';
import { groupByCode, issueText } from './issue-text.js';

const issue = (overrides: Partial<IngestIssue>): IngestIssue => ({
  file: 'f.csv',
  sheet: null,
  row: null,
  column: null,
  value: null,
  code: 'x',
  severity: 'error',
  message: 'something is wrong',
  hint: 'fix it',
  ...overrides,
});

describe('issueText', () => {
  it('prints the fix once when the message already ends with it (ATT report issues)', () => {
    const text = issueText(
      issue({
        sheet: 'Exports',
        row: 7,
        column: 'Final importing State',
        message:
          'sheet "Exports", row 7, column "Final importing State": the cell is empty; write the State the items went to',
        hint: 'write the State the items went to',
      }),
    );
    expect(text).toBe(
      'f.csv, sheet "Exports", row 7, column "Final importing State": the cell is empty; write the State the items went to',
    );
    expect(text.split('write the State the items went to')).toHaveLength(2);
  });

  it('prints the location once when the message starts with row and column (SIPRI and national issues)', () => {
    const text = issueText(
      issue({
        row: 14,
        column: 'Supplier',
        message: 'row 14, column "Supplier": "Atlantis" is not a known State or party',
        hint: 'add it to data/reference/state-aliases.csv',
      }),
    );
    expect(text).toBe(
      'f.csv, row 14, column "Supplier": "Atlantis" is not a known State or party. Add it to data/reference/state-aliases.csv',
    );
    expect(text.split('column "Supplier"')).toHaveLength(2);
  });

  it('adds the parts of the location the message leaves out, and tells row 1 from row 17', () => {
    expect(issueText(issue({ sheet: 'Licences', row: 1, message: 'row 17: wrong' }))).toBe(
      'f.csv, sheet "Licences", row 1, row 17: wrong. Fix it',
    );
    expect(issueText(issue({ row: 3, message: 'a quoted cell never closes' }))).toBe(
      'f.csv, row 3: a quoted cell never closes. Fix it',
    );
    expect(issueText(issue({}), { file: false })).toBe('something is wrong. Fix it');
  });
});

describe('groupByCode', () => {
  it('counts issues per code and keeps the first of each as the example', () => {
    const groups = groupByCode([
      issue({ code: 'a', row: 2 }),
      issue({ code: 'b', row: 3 }),
      issue({ code: 'a', row: 4 }),
    ]);
    expect(groups.map((g) => [g.code, g.count, g.first.row])).toEqual([
      ['a', 2, 2],
      ['b', 1, 3],
    ]);
  });
});
