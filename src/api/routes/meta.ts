import type { Clock } from '../../model/clock.js';
import type { ReferenceSnapshot } from '../../store/reference-repository.js';
import type { Meta } from '../envelope.js';

/** The `meta` block: the named datasets' sources and licences, and when the response was made. */
export function metaFor(snapshot: ReferenceSnapshot, datasets: readonly string[], clock: Clock): Meta {
  return {
    sources: snapshot.datasets
      .filter((d) => datasets.includes(d.dataset))
      .map((d) => ({ dataset: d.dataset, source: d.source, licence: d.licence, asAt: d.asAt ?? null })),
    retrievedAt: clock.now().toISOString(),
    notices: [],
  };
}
