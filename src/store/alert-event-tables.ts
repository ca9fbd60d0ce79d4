import type { ColumnType, Generated } from 'kysely';

/** Tables of migration 0006-alert-events. */
export interface AlertEventTables {
  alert_events: {
    id: Generated<number>;
    at: ColumnType<Date, Date | string, Date | string>;
    kind: string;
    state_id: string | null;
    subject: string;
    title: string;
    summary: string;
    link: string;
    audience: string;
  };
}
