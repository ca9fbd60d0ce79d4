/**
 * Reference upkeep (pure): what a treaty record or an embargo episode becomes when the Secretariat records a change,
 * the checks a change must pass, and the overlay of stored amendments over the reference files.
 * See docs/data-model.md ("Amendments made in the app").
 */
import { addDays, type IsoDate } from '../model/dates.js';
import type { EmbargoEpisode } from '../model/embargo.js';
import { AppError } from '../model/errors.js';
import {
  sourceText,
  type AmendmentSource,
  type EmbargoChange,
  type NewEmbargoInput,
  type TreatyChange,
} from '../model/reference-amendment.js';
import type { State } from '../model/state.js';
import {
  ATT_ENTRY_INTO_FORCE,
  ATT_OPENED_FOR_SIGNATURE,
  EIF_DELAY_DAYS,
  type EifBasis,
  type TreatyRecord,
} from '../model/treaty.js';
import { entryIntoForceFor, treatyStatusOn } from './treaty-status.js';

/** The UN Charter entered into force on 24 Oct 1945: no Security Council (or later) arms embargo starts before it. */
export const EARLIEST_EMBARGO_START = '1945-10-24' as IsoDate;

function refuse(parameter: string, value: unknown, message: string, hint: string): never {
  throw new AppError('validation', message, {
    location: { parameter, value: value === null || value === undefined ? '' : String(value) },
    hint,
  });
}

/** ATT Art. 22: 24 Dec 2014 for instruments deposited by then, otherwise deposit + 90 days. */
function art22(depositDate: IsoDate): { date: IsoDate; basis: EifBasis } {
  return depositDate <= ATT_ENTRY_INTO_FORCE
    ? { date: ATT_ENTRY_INTO_FORCE, basis: 'art22(1)' }
    : { date: addDays(depositDate, EIF_DELAY_DAYS), basis: 'art22(2)' };
}

export interface TreatyAmendment {
  record: TreatyRecord;
  /** The fields that differ from the record before (without `sources`): what the overlay applies. */
  changes: Partial<TreatyRecord>;
  action: 'create' | 'update';
}

/**
 * Applies a change to a State's treaty record (or to no record: the State never acted) and checks the result
 * against the treaty's calendar. `today` is the date of the change: no act is recorded before it happened.
 * Throws AppError('validation') naming the field, what is wrong and what to do.
 */
export function amendTreatyRecord(input: {
  current: TreatyRecord | undefined;
  state: State;
  change: TreatyChange;
  source: AmendmentSource;
  at: string;
  today: IsoDate;
}): TreatyAmendment {
  const { current, state, change, today } = input;
  if (state.kind !== 'state' || !state.iso3) {
    refuse('stateId', state.id, `${state.name} (${state.id}) is not a State that can join the treaty`, 'ATT Art. 21 opens the treaty to States only; choose a State from /v1/states?kind=state');
  }
  const base: TreatyRecord = current ?? {
    stateId: state.id,
    iso3: state.iso3,
    name: state.name,
    statusAtSource: 'signatory',
    asAt: today,
    signatureDate: null,
    depositDate: null,
    actionType: null,
    entryIntoForceDate: null,
    eifBasis: null,
    provisionalApplicationDate: null,
    declaredNotToBecomePartyDate: null,
    notes: null,
    eifConfirmedBy: null,
    verification: null,
    sources: '',
  };
  const next: TreatyRecord = { ...base };
  for (const [key, value] of Object.entries(change)) {
    if (value !== undefined) (next as Record<string, unknown>)[key] = value;
  }
  if (next.depositDate === null) {
    // Without a deposit there is no instrument type and no entry into force (ATT Arts 21-22).
    if (change.actionType) refuse('change.actionType', change.actionType, 'an instrument type needs a deposit date', 'give change.depositDate with the instrument type');
    if (change.entryIntoForceDate) refuse('change.entryIntoForceDate', change.entryIntoForceDate, 'an entry-into-force date needs a deposit date', 'give change.depositDate, or leave entryIntoForceDate out');
    next.actionType = null;
    next.entryIntoForceDate = null;
    next.eifBasis = null;
    if (base.depositDate !== null) next.eifConfirmedBy = null;
  } else {
    const computed = art22(next.depositDate);
    if (change.entryIntoForceDate === undefined || change.entryIntoForceDate === null) {
      if (change.depositDate !== undefined || change.entryIntoForceDate === null || next.entryIntoForceDate === null) {
        next.entryIntoForceDate = computed.date;
        next.eifConfirmedBy = 'computed';
      }
    } else {
      next.eifConfirmedBy = 'the source of this amendment';
    }
    next.eifBasis = next.entryIntoForceDate === computed.date ? computed.basis : null;
  }
  checkTreatyDates(next, today);

  const changes: Partial<TreatyRecord> = {};
  for (const key of Object.keys(next) as (keyof TreatyRecord)[]) {
    if (key !== 'sources' && key !== 'asAt' && key !== 'statusAtSource' && next[key] !== base[key]) {
      (changes as Record<string, unknown>)[key] = next[key];
    }
  }
  if (current && Object.keys(changes).length === 0) {
    refuse('change', '', `the change leaves the treaty record of ${state.name} as it is`, 'change at least one field, or leave the record alone');
  }
  // The record now describes the Secretariat's source as at the day of the change.
  const status = treatyStatusOn(next, today);
  changes.asAt = today;
  changes.statusAtSource =
    status === 'declared_not_to_become_party'
      ? 'signatory_not_intending_to_become_party'
      : status === 'state_party' || status === 'deposited_awaiting_eif'
        ? 'state_party'
        : 'signatory';
  const record: TreatyRecord = { ...next, ...changes, sources: joinSources(current?.sources, input.source, input.at) };
  return { record, changes, action: current ? 'update' : 'create' };
}

function joinSources(before: string | undefined, source: AmendmentSource, at: string): string {
  const added = sourceText(source, at);
  return before ? `${before} ; ${added}` : added;
}

/** The treaty's calendar (ATT Arts 21-23), checked on a record as amended. */
function checkTreatyDates(record: TreatyRecord, today: IsoDate): void {
  const { signatureDate: signed, depositDate: deposited, actionType } = record;
  const notFuture = (field: string, date: IsoDate | null) => {
    if (date !== null && date > today) refuse(`change.${field}`, date, `${field} ${date} is after today (${today})`, 'record an act once it has happened');
  };
  notFuture('signatureDate', signed);
  notFuture('depositDate', deposited);
  notFuture('provisionalApplicationDate', record.provisionalApplicationDate);
  notFuture('declaredNotToBecomePartyDate', record.declaredNotToBecomePartyDate);
  if (signed !== null && (signed < ATT_OPENED_FOR_SIGNATURE || signed > ATT_ENTRY_INTO_FORCE)) {
    refuse('change.signatureDate', signed, `signature ${signed} is outside the signature period 2013-06-03 to 2014-12-24 (ATT Art. 21(1))`, 'a State that joins after 24 Dec 2014 accedes: record a deposit with actionType accession');
  }
  if (deposited !== null) {
    if (deposited < ATT_OPENED_FOR_SIGNATURE) {
      refuse('change.depositDate', deposited, `deposit ${deposited} is before the treaty opened for signature on 2013-06-03`, 'check the date with the depositary (UNTC, MTDSG XXVI-8)');
    }
    if (actionType === null) refuse('change.actionType', null, 'a deposit needs its instrument type', 'give actionType: ratification, acceptance, approval or accession');
    if (actionType === 'accession') {
      // ATT Art. 21(3): accession is for States that have not signed.
      if (signed !== null) refuse('change.actionType', actionType, `${record.name} signed on ${signed}: a signatory ratifies, accepts or approves; it does not accede (ATT Art. 21(3))`, 'use ratification, acceptance or approval');
    } else {
      // ATT Art. 21(2): ratification, acceptance or approval by signatory States.
      if (signed === null) refuse('change.actionType', actionType, `${actionType} needs a signature, and ${record.name} has none recorded (ATT Art. 21(2))`, 'record the signature date too, or use accession');
      if (deposited < signed) refuse('change.depositDate', deposited, `deposit ${deposited} is before the signature ${signed}`, 'check both dates with the depositary');
    }
    const eif = record.entryIntoForceDate;
    if (eif !== null && (eif < deposited || eif < ATT_ENTRY_INTO_FORCE)) {
      refuse('change.entryIntoForceDate', eif, `entry into force ${eif} is before the deposit ${deposited} or before the treaty's own entry into force (2014-12-24)`, `leave it out: ATT Art. 22 gives ${art22(deposited).date}`);
    }
  }
  const provisional = record.provisionalApplicationDate;
  if (provisional !== null) {
    // ATT Art. 23: declared at signature or deposit, pending entry into force for the State.
    const first = [signed, deposited].filter((d): d is IsoDate => d !== null).sort()[0];
    if (first === undefined || provisional < first) {
      refuse('change.provisionalApplicationDate', provisional, `a declaration of provisional application (ATT Art. 23) is made at signature or deposit, not before (${first ?? 'none recorded'})`, 'record the signature or the deposit first');
    }
  }
  const declared = record.declaredNotToBecomePartyDate;
  if (declared !== null && (signed === null || declared < signed)) {
    refuse('change.declaredNotToBecomePartyDate', declared, 'only a signatory can declare that it does not intend to become a party, after signing', 'record the signature first, or check the date');
  }
}

// ------------------------------------------------------------------------------------------------- embargoes

/** A new embargo episode from the Secretariat's fields; defaults are stated in docs/data-model.md. */
export function newEmbargoEpisode(input: {
  input: NewEmbargoInput;
  existingIds: ReadonlySet<string>;
  states: readonly State[];
  at: string;
  today: IsoDate;
}): EmbargoEpisode {
  const fields = input.input.episode;
  const base = `${fields.authority.toUpperCase()}-${fields.targetIds[0] ?? 'LIST'}-${fields.startDate.slice(0, 4)}`;
  let id = input.input.id ?? base;
  if (input.input.id !== undefined && input.existingIds.has(id)) {
    throw new AppError('conflict', `an embargo episode with id ${id} exists already`, {
      location: { parameter: 'id', value: id },
      hint: `amend it with PATCH /v1/reference/embargoes/${id}, or choose another id`,
    });
  }
  for (let n = 2; input.existingIds.has(id); n += 1) id = `${base}-${n}`;
  const episode: EmbargoEpisode = {
    id,
    authority: fields.authority,
    regime: fields.regime ?? null,
    target: fields.target,
    targetIds: fields.targetIds,
    targetActorIds: fields.targetActorIds ?? [],
    targetNote: fields.targetNote ?? null,
    targetType: null,
    scopeCode: fields.scopeCode,
    scopeText: fields.scopeText,
    direction: fields.direction,
    directionBasis: 'recorded by the ATT Secretariat in ATT Observatory',
    startDate: fields.startDate,
    endDate: fields.endDate ?? null,
    endBasis: fields.endDate ? 'recorded' : 'open',
    statusText: null,
    imposingMeasures: fields.imposingMeasures ?? null,
    modifyingMeasures: null,
    endingMeasure: fields.endingMeasure ?? null,
    unCounterpart: null,
    binding: fields.binding,
    chapterVii: fields.chapterVii ?? (fields.authority === 'UN' ? 'unclear' : 'n/a'),
    bindingText: null,
    notes: fields.notes ?? null,
    confidence: fields.confidence ?? 'high',
    verifiedThisSession: null,
    sources: sourceText(input.input.source, input.at),
  };
  checkEpisode(episode, input.states, input.today);
  return episode;
}

/** An amended episode and the fields that changed (what the overlay applies). */
export function amendEmbargoEpisode(input: {
  current: EmbargoEpisode;
  change: EmbargoChange;
  source: AmendmentSource;
  states: readonly State[];
  at: string;
  today: IsoDate;
}): { episode: EmbargoEpisode; changes: Partial<EmbargoEpisode> } {
  const { current, change } = input;
  const next: EmbargoEpisode = { ...current };
  for (const [key, value] of Object.entries(change)) {
    if (value !== undefined) (next as Record<string, unknown>)[key] = value;
  }
  if (change.endDate !== undefined) next.endBasis = change.endDate === null ? 'open' : 'recorded';
  checkEpisode(next, input.states, input.today);
  const changes: Partial<EmbargoEpisode> = {};
  for (const key of Object.keys(next) as (keyof EmbargoEpisode)[]) {
    if (key !== 'sources' && JSON.stringify(next[key]) !== JSON.stringify(current[key])) {
      (changes as Record<string, unknown>)[key] = next[key];
    }
  }
  if (Object.keys(changes).length === 0) {
    refuse('change', '', `the change leaves embargo episode ${current.id} as it is`, 'change at least one field');
  }
  return { episode: { ...next, sources: joinSources(current.sources, input.source, input.at) }, changes };
}

function checkEpisode(episode: EmbargoEpisode, states: readonly State[], today: IsoDate): void {
  const known = new Set(states.map((s) => s.id as string));
  for (const [field, ids] of [['targetIds', episode.targetIds], ['targetActorIds', episode.targetActorIds]] as const) {
    const unknown = ids.find((id) => !known.has(id));
    if (unknown !== undefined) refuse(field, unknown, `"${unknown}" is not a known State or actor id`, 'list valid ids at /v1/states');
  }
  if (episode.targetIds.length === 0 && !episode.targetNote) {
    refuse('targetIds', '', 'an episode with no target State needs a targetNote saying whom the measure follows', 'give targetIds, or targetNote for global lists of persons');
  }
  if (episode.startDate < EARLIEST_EMBARGO_START || episode.startDate > today) {
    refuse('startDate', episode.startDate, `start ${episode.startDate} is not between ${EARLIEST_EMBARGO_START} (UN Charter in force) and today (${today})`, 'record an episode once its measure has been adopted');
  }
  if (episode.endDate !== null && episode.endDate <= episode.startDate) {
    refuse('endDate', episode.endDate, `end ${episode.endDate} is not after the start ${episode.startDate}`, 'an episode ends on its end date: give a later date, or null while it is in force');
  }
  if (episode.authority !== 'UN' && episode.chapterVii !== 'n/a') {
    refuse('chapterVii', episode.chapterVii, `chapterVii applies to UN Security Council measures only (ATT Art. 6(1)), not to ${episode.authority} ones`, 'set chapterVii to n/a');
  }
}

// ------------------------------------------------------------------------------------------------- overlay

export interface StoredAmendment {
  id: number;
  at: string;
  targetKind: 'treaty_record' | 'embargo_episode';
  targetId: string;
  changes: Record<string, unknown>;
  after: unknown;
  source: AmendmentSource;
}

/**
 * The reference data as amended in the app: each amendment, in order, sets the fields it changed over the record
 * from the files (which a later reload may have changed elsewhere) and adds its source; a record the files lack
 * is the amendment's own. So a reload of the reference files never undoes an amendment, and a file that catches up
 * (same value) changes nothing.
 */
export function applyAmendments(
  treatyRecords: readonly TreatyRecord[],
  embargoes: readonly EmbargoEpisode[],
  amendments: readonly StoredAmendment[],
): { treatyRecords: TreatyRecord[]; embargoes: EmbargoEpisode[] } {
  const records = new Map(treatyRecords.map((r) => [r.stateId as string, r]));
  const episodes = new Map(embargoes.map((e) => [e.id, e]));
  for (const amendment of [...amendments].sort((a, b) => a.id - b.id)) {
    const map = (amendment.targetKind === 'treaty_record' ? records : episodes) as Map<string, { sources: string }>;
    const before = map.get(amendment.targetId);
    map.set(
      amendment.targetId,
      before
        ? { ...before, ...amendment.changes, sources: joinSources(before.sources, amendment.source, amendment.at) }
        : (amendment.after as { sources: string }),
    );
  }
  return {
    treatyRecords: [...records.values()].sort((a, b) => a.stateId.localeCompare(b.stateId)),
    embargoes: [...episodes.values()].sort((a, b) => a.id.localeCompare(b.id)),
  };
}

/** One line saying what changed in a treaty record, for the alert event (public facts only). */
export function describeTreatyChange(name: string, before: TreatyRecord | undefined, after: TreatyRecord): string {
  const parts: string[] = [];
  if (after.signatureDate !== (before?.signatureDate ?? null)) parts.push(after.signatureDate ? `signature on ${after.signatureDate}` : 'signature removed');
  if (after.depositDate !== (before?.depositDate ?? null)) {
    parts.push(after.depositDate ? `${after.actionType} deposited on ${after.depositDate}` : 'deposit removed');
  } else if (after.actionType !== (before?.actionType ?? null)) parts.push(`instrument type ${after.actionType}`);
  const eif = entryIntoForceFor(after);
  if (eif !== (before ? entryIntoForceFor(before) : null) && eif) parts.push(`in force for it from ${eif} (ATT Art. 22)`);
  if (after.provisionalApplicationDate !== (before?.provisionalApplicationDate ?? null)) parts.push(`provisional application (Art. 23): ${after.provisionalApplicationDate ?? 'removed'}`);
  if (after.declaredNotToBecomePartyDate !== (before?.declaredNotToBecomePartyDate ?? null)) parts.push(`declared not to become a party: ${after.declaredNotToBecomePartyDate ?? 'removed'}`);
  if (parts.length === 0) parts.push('record amended');
  return `${name}: ${parts.join('; ')}`;
}
