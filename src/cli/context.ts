import type { Clock } from '../model/clock.js';
import type { Settings } from '../settings.js';
import {
  openStore,
  storeOptionsFromSettings,
  type PGliteBufferCache,
  type Store,
} from '../store/open-store.js';
import { createDataVersion } from '../store/data-version.js';
import { createImportRepository, type ImportRepository } from '../store/import-repository.js';
import { createTransferRepository, type TransferRepository } from '../store/transfer-repository.js';
import { createRegistryRepository, type RegistryRepository } from '../store/registry-repository.js';
import { createReferenceRepository, type ReferenceRepository } from '../store/reference-repository.js';
import { createReportingRepository, type ReportingRepository } from '../store/reporting-repository.js';
import { syncReference, type ReferenceSyncResult } from '../store/reference-sync.js';
import { createAnnotationRepository, type AnnotationRepository } from '../store/annotation-repository.js';
import { createMeetingRepository, type MeetingRepository } from '../store/meeting-repository.js';

export interface Context {
  store: Store;
  reference: ReferenceRepository;
  imports: ImportRepository;
  transfers: TransferRepository;
  registry: RegistryRepository;
  meetings: MeetingRepository;
  annotations: AnnotationRepository;
  referenceDir: string;
  referenceSync: ReferenceSyncResult;
}

/**
 * Opens the store (migrating it) and makes sure data/reference/ is loaded: what every command needs first. A command
 * that bulk-loads and exits asks for PGlite's small buffer cache (see PGliteBufferCache).
 */
export async function openContext(
  settings: Settings,
  clock: Clock,
  options: { bufferCache?: PGliteBufferCache } = {},
): Promise<Context> {
  const store = await openStore(storeOptionsFromSettings(settings, options));
  try {
    const referenceSync = await syncReference(store, settings.referenceDir, clock);
    return contextFor(store, settings.referenceDir, referenceSync);
  } catch (error) {
    await store.close();
    throw error;
  }
}

/** The repositories over an open store whose reference data are loaded (tests build contexts this way too). */
export function contextFor(store: Store, referenceDir: string, referenceSync: ReferenceSyncResult): Context {
  return {
    store,
    reference: createReferenceRepository(store),
    imports: createImportRepository(store),
    transfers: createTransferRepository(store),
    registry: createRegistryRepository(store),
    meetings: createMeetingRepository(store),
    annotations: createAnnotationRepository(store),
    referenceDir,
    referenceSync,
  };
}

/** The repositories the HTTP app reads through, and the data version its response cache is keyed by. */
export function repositoriesOf(
  context: Context,
): Pick<Context, 'reference' | 'imports' | 'transfers' | 'registry' | 'meetings' | 'annotations' | 'referenceDir'> & {
  dataVersion: () => Promise<string>;
  reportingWorkflow: ReportingRepository;
} {
  const { reference, imports, transfers, registry, meetings, annotations, referenceDir } = context;
  return {
    reference,
    imports,
    transfers,
    registry,
    meetings,
    annotations,
    referenceDir,
    dataVersion: createDataVersion(context.store),
    reportingWorkflow: createReportingRepository(context.store),
  };
}
