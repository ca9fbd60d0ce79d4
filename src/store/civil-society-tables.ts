import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type DateText = ColumnType<string, string, string>;

/** Tables of migration 0008-civil-society. */
export interface CivilSocietyTables {
  meetings: {
    id: Generated<number>;
    kind: string;
    title: string;
    number: string | null;
    place: string | null;
    start_date: DateText;
    end_date: DateText;
  };
  meeting_sessions: {
    id: Generated<number>;
    meeting_id: number;
    title: string;
    date: DateText;
    start_time: string | null;
    ngo_access: 'open' | 'closed';
    note: string | null;
  };
  meeting_documents: {
    id: Generated<number>;
    meeting_id: number;
    session_id: number | null;
    symbol: string | null;
    title: string;
    date: DateText;
    language: string;
    link: string;
  };
  annotations: {
    id: Generated<number>;
    report_id: string;
    transfer_id: number | null;
    state_id: string;
    kind: 'question' | 'annotation';
    body: string;
    status: 'pending' | 'approved' | 'rejected';
    author_id: string;
    created_at: Timestamp;
    moderated_at: Timestamp | null;
    moderated_by: string | null;
    rejection_reason: string | null;
    answer: string | null;
    answered_at: Timestamp | null;
    answered_by: string | null;
  };
}
