import { sql } from 'kysely';
import type { Store } from './open-store.js';

/**
 * A token that changes whenever the public data change (reference data reloaded, an import stored or removed, and
 * every change announced by an alert event: meetings, published annotations and answers ...; and an approved
 * annotation taken down, which no event announces). It
 * is read from the database at most once per `ttlMs`, so a cache keyed by it serves at memory speed and is at most
 * `ttlMs` stale when another process (sharing a PostgreSQL server) writes.
 */
export function createDataVersion(store: Store, ttlMs = 1000, now: () => number = Date.now): () => Promise<string> {
  let value: string | undefined;
  let readAt = -Infinity;
  let reading: Promise<string> | undefined;
  return async () => {
    if (value !== undefined && now() - readAt < ttlMs) return value;
    reading ??= sql<{ version: string }>`
      select coalesce((select content_sha256 from reference_load where id = 1), '') || ':' ||
             (select count(*) from import_runs)::text || ':' || coalesce((select max(id) from import_runs), 0)::text || ':' ||
             (select md5(coalesce(string_agg(id || record::text, ',' order by id), '')) from report_registry) || ':' ||
             coalesce((select max(id) from alert_events), 0)::text || ':' ||
             (select count(*)::text || '-' || coalesce(sum(id), 0)::text from annotations where status = 'approved') as version`
      .execute(store.db)
      .then((result) => {
        value = result.rows[0]?.version ?? '';
        readAt = now();
        return value;
      })
      .finally(() => {
        reading = undefined;
      });
    return reading;
  };
}
