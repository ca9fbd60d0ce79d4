import { sql, type Transaction } from 'kysely';
import {
  amendEmbargoEpisode,
  amendTreatyRecord,
  applyAmendments,
  describeTreatyChange,
  newEmbargoEpisode,
  type StoredAmendment,
} from '../analysis/reference-upkeep.js';
import type { AlertEventInput } from '../model/alert-event.js';
import { dateInTimeZone } from '../model/dates.js';
import type { EmbargoEpisode } from '../model/embargo.js';
import { AppError } from '../model/errors.js';
import {
  sourceText,
  type AmendmentSource,
  type AmendmentTargetKind,
  type EmbargoAmendmentInput,
  type NewEmbargoInput,
  type ReferenceAmendment,
  type TreatyAmendmentInput,
} from '../model/reference-amendment.js';
import type { State } from '../model/state.js';
import type { TreatyRecord } from '../model/treaty.js';
import { appendAlertEvent } from './alert-events.js';
import { appendAudit } from './audit-log.js';
import { jsonb } from './jsonb.js';
import type { Store } from './open-store.js';
import { referenceWritten } from './reference-writes.js';
import type { Database } from './schema.js';

type Trx = Transaction<Database>;

/** Stored amendments of one target (or all), oldest first. */
export async function readAmendments(
  db: Store['db'] | Trx,
  target?: { kind: AmendmentTargetKind; id: string },
): Promise<StoredAmendment[]> {
  let query = db.selectFrom('reference_amendments').selectAll().orderBy('id', 'asc');
  if (target) query = query.where('target_kind', '=', target.kind).where('target_id', '=', target.id);
  const rows = await query.execute();
  return rows.map((r) => ({
    id: Number(r.id),
    at: new Date(r.at).toISOString(),
    targetKind: r.target_kind,
    targetId: r.target_id,
    changes: r.changes as Record<string, unknown>,
    after: r.after,
    source: r.source as AmendmentSource,
  }));
}

export interface AmendmentResult<T> {
  record: T;
  amendmentId: number;
  eventId: number;
  action: 'create' | 'update';
}

/**
 * Records the Secretariat's changes to reference data: each one, in one transaction, stores the amendment (applied
 * over the reference files by the reference repository), an audit row (before/after) and a public alert event
 * (`treaty_status_changed`, `embargo_changed`). Amendments are serialised by a row lock, so two at once cannot both
 * build on the same "before".
 */
export function createReferenceUpkeep(store: Store) {
  /** One amendment's transaction; once it commits, reference repositories over this store read the new version. */
  async function writeReference<T>(fn: (trx: Trx) => Promise<T>): Promise<T> {
    const result = await store.transaction(fn);
    referenceWritten(store);
    return result;
  }

  /** Serialises amendments (and takes the files' record and the stored amendments as they are now). */
  async function lock(trx: Trx): Promise<void> {
    await sql`select id from reference_load where id = 1 for update`.execute(trx);
  }

  async function states(trx: Trx): Promise<State[]> {
    return (await trx.selectFrom('states').select('record').execute()).map((r) => r.record as State);
  }

  async function currentTreaty(trx: Trx, stateId: string): Promise<TreatyRecord | undefined> {
    const file = await trx.selectFrom('treaty_records').select('record').where('state_id', '=', stateId).executeTakeFirst();
    const amended = applyAmendments(file ? [file.record as TreatyRecord] : [], [], await readAmendments(trx, { kind: 'treaty_record', id: stateId }));
    return amended.treatyRecords[0];
  }

  async function currentEmbargo(trx: Trx, id: string): Promise<EmbargoEpisode | undefined> {
    const file = await trx.selectFrom('embargo_episodes').select('record').where('id', '=', id).executeTakeFirst();
    const amended = applyAmendments([], file ? [file.record as EmbargoEpisode] : [], await readAmendments(trx, { kind: 'embargo_episode', id }));
    return amended.embargoes[0];
  }

  async function save(
    trx: Trx,
    input: {
      at: Date;
      actor: string;
      kind: AmendmentTargetKind;
      id: string;
      action: 'create' | 'update';
      changes: unknown;
      before: unknown;
      after: unknown;
      source: AmendmentSource;
      event: AlertEventInput;
    },
  ): Promise<{ amendmentId: number; eventId: number }> {
    const row = await trx
      .insertInto('reference_amendments')
      .values({
        at: input.at,
        actor: input.actor,
        target_kind: input.kind,
        target_id: input.id,
        action: input.action,
        changes: jsonb(input.changes),
        after: jsonb(input.after),
        source: jsonb(input.source),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const prefix = input.kind === 'treaty_record' ? 'treaty' : 'embargo';
    await appendAudit(trx, {
      at: input.at,
      actor: input.actor,
      action: `${input.kind}.${input.action}`,
      target: `${prefix}:${input.id}`,
      before: input.before ?? null,
      after: input.after,
    });
    const eventId = await appendAlertEvent(trx, input.event);
    return { amendmentId: Number(row.id), eventId };
  }

  return {
    /** Records a signature, a deposit or any other change to one State's treaty record (ATT Arts 21-23). */
    async amendTreaty(actor: string, stateId: string, input: TreatyAmendmentInput, at: Date): Promise<AmendmentResult<TreatyRecord>> {
      return writeReference(async (trx) => {
        await lock(trx);
        const state = (await states(trx)).find((s) => s.id === stateId);
        if (!state) {
          throw new AppError('not_found', `no State with id "${stateId}"`, { location: { parameter: 'stateId', value: stateId }, hint: 'list valid codes at /v1/states?kind=state' });
        }
        const current = await currentTreaty(trx, stateId);
        const iso = at.toISOString();
        const amended = amendTreatyRecord({ current, state, change: input.change, source: input.source, at: iso, today: dateInTimeZone(at, 'UTC') });
        const summary = describeTreatyChange(state.name, current, amended.record);
        const saved = await save(trx, {
          at,
          actor,
          kind: 'treaty_record',
          id: stateId,
          action: amended.action,
          changes: amended.changes,
          before: current,
          after: amended.record,
          source: input.source,
          event: {
            kind: 'treaty_status_changed',
            at: iso,
            stateId,
            subject: `treaty:${stateId}`,
            title: summary.slice(0, 300),
            summary: `Source: ${sourceText(input.source, iso)}`.slice(0, 2000),
            link: `/states/${state.iso3 ?? stateId}`,
            audience: 'public',
          },
        });
        return { record: amended.record, action: amended.action, ...saved };
      });
    },

    /** Records a new embargo episode (UN, EU or another body). */
    async recordEmbargo(actor: string, input: NewEmbargoInput, at: Date): Promise<AmendmentResult<EmbargoEpisode>> {
      return writeReference(async (trx) => {
        await lock(trx);
        const fileIds = (await trx.selectFrom('embargo_episodes').select('id').execute()).map((r) => r.id);
        const amendedIds = (await trx.selectFrom('reference_amendments').select('target_id').where('target_kind', '=', 'embargo_episode').execute()).map((r) => r.target_id);
        const iso = at.toISOString();
        const episode = newEmbargoEpisode({ input, existingIds: new Set([...fileIds, ...amendedIds]), states: await states(trx), at: iso, today: dateInTimeZone(at, 'UTC') });
        const saved = await save(trx, {
          at,
          actor,
          kind: 'embargo_episode',
          id: episode.id,
          action: 'create',
          changes: episode,
          before: null,
          after: episode,
          source: input.source,
          event: embargoEvent(episode, 'recorded', iso, input.source),
        });
        return { record: episode, action: 'create', ...saved };
      });
    },

    /** Amends an embargo episode (from the files or recorded in the app): end date, scope, targets ... */
    async amendEmbargo(actor: string, id: string, input: EmbargoAmendmentInput, at: Date): Promise<AmendmentResult<EmbargoEpisode>> {
      return writeReference(async (trx) => {
        await lock(trx);
        const current = await currentEmbargo(trx, id);
        if (!current) {
          throw new AppError('not_found', `no embargo episode with id "${id}"`, { location: { parameter: 'id', value: id }, hint: 'list episode ids at /v1/embargoes' });
        }
        const iso = at.toISOString();
        const { episode, changes } = amendEmbargoEpisode({ current, change: input.change, source: input.source, states: await states(trx), at: iso, today: dateInTimeZone(at, 'UTC') });
        const saved = await save(trx, {
          at,
          actor,
          kind: 'embargo_episode',
          id,
          action: 'update',
          changes,
          before: current,
          after: episode,
          source: input.source,
          event: embargoEvent(episode, `amended (${Object.keys(changes).join(', ')})`, iso, input.source),
        });
        return { record: episode, action: 'update', ...saved };
      });
    },

    /** Every amendment of one record, oldest first (public facts with their sources). */
    async amendments(kind: AmendmentTargetKind, id: string): Promise<ReferenceAmendment[]> {
      const rows = await store.db.selectFrom('reference_amendments').selectAll().where('target_kind', '=', kind).where('target_id', '=', id).orderBy('id', 'asc').execute();
      return rows.map((r) => ({
        id: Number(r.id),
        at: new Date(r.at).toISOString(),
        targetKind: r.target_kind,
        targetId: r.target_id,
        action: r.action,
        changes: r.changes as Record<string, unknown>,
        after: r.after as ReferenceAmendment['after'],
        source: r.source as AmendmentSource,
      }));
    },
  };
}

export type ReferenceUpkeep = ReturnType<typeof createReferenceUpkeep>;

function embargoEvent(episode: EmbargoEpisode, what: string, at: string, source: AmendmentSource): AlertEventInput {
  const period = `${episode.startDate} to ${episode.endDate ?? 'open'}`;
  return {
    kind: 'embargo_changed',
    at,
    // An episode concerning several States is announced under the first (subscriptions filter by this State).
    stateId: episode.targetIds[0] ?? null,
    subject: `embargo:${episode.id}`,
    title: `${episode.authority} arms embargo on ${episode.target} ${what}`.slice(0, 300),
    summary: `${episode.id}: ${episode.scopeCode}, ${episode.direction}, ${episode.binding}, ${period}. Source: ${sourceText(source, at)}`.slice(0, 2000),
    link: `/embargoes?target=${encodeURIComponent(episode.targetIds[0] ?? '')}`,
    audience: 'public',
  };
}
