import { randomUUID } from 'node:crypto';
import { sql, type Selectable, type Transaction } from 'kysely';
import type { AlertEventInput } from '../model/alert-event.js';
import type { AttReport, AttReportRow } from '../model/att-report.js';
import { AppError } from '../model/errors.js';
import type { ReportRegistryEntry } from '../model/report-registry.js';
import type { ReportKind } from '../model/reporting.js';
import {
  canEditDrafts,
  visibleVersion,
  type Draft,
  type DraftContent,
  type ReportVersion,
  type VersionDetail,
} from '../model/reporting-workflow.js';
import type { Viewer } from '../model/viewer.js';
import { appendAlertEvent } from './alert-events.js';
import { appendAudit } from './audit-log.js';
import { saveImportIn, supersedeEarlierImports, type ImportToSave } from './import-repository.js';
import { jsonb } from './jsonb.js';
import type { Store } from './open-store.js';
import { saveRegistryEntry } from './registry-repository.js';
import type { Database } from './schema.js';

export interface ReportRef {
  id: string;
  stateId: string;
  kind: ReportKind;
  coveredYear: number | null;
}

/** What the service hands over once it knows the version number: the parsed report, its import, registry entry, alerts. */
export interface PreparedVersion {
  content: DraftContent;
  title: AttReport | null;
  rows: AttReportRow[];
  /** The rows as an import (annual reports), stored exactly as `att import att-report` stores a file. */
  importToSave: ImportToSave | null;
  registryEntry(importRunId: number | null): ReportRegistryEntry;
  alerts: AlertEventInput[];
}

export interface SubmitContext {
  report: ReportRef;
  draft: Draft;
  version: number;
  previous: ReportVersion | null;
}

type DraftRow = Selectable<Database['report_drafts']> & {
  state_id: string;
  kind: 'initial' | 'annual';
  covered_year: number | null;
};
type VersionRow = Selectable<Database['report_versions']> & {
  state_id: string;
  kind: 'initial' | 'annual';
  covered_year: number | null;
};

function toDraft(row: DraftRow): Draft {
  return {
    id: row.id,
    reportId: row.report_id,
    stateId: row.state_id,
    kind: row.kind,
    coveredYear: row.covered_year,
    basedOnVersion: row.based_on_version,
    content: row.content as DraftContent,
    createdAt: new Date(row.created_at).toISOString(),
    createdBy: row.created_by,
    updatedAt: new Date(row.updated_at).toISOString(),
    updatedBy: row.updated_by,
  };
}

function toVersion(row: VersionRow): ReportVersion {
  return {
    reportId: row.report_id,
    stateId: row.state_id,
    kind: row.kind,
    coveredYear: row.covered_year,
    version: row.version,
    basedOnVersion: row.based_on_version,
    submittedAt: new Date(row.submitted_at).toISOString(),
    submittedBy: row.submitted_by,
    content: row.content as DraftContent,
    title: (row.title ?? null) as AttReport | null,
    rows: row.rows as AttReportRow[],
    importRunId: row.import_run_id,
    registryEntryId: row.registry_entry_id,
  };
}

const draftNotFound = (id: string) =>
  new AppError('not_found', `no draft "${id}"`, {
    location: { parameter: 'id', value: id },
    hint: "list your State's drafts at /v1/reporting/drafts",
  });

/**
 * Reports, drafts and versions of the State reporting workflow (ATT Art. 13). A draft is seen only by its State's
 * officers and the Secretariat (`canEditDrafts`), anyone else gets "no such draft". Versions are immutable (migration
 * 0007); what a viewer sees of one is `visibleVersion`. Every write is audited in its own transaction.
 */
export function createReportingRepository(store: Store) {
  const draftsQuery = (db: Store['db'] | Transaction<Database>) =>
    db
      .selectFrom('report_drafts as d')
      .innerJoin('reporting_reports as r', 'r.id', 'd.report_id')
      .selectAll('d')
      .select(['r.state_id', 'r.kind', 'r.covered_year']);
  const versionsQuery = (db: Store['db'] | Transaction<Database>) =>
    db
      .selectFrom('report_versions as v')
      .innerJoin('reporting_reports as r', 'r.id', 'v.report_id')
      .selectAll('v')
      .select(['r.state_id', 'r.kind', 'r.covered_year']);

  async function latestIn(db: Store['db'] | Transaction<Database>, reportId: string): Promise<ReportVersion | null> {
    const row = await versionsQuery(db).where('v.report_id', '=', reportId).orderBy('v.version', 'desc').limit(1).executeTakeFirst();
    return row ? toVersion(row as VersionRow) : null;
  }

  return {
    /** The current (latest) version of a report, unfiltered: for the services that start an amendment from it. */
    latestVersion: (reportId: string) => latestIn(store.db, reportId),

    /** Creates a draft (and the report, the first time), audited. The caller has checked `canEditDrafts`. */
    async createDraft(report: ReportRef, content: DraftContent, basedOnVersion: number | null, actor: string, at: Date): Promise<Draft> {
      return store.transaction(async (trx) => {
        await trx
          .insertInto('reporting_reports')
          .values({ id: report.id, state_id: report.stateId, kind: report.kind, covered_year: report.coveredYear, created_at: at })
          .onConflict((oc) => oc.column('id').doNothing())
          .execute();
        const id = randomUUID();
        await trx
          .insertInto('report_drafts')
          .values({ id, report_id: report.id, based_on_version: basedOnVersion, content: jsonb(content), created_at: at, created_by: actor, updated_at: at, updated_by: actor })
          .execute();
        const draft = toDraft((await draftsQuery(trx).where('d.id', '=', id).executeTakeFirstOrThrow()) as DraftRow);
        await appendAudit(trx, { at, actor, action: 'report_draft.create', target: `report_draft:${id}`, before: null, after: draft });
        return draft;
      });
    },

    async getDraft(viewer: Viewer, id: string): Promise<Draft | undefined> {
      const row = await draftsQuery(store.db).where('d.id', '=', id).executeTakeFirst();
      if (!row || !canEditDrafts(viewer, row.state_id)) return undefined;
      return toDraft(row as DraftRow);
    },

    /** Drafts the viewer may see (own State's for an officer, all for the Secretariat), newest first. */
    async listDrafts(viewer: Viewer, filter: { stateId?: string; reportId?: string } = {}): Promise<Draft[]> {
      let query = draftsQuery(store.db).orderBy('d.updated_at', 'desc').orderBy('d.id');
      if (filter.stateId) query = query.where('r.state_id', '=', filter.stateId);
      if (filter.reportId) query = query.where('d.report_id', '=', filter.reportId);
      const rows = await query.execute();
      return rows.filter((r) => canEditDrafts(viewer, r.state_id)).map((r) => toDraft(r as DraftRow));
    },

    /** Replaces a draft's content, audited (before/after). 404 for a viewer who may not see it. */
    async updateDraft(viewer: Viewer, id: string, content: DraftContent, actor: string, at: Date): Promise<Draft> {
      return store.transaction(async (trx) => {
        const row = await draftsQuery(trx).where('d.id', '=', id).forUpdate('d').executeTakeFirst();
        if (!row || !canEditDrafts(viewer, row.state_id)) throw draftNotFound(id);
        await trx.updateTable('report_drafts').set({ content: jsonb(content), updated_at: at, updated_by: actor }).where('id', '=', id).execute();
        const after = toDraft((await draftsQuery(trx).where('d.id', '=', id).executeTakeFirstOrThrow()) as DraftRow);
        await appendAudit(trx, { at, actor, action: 'report_draft.update', target: `report_draft:${id}`, before: toDraft(row as DraftRow), after });
        return after;
      });
    },

    async deleteDraft(viewer: Viewer, id: string, actor: string, at: Date): Promise<void> {
      await store.transaction(async (trx) => {
        const row = await draftsQuery(trx).where('d.id', '=', id).forUpdate('d').executeTakeFirst();
        if (!row || !canEditDrafts(viewer, row.state_id)) throw draftNotFound(id);
        await trx.deleteFrom('report_drafts').where('id', '=', id).execute();
        await appendAudit(trx, { at, actor, action: 'report_draft.delete', target: `report_draft:${id}`, before: toDraft(row as DraftRow), after: null });
      });
    },

    /**
     * Submits a draft as the report's next version, in ONE transaction: the version, its rows as an import (transfers
     * with provenance), the registry entry, the previous version's rows withdrawn from the public, alert events, audit
     * rows, and the draft's removal. The report row is locked first (`for update`), so two officers submitting at the
     * same moment get versions N and N+1, one after the other; a crash before COMMIT leaves none of it.
     * `prepare` is called inside the lock, once the version number is known.
     */
    async submit(
      viewer: Viewer,
      draftId: string,
      actor: string,
      at: Date,
      prepare: (context: SubmitContext) => Promise<PreparedVersion>,
      hooks: { beforeCommit?: () => Promise<void> } = {},
    ): Promise<ReportVersion> {
      return store.transaction(async (trx, session) => {
        const peek = await trx.selectFrom('report_drafts').select('report_id').where('id', '=', draftId).executeTakeFirst();
        if (!peek) throw draftNotFound(draftId);
        // Serialises submissions of one report on both engines (PGlite runs one transaction at a time anyway).
        const report = await trx.selectFrom('reporting_reports').selectAll().where('id', '=', peek.report_id).forUpdate().executeTakeFirstOrThrow();
        const draftRow = await draftsQuery(trx).where('d.id', '=', draftId).executeTakeFirst();
        // Gone meanwhile: another request submitted or discarded this very draft while we waited for the lock.
        if (!draftRow || !canEditDrafts(viewer, draftRow.state_id)) throw draftNotFound(draftId);
        const draft = toDraft(draftRow as DraftRow);
        const previous = await latestIn(trx, report.id);
        const version = (previous?.version ?? 0) + 1;
        const ref: ReportRef = { id: report.id, stateId: report.state_id, kind: report.kind, coveredYear: report.covered_year };
        const prepared = await prepare({ report: ref, draft, version, previous });

        const run = prepared.importToSave ? await saveImportIn(trx, session, prepared.importToSave) : null;
        const entry = prepared.registryEntry(run?.id ?? null);
        await saveRegistryEntry(trx, entry);
        await trx
          .insertInto('report_versions')
          .values({
            report_id: report.id,
            version,
            based_on_version: draft.basedOnVersion,
            submitted_at: at,
            submitted_by: actor,
            content: jsonb(prepared.content),
            title: prepared.title === null ? null : jsonb(prepared.title),
            rows: jsonb(prepared.rows),
            import_run_id: run?.id ?? null,
            registry_entry_id: entry.id,
          })
          .execute();
        if (previous?.importRunId != null) {
          // The latest version decides what is public (docs/data-model.md): the replaced version's rows stay for
          // those entitled to private forms (ATT Art. 13(3)), never for the public.
          await trx.updateTable('transfers').set({ visibility: 'private' }).where('import_run_id', '=', previous.importRunId).execute();
          await trx.updateTable('import_runs').set({ visibility: 'restricted' }).where('id', '=', previous.importRunId).execute();
          await appendAudit(trx, {
            at,
            actor,
            action: 'import_run.supersede',
            target: `import_run:${previous.importRunId}`,
            before: { visibility: 'as submitted' },
            after: { visibility: 'restricted', supersededBy: `${report.id} v${version}` },
          });
        }
        // A report of the same State and year imported from a file before this version is replaced by it too.
        if (run) await supersedeEarlierImports(trx, run.id, { stateId: entry.stateId, kind: entry.kind, coveredYear: entry.coveredYear }, at, actor);
        for (const alert of prepared.alerts) await appendAlertEvent(trx, alert);
        await trx.deleteFrom('report_drafts').where('id', '=', draftId).execute();
        const stored = toVersion({ ...(await trx.selectFrom('report_versions').selectAll().where('report_id', '=', report.id).where('version', '=', version).executeTakeFirstOrThrow()), state_id: report.state_id, kind: report.kind, covered_year: report.covered_year });
        await appendAudit(trx, {
          at,
          actor,
          action: 'report_version.create',
          target: `report_version:${report.id}:${version}`,
          before: null,
          after: { reportId: report.id, version, basedOnVersion: draft.basedOnVersion, importRunId: run?.id ?? null, registryEntryId: entry.id, rows: prepared.rows.length },
        });
        await appendAudit(trx, { at, actor, action: 'report_draft.submit', target: `report_draft:${draftId}`, before: draft, after: null });
        await hooks.beforeCommit?.();
        return stored;
      });
    },

    /** Versions as the viewer may see them (`visibleVersion`), by report then version. */
    async listVersions(viewer: Viewer, filter: { reportId?: string; stateId?: string } = {}): Promise<VersionDetail[]> {
      let query = versionsQuery(store.db).orderBy('v.report_id').orderBy('v.version');
      if (filter.reportId) query = query.where('v.report_id', '=', filter.reportId);
      if (filter.stateId) query = query.where('r.state_id', '=', filter.stateId);
      const versions = (await query.execute()).map((r) => toVersion(r as VersionRow));
      const latest = new Map<string, number>();
      for (const v of versions) latest.set(v.reportId, Math.max(latest.get(v.reportId) ?? 0, v.version));
      return versions.map((v) => visibleVersion(v, supersededBy(versions, v, latest), viewer));
    },

    async getVersion(viewer: Viewer, reportId: string, version: number): Promise<VersionDetail | undefined> {
      const versions = await this.listVersions(viewer, { reportId });
      return versions.find((v) => v.version === version);
    },

    /** Reports with at least one version, plus those with a draft the viewer may see. */
    async listReports(viewer: Viewer, filter: { stateId?: string } = {}): Promise<(ReportRef & { versions: number; drafts: number })[]> {
      let query = store.db
        .selectFrom('reporting_reports as r')
        .select((eb) => [
          'r.id',
          'r.state_id',
          'r.kind',
          'r.covered_year',
          eb.selectFrom('report_versions as v').whereRef('v.report_id', '=', 'r.id').select(sql<number>`count(*)::int`.as('n')).as('versions'),
          eb.selectFrom('report_drafts as d').whereRef('d.report_id', '=', 'r.id').select(sql<number>`count(*)::int`.as('n')).as('drafts'),
        ])
        .orderBy('r.state_id')
        .orderBy('r.covered_year')
        .orderBy('r.id');
      if (filter.stateId) query = query.where('r.state_id', '=', filter.stateId);
      const rows = await query.execute();
      return rows
        .map((r) => ({
          id: r.id,
          stateId: r.state_id,
          kind: r.kind,
          coveredYear: r.covered_year,
          versions: Number(r.versions ?? 0),
          // The existence of a draft is the State's business (and the Secretariat's) only.
          drafts: canEditDrafts(viewer, r.state_id) ? Number(r.drafts ?? 0) : 0,
        }))
        .filter((r) => r.versions > 0 || r.drafts > 0);
    },
  };
}

function supersededBy(all: readonly ReportVersion[], version: ReportVersion, latest: Map<string, number>): number | null {
  if (latest.get(version.reportId) === version.version) return null;
  return all.find((v) => v.reportId === version.reportId && v.version === version.version + 1)?.version ?? null;
}

export type ReportingRepository = ReturnType<typeof createReportingRepository>;
