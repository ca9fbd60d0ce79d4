import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;

/** Tables of migration 0005-accounts. */
export interface AccountTables {
  users: {
    id: string;
    email: string;
    display_name: string;
    role: 'researcher' | 'state_officer' | 'secretariat' | 'admin';
    state_id: string | null;
    password_hash: string;
    created_at: Timestamp;
    disabled: Generated<boolean>;
  };
  sessions: {
    id: string;
    user_id: string;
    csrf_token: string;
    created_at: Timestamp;
    expires_at: Timestamp;
  };
  invitations: {
    token_hash: string;
    email: string;
    role: 'state_officer';
    state_id: string;
    created_by: string;
    created_at: Timestamp;
    expires_at: Timestamp;
    used_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  };
  api_keys: {
    key_hash: string;
    user_id: string;
    created_at: Timestamp;
    last_used_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  };
  login_attempts: {
    id: Generated<number>;
    email: string;
    ip: string;
    at: Timestamp;
  };
  audit_log: {
    id: Generated<number>;
    at: Timestamp;
    actor: string;
    action: string;
    target: string;
    before: unknown;
    after: unknown;
  };
}
