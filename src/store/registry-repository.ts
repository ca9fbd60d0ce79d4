import type { Kysely, Transaction } from 'kysely';
import type { ReportRegistryEntry } from '../model/report-registry.js';
import { privateAccess, type Viewer } from '../model/viewer.js';
import { appendAudit } from './audit-log.js';
import { jsonb } from './jsonb.js';
import type { Store } from './open-store.js';
import type { Database } from './schema.js';

/** Inserts or replaces one registry entry (ids are deterministic, so recording the same report again changes nothing). */
export async function saveRegistryEntry(db: Kysely<Database> | Transaction<Database>, entry: ReportRegistryEntry): Promise<void> {
  const values = {
    id: entry.id,
    state_id: entry.stateId,
    kind: entry.kind,
    covered_year: entry.coveredYear,
    submitted_on: entry.submittedOn,
    origin: entry.origin,
    import_run_id: entry.importRunId,
    record: jsonb(entry),
  };
  await db
    .insertInto('report_registry')
    .values(values)
    .onConflict((oc) => oc.column('id').doUpdateSet({ ...values, id: undefined } as never))
    .execute();
}

/**
 * A registry entry as a viewer may see it. A private form shows only that it was submitted and is private
 * (ATT Art. 13(3): the State chose not to publish it): nil and withheld flags are dropped, and so is the
 * visibility of an initial report's contents. Counts of "submitted, private" remain visible by design.
 */
export function visibleEntry(entry: ReportRegistryEntry, viewer: Viewer): ReportRegistryEntry {
  const access = privateAccess(viewer);
  switch (access.kind) {
    case 'all':
      return entry;
    case 'own-state':
    case 'none': {
      if (access.kind === 'own-state' && access.stateId === entry.stateId) return entry;
      const redact = (form: ReportRegistryEntry['exports']) =>
        form && form.visibility === 'private'
          ? { visibility: 'private' as const, nil: false, withheldCommerciallySensitive: null, withheldNationalSecurity: null }
          : form;
      return { ...entry, exports: redact(entry.exports), imports: redact(entry.imports), notes: entry.exports?.visibility === 'private' || entry.imports?.visibility === 'private' ? null : entry.notes };
    }
  }
}

export function createRegistryRepository(store: Store) {
  return {
    save: (entry: ReportRegistryEntry) => saveRegistryEntry(store.db, entry),
    /** Records (or replaces) an entry by hand, with an audit row (who, when, before/after) in the same transaction. */
    async record(entry: ReportRegistryEntry, actor: string, at: Date): Promise<void> {
      await store.transaction(async (trx) => {
        const before = await trx.selectFrom('report_registry').select('record').where('id', '=', entry.id).executeTakeFirst();
        await saveRegistryEntry(trx, entry);
        await appendAudit(trx, { at, actor, action: before ? 'report_registry.update' : 'report_registry.create', target: entry.id, before: before?.record ?? null, after: entry });
      });
    },
    async list(viewer: Viewer, filter: { stateId?: string; coveredYear?: number } = {}): Promise<ReportRegistryEntry[]> {
      let query = store.db.selectFrom('report_registry').select('record').orderBy('state_id').orderBy('covered_year').orderBy('id');
      if (filter.stateId) query = query.where('state_id', '=', filter.stateId);
      if (filter.coveredYear !== undefined) query = query.where('covered_year', '=', filter.coveredYear);
      const rows = await query.execute();
      return rows.map((r) => visibleEntry(r.record as ReportRegistryEntry, viewer));
    },
    async get(viewer: Viewer, id: string): Promise<ReportRegistryEntry | undefined> {
      const row = await store.db.selectFrom('report_registry').select('record').where('id', '=', id).executeTakeFirst();
      return row ? visibleEntry(row.record as ReportRegistryEntry, viewer) : undefined;
    },
  };
}

export type RegistryRepository = ReturnType<typeof createRegistryRepository>;
