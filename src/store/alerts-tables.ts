import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

/** Tables of migration 0009-alerts-and-reference-upkeep. */
export interface AlertsTables {
  reference_amendments: {
    id: Generated<number>;
    at: Timestamp;
    actor: string;
    target_kind: 'treaty_record' | 'embargo_episode';
    target_id: string;
    action: 'create' | 'update';
    changes: unknown;
    after: unknown;
    source: unknown;
  };
  deadline_alerts: {
    obligation_key: string;
    threshold_days: number;
    event_id: number | null;
    at: Timestamp;
  };
  subscriptions: {
    id: string;
    user_id: string;
    kinds: unknown;
    state_id: string | null;
    channel: 'email' | 'webhook';
    webhook_url: string | null;
    webhook_secret: string | null;
    created_at: Timestamp;
    from_event_id: number;
  };
  outbox_state: {
    id: number;
    last_event_id: number;
  };
  outbox_deliveries: {
    id: Generated<number>;
    event_id: number;
    subscription_id: string;
    channel: string;
    status: 'pending' | 'delivered' | 'dead' | 'withheld';
    attempts: Generated<number>;
    next_attempt_at: Timestamp;
    last_error: string | null;
    created_at: Timestamp;
    delivered_at: NullableTimestamp;
  };
  outbox_emails: {
    id: Generated<number>;
    delivery_id: number;
    to_address: string;
    subject: string;
    body: string;
    created_at: Timestamp;
    sent_at: NullableTimestamp;
  };
}
