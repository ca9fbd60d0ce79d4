import { sql, type Expression, type SqlBool } from 'kysely';
import { privateAccess, type Viewer } from '../model/viewer.js';

// Who may see private ATT report forms (ATT Art. 13(3)) is decided by `privateAccess` (src/model/viewer.ts); these
// turn that decision into SQL conditions, in one place for every repository.

/**
 * Import runs a viewer may see, as a condition on `import_runs` named `table`: a run holding a private form is
 * `restricted` (its file, counts and quarantine too), visible as private forms are (`privateAccess`).
 */
export function runsVisibleTo(viewer: Viewer, table: 'import_runs' | 'r'): Expression<SqlBool> {
  const access = privateAccess(viewer);
  const visibility = sql.ref(`${table}.visibility`);
  switch (access.kind) {
    case 'none':
      return sql<SqlBool>`${visibility} = 'public'`;
    case 'all':
      return sql<SqlBool>`${visibility} in ('public', 'restricted')`;
    case 'own-state':
      return sql<SqlBool>`(${visibility} = 'public' or ${sql.ref(`${table}.metadata`)}->>'reportingStateId' = ${access.stateId})`;
  }
}

/** Transfer rows a viewer may see: private rows as private forms are (`privateAccess`, ATT Art. 13(3)). */
export function rowsVisibleTo(viewer: Viewer): Expression<SqlBool> {
  const access = privateAccess(viewer);
  switch (access.kind) {
    case 'none':
      return sql<SqlBool>`visibility = 'public'`;
    case 'all':
      return sql<SqlBool>`visibility in ('public', 'private')`;
    case 'own-state':
      return sql<SqlBool>`(visibility = 'public' or import_run_id in (
        select id from import_runs where metadata->>'reportingStateId' = ${access.stateId}))`;
  }
}


/** Alert events a viewer may read (src/model/alert-event.ts): public ones, and private-readers ones as private forms are. */
export function alertEventsVisibleTo(viewer: Viewer): Expression<SqlBool> {
  const access = privateAccess(viewer);
  switch (access.kind) {
    case 'none':
      return sql<SqlBool>`audience = 'public'`;
    case 'all':
      return sql<SqlBool>`audience in ('public', 'private-readers')`;
    case 'own-state':
      return sql<SqlBool>`(audience = 'public' or (audience = 'private-readers' and state_id = ${access.stateId}))`;
  }
}

/**
 * Annotations (questions) whose target a viewer may see, as a condition on `annotations` (ATT Art. 13(3)). A row
 * annotation follows its transfer row (`rowsVisibleTo`, evaluated on the row now, so a row made private later hides
 * its annotations); a report annotation needs a public form of the report, unless the viewer may read the report's
 * private forms. An annotation whose row or report no longer exists is shown to nobody.
 */
export function annotationTargetsVisibleTo(viewer: Viewer): Expression<SqlBool> {
  const access = privateAccess(viewer);
  const publicReport = sql<SqlBool>`(r.record->'exports'->>'visibility' = 'public' or r.record->'imports'->>'visibility' = 'public' or r.record->>'reportVisibility' = 'public')`;
  const reportReadable =
    access.kind === 'all' ? sql<SqlBool>`true` : access.kind === 'own-state' ? sql<SqlBool>`(${publicReport} or r.state_id = ${access.stateId})` : publicReport;
  return sql<SqlBool>`exists (select 1 from report_registry r where r.id = annotations.report_id and ${reportReadable}) and (
    annotations.transfer_id is null or exists (
      select 1 from transfers where transfers.id = annotations.transfer_id and ${rowsVisibleTo(viewer)}))`;
}
