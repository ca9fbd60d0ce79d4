import type {
  Meta,
  Obligation,
  SourceInfo,
  StateDetail,
  StatusCounts,
  StatusRow,
  TreatyRecord,
  TreatyStatusResponse,
} from './types.js';

/** An error answered by the API (its one error shape, docs/api.md) or a failure to reach it. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export type Json = Record<string, unknown>;

/** The API's one error shape (`{ error: { message, code, hint } }`) of a failed answer, as an ApiError. */
export function apiErrorOf(response: Response, body: unknown): ApiError {
  const err = isObject(body) && isObject(body.error) ? body.error : {};
  return new ApiError(
    str(err.message) ?? `${response.status} ${response.statusText}`,
    response.status,
    str(err.code) ?? 'http',
    str(err.hint) ?? undefined,
  );
}

export async function getJson(path: string, signal?: AbortSignal): Promise<Json> {
  let response: Response;
  try {
    response = await fetch(path, { headers: { accept: 'application/json' }, signal: signal ?? null });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError('network', 0, 'network');
  }
  // An error page from a proxy may not be JSON: read it as "no body" rather than fail on it.
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) throw apiErrorOf(response, body);
  if (!isObject(body)) throw new ApiError(`unexpected answer from ${path}`, response.status, 'shape');
  return body;
}

function query(params: Record<string, string | number | null | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params))
    if (value !== null && value !== undefined) search.set(key, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
}

// Treaty status per date is asked for again when the user goes back and forth: keep the answers of this session.
const statusCache = new Map<string, Promise<TreatyStatusResponse>>();

/** Each State's treaty status on `asOf` (today when null), with the summary counts. */
export function fetchTreatyStatus(asOf: string | null): Promise<TreatyStatusResponse> {
  const key = asOf ?? '';
  let pending = statusCache.get(key);
  if (!pending) {
    pending = getJson(`/v1/treaty/status${query({ asOf, _size: 1000 })}`)
      .then(normaliseStatusResponse)
      .then(fillCodes);
    pending.catch(() => statusCache.delete(key));
    statusCache.set(key, pending);
  }
  return pending;
}

let codesPromise: Promise<Map<string, { m49: string | null; iso2: string | null }>> | null = null;

/**
 * The map matches States by M49 code. If status rows come without `m49` (or `iso2`), take them from the States
 * crosswalk, asked for once per session.
 */
async function fillCodes(response: TreatyStatusResponse): Promise<TreatyStatusResponse> {
  if (response.rows.every((row) => row.m49 !== null || !row.iso3)) return response;
  codesPromise ??= getJson(`/v1/states${query({ kind: 'state', _size: 1000 })}`).then((body) => {
    const codes = new Map<string, { m49: string | null; iso2: string | null }>();
    for (const row of Array.isArray(body.rows) ? body.rows.filter(isObject) : []) {
      const iso3 = str(row.iso3);
      if (iso3) codes.set(iso3, { m49: code3(row.m49 ?? row.isoNumeric), iso2: str(row.iso2) });
    }
    return codes;
  });
  codesPromise.catch(() => (codesPromise = null));
  let codes: Map<string, { m49: string | null; iso2: string | null }>;
  try {
    codes = await codesPromise;
  } catch {
    return response; // the table still works; the map shows what it can match
  }
  return {
    ...response,
    rows: response.rows.map((row) => {
      const found = codes.get(row.iso3);
      return found ? { ...row, m49: row.m49 ?? found.m49, iso2: row.iso2 ?? found.iso2 } : row;
    }),
  };
}

export async function fetchState(
  iso3: string,
  asOf: string | null,
  signal?: AbortSignal,
): Promise<{ data: StateDetail; meta: Meta }> {
  const body = await getJson(`/v1/states/${encodeURIComponent(iso3)}${query({ asOf })}`, signal);
  const data = isObject(body.data) ? body.data : {};
  return { data: normaliseState(data), meta: normaliseMeta(body.meta) };
}

export async function fetchObligations(
  iso3: string,
  asOf: string | null,
  signal?: AbortSignal,
): Promise<{ rows: Obligation[]; meta: Meta }> {
  const body = await getJson(`/v1/reporting/obligations${query({ state: iso3, asOf, _size: 1000 })}`, signal);
  const rows = Array.isArray(body.rows) ? body.rows.filter(isObject).map(normaliseObligation) : [];
  return { rows, meta: normaliseMeta(body.meta) };
}

// --- normalisers: accept small differences of shape, never throw on an added field ---

export function normaliseStatusResponse(body: Json): TreatyStatusResponse {
  const rows = Array.isArray(body.rows) ? body.rows.filter(isObject).map(normaliseRow) : [];
  const summary = isObject(body.summary) ? body.summary : {};
  const counts = isObject(summary.counts) ? normaliseCounts(summary.counts, rows) : countRows(rows);
  return { rows, asOf: str(summary.asOf) ?? str(body.asOf), counts, meta: normaliseMeta(body.meta) };
}

function normaliseRow(row: Json): StatusRow {
  return {
    stateId: str(row.stateId) ?? str(row.iso3) ?? '',
    iso3: str(row.iso3) ?? '',
    iso2: str(row.iso2),
    m49: code3(row.m49 ?? row.isoNumeric),
    name: str(row.name) ?? str(row.iso3) ?? '',
    m49Region: str(row.m49Region) ?? str(row.region),
    unRegionalGroup: str(row.unRegionalGroup),
    status: str(row.status) ?? 'unknown',
    ...normaliseTreaty(row),
  };
}

function normaliseTreaty(row: Json): TreatyRecord {
  return {
    signatureDate: date(row.signatureDate),
    depositDate: date(row.depositDate),
    actionType: str(row.actionType),
    entryIntoForceDate: date(row.entryIntoForceDate),
    provisionalApplicationDate: date(row.provisionalApplicationDate),
    declaredNotToBecomeParty: declaration(row.declaredNotToBecomeParty ?? row.declaredNotToBecomePartyDate),
  };
}

function normaliseCounts(counts: Json, rows: StatusRow[]): StatusCounts {
  const fallback = countRows(rows);
  const pick = (key: keyof StatusCounts): number =>
    typeof counts[key] === 'number' ? (counts[key] as number) : fallback[key];
  return {
    signed: pick('signed'),
    signatory: pick('signatory'),
    deposited: pick('deposited'),
    depositedAwaitingEif: pick('depositedAwaitingEif'),
    stateParty: pick('stateParty'),
    declaredNotToBecomeParty: pick('declaredNotToBecomeParty'),
    notSigned: pick('notSigned'),
    total: pick('total'),
  };
}

/** Counts computed from the rows, used only if the API sends no summary. */
function countRows(rows: StatusRow[]): StatusCounts {
  const by = (status: string) => rows.filter((row) => row.status === status).length;
  return {
    signed: rows.filter((row) => row.signatureDate !== null && row.status !== 'not_signed').length,
    signatory: by('signatory'),
    deposited: by('state_party') + by('deposited_awaiting_eif'),
    depositedAwaitingEif: by('deposited_awaiting_eif'),
    stateParty: by('state_party'),
    declaredNotToBecomeParty: by('declared_not_to_become_party'),
    notSigned: by('not_signed'),
    total: rows.length,
  };
}

function normaliseState(data: Json): StateDetail {
  return {
    id: str(data.id) ?? str(data.iso3) ?? '',
    iso2: str(data.iso2),
    iso3: str(data.iso3) ?? '',
    m49: code3(data.m49),
    name: str(data.name) ?? str(data.iso3) ?? '',
    kind: str(data.kind),
    m49Region: str(data.m49Region),
    m49Subregion: str(data.m49Subregion),
    unRegionalGroup: str(data.unRegionalGroup),
    aliases: uniqueAliases(data.aliases, str(data.name)),
    treaty: isObject(data.treaty) ? normaliseTreaty(data.treaty) : null,
    status: str(data.status) ?? 'unknown',
    asOf: date(data.asOf),
  };
}

function normaliseObligation(row: Json): Obligation {
  return {
    iso3: str(row.iso3) ?? '',
    kind: str(row.kind) ?? '',
    coveredYear:
      typeof row.coveredYear === 'number'
        ? row.coveredYear
        : row.coveredYear
          ? Number(row.coveredYear)
          : null,
    windowOpens: date(row.windowOpens),
    dueDate: date(row.dueDate),
    graceEndsOn: date(row.graceEndsOn),
    deadlineTimeZone: str(row.deadlineTimeZone),
    status: str(row.status) ?? 'unknown',
  };
}

export function normaliseMeta(value: unknown): Meta {
  const meta = isObject(value) ? value : {};
  const sources: SourceInfo[] = Array.isArray(meta.sources)
    ? meta.sources.filter(isObject).map((s) => ({
        dataset: str(s.dataset) ?? undefined,
        source: str(s.source) ?? str(s.dataset) ?? '',
        licence: str(s.licence) ?? str(s.license) ?? undefined,
        asAt: date(s.asAt) ?? str(s.asAt) ?? undefined,
      }))
    : [];
  return {
    sources,
    retrievedAt: str(meta.retrievedAt) ?? undefined,
    notices: Array.isArray(meta.notices)
      ? meta.notices.map((n) => (typeof n === 'string' ? n : JSON.stringify(n)))
      : [],
  };
}

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function str(value: unknown): string | null {
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number') return String(value);
  return null;
}

/** A date field: `YYYY-MM-DD`, or the date part of a timestamp. */
export function date(value: unknown): string | null {
  const text = str(value);
  if (!text) return null;
  const match = /^\d{4}-\d{2}-\d{2}/.exec(text);
  return match ? match[0] : null;
}

/** Other names of a State, without repeats and without its own name. */
function uniqueAliases(value: unknown, name: string | null): string[] {
  if (!Array.isArray(value)) return [];
  const seen = new Set<string>(name ? [name.toLowerCase()] : []);
  const out: string[] = [];
  for (const alias of value) {
    if (typeof alias !== 'string' || seen.has(alias.toLowerCase())) continue;
    seen.add(alias.toLowerCase());
    out.push(alias);
  }
  return out;
}

function declaration(value: unknown): string | true | null {
  if (value === true) return true;
  return date(value);
}

/** M49 codes may arrive as numbers (4) or strings ('004'); the map needs three digits. */
export function code3(value: unknown): string | null {
  const text = str(value);
  if (!text || !/^\d{1,3}$/.test(text)) return null;
  return text.padStart(3, '0');
}
