/**
 * Helpers for the national ingest tests only (they read files; the parsers never do). The shared third-party files
 * are read in place from ../shared/data/national beside the repository and are never copied into it.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { expect } from 'vitest';
import type { NationalRecord } from '../../model/national.js';
import { NationalRecordSchema } from '../../model/national.js';
import { assertRowAccounting, type StateLookup } from '../framework.js';
import type { NationalResult } from './common.js';
import { createNationalLookups, type Iso2Lookup } from './parties.js';

export const REPO_ROOT = path.resolve(import.meta.dirname, '..', '..', '..');
export const SHARED_NATIONAL_DIR = path.resolve(REPO_ROOT, '..', 'shared', 'data', 'national');
export const NATIONAL_FIXTURES_DIR = path.join(REPO_ROOT, 'test', 'fixtures', 'national');

export interface Lookups {
  lookup: StateLookup;
  iso2: Iso2Lookup;
}

function readCsv(file: string): Record<string, string>[] {
  return parse(readFileSync(file, 'utf8'), { columns: true, bom: true, skip_empty_lines: true }) as Record<
    string,
    string
  >[];
}

/** Lookups over data/reference/states.csv (id, name, iso2) and state-aliases.csv. */
export function referenceLookups(referenceDir = path.join(REPO_ROOT, 'data', 'reference')): Lookups {
  const states = readCsv(path.join(referenceDir, 'states.csv')).map((row) => ({
    id: row.id ?? '',
    name: row.name ?? '',
    iso2: row.iso2 || null,
  }));
  const aliases = readCsv(path.join(referenceDir, 'state-aliases.csv')).map((row) => ({
    alias: row.alias ?? '',
    stateId: row.state_id ?? '',
    source: row.source || null,
  }));
  return createNationalLookups(states, aliases);
}

/** A small crosswalk for the hand-written fixtures, so unit tests do not move when the reference data changes. */
export function fixtureLookups(): Lookups {
  const states: [string, string, string | null][] = [
    ['SWE', 'Sweden', 'SE'],
    ['NOR', 'Norway', 'NO'],
    ['ITA', 'Italy', 'IT'],
    ['FRA', 'France', 'FR'],
    ['ESP', 'Spain', 'ES'],
    ['EST', 'Estonia', 'EE'],
    ['FIN', 'Finland', 'FI'],
    ['CHL', 'Chile', 'CL'],
    ['MEX', 'Mexico', 'MX'],
    ['ISL', 'Iceland', 'IS'],
    ['NAM', 'Namibia', 'NA'],
    ['BEL', 'Belgium', 'BE'],
    ['LUX', 'Luxembourg', 'LU'],
    ['NLD', 'Netherlands', 'NL'],
    ['PRT', 'Portugal', 'PT'],
    ['GBR', 'United Kingdom', 'GB'],
    ['GRC', 'Greece', 'GR'],
    ['XKK', 'Kosovo', 'XK'],
    ['IO-EU', 'European Union', null],
  ];
  return createNationalLookups(
    states.map(([id, name, iso2]) => ({ id, name, iso2 })),
    [{ alias: 'Holland', stateId: 'NLD', source: 'eu-coarm' }],
  );
}

export function fixtureBytes(name: string): Uint8Array {
  return readFileSync(path.join(NATIONAL_FIXTURES_DIR, name));
}

export function textBytes(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

/** Bytes of a shared national file, or undefined when ../shared/data is not there. */
export function sharedNationalBytes(...parts: string[]): Uint8Array | undefined {
  const file = path.join(SHARED_NATIONAL_DIR, ...parts);
  return existsSync(file) ? readFileSync(file) : undefined;
}

/** Accounting holds, quarantined rows say why, accepted records pass their schema. */
export function expectSound(result: NationalResult): void {
  assertRowAccounting(result);
  expect(result.rowsRead).toBe(result.accepted.length + result.quarantined.length + result.blank);
  for (const row of result.quarantined)
    expect(row.issues.some((issue) => issue.severity === 'error')).toBe(true);
  for (const record of result.accepted) expect(NationalRecordSchema.safeParse(record).success).toBe(true);
}

/** Accepted records of one kind. */
export function recordsOf<K extends NationalRecord['kind']>(
  result: NationalResult,
  kind: K,
): Extract<NationalRecord, { kind: K }>[] {
  return result.accepted.filter(
    (record): record is Extract<NationalRecord, { kind: K }> => record.kind === kind,
  );
}

/** The error codes of the quarantined row that starts at `row`. */
export function quarantineCodes(result: NationalResult, row: number, sheet: string | null = null): string[] {
  const entry = result.quarantined.find(
    (quarantined) => quarantined.row === row && quarantined.sheet === sheet,
  );
  return entry ? entry.issues.filter((issue) => issue.severity === 'error').map((issue) => issue.code) : [];
}
