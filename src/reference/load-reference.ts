import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from '@hono/zod-openapi';
import { AppError } from '../model/errors.js';
import { addDays } from '../model/dates.js';
import {
  type AttTreatyFacts,
  AttTreatyFactsSchema,
  type Category,
  CategorySchema,
} from '../model/category.js';
import { type Dataset, DatasetSchema } from '../model/dataset.js';
import { type EmbargoEpisode, EmbargoEpisodeSchema } from '../model/embargo.js';
import { type State, type StateAlias, StateAliasSchema, StateSchema } from '../model/state.js';
import {
  ATT_ENTRY_INTO_FORCE,
  ATT_OPENED_FOR_SIGNATURE,
  type TreatyRecord,
  TreatyRecordSchema,
} from '../model/treaty.js';
import { parseCsv, type CsvRow } from './csv.js';
import { normaliseName } from './names.js';

/** Everything in data/reference/, validated. */
export interface ReferenceData {
  /** The crosswalk: States, territories, historical States, non-State actors, organisations, UNKNOWN. */
  states: State[];
  aliases: StateAlias[];
  treatyRecords: TreatyRecord[];
  embargoes: EmbargoEpisode[];
  /** UNROCA categories I-VII and VIII (SALW) with sub-categories. */
  categories: Category[];
  articles: AttTreatyFacts;
  datasets: Dataset[];
}

export const REFERENCE_FILES = {
  states: 'states.csv',
  aliases: 'state-aliases.csv',
  treaty: 'treaty-status.csv',
  embargoes: 'embargo-episodes.csv',
  categories: 'unroca-categories.json',
  articles: 'att-articles.json',
  datasets: 'datasets.csv',
} as const;

/**
 * Reads and validates data/reference/ (or a copy). A malformed value throws AppError('data') with file, row (the
 * header is row 1), column and value; cross-file checks (every id known, EIF dates as ATT Art. 22 gives them) too.
 */
export async function loadReferenceData(dir: string): Promise<ReferenceData> {
  const states = await readTable(dir, REFERENCE_FILES.states, StateSchema, STATE_COLUMNS);
  const aliases = await readTable(dir, REFERENCE_FILES.aliases, StateAliasSchema, ALIAS_COLUMNS);
  const treaty = await readTable(dir, REFERENCE_FILES.treaty, TreatyRecordSchema, TREATY_COLUMNS);
  const embargoes = await readTable(dir, REFERENCE_FILES.embargoes, EmbargoEpisodeSchema, EMBARGO_COLUMNS);
  const datasets = await readTable(dir, REFERENCE_FILES.datasets, DatasetSchema, DATASET_COLUMNS);
  const categories = await readCategories(dir);
  const articles = await readArticles(dir);

  const check = crossChecker(dir);
  const byId = new Map<string, State>();
  for (const { item, row } of states.items) {
    check(REFERENCE_FILES.states, row, 'id', item.id, !byId.has(item.id), 'is listed twice');
    check(
      REFERENCE_FILES.states,
      row,
      'iso3',
      item.iso3 ?? '',
      item.kind !== 'state' || item.iso3 === String(item.id),
      'a State needs iso3 equal to its id',
    );
    byId.set(item.id, item);
  }
  for (const { item, row } of states.items) {
    if (item.relatedStateId)
      check(
        REFERENCE_FILES.states,
        row,
        'related_state_id',
        item.relatedStateId,
        byId.has(item.relatedStateId),
        'is not an id in states.csv',
      );
  }
  const nameIds = new Map(states.items.map(({ item }) => [normaliseName(item.name), item.id as string]));
  const aliasIds = new Map<string, string>();
  const aliasesByState = new Map<string, Set<string>>();
  for (const { item, row } of aliases.items) {
    check(
      REFERENCE_FILES.aliases,
      row,
      'state_id',
      item.stateId,
      byId.has(item.stateId),
      'is not an id in states.csv',
    );
    const key = normaliseName(item.alias);
    const named = nameIds.get(key);
    check(
      REFERENCE_FILES.aliases,
      row,
      'alias',
      item.alias,
      named === undefined || named === item.stateId,
      `is the name of ${named ?? ''}`,
    );
    const earlier = aliasIds.get(key);
    check(
      REFERENCE_FILES.aliases,
      row,
      'alias',
      item.alias,
      earlier === undefined || earlier === item.stateId,
      `already maps to ${earlier ?? ''}: one alias, one id`,
    );
    aliasIds.set(key, item.stateId);
    aliasesByState.set(item.stateId, (aliasesByState.get(item.stateId) ?? new Set()).add(item.alias));
  }
  const treatyIds = new Set<string>();
  for (const { item, row } of treaty.items) {
    const file = REFERENCE_FILES.treaty;
    check(
      file,
      row,
      'state_id',
      item.stateId,
      byId.get(item.stateId)?.kind === 'state',
      'is not a State (kind state) in states.csv',
    );
    check(file, row, 'state_id', item.stateId, !treatyIds.has(item.stateId), 'has two treaty records');
    treatyIds.add(item.stateId);
    check(file, row, 'iso3', item.iso3, String(item.iso3) === String(item.stateId), 'differs from state_id');
    checkTreatyDates(check, item, row);
  }
  for (const { item, row } of embargoes.items) {
    const file = REFERENCE_FILES.embargoes;
    for (const id of item.targetIds)
      check(file, row, 'target_ids', id, byId.has(id), 'is not an id in states.csv');
    for (const id of item.targetActorIds)
      check(file, row, 'target_actor_ids', id, byId.has(id), 'is not an id in states.csv');
    if (item.endDate !== null)
      check(
        file,
        row,
        'end_date',
        item.endDate,
        item.endDate >= item.startDate,
        `is before start_date ${item.startDate}`,
      );
    check(
      file,
      row,
      'end_basis',
      item.endBasis,
      (item.endDate !== null) === (item.endBasis === 'recorded'),
      'must be "recorded" exactly when end_date is given',
    );
  }

  return {
    states: states.items.map(({ item }) => {
      const names = aliasesByState.get(item.id);
      return names ? { ...item, aliases: [...names] } : item;
    }),
    aliases: aliases.items.map(({ item }) => item),
    treatyRecords: treaty.items.map(({ item }) => item),
    embargoes: embargoes.items.map(({ item }) => item),
    categories,
    articles,
    datasets: datasets.items.map(({ item }) => item),
  };
}

// ---------------------------------------------------------------------------------------------------- CSV tables

/**
 * How a CSV column becomes a model field: `text` (required), `nullable` (empty -> null), `date` / `nullableDate`
 * (same, with a date message), `bool` (yes/no), `list` (`;`-separated, empty -> []).
 */
type Conversion = 'text' | 'nullable' | 'date' | 'nullableDate' | 'bool' | 'list';
type ColumnSpec = readonly [column: string, field: string, conversion: Conversion];

const STATE_COLUMNS: readonly ColumnSpec[] = [
  ['id', 'id', 'text'],
  ['kind', 'kind', 'text'],
  ['iso2', 'iso2', 'nullable'],
  ['iso3', 'iso3', 'nullable'],
  ['iso_numeric', 'isoNumeric', 'nullable'],
  ['m49', 'm49', 'nullable'],
  ['name', 'name', 'text'],
  ['m49_region', 'm49Region', 'nullable'],
  ['m49_subregion', 'm49Subregion', 'nullable'],
  ['m49_intermediate_region', 'm49IntermediateRegion', 'nullable'],
  ['un_regional_group', 'unRegionalGroup', 'nullable'],
  ['un_member', 'unMember', 'bool'],
  ['related_state_id', 'relatedStateId', 'nullable'],
  ['notes', 'notes', 'nullable'],
  ['sources', 'sources', 'text'],
];

const ALIAS_COLUMNS: readonly ColumnSpec[] = [
  ['alias', 'alias', 'text'],
  ['state_id', 'stateId', 'text'],
  ['source', 'source', 'text'],
  ['notes', 'notes', 'nullable'],
];

const TREATY_COLUMNS: readonly ColumnSpec[] = [
  ['state_id', 'stateId', 'text'],
  ['iso3', 'iso3', 'text'],
  ['name', 'name', 'text'],
  ['status_at_source', 'statusAtSource', 'text'],
  ['as_at', 'asAt', 'date'],
  ['signature_date', 'signatureDate', 'nullableDate'],
  ['deposit_date', 'depositDate', 'nullableDate'],
  ['action_type', 'actionType', 'nullable'],
  ['entry_into_force_date', 'entryIntoForceDate', 'nullableDate'],
  ['eif_basis', 'eifBasis', 'nullable'],
  ['provisional_application_date', 'provisionalApplicationDate', 'nullableDate'],
  ['declared_not_to_become_party_date', 'declaredNotToBecomePartyDate', 'nullableDate'],
  ['notes', 'notes', 'nullable'],
  ['eif_confirmed_by', 'eifConfirmedBy', 'nullable'],
  ['verification', 'verification', 'nullable'],
  ['sources', 'sources', 'text'],
];

const EMBARGO_COLUMNS: readonly ColumnSpec[] = [
  ['id', 'id', 'text'],
  ['authority', 'authority', 'text'],
  ['regime', 'regime', 'nullable'],
  ['target', 'target', 'text'],
  ['target_ids', 'targetIds', 'list'],
  ['target_actor_ids', 'targetActorIds', 'list'],
  ['target_note', 'targetNote', 'nullable'],
  ['target_type', 'targetType', 'nullable'],
  ['scope_code', 'scopeCode', 'text'],
  ['scope_text', 'scopeText', 'text'],
  ['direction', 'direction', 'text'],
  ['direction_basis', 'directionBasis', 'text'],
  ['start_date', 'startDate', 'date'],
  ['end_date', 'endDate', 'nullableDate'],
  ['end_basis', 'endBasis', 'text'],
  ['status_text', 'statusText', 'nullable'],
  ['imposing_measures', 'imposingMeasures', 'nullable'],
  ['modifying_measures', 'modifyingMeasures', 'nullable'],
  ['ending_measure', 'endingMeasure', 'nullable'],
  ['un_counterpart', 'unCounterpart', 'nullable'],
  ['binding', 'binding', 'text'],
  ['chapter_vii', 'chapterVii', 'text'],
  ['binding_text', 'bindingText', 'nullable'],
  ['notes', 'notes', 'nullable'],
  ['confidence', 'confidence', 'text'],
  ['verified_this_session', 'verifiedThisSession', 'nullable'],
  ['sources', 'sources', 'text'],
];

const DATASET_COLUMNS: readonly ColumnSpec[] = [
  ['dataset', 'dataset', 'text'],
  ['file', 'file', 'text'],
  ['as_at', 'asAt', 'nullableDate'],
  ['source', 'source', 'text'],
  ['licence', 'licence', 'text'],
  ['notes', 'notes', 'nullable'],
];

function fixHint(file: string): string {
  return `correct ${file} or rebuild it with npm run reference:build`;
}

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new AppError('data', `cannot read reference file ${file}: ${(error as Error).message}`, {
      location: { file },
      hint: 'set ATT_REFERENCE_DIR to the data/reference directory, or rebuild it with npm run reference:build',
      cause: error,
    });
  }
}

async function readTable<T>(
  dir: string,
  name: string,
  schema: z.ZodType<T>,
  columns: readonly ColumnSpec[],
): Promise<{ items: { item: T; row: number }[] }> {
  const file = path.join(dir, name);
  const hint = fixHint(file);
  const table = parseCsv(await readText(file), file, hint);
  for (const [column] of columns) {
    if (!table.header.includes(column)) {
      throw new AppError('data', `column "${column}" is missing`, {
        location: { file, row: 1, column },
        hint,
      });
    }
  }
  const items = table.rows.map((row) => ({ item: parseRow(file, row, schema, columns, hint), row: row.row }));
  return { items };
}

function parseRow<T>(
  file: string,
  row: CsvRow,
  schema: z.ZodType<T>,
  columns: readonly ColumnSpec[],
  hint: string,
): T {
  const object: Record<string, unknown> = {};
  for (const [column, field, conversion] of columns) {
    const raw = (row.values[column] ?? '').trim();
    if (conversion === 'bool') {
      if (raw !== 'yes' && raw !== 'no') {
        throw new AppError('data', `row ${row.row}, column "${column}": "${raw}" is not yes or no`, {
          location: { file, row: row.row, column, value: raw },
          hint,
        });
      }
      object[field] = raw === 'yes';
    } else if (conversion === 'list') {
      object[field] = raw === '' ? [] : raw.split(';').map((part) => part.trim());
    } else if (raw === '') {
      object[field] = conversion === 'nullable' || conversion === 'nullableDate' ? null : undefined;
    } else {
      object[field] = raw;
    }
  }
  const parsed = schema.safeParse(object);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const spec = columns.find(([, field]) => field === issue.path[0]);
  const column = spec?.[0] ?? String(issue.path[0] ?? '');
  const raw = (row.values[column] ?? '').trim();
  const value = typeof issue.path[1] === 'number' ? (raw.split(';')[issue.path[1]] ?? raw).trim() : raw;
  let what: string;
  if (value === '') what = 'is empty but a value is required';
  else if (spec?.[2] === 'date' || spec?.[2] === 'nullableDate') what = `"${value}" is not a date YYYY-MM-DD`;
  else what = `"${value}": ${issue.message}`;
  throw new AppError('data', `row ${row.row}, column "${column}": ${what}`, {
    location: { file, row: row.row, column, value },
    hint,
    details: { issue: issue.message },
  });
}

type Check = (name: string, row: number, column: string, value: string, ok: boolean, problem: string) => void;

function crossChecker(dir: string): Check {
  return (name, row, column, value, ok, problem) => {
    if (ok) return;
    const file = path.join(dir, name);
    throw new AppError('data', `row ${row}, column "${column}": "${value}" ${problem}`, {
      location: { file, row, column, value },
      hint: fixHint(file),
    });
  };
}

/** The treaty's own calendar, checked on every record: a wrong date would silently shift every count. */
function checkTreatyDates(check: Check, record: TreatyRecord, row: number): void {
  const file = REFERENCE_FILES.treaty;
  const { signatureDate, depositDate, entryIntoForceDate, eifBasis } = record;
  if (signatureDate !== null) {
    // ATT Art. 21(1): open for signature from 3 Jun 2013 until its entry into force.
    check(
      file,
      row,
      'signature_date',
      signatureDate,
      signatureDate >= ATT_OPENED_FOR_SIGNATURE && signatureDate <= ATT_ENTRY_INTO_FORCE,
      'is outside the signature period 2013-06-03 to 2014-12-24 (ATT Art. 21(1))',
    );
  }
  if (depositDate === null) {
    check(
      file,
      row,
      'entry_into_force_date',
      entryIntoForceDate ?? '',
      entryIntoForceDate === null,
      'needs a deposit_date',
    );
    check(
      file,
      row,
      'action_type',
      record.actionType ?? '',
      record.actionType === null,
      'needs a deposit_date',
    );
    return;
  }
  check(file, row, 'action_type', '', record.actionType !== null, 'is empty but a deposit_date is given');
  // ATT Art. 22(1)/(2): EIF = 24 Dec 2014 for instruments deposited by then, otherwise deposit + 90 days.
  const early = depositDate <= ATT_ENTRY_INTO_FORCE;
  const expected = early ? ATT_ENTRY_INTO_FORCE : addDays(depositDate, 90);
  check(
    file,
    row,
    'entry_into_force_date',
    entryIntoForceDate ?? '',
    entryIntoForceDate === expected,
    `differs from ${expected} given by ATT Art. 22`,
  );
  check(
    file,
    row,
    'eif_basis',
    eifBasis ?? '',
    eifBasis === (early ? 'art22(1)' : 'art22(2)'),
    `should be ${early ? 'art22(1)' : 'art22(2)'}`,
  );
}

// ---------------------------------------------------------------------------------------------------- JSON files

const ThresholdsSchema = z.record(z.string(), z.union([z.number(), z.boolean()]));
const CategoriesFileSchema = z.object({
  categories: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      att_ref: z.string(),
      definition: z.string().optional(),
      thresholds: ThresholdsSchema.optional(),
      history: z.string().optional(),
      confidence: z.string().optional(),
      subcategories: z
        .array(
          z.object({
            id: z.string(),
            name: z.string(),
            definition: z.string().optional(),
            thresholds: ThresholdsSchema.optional(),
          }),
        )
        .optional(),
      subcategories_after_2016_GGE: z.array(z.object({ id: z.string(), name: z.string() })).optional(),
    }),
  ),
  category_VIII_salw: z.object({
    status: z.string(),
    small_arms: z.array(z.object({ id: z.string(), name: z.string() })),
    light_weapons: z.array(z.object({ id: z.string(), name: z.string() })),
  }),
});

async function readJson(dir: string, name: string): Promise<{ file: string; json: unknown }> {
  const file = path.join(dir, name);
  const text = await readText(file);
  try {
    return { file, json: JSON.parse(text) as unknown };
  } catch (error) {
    throw new AppError('data', `${name} is not valid JSON: ${(error as Error).message}`, {
      location: { file },
      hint: fixHint(file),
      cause: error,
    });
  }
}

function jsonError(file: string, error: z.ZodError): AppError {
  const issue = error.issues[0]!;
  const where = issue.path.map(String).join('.');
  return new AppError('data', `${where}: ${issue.message}`, {
    location: { file, column: where },
    hint: fixHint(file),
  });
}

async function readCategories(dir: string): Promise<Category[]> {
  const { file, json } = await readJson(dir, REFERENCE_FILES.categories);
  const parsed = CategoriesFileSchema.safeParse(json);
  if (!parsed.success) throw jsonError(file, parsed.error);
  const { categories, category_VIII_salw: salw } = parsed.data;
  const out: unknown[] = categories.map((c) => ({
    id: c.id,
    name: c.name,
    attRef: c.att_ref,
    definition: c.definition ?? null,
    thresholds: c.thresholds ?? {},
    history: c.history ?? null,
    confidence: c.confidence ?? null,
    subcategories: [
      ...(c.subcategories ?? []).map((s) => ({
        id: s.id,
        name: s.name,
        group: null,
        definition: s.definition ?? null,
        thresholds: s.thresholds ?? {},
      })),
      ...(c.subcategories_after_2016_GGE ?? []).map((s) => ({
        id: s.id,
        name: s.name,
        group: null,
        definition: null,
        thresholds: {},
      })),
    ],
  }));
  // ATT Art. 2(1)(h): small arms and light weapons, reported on the UNROCA voluntary SALW form (category VIII).
  out.push({
    id: 'VIII',
    name: 'Small arms and light weapons',
    attRef: '2(1)(h)',
    definition: salw.status,
    thresholds: {},
    history: null,
    confidence: null,
    subcategories: [
      ...salw.small_arms.map((s) => ({
        id: s.id,
        name: s.name,
        group: 'small_arms',
        definition: null,
        thresholds: {},
      })),
      ...salw.light_weapons.map((s) => ({
        id: s.id,
        name: s.name,
        group: 'light_weapons',
        definition: null,
        thresholds: {},
      })),
    ],
  });
  const result = z.array(CategorySchema).safeParse(out);
  if (!result.success) throw jsonError(file, result.error);
  return result.data;
}

const BreakdownItemFileSchema = z.object({
  ref: z.string(),
  label: z.string(),
  unroca_category: z.string().optional(),
  keywords: z.array(z.string()).optional(),
  sub_items: z.array(z.object({ ref: z.string(), label: z.string() })).optional(),
});
const ArticlesFileSchema = z.object({
  treaty: z.string(),
  adopted: z.string(),
  adopted_by: z.string(),
  opened_for_signature: z.string(),
  entry_into_force: z.string(),
  depositary: z.string(),
  note: z.string().optional(),
  sources: z.array(z.string()).optional(),
  articles: z.array(z.object({ number: z.number(), title: z.string() })),
  breakdowns: z.record(
    z.string(),
    z.object({
      label: z.string(),
      applies_to: z.string().optional(),
      items: z.array(BreakdownItemFileSchema),
      related: z.array(BreakdownItemFileSchema).optional(),
    }),
  ),
  key_numbers: z.record(z.string(), z.union([z.number(), z.string()])),
});

async function readArticles(dir: string): Promise<AttTreatyFacts> {
  const { file, json } = await readJson(dir, REFERENCE_FILES.articles);
  const parsed = ArticlesFileSchema.safeParse(json);
  if (!parsed.success) throw jsonError(file, parsed.error);
  const a = parsed.data;
  const item = (i: z.infer<typeof BreakdownItemFileSchema>) => ({
    ref: i.ref,
    label: i.label,
    unrocaCategory: i.unroca_category ?? null,
    keywords: i.keywords ?? [],
    subItems: i.sub_items ?? [],
  });
  const result = AttTreatyFactsSchema.safeParse({
    treaty: a.treaty,
    adopted: a.adopted,
    adoptedBy: a.adopted_by,
    openedForSignature: a.opened_for_signature,
    entryIntoForce: a.entry_into_force,
    depositary: a.depositary,
    articles: a.articles,
    breakdowns: Object.entries(a.breakdowns).map(([ref, b]) => ({
      ref,
      label: b.label,
      appliesTo: b.applies_to ?? null,
      items: b.items.map(item),
      related: (b.related ?? []).map(item),
    })),
    keyNumbers: a.key_numbers,
    note: a.note ?? null,
    sources: a.sources ?? [],
  });
  if (!result.success) throw jsonError(file, result.error);
  return result.data;
}
