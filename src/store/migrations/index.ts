import type { Kysely } from 'kysely';
import * as storageCore from './0001-storage-core.js';
import * as reference from './0002-reference.js';
import * as imports from './0003-imports.js';
import * as reportRegistry from './0004-report-registry.js';
import * as accounts from './0005-accounts.js';
import * as alertEvents from './0006-alert-events.js';
import * as reportingWorkflow from './0007-reporting-workflow.js';
import * as civilSociety from './0008-civil-society.js';
import * as alertsAndReferenceUpkeep from './0009-alerts-and-reference-upkeep.js';

/**
 * One schema change. `up` receives the migration's transaction: use only it. Migrations see `Kysely<unknown>` on purpose:
 * they describe the schema as it was when they were written, not today's `Database` interface.
 */
export interface StoreMigration {
  readonly name: string;
  up(db: Kysely<unknown>): Promise<void>;
}

/**
 * Every migration, in order. A static list rather than a directory scan, so that it works the same from src/ (tsx,
 * vitest) and from the compiled dist/. Names sort in the order they run ('0001-...', '0002-...'); append, never
 * rename or reorder a migration that has shipped.
 */
export const migrations: readonly StoreMigration[] = [
  { name: '0001-storage-core', up: storageCore.up },
  { name: '0002-reference', up: reference.up },
  { name: '0003-imports', up: imports.up },
  { name: '0004-report-registry', up: reportRegistry.up },
  { name: '0005-accounts', up: accounts.up },
  { name: '0006-alert-events', up: alertEvents.up },
  { name: '0007-reporting-workflow', up: reportingWorkflow.up },
  { name: '0008-civil-society', up: civilSociety.up },
  { name: '0009-alerts-and-reference-upkeep', up: alertsAndReferenceUpkeep.up },
];
