import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Decimal = ColumnType<string | null, string | null, string | null>;

/** Tables of migration 0003-imports. */
export interface ImportTables {
  import_runs: {
    id: Generated<number>;
    source: string;
    parser: string;
    file_name: string;
    file_sha256: string;
    file_bytes: number;
    imported_at: Timestamp;
    rows_read: number;
    accepted: number;
    quarantined: number;
    blank: number;
    refused: boolean;
    metadata: unknown;
    stats: unknown;
    file_issues: unknown;
    visibility: Generated<'public' | 'restricted'>;
  };
  transfers: {
    id: Generated<number>;
    import_run_id: number;
    row_number: number;
    source: string;
    source_record_id: string | null;
    exporter_id: string;
    importer_id: string | null;
    partner_aggregated: boolean;
    year: number | null;
    order_year: number | null;
    category_scheme: string;
    category_code: string | null;
    basis: string;
    number_of_items: number | null;
    value: Decimal;
    currency: string | null;
    tiv_delivered: Decimal;
    visibility: Generated<'public' | 'private'>;
    record: unknown;
  };
  source_records: {
    id: Generated<number>;
    import_run_id: number;
    row_number: number;
    sheet: string | null;
    kind: string;
    record: unknown;
  };
  quarantined_rows: {
    id: Generated<number>;
    import_run_id: number;
    row_number: number;
    sheet: string | null;
    codes: string;
    raw: unknown;
    issues: unknown;
  };
  report_registry: {
    id: string;
    state_id: string;
    kind: string;
    covered_year: number | null;
    submitted_on: ColumnType<string | null, string | null, string | null>;
    origin: string;
    import_run_id: number | null;
    record: unknown;
  };
  tiv_totals: {
    import_run_id: number;
    side: 'exporter' | 'importer';
    state_id: string;
    year: number;
    tiv: string;
  };
}
