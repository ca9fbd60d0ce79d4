/**
 * Helpers for ingest tests only (they read files; the parsers never do).
 * The shared SIPRI data is read from ../shared/data beside the repository and is never copied into it.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { createStateLookup, type StateAliasEntry, type StateEntry, type StateLookup } from './framework.js';

export const REPO_ROOT = path.resolve(import.meta.dirname, '..', '..');
export const SHARED_DATA_DIR = path.resolve(REPO_ROOT, '..', 'shared', 'data');
export const SHARED_SIPRI_DIR = path.join(SHARED_DATA_DIR, 'sipri');
export const SIPRI_FIXTURES_DIR = path.join(REPO_ROOT, 'test', 'fixtures', 'sipri');

function readCsv(file: string): Record<string, string>[] {
  return parse(readFileSync(file, 'utf8'), { columns: true, bom: true, skip_empty_lines: true }) as Record<
    string,
    string
  >[];
}

/** The alias and State rows of data/reference (read with csv-parse, independent of src/reference's loader). */
export function readReferenceNames(referenceDir = path.join(REPO_ROOT, 'data', 'reference')): {
  aliases: StateAliasEntry[];
  states: StateEntry[];
} {
  const aliases = readCsv(path.join(referenceDir, 'state-aliases.csv')).map((row) => ({
    alias: row.alias ?? '',
    stateId: row.state_id ?? '',
    source: row.source || null,
  }));
  const states = readCsv(path.join(referenceDir, 'states.csv')).map((row) => ({
    id: row.id ?? '',
    name: row.name ?? '',
  }));
  return { aliases, states };
}

/** A StateLookup over data/reference/state-aliases.csv and states.csv. */
export function referenceStateLookup(referenceDir?: string): StateLookup {
  const { aliases, states } = readReferenceNames(referenceDir);
  return createStateLookup(aliases, states);
}

/**
 * A small lookup for the hand-written fixtures, so unit tests do not move when the reference data changes.
 * The names are ordinary State names and SIPRI-style party labels; no SIPRI data.
 */
export function fixtureStateLookup(): StateLookup {
  const states: StateEntry[] = [
    { id: 'FRA', name: 'France' },
    { id: 'CHL', name: 'Chile' },
    { id: 'DEU', name: 'Germany' },
    { id: 'NOR', name: 'Norway' },
    { id: 'PER', name: 'Peru' },
    { id: 'CIV', name: "Cote d'Ivoire" },
    { id: 'TUR', name: 'Turkiye' },
    { id: 'H-SUN', name: 'Soviet Union' },
    { id: 'IO-AU', name: 'African Union' },
    { id: 'N-XXX-REBELS', name: 'Example rebels' },
    { id: 'UNKNOWN', name: 'Unknown' },
  ];
  const aliases: StateAliasEntry[] = [
    { alias: 'African Union**', stateId: 'IO-AU', source: 'sipri' },
    { alias: 'Example rebels*', stateId: 'N-XXX-REBELS', source: 'sipri' },
    { alias: 'unknown supplier(s)', stateId: 'UNKNOWN', source: 'sipri' },
    { alias: 'unknown recipient(s)', stateId: 'UNKNOWN', source: 'sipri' },
    { alias: 'Türkiye', stateId: 'TUR', source: 'sipri' },
  ];
  return createStateLookup(aliases, states);
}

export function fixtureBytes(name: string): Uint8Array {
  return readFileSync(path.join(SIPRI_FIXTURES_DIR, name));
}

/** Bytes of a shared SIPRI file, or undefined when ../shared/data is not there. */
export function sharedSipriBytes(...parts: string[]): Uint8Array | undefined {
  const file = path.join(SHARED_SIPRI_DIR, ...parts);
  return existsSync(file) ? readFileSync(file) : undefined;
}
