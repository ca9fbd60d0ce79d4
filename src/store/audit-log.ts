import type { Kysely, Transaction } from 'kysely';
import { AppError } from '../model/errors.js';
import type { Viewer } from '../model/viewer.js';
import { jsonb } from './jsonb.js';
import type { Store } from './open-store.js';
import type { Database } from './schema.js';

export interface AuditEntry {
  id: number;
  at: Date;
  /** `user:<id>`, `operator` or `anonymous` (e.g. accepting an invitation). */
  actor: string;
  /** What was done: `user.create`, `session.create`, `invitation.accept` ... */
  action: string;
  /** What it was done to: `user:<id>`, `invitation:<hash prefix>` ... */
  target: string;
  before: unknown;
  after: unknown;
}

export type AuditRecord = Omit<AuditEntry, 'id'>;

/**
 * Appends one entry, in the caller's transaction so that a write and its audit row commit or roll back together.
 * This module offers no update or delete; the database refuses them too (triggers of migration 0005).
 */
export async function appendAudit(db: Kysely<Database> | Transaction<Database>, entry: AuditRecord): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      at: entry.at,
      actor: entry.actor,
      action: entry.action,
      target: entry.target,
      before: entry.before === undefined || entry.before === null ? null : jsonb(entry.before),
      after: entry.after === undefined || entry.after === null ? null : jsonb(entry.after),
    })
    .execute();
}

/** Reading the audit log: the Secretariat, admin and the local operator only. */
export function createAuditLog(store: Store) {
  return {
    async list(viewer: Viewer, filter: { limit?: number; action?: string; target?: string } = {}): Promise<AuditEntry[]> {
      switch (viewer.kind) {
        case 'operator':
        case 'secretariat':
        case 'admin':
          break;
        case 'anonymous':
        case 'researcher':
        case 'state_officer':
          throw new AppError('forbidden', 'only the Secretariat may read the audit log');
      }
      let query = store.db.selectFrom('audit_log').selectAll().orderBy('id', 'desc').limit(filter.limit ?? 100);
      if (filter.action !== undefined) query = query.where('action', '=', filter.action);
      if (filter.target !== undefined) query = query.where('target', '=', filter.target);
      const rows = await query.execute();
      return rows.map((r) => ({ ...r, id: Number(r.id) }));
    },
  };
}

export type AuditLog = ReturnType<typeof createAuditLog>;
