import { addDays, type IsoDate } from '../model/dates.js';
import type { Iso3, State } from '../model/state.js';
import {
  ATT_ENTRY_INTO_FORCE,
  EIF_DELAY_DAYS,
  TIMELINE_EVENT_TYPES,
  TREATY_STATUSES,
  type RegionTreatyStatus,
  type StateTreatyStatus,
  type TimelineCounts,
  type TimelineEvent,
  type TimelineEventType,
  type TreatyRecord,
  type TreatyStatus,
  type TreatyStatusCounts,
  type TreatyStatusSummary,
} from '../model/treaty.js';

export { TREATY_STATUSES, TIMELINE_EVENT_TYPES };
export type {
  TreatyStatus,
  TreatyStatusCounts,
  StateTreatyStatus,
  RegionTreatyStatus,
  TimelineEvent,
  TimelineEventType,
  TimelineCounts,
};

/** The date the treaty enters (entered) into force for a State: the recorded date, or computed by ATT Art. 22. */
export function entryIntoForceFor(record: TreatyRecord): IsoDate | null {
  if (record.entryIntoForceDate !== null) return record.entryIntoForceDate;
  if (record.depositDate === null) return null;
  // ATT Art. 22(1): instruments deposited by the treaty's EIF take effect on 24 Dec 2014;
  // ATT Art. 22(2): a later one takes effect 90 days after its deposit.
  return record.depositDate <= ATT_ENTRY_INTO_FORCE
    ? ATT_ENTRY_INTO_FORCE
    : addDays(record.depositDate, EIF_DELAY_DAYS);
}

/** The status of one State on a date (events dated on `date` count). No record means the State never acted. */
export function treatyStatusOn(record: TreatyRecord | undefined, date: IsoDate): TreatyStatus {
  if (!record) return 'not_signed';
  const deposit = record.depositDate !== null && record.depositDate <= date ? record.depositDate : null;
  const declared =
    record.declaredNotToBecomePartyDate !== null && record.declaredNotToBecomePartyDate <= date
      ? record.declaredNotToBecomePartyDate
      : null;
  // The later act wins: a deposit after a declaration would revoke it (no such case yet).
  if (declared !== null && (deposit === null || declared > deposit)) return 'declared_not_to_become_party';
  if (deposit !== null) {
    const eif = entryIntoForceFor(record);
    return eif !== null && eif <= date ? 'state_party' : 'deposited_awaiting_eif';
  }
  if (record.signatureDate !== null && record.signatureDate <= date) return 'signatory';
  return 'not_signed';
}

export interface TreatyStatusAsOf extends TreatyStatusSummary {
  states: StateTreatyStatus[];
}

export const NO_REGION = 'none';

/**
 * Treaty status of every State (kind `state`) on a date, with counts overall and per M49 region and UN regional
 * group. Records of ids that are not States in `states` are ignored.
 */
export function treatyStatusAsOf(
  states: readonly State[],
  records: readonly TreatyRecord[],
  date: IsoDate,
): TreatyStatusAsOf {
  const recordById = new Map(records.map((r) => [r.stateId as string, r]));
  const rows: StateTreatyStatus[] = states
    .filter((s) => s.kind === 'state')
    .map((state) => {
      const record = recordById.get(state.id);
      const upTo = (d: IsoDate | null | undefined) => (d !== null && d !== undefined && d <= date ? d : null);
      const depositDate = upTo(record?.depositDate);
      return {
        stateId: state.id,
        // A State's id is its ISO alpha-3 code (checked by the loader).
        iso3: state.iso3 ?? (state.id as string as Iso3),
        iso2: state.iso2,
        m49: state.m49 ?? state.isoNumeric,
        name: state.name,
        status: treatyStatusOn(record, date),
        m49Region: state.m49Region,
        unRegionalGroup: state.unRegionalGroup,
        signatureDate: upTo(record?.signatureDate),
        depositDate,
        actionType: depositDate !== null ? (record?.actionType ?? null) : null,
        entryIntoForceDate: depositDate !== null && record ? entryIntoForceFor(record) : null,
        provisionalApplicationDate: upTo(record?.provisionalApplicationDate),
        declaredNotToBecomePartyDate: upTo(record?.declaredNotToBecomePartyDate),
      };
    })
    .sort((a, b) => a.stateId.localeCompare(b.stateId));

  const byRegion: RegionTreatyStatus[] = [];
  for (const groupBy of ['m49Region', 'unRegionalGroup'] as const) {
    const groups = new Map<string, StateTreatyStatus[]>();
    for (const row of rows) {
      const key = row[groupBy] ?? NO_REGION;
      groups.set(key, [...(groups.get(key) ?? []), row]);
    }
    const keys = [...groups.keys()].sort((a, b) =>
      a === NO_REGION ? 1 : b === NO_REGION ? -1 : a.localeCompare(b),
    );
    for (const region of keys) byRegion.push({ region, groupBy, counts: countStatuses(groups.get(region)!) });
  }
  return { asOf: date, counts: countStatuses(rows), byRegion, states: rows };
}

function countStatuses(rows: readonly StateTreatyStatus[]): TreatyStatusCounts {
  const counts: TreatyStatusCounts = {
    signed: 0,
    signatory: 0,
    signedNotDeposited: 0,
    deposited: 0,
    depositedAwaitingEif: 0,
    stateParty: 0,
    declaredNotToBecomeParty: 0,
    notSigned: 0,
    total: rows.length,
  };
  for (const row of rows) {
    if (row.signatureDate !== null) counts.signed += 1;
    if (row.depositDate !== null) counts.deposited += 1;
    if (row.status === 'signatory') counts.signatory += 1;
    if (row.status === 'deposited_awaiting_eif') counts.depositedAwaitingEif += 1;
    if (row.status === 'state_party') counts.stateParty += 1;
    if (row.status === 'declared_not_to_become_party') counts.declaredNotToBecomeParty += 1;
    if (row.status === 'not_signed') counts.notSigned += 1;
  }
  counts.signedNotDeposited = counts.signatory + counts.declaredNotToBecomeParty;
  return counts;
}

/** Every treaty event in date order, each with the running totals after it. */
export function treatyTimeline(records: readonly TreatyRecord[]): TimelineEvent[] {
  const events: Omit<TimelineEvent, 'cumulative'>[] = [];
  for (const r of records) {
    const add = (date: IsoDate | null, type: TimelineEventType) => {
      if (date !== null) {
        events.push({
          date,
          event: type,
          stateId: r.stateId,
          iso3: r.iso3,
          name: r.name,
          actionType: type === 'deposit' ? r.actionType : null,
        });
      }
    };
    add(r.signatureDate, 'signature');
    add(r.depositDate, 'deposit');
    add(r.provisionalApplicationDate, 'provisional_application');
    add(r.depositDate !== null ? entryIntoForceFor(r) : null, 'entry_into_force');
    add(r.declaredNotToBecomePartyDate, 'declaration_not_to_become_party');
  }
  const rank = (t: TimelineEventType) => TIMELINE_EVENT_TYPES.indexOf(t);
  events.sort(
    (a, b) =>
      a.date.localeCompare(b.date) || rank(a.event) - rank(b.event) || a.stateId.localeCompare(b.stateId),
  );
  const running: TimelineCounts = {
    signed: 0,
    deposited: 0,
    inForce: 0,
    provisionalApplication: 0,
    declaredNotToBecomeParty: 0,
  };
  const key: Record<TimelineEventType, keyof TimelineCounts> = {
    signature: 'signed',
    deposit: 'deposited',
    provisional_application: 'provisionalApplication',
    entry_into_force: 'inForce',
    declaration_not_to_become_party: 'declaredNotToBecomeParty',
  };
  return events.map((event) => {
    running[key[event.event]] += 1;
    return { ...event, cumulative: { ...running } };
  });
}
