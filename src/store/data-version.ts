import { sql } from 'kysely';
import type { Store } from './open-store.js';

/** The data version, and `invalidate()` for a write in this process that must be seen at once (no `ttlMs` wait). */
export type DataVersion = (() => Promise<string>) & { invalidate?: () => void };

/**
 * A token that changes whenever the public data change (reference data reloaded or amended in the app, an import
 * stored or removed, a registry entry, every change announced by an alert event (feeds are cached too; meetings,
 * published annotations and answers ...), and an approved annotation taken down, which no event announces). It is
 * read from the database at most once per `ttlMs`, so a cache keyed by it serves at memory speed and is at most
 * `ttlMs` stale when another process (sharing a PostgreSQL server) writes; a write in this process calls `invalidate()`.
 */
export function createDataVersion(store: Store, ttlMs = 1000, now: () => number = Date.now): DataVersion {
  let value: string | undefined;
  let readAt = -Infinity;
  let reading: Promise<string> | undefined;
  // A read started before an invalidation may return the old value: it must not be kept as fresh.
  let generation = 0;
  const version: DataVersion = async () => {
    if (value !== undefined && now() - readAt < ttlMs) return value;
    const started = generation;
    reading ??= sql<{ version: string }>`
      select coalesce((select content_sha256 from reference_load where id = 1), '') || ':' ||
             (select count(*) from import_runs)::text || ':' || coalesce((select max(id) from import_runs), 0)::text || ':' ||
             (select md5(coalesce(string_agg(id || record::text, ',' order by id), '')) from report_registry) || ':' ||
             coalesce((select max(id) from reference_amendments), 0)::text || ':' ||
             coalesce((select max(id) from alert_events), 0)::text || ':' ||
             (select count(*)::text || '-' || coalesce(sum(id), 0)::text from annotations where status = 'approved') as version`
      .execute(store.db)
      .then((result) => {
        const read = result.rows[0]?.version ?? '';
        if (started === generation) {
          value = read;
          readAt = now();
        }
        return read;
      })
      .finally(() => {
        reading = undefined;
      });
    return reading;
  };
  version.invalidate = () => {
    generation += 1;
    readAt = -Infinity;
    reading = undefined;
  };
  return version;
}
