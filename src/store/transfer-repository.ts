import { sql, type Expression, type SqlBool } from 'kysely';
import { defaultSipriRegister, registerNotice } from '../analysis/default-register.js';
import { reportFamilyOf, type RegistryReportKind } from '../model/report-registry.js';
import type { Transfer } from '../model/transfer.js';
import type { Viewer } from '../model/viewer.js';
import { rowsVisibleTo, runsVisibleTo } from './visibility.js';
import type { Store } from './open-store.js';

/** API field name -> column of the transfers table, for every field a caller can filter, sort or facet by. */
export const TRANSFER_COLUMNS = {
  id: 'id',
  importRunId: 'import_run_id',
  source: 'source',
  exporterId: 'exporter_id',
  importerId: 'importer_id',
  year: 'year',
  orderYear: 'order_year',
  categoryScheme: 'category_scheme',
  categoryCode: 'category_code',
  basis: 'basis',
  currency: 'currency',
  numberOfItems: 'number_of_items',
  tivDelivered: 'tiv_delivered',
  value: 'value',
} as const;
export type TransferField = keyof typeof TRANSFER_COLUMNS;

const INTEGER_FIELDS = new Set<TransferField>(['id', 'importRunId', 'year', 'orderYear', 'numberOfItems']);

export interface TransferQuery {
  filters: Map<TransferField, string[]>;
  yearFrom?: number;
  yearTo?: number;
  sort: { field: TransferField; descending: boolean };
  limit: number;
  offset: number;
  facets: TransferField[];
}

export interface TransferPage {
  rows: (Transfer & { id: number; importRunId: number })[];
  count: number;
  facets: Record<string, { value: string | number | null; count: number }[]>;
  /** The import runs the rows were taken from when the caller named none (see `defaultScope`). */
  scope: number[];
  /** What the answer must say of the SIPRI register in that scope: a selection, or a file that does not say (`registerNotice`). */
  registerNotice: string | null;
}


const FACET_LIMIT = 50;

/**
 * Transfers in the store, filtered, sorted, paged and faceted in SQL. Without an `importRunId` filter the scope is
 * one SIPRI trade register import (`defaultSipriRegister`: the whole database, the newer release, the wider range)
 * plus every other source's imports except superseded reports (the latest import per State, kind and year counts),
 * so that two releases (or two layouts of one release) of SIPRI's data, or two versions of one ATT report, are never
 * added up.
 */
export function createTransferRepository(store: Store) {
  /**
   * The default scope as `viewer` may see it: a run whose every row is in a form the viewer may not read (a wholly
   * private report, ATT Art. 13(3)) is left out, so that even its id does not show in `summary.scope`. A half-public
   * report stays: its public rows carry its run id anyway.
   */
  async function defaultScope(viewer: Viewer): Promise<number[]> {
    return (await defaultScopeWithRegister(viewer)).runIds;
  }

  async function defaultScopeWithRegister(viewer: Viewer): Promise<{ runIds: number[]; registerNotice: string | null }> {
    const runs = await store.db
      .selectFrom('import_runs')
      .select(['id', 'source', 'parser', 'accepted', 'refused', 'metadata'])
      .where((eb) =>
        eb.or([
          runsVisibleTo(viewer, 'import_runs'),
          sql<SqlBool>`exists (select 1 from transfers where transfers.import_run_id = import_runs.id and ${rowsVisibleTo(viewer)})`,
        ]),
      )
      .orderBy('id')
      .execute();
    // A report replaced by a later one keeps its rows for the history, but only the current one counts, so that an
    // amended report is never added up twice (docs/data-model.md): a version superseded in the reporting workflow,
    // and any report of a State for a year once a later import (a corrected file, or a version submitted in the
    // workflow) brings the same State and year.
    const superseded = new Set(
      (
        await store.db
          .selectFrom('report_versions as v')
          .select('v.import_run_id')
          .where('v.import_run_id', 'is not', null)
          .where(({ exists, selectFrom }) =>
            exists(selectFrom('report_versions as w').select('w.version').whereRef('w.report_id', '=', 'v.report_id').whereRef('w.version', '>', 'v.version')),
          )
          .execute()
      ).map((r) => r.import_run_id),
    );
    const reports = await store.db
      .selectFrom('report_registry')
      .select(['state_id', 'kind', 'covered_year', 'import_run_id'])
      .where('import_run_id', 'is not', null)
      .execute();
    const latestByReport = new Map<string, number>();
    // An `update` amends the annual report of its year: one report (reportFamilyOf).
    const reportKey = (r: (typeof reports)[number]) => `${r.state_id}|${reportFamilyOf(r.kind as RegistryReportKind)}|${r.covered_year ?? ''}`;
    for (const r of reports) latestByReport.set(reportKey(r), Math.max(latestByReport.get(reportKey(r)) ?? 0, r.import_run_id!));
    for (const r of reports) if (r.import_run_id! < latestByReport.get(reportKey(r))!) superseded.add(r.import_run_id);
    // One SIPRI register: the same rule as the TIV tables (src/analysis/default-register.ts), so that a one-country
    // selection never stands for the database and two releases or layouts are never added up.
    const register = defaultSipriRegister(
      runs.map((r) => ({ ...r, metadata: (r.metadata ?? {}) as Record<string, string> })),
      'rows',
    );
    return {
      runIds: runs.filter((r) => !superseded.has(r.id) && (r.source !== 'sipri' || r.id === register?.id)).map((r) => r.id),
      registerNotice: register ? registerNotice(register.metadata) : null,
    };
  }

  return {
    defaultScope,

    async query(viewer: Viewer, query: TransferQuery): Promise<TransferPage> {
      const { runIds: scope, registerNotice: notice } = query.filters.has('importRunId')
        ? { runIds: [], registerNotice: null }
        : await defaultScopeWithRegister(viewer);
      const conditions = (except?: TransferField) => {
        const parts: Expression<SqlBool>[] = [rowsVisibleTo(viewer)];
        if (!query.filters.has('importRunId')) {
          parts.push(scope.length > 0 ? sql<SqlBool>`import_run_id in (${sql.join(scope)})` : sql<SqlBool>`false`);
        }
        for (const [field, values] of query.filters) {
          if (field === except) continue;
          const column = sql.ref(TRANSFER_COLUMNS[field]);
          const typed = values.map((v) => (INTEGER_FIELDS.has(field) ? Number(v) : v));
          parts.push(sql<SqlBool>`${column} in (${sql.join(typed)})`);
        }
        if (query.yearFrom !== undefined) parts.push(sql<SqlBool>`year >= ${query.yearFrom}`);
        if (query.yearTo !== undefined) parts.push(sql<SqlBool>`year <= ${query.yearTo}`);
        return sql.join(parts, sql` and `);
      };
      const where = conditions();
      const order = sql.ref(TRANSFER_COLUMNS[query.sort.field]);
      const direction = query.sort.descending ? sql`desc nulls last` : sql`asc nulls last`;

      const [rows, count, ...facetRows] = await Promise.all([
        sql<{ id: number; import_run_id: number; record: Transfer }>`
          select id, import_run_id, record from transfers where ${where}
          order by ${order} ${direction}, id asc limit ${query.limit} offset ${query.offset}`.execute(store.db),
        sql<{ n: number }>`select count(*)::int as n from transfers where ${where}`.execute(store.db),
        // A facet counts the rows matching every filter except its own (so that a reader sees the alternatives).
        ...query.facets.map((field) =>
          sql<{ value: string | number | null; n: number }>`
            select ${sql.ref(TRANSFER_COLUMNS[field])} as value, count(*)::int as n from transfers
            where ${conditions(field)} group by 1 order by 2 desc, 1 asc limit ${FACET_LIMIT}`.execute(store.db),
        ),
      ]);
      return {
        rows: rows.rows.map((r) => ({ ...r.record, id: Number(r.id), importRunId: r.import_run_id })),
        count: count.rows[0]?.n ?? 0,
        facets: Object.fromEntries(query.facets.map((field, i) => [field, facetRows[i]!.rows.map((r) => ({ value: r.value, count: r.n }))])),
        scope,
        registerNotice: notice,
      };
    },
  };
}

export type TransferRepository = ReturnType<typeof createTransferRepository>;
