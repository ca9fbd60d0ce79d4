import { compareDecimals, decimalToString, subtractDecimals } from '../model/decimal.js';
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
  added: Transfer[];
  removed: Transfer[];
  changed: RowChange[];
  unchanged: number;
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
export function diffTransfers(before: readonly Transfer[], after: readonly Transfer[]): TransferDiff {
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
  return { comparable: true, matchedOn, reason: null, added, removed, changed, unchanged };
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
