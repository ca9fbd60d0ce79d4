import type { ColumnType } from 'kysely';
import type { AccountTables } from './account-tables.js';
import type { AlertEventTables } from './alert-event-tables.js';
import type { AlertsTables } from './alerts-tables.js';
import type { CivilSocietyTables } from './civil-society-tables.js';
import type { ImportTables } from './import-tables.js';
import type { ReferenceTables } from './reference-tables.js';
import type { ReportingTables } from './reporting-tables.js';

/**
 * Kysely table types for the whole database. Column types follow the parsers in type-parsers.ts, identical on both
 * engines: bigint/count -> number, numeric -> string (exact decimals), date -> 'YYYY-MM-DD' string,
 * timestamptz -> Date. The lead extends this interface as migrations add tables.
 */
export interface Database
  extends ReferenceTables, ImportTables, AccountTables, AlertEventTables, ReportingTables, CivilSocietyTables, AlertsTables {
  app_meta: AppMetaTable;
}

/** Key/value facts about the installation itself (schema notes, last import run ...). */
export interface AppMetaTable {
  key: string;
  value: string;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}
