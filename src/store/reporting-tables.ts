import type { ColumnType } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;

/** Tables of migration 0007-reporting-workflow. */
export interface ReportingTables {
  reporting_reports: {
    id: string;
    state_id: string;
    kind: 'initial' | 'annual';
    covered_year: number | null;
    created_at: Timestamp;
  };
  report_drafts: {
    id: string;
    report_id: string;
    based_on_version: number | null;
    content: unknown;
    created_at: Timestamp;
    created_by: string;
    updated_at: Timestamp;
    updated_by: string;
  };
  report_versions: {
    report_id: string;
    version: number;
    based_on_version: number | null;
    submitted_at: Timestamp;
    submitted_by: string;
    content: unknown;
    title: unknown;
    rows: unknown;
    import_run_id: number | null;
    registry_entry_id: string;
  };
}
