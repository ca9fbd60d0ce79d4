/**
 * The lists and analyses the pages read beyond treaty status (docs/api.md conventions: list envelope, `.csv` twins,
 * field filters, `_facet`, `_next`). Like `client.ts`, the normalisers accept small differences of shape and never
 * throw on an added field: a missing field becomes null, never zero.
 */
import { ApiError, date, getJson, isObject, normaliseMeta, str, code3, type Json } from './client.js';
import type { Meta } from './types.js';

/** Lists announced by the lead but possibly not served yet: checked against /openapi.json before asking. */
const OPTIONAL = new Set(['/v1/reports', '/v1/compliance/rates', '/v1/mirror']);

export type ParamValue = string | number | boolean | null | undefined | readonly (string | number)[];
export type Params = Record<string, ParamValue>;

/** `/v1/transfers?importerId=CHL&from=2015` from a path and parameters; arrays repeat the parameter, empty values are left out. */
export function apiHref(path: string, params: Params = {}): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === null || value === undefined || value === '' || value === false) continue;
    if (Array.isArray(value))
      for (const item of value as (string | number)[]) search.append(key, String(item));
    else search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `${path}?${text}` : path;
}

/** The `.csv` twin of a list path: `/v1/transfers` -> `/v1/transfers.csv`. */
export function csvHref(path: string, params: Params = {}): string {
  return apiHref(`${path}.csv`, params);
}

export interface FacetValue {
  value: string | null;
  count: number;
}

export interface ListAnswer<T> {
  rows: T[];
  count: number;
  next: string | null;
  meta: Meta;
  facets: Record<string, FacetValue[]>;
  summary: Json;
}

export async function fetchList<T>(
  path: string,
  params: Params,
  normalise: (row: Json) => T,
  signal?: AbortSignal,
): Promise<ListAnswer<T>> {
  if (OPTIONAL.has(path)) await requireEndpoint(path);
  const body = await getJson(apiHref(path, params), signal);
  const rows = Array.isArray(body.rows) ? body.rows.filter(isObject).map(normalise) : [];
  const facets: Record<string, FacetValue[]> = {};
  if (isObject(body.facets)) {
    for (const [field, values] of Object.entries(body.facets)) {
      if (!Array.isArray(values)) continue;
      facets[field] = values.filter(isObject).map((v) => ({ value: str(v.value), count: num(v.count) ?? 0 }));
    }
  }
  return {
    rows,
    count: num(body.count) ?? rows.length,
    next: str(body.next),
    meta: normaliseMeta(body.meta),
    facets,
    summary: isObject(body.summary) ? body.summary : {},
  };
}

/** Every row of a list, following `next` (at most `maxPages` pages of 1000). */
export async function fetchAll<T>(
  path: string,
  params: Params,
  normalise: (row: Json) => T,
  signal?: AbortSignal,
  maxPages = 10,
): Promise<ListAnswer<T>> {
  const first = await fetchList(path, { ...params, _size: 1000 }, normalise, signal);
  let next = first.next;
  for (let page = 1; next && page < maxPages; page += 1) {
    const more = await fetchList(path, { ...params, _size: 1000, _next: next }, normalise, signal);
    first.rows.push(...more.rows);
    next = more.next;
  }
  return { ...first, next };
}

export async function fetchData(
  path: string,
  params: Params = {},
  signal?: AbortSignal,
  template?: string,
): Promise<{ data: Json; meta: Meta; body: Json }> {
  if (template) await requireEndpoint(template);
  const body = await getJson(apiHref(path, params), signal);
  return { data: isObject(body.data) ? body.data : {}, meta: normaliseMeta(body.meta), body };
}

let pathsPromise: Promise<Set<string> | null> | null = null;

/** The API's paths, from its OpenAPI description (asked for once per session; null if it cannot be read). */
function apiPaths(): Promise<Set<string> | null> {
  pathsPromise ??= getJson('/openapi.json')
    .then((body) => new Set(Object.keys(isObject(body.paths) ? body.paths : {})))
    .catch(() => null);
  return pathsPromise;
}

/**
 * Fails with a 404 `not_available` error, without asking for it, when the API does not describe `template` (e.g.
 * `/v1/reports/{id}`): endpoints still being built are then "not available yet" rather than a failed request.
 */
export async function requireEndpoint(template: string): Promise<void> {
  const paths = await apiPaths();
  if (paths && paths.size > 0 && !paths.has(template))
    throw new ApiError(`${template} is not available yet`, 404, 'not_available');
}

/** True for a 404 that means "this endpoint does not exist (yet)" rather than "no such record". */
export function isMissingEndpoint(error: unknown): boolean {
  if (!(error instanceof ApiError)) return false;
  if (error.status === 501 || error.code === 'not_available') return true;
  return error.status === 404 && (error.code !== 'not_found' || /no such path/i.test(error.message));
}

/** A 404 about the data (e.g. "no SIPRI trade register has been imported yet"): said in the API's words, not as a failure. */
export function isNoData(error: unknown): error is ApiError {
  return error instanceof ApiError && error.status === 404 && !isMissingEndpoint(error);
}

export function isAbort(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}

export function asApiError(error: unknown): ApiError {
  return error instanceof ApiError ? error : new ApiError(String(error), 0, 'unknown');
}

// --- small readers ---

/** A number from a number or a decimal string ("52.5"); null when missing or not a number. */
export function num(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value);
    return Number.isFinite(n) ? n : null;
  }
  return null;
}

function int(value: unknown): number | null {
  const n = num(value);
  return n !== null && Number.isInteger(n) ? n : null;
}

function bool(value: unknown): boolean | null {
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 'yes') return true;
  if (value === 'false' || value === 'no') return false;
  return null;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.map(str).filter((v): v is string => v !== null) : [];
}

function numbers(value: unknown): number[] {
  return Array.isArray(value) ? value.map(num).filter((v): v is number => v !== null) : [];
}

// --- States and other parties (the crosswalk) ---

export interface Entity {
  id: string;
  name: string;
  kind: string | null;
  iso3: string | null;
  m49: string | null;
  relatedStateId: string | null;
  m49Region: string | null;
  unRegionalGroup: string | null;
}

let entitiesPromise: Promise<Map<string, Entity>> | null = null;

/** Every State, territory, historical State and other party, by id (asked for once per session). */
export function fetchEntities(): Promise<Map<string, Entity>> {
  entitiesPromise ??= fetchList('/v1/states', { _size: 1000 }, (row) => ({
    id: str(row.id) ?? str(row.iso3) ?? '',
    name: str(row.name) ?? str(row.id) ?? '',
    kind: str(row.kind),
    iso3: str(row.iso3),
    m49: code3(row.m49 ?? row.isoNumeric),
    relatedStateId: str(row.relatedStateId),
    m49Region: str(row.m49Region),
    unRegionalGroup: str(row.unRegionalGroup),
  })).then((answer) => new Map(answer.rows.map((row) => [row.id, row])));
  entitiesPromise.catch(() => (entitiesPromise = null));
  return entitiesPromise;
}

/** The name of a party id, or the id itself when it is not in the crosswalk. */
export function nameOf(entities: Map<string, Entity> | null, id: string | null): string {
  if (!id) return '';
  return entities?.get(id)?.name ?? id;
}

/** A map position for a party: its own M49 code, or that of its related State (a non-State actor, a former State). */
export function m49Of(entities: Map<string, Entity>, id: string): string | null {
  const entity = entities.get(id);
  if (!entity) return null;
  if (entity.m49) return entity.m49;
  return entity.relatedStateId ? (entities.get(entity.relatedStateId)?.m49 ?? null) : null;
}

// --- transfers ---

export interface Transfer {
  id: string;
  source: string;
  exporterId: string | null;
  importerId: string | null;
  year: number | null;
  deliveryYears: number[];
  orderYear: number | null;
  description: string | null;
  designation: string | null;
  categoryScheme: string | null;
  categoryCode: string | null;
  numberOfItems: number | null;
  numberOrdered: number | null;
  /** SIPRI TIV of the deliveries, as sent ("0" means more than 0 and less than 0.5). */
  tivDelivered: string | null;
  value: string | null;
  currency: string | null;
  basis: string | null;
  status: string | null;
  comments: string | null;
  uncertain: string[];
  valueMissingReason: string | null;
  numberOfItemsMissingReason: string | null;
  yearMissingReason: string | null;
  provenance: {
    fileName: string | null;
    row: number | null;
    sheet: string | null;
    importRunId: string | null;
  };
}

export function normaliseTransfer(row: Json): Transfer {
  const p = isObject(row.provenance) ? row.provenance : {};
  return {
    id: str(row.id) ?? '',
    source: str(row.source) ?? '',
    exporterId: str(row.exporterId),
    importerId: str(row.importerId),
    year: int(row.year),
    deliveryYears: numbers(row.deliveryYears),
    orderYear: int(row.orderYear),
    description: str(row.description),
    designation: str(row.designation),
    categoryScheme: str(row.categoryScheme),
    categoryCode: str(row.categoryCode),
    numberOfItems: num(row.numberOfItems),
    numberOrdered: num(row.numberOrdered),
    tivDelivered: str(row.tivDelivered),
    value: str(row.value),
    currency: str(row.currency),
    basis: str(row.basis),
    status: str(row.status),
    comments: str(row.comments),
    uncertain: strings(row.uncertain),
    valueMissingReason: str(row.valueMissingReason),
    numberOfItemsMissingReason: str(row.numberOfItemsMissingReason),
    yearMissingReason: str(row.yearMissingReason),
    provenance: {
      fileName: str(p.fileName),
      row: int(p.row),
      sheet: str(p.sheet),
      importRunId: str(p.importRunId),
    },
  };
}

// --- screening ---

export interface ScreeningRow {
  transferId: string;
  source: string | null;
  exporterId: string | null;
  importerId: string | null;
  years: number[];
  description: string | null;
  tivDelivered: string | null;
  outcome: string;
  episodeIds: string[];
  reason: string;
}

export function normaliseScreening(row: Json): ScreeningRow {
  return {
    transferId: str(row.transferId) ?? '',
    source: str(row.source),
    exporterId: str(row.exporterId),
    importerId: str(row.importerId),
    years: numbers(row.years),
    description: str(row.description),
    tivDelivered: str(row.tivDelivered),
    outcome: str(row.outcome) ?? 'unknown',
    episodeIds: strings(row.episodeIds),
    reason: str(row.reason) ?? '',
  };
}

// --- embargoes ---

export interface Embargo {
  id: string;
  authority: string;
  regime: string | null;
  target: string;
  targetIds: string[];
  scopeCode: string | null;
  scopeText: string | null;
  direction: string | null;
  startDate: string | null;
  endDate: string | null;
  endBasis: string | null;
  binding: string | null;
  bindingText: string | null;
  confidence: string | null;
  sources: string | null;
  statusText: string | null;
  imposingMeasures: string | null;
  modifyingMeasures: string | null;
  endingMeasure: string | null;
  notes: string | null;
}

export function normaliseEmbargo(row: Json): Embargo {
  const sources = Array.isArray(row.sources) ? strings(row.sources).join('; ') : str(row.sources);
  return {
    id: str(row.id) ?? '',
    authority: str(row.authority) ?? '',
    regime: str(row.regime),
    target: str(row.target) ?? '',
    targetIds: strings(row.targetIds),
    scopeCode: str(row.scopeCode),
    scopeText: str(row.scopeText),
    direction: str(row.direction),
    startDate: date(row.startDate),
    endDate: date(row.endDate),
    endBasis: str(row.endBasis),
    binding: str(row.binding),
    bindingText: str(row.bindingText),
    confidence: str(row.confidence),
    sources,
    statusText: str(row.statusText),
    imposingMeasures: str(row.imposingMeasures),
    modifyingMeasures: str(row.modifyingMeasures),
    endingMeasure: str(row.endingMeasure),
    notes: str(row.notes),
  };
}

// --- risk dossier ---

export interface Indicator {
  article: string;
  indicator: string;
  value: string | null;
  level: string;
  source: string | null;
  explanation: string;
}

export interface Dossier {
  asOf: string | null;
  period: { from: number | null; to: number | null };
  citation: string | null;
  indicators: Indicator[];
  caveats: string[];
}

export function normaliseDossier(data: Json): Dossier {
  const period = isObject(data.period) ? data.period : {};
  const release = isObject(data.release) ? data.release : {};
  return {
    asOf: date(data.asOf),
    period: { from: int(period.from), to: int(period.to) },
    citation: str(release.citation),
    indicators: (Array.isArray(data.indicators) ? data.indicators.filter(isObject) : []).map((row) => ({
      article: str(row.article) ?? '',
      indicator: str(row.indicator) ?? '',
      value: row.value === null || row.value === undefined ? null : String(row.value),
      level: str(row.level) ?? 'info',
      source: str(row.source),
      explanation: str(row.explanation) ?? '',
    })),
    caveats: strings(data.caveats),
  };
}

// --- TIV tables (/v1/tiv) ---

export interface TivSeries {
  stateId: string;
  name: string;
  /** Year -> TIV (millions); a year the API does not list is absent, never 0. */
  byYear: Map<number, number>;
  total: number | null;
}

export interface TivAnswer {
  rows: TivSeries[];
  years: number[];
  yearRule: string | null;
  meta: Meta;
}

export async function fetchTiv(params: Params, signal?: AbortSignal): Promise<TivAnswer> {
  const body = await getJson(apiHref('/v1/tiv', params), signal);
  const summary = isObject(body.summary) ? body.summary : {};
  const rows = (Array.isArray(body.rows) ? body.rows.filter(isObject) : []).map((row) => {
    const byYear = new Map<number, number>();
    for (const [key, value] of Object.entries(row)) {
      if (!/^\d{4}$/.test(key)) continue;
      const n = num(value);
      if (n !== null) byYear.set(Number(key), n);
    }
    return { stateId: str(row.stateId) ?? '', name: str(row.name) ?? '', byYear, total: num(row.total) };
  });
  return {
    rows,
    years: numbers(summary.years),
    yearRule: str(summary.yearRule),
    meta: normaliseMeta(body.meta),
  };
}

// --- coverage (/v1/coverage) ---

export interface CoverageParty {
  rank: number | null;
  stateId: string;
  name: string;
  kind: string | null;
  tiv: number;
  sharePercent: number;
  status: string | null;
  bucket: string | null;
}

export interface CoverageBucket {
  bucket: string;
  tiv: number;
  sharePercent: number;
  parties: number;
}

export interface CoverageSide {
  totalTiv: number;
  buckets: CoverageBucket[];
  top: CoverageParty[];
}

export interface Coverage {
  asOf: string | null;
  period: { from: number | null; to: number | null };
  release: { dataGenerated: string | null; citation: string | null; fileName: string | null };
  exports: CoverageSide;
  imports: CoverageSide;
  caveats: string[];
}

function coverageSide(value: unknown): CoverageSide {
  const side = isObject(value) ? value : {};
  return {
    totalTiv: num(side.totalTiv) ?? 0,
    buckets: (Array.isArray(side.buckets) ? side.buckets.filter(isObject) : []).map((b) => ({
      bucket: str(b.bucket) ?? '',
      tiv: num(b.tiv) ?? 0,
      sharePercent: num(b.sharePercent) ?? 0,
      parties: int(b.parties) ?? 0,
    })),
    top: (Array.isArray(side.top) ? side.top.filter(isObject) : []).map((p) => ({
      rank: int(p.rank),
      stateId: str(p.stateId) ?? '',
      name: str(p.name) ?? str(p.stateId) ?? '',
      kind: str(p.kind),
      tiv: num(p.tiv) ?? 0,
      sharePercent: num(p.sharePercent) ?? 0,
      status: str(p.status),
      bucket: str(p.bucket),
    })),
  };
}

export function normaliseCoverage(data: Json): Coverage {
  const period = isObject(data.period) ? data.period : {};
  const release = isObject(data.release) ? data.release : {};
  return {
    asOf: date(data.asOf),
    period: { from: int(period.from), to: int(period.to) },
    release: {
      dataGenerated: date(release.dataGenerated),
      citation: str(release.citation),
      fileName: str(release.fileName),
    },
    exports: coverageSide(data.exports),
    imports: coverageSide(data.imports),
    caveats: strings(data.caveats),
  };
}

// --- datasets ---

export interface Dataset {
  dataset: string;
  file: string | null;
  asAt: string | null;
  source: string;
  licence: string | null;
  notes: string | null;
}

export function normaliseDataset(row: Json): Dataset {
  return {
    dataset: str(row.dataset) ?? '',
    file: str(row.file),
    asAt: date(row.asAt),
    source: str(row.source) ?? '',
    licence: str(row.licence) ?? str(row.license),
    notes: str(row.notes),
  };
}

export interface ImportRun {
  id: string;
  source: string;
  parser: string | null;
  fileName: string | null;
  fileSha256: string | null;
  importedAt: string | null;
  accepted: number | null;
  quarantined: number | null;
}

export function normaliseImportRun(row: Json): ImportRun {
  return {
    id: str(row.id) ?? '',
    source: str(row.source) ?? '',
    parser: str(row.parser),
    fileName: str(row.fileName),
    fileSha256: str(row.fileSha256),
    importedAt: str(row.importedAt),
    accepted: int(row.accepted),
    quarantined: int(row.quarantined),
  };
}

// --- report registry and scores (coming: /v1/reports) ---

export interface FormStatus {
  visibility: string | null;
  nil: boolean | null;
  withheld: boolean | null;
}

export interface ScoreCriterion {
  id: string;
  label: string;
  points: number;
  maxPoints: number;
  reason: string;
}

export interface Score {
  rubricVersion: string | null;
  score: number;
  maxScore: number;
  criteria: ScoreCriterion[];
}

export interface Report {
  id: string;
  stateId: string;
  kind: string;
  coveredYear: number | null;
  submittedOn: string | null;
  /** Null: the form was not included, or (formsRecorded false) not recorded. */
  exports: FormStatus | null;
  imports: FormStatus | null;
  formsRecorded: boolean;
  reportVisibility: string | null;
  sourceUrl: string | null;
  score: Score | null;
}

function formStatus(value: unknown): FormStatus | null {
  if (!isObject(value)) return null;
  const sensitive = bool(value.withheldCommerciallySensitive);
  const security = bool(value.withheldNationalSecurity);
  const withheld =
    bool(value.withheld) ??
    (sensitive || security ? true : sensitive === null && security === null ? null : false);
  return { visibility: str(value.visibility), nil: bool(value.nil ?? value.nilReport), withheld };
}

export function normaliseScore(value: unknown): Score | null {
  if (!isObject(value)) return null;
  const score = num(value.score);
  const maxScore = num(value.maxScore);
  if (score === null || maxScore === null) return null;
  return {
    rubricVersion: str(value.rubricVersion),
    score,
    maxScore,
    criteria: (Array.isArray(value.criteria) ? value.criteria.filter(isObject) : []).map((c) => ({
      id: str(c.id) ?? '',
      label: str(c.label) ?? str(c.id) ?? '',
      points: num(c.points) ?? 0,
      maxPoints: num(c.maxPoints) ?? 0,
      reason: str(c.reason) ?? '',
    })),
  };
}

export function normaliseReport(row: Json): Report {
  return {
    id: str(row.id) ?? '',
    stateId: str(row.stateId) ?? '',
    kind: str(row.kind) ?? '',
    coveredYear: int(row.coveredYear),
    submittedOn: date(row.submittedOn),
    exports: formStatus(row.exports),
    imports: formStatus(row.imports),
    formsRecorded: bool(row.formsRecorded) ?? true,
    reportVisibility: str(row.reportVisibility),
    sourceUrl: str(row.sourceUrl),
    score: normaliseScore(row.score),
  };
}

// --- compliance (coming: /v1/compliance/rates, /v1/compliance/states/{iso3}) ---

export interface Share {
  numerator: number;
  denominator: number;
  percent: number | null;
}

export interface ComplianceRate {
  kind: string;
  coveredYear: number | null;
  groupBy: string;
  group: string;
  counts: Record<string, number>;
  reported: Share | null;
  onTime: Share | null;
  private: Share | null;
  anyFormPrivate: Share | null;
  summary: string | null;
}

function share(value: unknown): Share | null {
  if (!isObject(value)) return null;
  const numerator = num(value.numerator);
  const denominator = num(value.denominator);
  if (numerator === null || denominator === null) return null;
  return { numerator, denominator, percent: num(value.percent) };
}

export function normaliseRate(row: Json): ComplianceRate {
  const counts: Record<string, number> = {};
  if (isObject(row.counts))
    for (const [key, value] of Object.entries(row.counts)) counts[key] = num(value) ?? 0;
  const rates = isObject(row.rates) ? row.rates : {};
  return {
    kind: str(row.kind) ?? 'annual',
    coveredYear: int(row.coveredYear),
    groupBy: str(row.groupBy) ?? 'all',
    group: str(row.group) ?? 'all',
    counts,
    reported: share(rates.reported),
    onTime: share(rates.onTime),
    private: share(rates.private),
    anyFormPrivate: share(rates.anyFormPrivate),
    summary: str(row.summary),
  };
}

/**
 * `/v1/compliance/rates?year=` for one covered year: `{ data: { rates: [...] } }` (a list envelope or an array in
 * `data` are read too, so that either shape works).
 */
export async function fetchRates(
  params: Params,
  signal?: AbortSignal,
): Promise<{ rows: ComplianceRate[]; meta: Meta }> {
  await requireEndpoint('/v1/compliance/rates');
  const body = await getJson(apiHref('/v1/compliance/rates', params), signal);
  const list = Array.isArray(body.rows)
    ? body.rows
    : Array.isArray(body.data)
      ? body.data
      : isObject(body.data) && Array.isArray(body.data.rates)
        ? body.data.rates
        : [];
  return { rows: list.filter(isObject).map(normaliseRate), meta: normaliseMeta(body.meta) };
}

/** Rates for several covered years (one request each), merged; years the API refuses are left out. */
export async function fetchRatesForYears(
  years: readonly number[],
  params: Params,
  signal?: AbortSignal,
): Promise<{ rows: ComplianceRate[]; meta: Meta }> {
  const answers = await Promise.all(
    years.map((year) =>
      fetchRates({ ...params, year }, signal).catch((err: unknown) => {
        if (isMissingEndpoint(err) || isAbort(err)) throw err;
        return null;
      }),
    ),
  );
  const ok = answers.filter((a): a is { rows: ComplianceRate[]; meta: Meta } => a !== null);
  return { rows: ok.flatMap((a) => a.rows), meta: ok[0]?.meta ?? { sources: [], notices: [] } };
}

export interface ObligationCompliance {
  kind: string;
  coveredYear: number | null;
  dueDate: string | null;
  status: string;
  daysLate: number | null;
  reason: string | null;
  submittedOn: string | null;
  visibility: string | null;
}

export interface StateCompliance {
  obligations: ObligationCompliance[];
  counts: Record<string, number>;
  summary: string | null;
}

export function normaliseStateCompliance(data: Json): StateCompliance {
  const counts: Record<string, number> = {};
  if (isObject(data.counts))
    for (const [key, value] of Object.entries(data.counts)) counts[key] = num(value) ?? 0;
  return {
    obligations: (Array.isArray(data.obligations) ? data.obligations.filter(isObject) : []).map((o) => {
      const submission = isObject(o.submission) ? o.submission : {};
      return {
        kind: str(o.kind) ?? '',
        coveredYear: int(o.coveredYear),
        dueDate: date(o.dueDate),
        status: str(o.status) ?? 'unknown',
        daysLate: int(o.daysLate),
        reason: str(o.reason),
        submittedOn: date(submission.submittedOn),
        visibility: str(submission.visibility),
      };
    }),
    counts,
    summary: str(data.summary),
  };
}

// --- reporting obligations, as a list of all States (for the compliance fallback) ---

export interface ObligationRow {
  iso3: string;
  kind: string;
  coveredYear: number | null;
  dueDate: string | null;
  status: string;
}

export function normaliseObligationRow(row: Json): ObligationRow {
  return {
    iso3: str(row.iso3) ?? str(row.stateId) ?? '',
    kind: str(row.kind) ?? '',
    coveredYear: int(row.coveredYear),
    dueDate: date(row.dueDate),
    status: str(row.status) ?? 'unknown',
  };
}
