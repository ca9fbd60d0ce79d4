import { compareDecimals, decimalToString, subtractDecimals } from '../model/decimal.js';
import { readSipriSelectionLine } from './default-register.js';
import type { Transfer } from '../model/transfer.js';

/**
 * What changed between two releases of the same source (SIPRI revises its whole database every year). Rows are
 * matched on the source's own id plus the delivery year, which only delivery-row registers carry; classic deal rows
 * have no id, so for them only the TIV comparison below applies.
 */
export interface RowChange {
  key: string;
  sourceRecordId: string | null;
  year: number | null;
  fields: { field: string; before: unknown; after: unknown }[];
}

export interface TransferDiff {
  comparable: boolean;
  /** How rows were matched: SIPRI id and delivery year, or (classic rows, no ids) the deal's parties, order year and designation. */
  matchedOn: 'source-id-and-year' | 'deal-key' | null;
  /** Why rows could not be matched, when they could not. */
  reason: string | null;
  /** Rows only in the later release, less those the earlier release had but quarantined. */
  added: Transfer[];
  /** Rows only in the earlier release, less those the later release has but quarantined. */
  removed: Transfer[];
  changed: RowChange[];
  unchanged: number;
  /** Rows quarantined by either release, kept apart from additions and removals (see QuarantineComparison). */
  quarantine: QuarantineComparison;
}

/**
 * A row a release quarantined (unknown name, unreadable cell ...) is still in that release: SIPRI did not remove it,
 * the import could not read it. Such rows are matched to the other release's accepted rows on what can still be read
 * from their raw cells: the SIPRI id and delivery year (delivery rows; the id alone when the year is unreadable), or,
 * for classic deal rows without ids, the designation and order year.
 */
export interface QuarantineComparison {
  /** How quarantined rows were matched; null when the releases are not compared row by row. */
  matchedOn: 'source-id-and-year' | 'designation-and-order-year' | null;
  /** Rows the earlier release quarantined (all of them, whatever the filters). */
  before: number;
  /** Rows the later release quarantined (all of them, whatever the filters). */
  after: number;
  /** Accepted rows of the earlier release that the later one quarantined: not removals. */
  acceptedBeforeQuarantinedAfter: Transfer[];
  /** Accepted rows of the later release that the earlier one quarantined: not additions. */
  quarantinedBeforeAcceptedAfter: Transfer[];
}

/** What can be read of a quarantined row to match it with the other release (see QuarantineComparison). */
export interface QuarantinedRowRef {
  row: number;
  codes: readonly string[];
  sourceRecordId: string | null;
  /** Delivery year (delivery rows). */
  year: number | null;
  designation: string | null;
  orderYear: number | null;
}

/** Header labels of SIPRI's two layouts, compared ignoring case and spaces (src/ingest/sipri/layouts.ts). */
const RAW_LABELS = {
  sourceRecordId: ['sipri at database id'],
  year: ['delivery year'],
  designation: ['designation', 'weapon designation'],
  orderYear: ['order date', 'year of order'],
} as const;

/** Reads a quarantined SIPRI row's id, delivery year, designation and order year from its raw cells, where readable. */
export function quarantinedRowRef(entry: { row: number; codes: readonly string[]; raw: Record<string, string> | readonly string[] }): QuarantinedRowRef {
  const cells = new Map<string, string>();
  if (!Array.isArray(entry.raw))
    for (const [label, value] of Object.entries(entry.raw)) cells.set(label.toLowerCase().replace(/\s+/g, ' ').trim(), String(value).trim());
  const cell = (labels: readonly string[]) => {
    for (const label of labels) {
      const value = cells.get(label);
      if (value) return value;
    }
    return null;
  };
  const year = (value: string | null) => (value !== null && /^\d{4}$/.test(value) ? Number(value) : null);
  const id = cell(RAW_LABELS.sourceRecordId);
  return {
    row: entry.row,
    codes: entry.codes,
    sourceRecordId: id !== null && /^\d+$/.test(id) ? id : null,
    year: year(cell(RAW_LABELS.year)),
    designation: cell(RAW_LABELS.designation),
    orderYear: year(cell(RAW_LABELS.orderYear)),
  };
}

/** Fields compared between two versions of one row (provenance and row numbers always differ). */
const COMPARED_FIELDS = [
  'exporterId',
  'importerId',
  'orderYear',
  'deliveryYears',
  'categoryCode',
  'description',
  'designation',
  'numberOfItems',
  'numberOrdered',
  'tivDelivered',
  'tivPerUnit',
  'status',
  'localProduction',
  'uncertain',
] as const;

/**
 * Matches rows of two imports and lists what was added, removed or changed. Rows with SIPRI ids (delivery rows) match
 * on id and delivery year. Classic deal rows have no id: they match on exporter, importer, order year and designation,
 * which identifies a deal in practice but not in principle (two identical orders in one year pair in file order).
 * Mixing the two layouts is not comparable row by row.
 */
export function diffTransfers(
  before: readonly Transfer[],
  after: readonly Transfer[],
  quarantined: { before?: readonly QuarantinedRowRef[]; after?: readonly QuarantinedRowRef[] } = {},
): TransferDiff {
  const quarantinedBefore = quarantined.before ?? [];
  const quarantinedAfter = quarantined.after ?? [];
  const withIds = (rows: readonly Transfer[]) => rows.every((r) => r.sourceRecordId !== null);
  const withoutIds = (rows: readonly Transfer[]) => rows.every((r) => r.sourceRecordId === null);
  let keyOf: (t: Transfer) => string;
  let matchedOn: TransferDiff['matchedOn'];
  if (withIds(before) && withIds(after)) {
    keyOf = (t) => `${t.sourceRecordId}@${t.year ?? t.deliveryYears.join(';')}`;
    matchedOn = 'source-id-and-year';
  } else if (withoutIds(before) && withoutIds(after)) {
    keyOf = (t) => [t.exporterId, t.importerId, t.orderYear, t.designation].join('|');
    matchedOn = 'deal-key';
  } else {
    return {
      comparable: false,
      matchedOn: null,
      reason: 'one import has SIPRI ids (delivery rows) and the other has none (deal rows): compare their TIV tables instead',
      added: [],
      removed: [],
      changed: [],
      unchanged: 0,
      quarantine: {
        matchedOn: null,
        before: quarantinedBefore.length,
        after: quarantinedAfter.length,
        acceptedBeforeQuarantinedAfter: [],
        quarantinedBeforeAcceptedAfter: [],
      },
    };
  }
  const beforeByKey = groupByKey(before, keyOf);
  const afterByKey = groupByKey(after, keyOf);
  const added: Transfer[] = [];
  const removed: Transfer[] = [];
  const changed: RowChange[] = [];
  let unchanged = 0;
  for (const [key, rowsAfter] of afterByKey) {
    const rowsBefore = beforeByKey.get(key) ?? [];
    // The same id and year twice in one release is rare; pair them in file order and report the surplus.
    rowsAfter.forEach((rowAfter, i) => {
      const rowBefore = rowsBefore[i];
      if (!rowBefore) {
        added.push(rowAfter);
        return;
      }
      const fields = COMPARED_FIELDS.flatMap((field) =>
        JSON.stringify(rowBefore[field]) === JSON.stringify(rowAfter[field]) ? [] : [{ field, before: rowBefore[field], after: rowAfter[field] }],
      );
      if (fields.length === 0) unchanged++;
      else changed.push({ key, sourceRecordId: rowAfter.sourceRecordId, year: rowAfter.year, fields });
    });
    removed.push(...rowsBefore.slice(rowsAfter.length));
  }
  for (const [key, rowsBefore] of beforeByKey) if (!afterByKey.has(key)) removed.push(...rowsBefore);
  const byIds = matchedOn === 'source-id-and-year';
  const acceptedBeforeQuarantinedAfter = takeQuarantined(removed, quarantinedAfter, byIds);
  const quarantinedBeforeAcceptedAfter = takeQuarantined(added, quarantinedBefore, byIds);
  return {
    comparable: true,
    matchedOn,
    reason: null,
    added: without(added, quarantinedBeforeAcceptedAfter),
    removed: without(removed, acceptedBeforeQuarantinedAfter),
    changed,
    unchanged,
    quarantine: {
      matchedOn: byIds ? 'source-id-and-year' : 'designation-and-order-year',
      before: quarantinedBefore.length,
      after: quarantinedAfter.length,
      acceptedBeforeQuarantinedAfter,
      quarantinedBeforeAcceptedAfter,
    },
  };
}

/**
 * The rows (missing from the other release's accepted rows) that the other release quarantined; each quarantined
 * row accounts for one row at most. With ids: id and delivery year, or the id alone when the quarantined row's year is
 * unreadable. Without ids: designation and order year (case and spaces ignored).
 */
function takeQuarantined(rows: readonly Transfer[], quarantined: readonly QuarantinedRowRef[], byIds: boolean): Transfer[] {
  const text = (value: string | null) => (value ?? '').toLowerCase().replace(/\s+/g, ' ').trim();
  const keysOf = (t: Transfer): string[] =>
    byIds
      ? t.sourceRecordId === null
        ? []
        : [`${t.sourceRecordId}@${t.year ?? ''}`, `${t.sourceRecordId}@`]
      : t.designation === null || t.orderYear === null
        ? []
        : [`${text(t.designation)}@${t.orderYear}`];
  const keyOf = (q: QuarantinedRowRef): string | null =>
    byIds
      ? q.sourceRecordId === null
        ? null
        : `${q.sourceRecordId}@${q.year ?? ''}`
      : q.designation === null || q.orderYear === null
        ? null
        : `${text(q.designation)}@${q.orderYear}`;
  const available = new Map<string, number>();
  for (const q of quarantined) {
    const key = keyOf(q);
    if (key !== null) available.set(key, (available.get(key) ?? 0) + 1);
  }
  const taken: Transfer[] = [];
  for (const row of rows) {
    const key = keysOf(row).find((k) => (available.get(k) ?? 0) > 0);
    if (key === undefined) continue;
    available.set(key, available.get(key)! - 1);
    taken.push(row);
  }
  return taken;
}

function without(rows: readonly Transfer[], taken: readonly Transfer[]): Transfer[] {
  const set = new Set(taken);
  return rows.filter((t) => !set.has(t));
}

/** What a SIPRI export's first line says was selected: the parties and the year range, when it can be read. */
export interface SelectionText {
  /** The first line as SIPRI wrote it, spaces collapsed; null when the run has none. */
  text: string | null;
  /** `from China to All countries, 2000-2025`, or the text itself when it is not in SIPRI's usual wording. */
  short: string | null;
}

/** Reads `metadata.selection` of a SIPRI run (spaces collapsed, and a short form for tables). */
export function sipriSelection(metadata: Readonly<Record<string, string>>): SelectionText {
  const raw = metadata['selection'];
  if (raw === undefined || raw.trim() === '') return { text: null, short: null };
  const text = raw.replace(/\s+/g, ' ').replace(/\s+([.,;])/g, '$1').replace(/;+$/, '').trim();
  const parties = readSipriSelectionLine(raw);
  const years = /year range '([^']*)' to '([^']*)'/i.exec(text);
  if (!parties || !years) return { text, short: text };
  const range = years[1] === years[2] ? years[1]! : `${years[1]}-${years[2]}`;
  return { text, short: `from ${parties.suppliers} to ${parties.recipients}, ${/not specified/i.test(range) ? 'all years' : range}` };
}

/**
 * Whether two SIPRI runs are the same selection of the database. When they are not (the whole database against
 * "from France", or other year ranges), rows outside the narrower selection show as added or removed although SIPRI
 * neither added nor removed them: the difference must be said before any figure.
 */
export function compareSelections(
  before: Readonly<Record<string, string>>,
  after: Readonly<Record<string, string>>,
): { same: boolean | null; before: SelectionText; after: SelectionText; warning: string | null } {
  const a = sipriSelection(before);
  const b = sipriSelection(after);
  if (a.text === null || b.text === null) {
    return {
      same: null,
      before: a,
      after: b,
      warning:
        a.text === b.text
          ? null
          : `only one of the two runs says what was selected from SIPRI's database (${a.short ?? 'not said'} / ${b.short ?? 'not said'}); if the selections differ, rows outside the narrower one are not removals or additions`,
    };
  }
  if (a.text.toLowerCase() === b.text.toLowerCase()) return { same: true, before: a, after: b, warning: null };
  return {
    same: false,
    before: a,
    after: b,
    warning: `the two runs are different selections of SIPRI's database (${a.short} / ${b.short}): rows outside the narrower selection show as added or removed but were not added or removed by SIPRI; compare runs of the same selection, or narrow the comparison with --exporter, --from and --to`,
  };
}

export interface TivCellChange {
  stateId: string;
  year: number;
  before: string | null;
  after: string | null;
  /** after - before, treating a missing cell as no deliveries. */
  change: string;
}

/** Compares two TIV tables (State x year) cell by cell; cells equal in both are left out. */
export function diffTivCells(
  before: readonly { stateId: string; year: number; tiv: string }[],
  after: readonly { stateId: string; year: number; tiv: string }[],
): TivCellChange[] {
  const key = (c: { stateId: string; year: number }) => `${c.stateId}@${c.year}`;
  const a = new Map(before.map((c) => [key(c), c]));
  const b = new Map(after.map((c) => [key(c), c]));
  const changes: TivCellChange[] = [];
  for (const k of new Set([...a.keys(), ...b.keys()])) {
    const x = a.get(k);
    const y = b.get(k);
    if (x && y && compareDecimals(x.tiv, y.tiv) === 0) continue;
    const cell = (x ?? y)!;
    changes.push({
      stateId: cell.stateId,
      year: cell.year,
      before: x?.tiv ?? null,
      after: y?.tiv ?? null,
      change: decimalToString(subtractDecimals(y?.tiv ?? '0', x?.tiv ?? '0')),
    });
  }
  return changes.sort((p, q) => (p.stateId === q.stateId ? p.year - q.year : p.stateId < q.stateId ? -1 : 1));
}

function groupByKey(rows: readonly Transfer[], keyOf: (t: Transfer) => string): Map<string, Transfer[]> {
  const map = new Map<string, Transfer[]>();
  for (const row of rows) {
    const key = keyOf(row);
    const list = map.get(key);
    if (list) list.push(row);
    else map.set(key, [row]);
  }
  return map;
}
