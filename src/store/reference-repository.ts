import type { Dataset } from '../model/dataset.js';
import { AppError } from '../model/errors.js';
import type { EmbargoEpisode } from '../model/embargo.js';
import type { State, StateAlias } from '../model/state.js';
import type { TreatyRecord } from '../model/treaty.js';
import type { Viewer } from '../model/viewer.js';
import type { Store } from './open-store.js';
import { applyAmendments } from '../analysis/reference-upkeep.js';
import { readAmendments } from './reference-upkeep-repository.js';

/**
 * All reference data as one consistent snapshot: the files of data/reference/ with the Secretariat's amendments made
 * in the app applied over them (src/analysis/reference-upkeep.ts `applyAmendments`). It changes when an operator
 * reloads the files or the Secretariat records an amendment.
 */
export interface ReferenceSnapshot {
  /** sha256 of the reference files this snapshot was loaded from, and `+a<id>` of the last amendment applied. */
  version: string;
  loadedAt: Date;
  states: State[];
  aliases: StateAlias[];
  treatyRecords: TreatyRecord[];
  embargoes: EmbargoEpisode[];
  datasets: Dataset[];
}

export interface ReferenceRepository {
  /** Reference data visible to the viewer (all of it is public today; the viewer is checked here, in one place). */
  snapshot(viewer: Viewer): Promise<ReferenceSnapshot>;
}

/**
 * Reads reference data from the store. The snapshot is cached in memory and re-read when the stored content hash
 * changes (one indexed single-row query per call), so another process reloading the data is seen at once.
 */
export function createReferenceRepository(store: Store): ReferenceRepository {
  let cached: ReferenceSnapshot | undefined;
  let loading: Promise<ReferenceSnapshot> | undefined;

  async function read(version: string, loadedAt: Date): Promise<ReferenceSnapshot> {
    const [states, aliases, treaty, embargoes, datasets, amendments] = await Promise.all([
      store.db.selectFrom('states').select('record').orderBy('id').execute(),
      store.db
        .selectFrom('state_aliases')
        .select(['alias', 'state_id', 'source', 'notes'])
        .orderBy('alias')
        .execute(),
      store.db.selectFrom('treaty_records').select('record').orderBy('state_id').execute(),
      store.db.selectFrom('embargo_episodes').select('record').orderBy('id').execute(),
      store.db
        .selectFrom('reference_datasets')
        .select(['dataset', 'file', 'as_at', 'source', 'licence', 'notes'])
        .orderBy('dataset')
        .execute(),
      readAmendments(store.db),
    ]);
    const amended = applyAmendments(
      treaty.map((r) => r.record as TreatyRecord),
      embargoes.map((r) => r.record as EmbargoEpisode),
      amendments,
    );
    return {
      version,
      loadedAt,
      states: states.map((r) => r.record as State),
      aliases: aliases.map(
        (a) =>
          ({ alias: a.alias, stateId: a.state_id, source: a.source, notes: a.notes ?? null }) as StateAlias,
      ),
      treatyRecords: amended.treatyRecords,
      embargoes: amended.embargoes,
      datasets: datasets.map(
        (d) =>
          ({
            dataset: d.dataset,
            file: d.file,
            asAt: d.as_at,
            source: d.source,
            licence: d.licence,
            notes: d.notes ?? null,
          }) as Dataset,
      ),
    };
  }

  return {
    async snapshot(viewer) {
      // Every viewer may read reference data; the switch keeps the decision here when roles arrive.
      switch (viewer.kind) {
        case 'anonymous':
        case 'operator':
        case 'researcher':
        case 'state_officer':
        case 'secretariat':
        case 'admin':
          break;
      }
      const current = await store.db
        .selectFrom('reference_load')
        .select((eb) => [
          'content_sha256',
          'loaded_at',
          eb.selectFrom('reference_amendments').select((a) => a.fn.max('id').as('m')).as('last_amendment'),
        ])
        .where('id', '=', 1)
        .executeTakeFirst();
      if (!current) {
        throw new AppError('storage', 'no reference data has been loaded', {
          hint: 'start the server (att serve) or run att db migrate, which load data/reference/',
        });
      }
      const version = current.last_amendment === null || current.last_amendment === undefined
        ? current.content_sha256
        : `${current.content_sha256}+a${Number(current.last_amendment)}`;
      if (cached?.version === version) return cached;
      loading ??= read(version, current.loaded_at).finally(() => {
        loading = undefined;
      });
      cached = await loading;
      return cached;
    },
  };
}

/** A repository over reference data already in memory (tests, tools): same interface, no database. */
export function createInMemoryReferenceRepository(
  data: Omit<ReferenceSnapshot, 'version' | 'loadedAt'>,
  loadedAt: Date,
  version = 'in-memory',
): ReferenceRepository {
  const snapshot: ReferenceSnapshot = { ...data, version, loadedAt };
  return {
    async snapshot(viewer) {
      switch (viewer.kind) {
        case 'anonymous':
        case 'operator':
        case 'researcher':
        case 'state_officer':
        case 'secretariat':
        case 'admin':
          return snapshot;
      }
    },
  };
}
