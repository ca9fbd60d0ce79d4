import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Clock } from '../model/clock.js';
import { AppError } from '../model/errors.js';
import { loadReferenceData } from '../reference/load-reference.js';
import { jsonb } from './jsonb.js';
import type { Store } from './open-store.js';
import { referenceWritten } from './reference-writes.js';

export interface ReferenceSyncResult {
  changed: boolean;
  contentSha256: string;
  counts: Record<string, number>;
}

/**
 * Loads data/reference/ into the store, idempotently: the files' combined sha256 is stored, and a second start with
 * the same files changes nothing. Every row is validated before the transaction opens, so a malformed row stops
 * start-up (with file, row, column and the fix) and never leaves half-loaded reference data.
 */
export async function syncReference(
  store: Store,
  referenceDir: string,
  clock: Clock,
): Promise<ReferenceSyncResult> {
  const files = await hashReferenceFiles(referenceDir);
  const contentSha256 = createHash('sha256')
    .update(files.map((f) => `${f.file}:${f.sha256}`).join('\n'))
    .digest('hex');
  const data = await loadReferenceData(referenceDir);
  const counts = {
    states: data.states.length,
    aliases: data.aliases.length,
    treatyRecords: data.treatyRecords.length,
    embargoes: data.embargoes.length,
    datasets: data.datasets.length,
  };

  const result = await store.transaction(async (trx) => {
    const current = await trx
      .selectFrom('reference_load')
      .select('content_sha256')
      .where('id', '=', 1)
      .executeTakeFirst();
    if (current?.content_sha256 === contentSha256) return { changed: false, contentSha256, counts };

    for (const table of [
      'state_aliases',
      'treaty_records',
      'embargo_episodes',
      'reference_documents',
      'reference_datasets',
    ] as const) {
      await trx.deleteFrom(table).execute();
    }
    await trx.deleteFrom('states').execute();

    for (const chunk of chunks(data.states, 200)) {
      await trx
        .insertInto('states')
        .values(
          chunk.map((s) => ({
            id: s.id,
            kind: s.kind,
            iso3: s.iso3 ?? null,
            iso2: s.iso2 ?? null,
            m49: s.m49 ?? null,
            name: s.name,
            record: jsonb(s),
          })),
        )
        .execute();
    }
    for (const chunk of chunks(data.aliases, 500)) {
      await trx
        .insertInto('state_aliases')
        .values(
          chunk.map((a) => ({
            alias: a.alias,
            source: a.source,
            state_id: a.stateId,
            notes: a.notes ?? null,
          })),
        )
        .execute();
    }
    for (const chunk of chunks(data.treatyRecords, 200)) {
      await trx
        .insertInto('treaty_records')
        .values(
          chunk.map((r) => ({
            state_id: r.stateId,
            signature_date: r.signatureDate ?? null,
            deposit_date: r.depositDate ?? null,
            entry_into_force_date: r.entryIntoForceDate ?? null,
            record: jsonb(r),
          })),
        )
        .execute();
    }
    for (const chunk of chunks(data.embargoes, 200)) {
      await trx
        .insertInto('embargo_episodes')
        .values(
          chunk.map((e) => ({
            id: e.id,
            authority: e.authority,
            start_date: e.startDate ?? null,
            end_date: e.endDate ?? null,
            target_ids: e.targetIds.join(';'),
            record: jsonb(e),
          })),
        )
        .execute();
    }
    if (data.datasets.length > 0) {
      await trx
        .insertInto('reference_datasets')
        .values(
          data.datasets.map((d) => ({
            dataset: d.dataset,
            file: d.file,
            as_at: d.asAt ?? null,
            source: d.source,
            licence: d.licence,
            notes: d.notes ?? null,
          })),
        )
        .execute();
    }
    await trx
      .insertInto('reference_documents')
      .values([
        { name: 'unroca-categories', content: jsonb(data.categories) },
        { name: 'att-articles', content: jsonb(data.articles) },
      ])
      .execute();

    const loadedAt = clock.now();
    await trx
      .insertInto('reference_load')
      .values({ id: 1, content_sha256: contentSha256, loaded_at: loadedAt, files: jsonb(files) })
      .onConflict((oc) =>
        oc
          .column('id')
          .doUpdateSet({ content_sha256: contentSha256, loaded_at: loadedAt, files: jsonb(files) }),
      )
      .execute();
    await trx
      .insertInto('reference_history')
      .values({ content_sha256: contentSha256, loaded_at: loadedAt, summary: jsonb(counts) })
      .execute();
    return { changed: true, contentSha256, counts };
  });
  if (result.changed) referenceWritten(store);
  return result;
}

async function hashReferenceFiles(dir: string): Promise<{ file: string; sha256: string }[]> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => /\.(csv|json)$/.test(n)).sort();
  } catch (error) {
    throw new AppError('config', `cannot read the reference data directory ${dir}`, {
      location: { file: dir },
      hint: 'set ATT_REFERENCE_DIR to the data/reference folder of the checkout',
      cause: error,
    });
  }
  return Promise.all(
    names.map(async (file) => ({
      file,
      sha256: createHash('sha256')
        .update(await readFile(path.join(dir, file)))
        .digest('hex'),
    })),
  );
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
