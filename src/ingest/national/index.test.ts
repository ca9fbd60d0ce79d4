import { describe, expect, it } from 'vitest';
import { buildFiWorkbook } from '../../../test/fixtures/national/fi-workbook.js';
import { AppError } from '../../model/errors.js';
import { isRefused } from '../framework.js';
import {
  detectNationalKind,
  NATIONAL_KINDS,
  NATIONAL_SOURCE_OF_KIND,
  parseNationalFile,
  refuseUnrecognisedNationalFile,
} from './index.js';
import { expectSound, fixtureBytes, fixtureLookups, textBytes } from './test-support.js';

const lookups = fixtureLookups();

describe('detectNationalKind', () => {
  it('recognises each fixture by its content, whatever its name', async () => {
    expect(detectNationalKind('upload.bin', fixtureBytes('eu-broker.csv'))).toBe('eu-coarm-broker');
    expect(detectNationalKind('upload.bin', fixtureBytes('eu-mission.csv'))).toBe('eu-coarm-mission');
    expect(detectNationalKind('upload.bin', fixtureBytes('eu-consult.csv'))).toBe('eu-coarm-consult');
    expect(detectNationalKind('upload.bin', fixtureBytes('uk-ratings.csv'))).toBe('uk-ratings');
    expect(detectNationalKind('upload.bin', fixtureBytes('uk-refusal-criteria.csv'))).toBe(
      'uk-refusal-criteria',
    );
    expect(detectNationalKind('upload.bin', fixtureBytes('uk-footnotes.csv'))).toBe('uk-footnotes-region');
    expect(detectNationalKind('upload.bin', await buildFiWorkbook())).toBe('fi-saferglobe');
  });

  it('falls back on the published file name and gives up on anything else', () => {
    expect(detectNationalKind('data/consult.csv', textBytes('something else\n'))).toBe('eu-coarm-consult');
    expect(detectNationalKind('notes.txt', textBytes('hello\n'))).toBeUndefined();
    expect(detectNationalKind('x.bin', new Uint8Array([0, 1, 2]))).toBeUndefined();
    expect(detectNationalKind('x.csv', new Uint8Array())).toBeUndefined();
  });
});

describe('parseNationalFile', () => {
  it('parses every kind through one entry point, with the source of that kind', async () => {
    const files: Record<string, Uint8Array> = {
      'fi-saferglobe': await buildFiWorkbook(),
      'eu-coarm-broker': fixtureBytes('eu-broker.csv'),
      'eu-coarm-mission': fixtureBytes('eu-mission.csv'),
      'eu-coarm-consult': fixtureBytes('eu-consult.csv'),
      'uk-ratings': fixtureBytes('uk-ratings.csv'),
      'uk-refusal-criteria': fixtureBytes('uk-refusal-criteria.csv'),
      'uk-footnotes-region': fixtureBytes('uk-footnotes.csv'),
    };
    for (const kind of NATIONAL_KINDS) {
      const result = await parseNationalFile(files[kind]!, { fileName: kind, kind, ...lookups });
      expectSound(result);
      expect(result.source).toBe(NATIONAL_SOURCE_OF_KIND[kind]);
      expect(result.accepted.length).toBeGreaterThan(0);
      for (const record of result.accepted)
        expect((record.kind === 'transfer' ? record.transfer : record).provenance.source).toBe(result.source);
    }
  });

  it('gives the same result for the same bytes (same sha256, same records)', async () => {
    const bytes = fixtureBytes('eu-consult.csv');
    const first = await parseNationalFile(bytes, { fileName: 'c.csv', kind: 'eu-coarm-consult', ...lookups });
    const second = await parseNationalFile(bytes, {
      fileName: 'c.csv',
      kind: 'eu-coarm-consult',
      ...lookups,
    });
    expect(second).toEqual(first);
    expect(first.fileSha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('throws a validation error for an unknown kind and for an EU table without ISO lookup', async () => {
    await expect(
      parseNationalFile(textBytes('x'), { fileName: 'x', kind: 'nope' as never, ...lookups }),
    ).rejects.toThrow(AppError);
    await expect(
      parseNationalFile(textBytes('x'), { fileName: 'x', kind: 'eu-coarm-mission', lookup: lookups.lookup }),
    ).rejects.toThrow(/iso2/);
  });

  it('throws a validation error when the bytes are not bytes', async () => {
    await expect(
      parseNationalFile('text' as never, { fileName: 'x', kind: 'uk-ratings', ...lookups }),
    ).rejects.toThrow(AppError);
  });
});

describe('refuseUnrecognisedNationalFile', () => {
  it('refuses an empty or blank file as empty_file, naming the files it expected', () => {
    for (const bytes of [new Uint8Array(), textBytes('\n  \n')]) {
      const result = refuseUnrecognisedNationalFile(bytes, 'upload.csv')!;
      expect(isRefused(result)).toBe(true);
      expect(result.rowsRead).toBe(0);
      expect(result.issues.map((i) => [i.code, i.severity, i.row])).toEqual([['empty_file', 'error', null]]);
      expect(result.issues[0]!.hint).toContain('refusal-criteria.csv');
    }
  });

  it('refuses binary content and a ZIP that is no workbook as binary_file', () => {
    for (const bytes of [
      new Uint8Array([0, 1, 2, 3, 0, 255]),
      new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]),
    ]) {
      const result = refuseUnrecognisedNationalFile(bytes, 'upload.bin')!;
      expect(result.issues.map((i) => i.code)).toEqual(['binary_file']);
      expect(result.issues[0]!.hint).toContain('XLSX');
    }
  });

  it('leaves text of an unknown shape to the caller (a wrong source, not a broken file)', () => {
    expect(refuseUnrecognisedNationalFile(textBytes('hello\n'), 'notes.txt')).toBeUndefined();
  });
});
