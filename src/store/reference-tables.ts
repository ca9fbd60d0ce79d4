import type { ColumnType, Generated } from 'kysely';

/**
 * Tables that hold the reference data (data/reference/). Key columns are typed for filtering and joins; `record`
 * keeps the whole validated model object, so adding a field to a reference CSV needs no migration.
 */
type DateColumn = ColumnType<string | null, string | null, string | null>;

export interface ReferenceTables {
  reference_load: {
    id: number;
    content_sha256: string;
    loaded_at: ColumnType<Date, Date | string, Date | string>;
    files: unknown;
  };
  reference_datasets: {
    dataset: string;
    file: string;
    as_at: DateColumn;
    source: string;
    licence: string;
    notes: string | null;
  };
  states: {
    id: string;
    kind: string;
    iso3: string | null;
    iso2: string | null;
    m49: string | null;
    name: string;
    record: unknown;
  };
  state_aliases: {
    alias: string;
    source: string;
    state_id: string;
    notes: string | null;
  };
  treaty_records: {
    state_id: string;
    signature_date: DateColumn;
    deposit_date: DateColumn;
    entry_into_force_date: DateColumn;
    record: unknown;
  };
  embargo_episodes: {
    id: string;
    authority: string;
    start_date: DateColumn;
    end_date: DateColumn;
    target_ids: string;
    record: unknown;
  };
  reference_documents: {
    name: string;
    content: unknown;
  };
  reference_history: {
    id: Generated<number>;
    content_sha256: string;
    loaded_at: ColumnType<Date, Date | string, Date | string>;
    summary: unknown;
  };
}
