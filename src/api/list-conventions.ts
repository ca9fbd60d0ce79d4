import { createHash } from 'node:crypto';
import { AppError } from '../model/errors.js';

/**
 * The list conventions every collection uses (docs/api.md): field filters by field name, `_sort`, `_size`, an
 * opaque `_next` cursor bound to the query that produced it, and the same filters on the `.csv` twin.
 */
export interface ListSpec {
  /** Fields that can be filtered by `field=value` (exact match; repeat the parameter for "any of"). */
  filterable: readonly string[];
  /** Fields that can be sorted by `_sort=field` or `_sort=-field`. */
  sortable: readonly string[];
  defaultSort: string;
  /** Endpoint-specific parameters that are not field filters (e.g. `asOf`, `q`). */
  parameters?: readonly string[];
  /** Fields that `_facet=field` can count (datasette's facets): value -> rows matching the other filters. */
  facetable?: readonly string[];
}

export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 1000;

export interface ListQuery {
  filters: Map<string, string[]>;
  sort: { field: string; descending: boolean };
  size: number;
  offset: number;
  parameters: Map<string, string>;
  notices: string[];
  fingerprint: string;
  facets: string[];
}

const CONTROL = new Set(['_sort', '_size', '_next', '_facet']);

/** Parses and checks a list request; unknown parameters are a 400 that lists the valid ones. */
export function parseListQuery(path: string, query: Record<string, string[]>, spec: ListSpec): ListQuery {
  const parameters = new Set(spec.parameters ?? []);
  const valid = [...spec.filterable, ...parameters, ...CONTROL];
  const filters = new Map<string, string[]>();
  const extra = new Map<string, string>();
  const notices: string[] = [];
  for (const [name, values] of Object.entries(query)) {
    if (CONTROL.has(name)) continue;
    if (parameters.has(name)) {
      extra.set(name, values[values.length - 1] ?? '');
    } else if (spec.filterable.includes(name)) {
      filters.set(name, values);
    } else {
      throw new AppError('validation', `unknown parameter "${name}"`, {
        location: { parameter: name },
        hint: `valid parameters here: ${valid.join(', ')}`,
        details: { validValues: valid },
      });
    }
  }

  const sortParam = last(query['_sort']) ?? spec.defaultSort;
  const descending = sortParam.startsWith('-');
  const sortField = descending ? sortParam.slice(1) : sortParam;
  if (!spec.sortable.includes(sortField)) {
    throw new AppError('validation', `cannot sort by "${sortField}"`, {
      location: { parameter: '_sort', value: sortParam },
      hint: `sortable fields: ${spec.sortable.join(', ')} (prefix with - for descending)`,
      details: { validValues: [...spec.sortable] },
    });
  }

  let size = DEFAULT_PAGE_SIZE;
  const sizeParam = last(query['_size']);
  if (sizeParam !== undefined) {
    const parsed = sizeParam === 'max' ? MAX_PAGE_SIZE : Number(sizeParam);
    if (!Number.isInteger(parsed) || parsed < 1) {
      throw new AppError(
        'validation',
        `"_size" must be a whole number from 1 to ${MAX_PAGE_SIZE}, or "max"`,
        {
          location: { parameter: '_size', value: sizeParam },
        },
      );
    }
    if (parsed > MAX_PAGE_SIZE)
      notices.push(`_size=${parsed} was capped at ${MAX_PAGE_SIZE}; follow "next" for more`);
    size = Math.min(parsed, MAX_PAGE_SIZE);
  }

  const facets = [...new Set((query['_facet'] ?? []).flatMap((f) => f.split(',')).filter(Boolean))];
  for (const facet of facets) {
    if (!(spec.facetable ?? []).includes(facet)) {
      throw new AppError('validation', `cannot facet by "${facet}"`, {
        location: { parameter: '_facet', value: facet },
        hint: spec.facetable?.length ? `facetable fields: ${spec.facetable.join(', ')}` : 'this list has no facets',
        details: { validValues: [...(spec.facetable ?? [])] },
      });
    }
  }

  const fingerprint = queryFingerprint(path, query);
  const cursor = last(query['_next']);
  const offset = cursor === undefined ? 0 : decodeCursor(cursor, fingerprint);
  return {
    facets,
    filters,
    sort: { field: sortField, descending },
    size,
    offset,
    parameters: extra,
    notices,
    fingerprint,
  };
}

export interface ListPage<Row> {
  rows: Row[];
  count: number;
  next: string | null;
}

/** Filters, sorts and pages rows held in memory (reference-sized lists). */
export function pageRows<Row extends object>(rows: readonly Row[], query: ListQuery): ListPage<Row> {
  const filtered = rows.filter((row) =>
    [...query.filters].every(([field, values]) =>
      values.includes(formatFilterValue((row as Record<string, unknown>)[field])),
    ),
  );
  const { field, descending } = query.sort;
  const sorted = [...filtered].sort((a, b) => {
    const order = compareValues((a as Record<string, unknown>)[field], (b as Record<string, unknown>)[field]);
    return descending ? -order : order;
  });
  return {
    rows: sorted.slice(query.offset, query.offset + query.size),
    count: sorted.length,
    next: nextCursor(query, sorted.length),
  };
}

/** How many values a facet lists at most (the most frequent first). */
export const FACET_LIMIT = 50;

/** Facets of rows held in memory: for each field, its values counted over the rows matching every other filter. */
export function facetRows<Row extends object>(
  rows: readonly Row[],
  query: ListQuery,
): Record<string, { value: string | number | boolean | null; count: number }[]> {
  return Object.fromEntries(
    query.facets.map((field) => {
      const others = { ...query, filters: new Map([...query.filters].filter(([f]) => f !== field)), offset: 0, size: Number.MAX_SAFE_INTEGER };
      const counts = new Map<string | number | boolean | null, number>();
      for (const row of pageRows(rows, others).rows) {
        const value = ((row as Record<string, unknown>)[field] ?? null) as string | number | boolean | null;
        counts.set(value, (counts.get(value) ?? 0) + 1);
      }
      const values = [...counts].map(([value, count]) => ({ value, count })).sort((a, b) => b.count - a.count);
      return [field, values.slice(0, FACET_LIMIT)];
    }),
  );
}

/** Missing values sort last in both directions' base order, so nulls never pretend to be zero or empty. */
function compareValues(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return 1;
  if (b === null || b === undefined) return -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b), 'en');
}

function formatFilterValue(value: unknown): string {
  if (value === null || value === undefined) return '';
  return String(value);
}

function last(values: string[] | undefined): string | undefined {
  return values === undefined ? undefined : values[values.length - 1];
}

function queryFingerprint(path: string, query: Record<string, string[]>): string {
  const canonical = Object.entries(query)
    // _facet does not change which rows a page holds, so a cursor stays valid when facets are toggled.
  .filter(([name]) => name !== '_next' && name !== '_facet')
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, values]) => `${name}=${[...values].sort().join(',')}`)
    .join('&');
  return createHash('sha256')
    .update(`${path.replace(/\.(csv|json)$/, '')}?${canonical}`)
    .digest('base64url')
    .slice(0, 16);
}

/** The cursor of the page after this one, or null when this page is the last. */
export function nextCursor(query: ListQuery, count: number): string | null {
  return query.offset + query.size < count ? encodeCursor(query.fingerprint, query.offset + query.size) : null;
}

function encodeCursor(fingerprint: string, offset: number): string {
  return Buffer.from(JSON.stringify({ q: fingerprint, o: offset })).toString('base64url');
}

function decodeCursor(cursor: string, fingerprint: string): number {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch (error) {
    throw invalidCursor(cursor, error);
  }
  const { q, o } = (decoded ?? {}) as { q?: unknown; o?: unknown };
  if (typeof q !== 'string' || typeof o !== 'number' || !Number.isInteger(o) || o < 0)
    throw invalidCursor(cursor);
  if (q !== fingerprint) {
    throw new AppError('validation', 'this "_next" cursor belongs to another query', {
      location: { parameter: '_next' },
      hint: 'use the cursor only with the filters and sort that produced it, or start again without _next',
    });
  }
  return o;
}

function invalidCursor(cursor: string, cause?: unknown): AppError {
  return new AppError('validation', '"_next" is not a cursor this API issued', {
    location: { parameter: '_next', value: cursor.slice(0, 40) },
    hint: 'take the cursor from the "next" field of the previous page',
    cause,
  });
}
