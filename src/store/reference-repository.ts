import type { Dataset } from '../model/dataset.js';
import { AppError } from '../model/errors.js';
import type { EmbargoEpisode } from '../model/embargo.js';
import type { State, StateAlias } from '../model/state.js';
import type { TreatyRecord } from '../model/treaty.js';
import type { Viewer } from '../model/viewer.js';
import type { Store } from './open-store.js';
import { applyAmendments } from '../analysis/reference-upkeep.js';
import { readAmendments } from './reference-upkeep-repository.js';
import { referenceWriteGeneration } from './reference-writes.js';

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
 * Reads reference data from the store. The snapshot is cached in memory and re-read when the stored version (content
 * hash of the files, last amendment) changes. The version is checked with one indexed single-row query, at most once
 * per `versionTtlMs` (default 1 s): a write in this process is seen at once (`referenceWritten`,
 * src/store/reference-writes.ts), a reload by another process sharing a PostgreSQL server within `versionTtlMs`, as
 * for the API's data version (src/store/data-version.ts).
 */
export function createReferenceRepository(
  store: Store,
  options: { versionTtlMs?: number; now?: () => number } = {},
): ReferenceRepository {
  const ttlMs = options.versionTtlMs ?? 1000;
  const now = options.now ?? (() => performance.now());
  let cached: { seq: number; snapshot: ReferenceSnapshot } | undefined;
  let loading: { version: string; promise: Promise<ReferenceSnapshot> } | undefined;
  let checks = 0;
  let trusted = { at: -Infinity, generation: -1 };

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
      const generation = referenceWriteGeneration(store);
      if (cached && generation === trusted.generation && now() - trusted.at < ttlMs) return cached.snapshot;
      const check = { seq: ++checks, at: now(), generation };
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
      let snapshot = cached?.snapshot.version === version ? cached.snapshot : undefined;
      if (!snapshot) {
        // Concurrent callers that saw the same version share one read.
        if (loading?.version !== version) {
          const promise = read(version, current.loaded_at).finally(() => {
            if (loading?.promise === promise) loading = undefined;
          });
          loading = { version, promise };
        }
        snapshot = await loading.promise;
      }
      // The latest check wins (an earlier one finishing later never brings an older version back). It is trusted for
      // the TTL from when it began, and only in the generation it began in: a write committed meanwhile is checked again.
      if (!cached || check.seq > cached.seq) {
        cached = { seq: check.seq, snapshot };
        trusted = { at: check.at, generation: check.generation };
      }
      return snapshot;
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
