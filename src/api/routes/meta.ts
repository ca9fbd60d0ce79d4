import type { ReferenceSnapshot } from '../../store/reference-repository.js';
import type { Meta } from '../envelope.js';

/**
 * The `meta` block: the named datasets' sources and licences, and when the data were retrieved (loaded from the
 * reference files), which keeps identical answers byte-identical so that ETags work.
 */
export function metaFor(snapshot: ReferenceSnapshot, datasets: readonly string[]): Meta {
  return {
    sources: snapshot.datasets
      .filter((d) => datasets.includes(d.dataset))
      .map((d) => ({ dataset: d.dataset, source: d.source, licence: d.licence, asAt: d.asAt ?? null })),
    retrievedAt: snapshot.loadedAt.toISOString(),
    notices: [],
  };
}
