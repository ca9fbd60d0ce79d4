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
