/**
 * Shapes the web app reads from the v1 API (docs/api.md). Only fields the pages use are listed; the normalisers in
 * `client.ts` accept small differences (numbers for codes, missing optional fields) so that an additive API change
 * never breaks a page.
 */

export type TreatyStatus =
  'not_signed' | 'signatory' | 'deposited_awaiting_eif' | 'state_party' | 'declared_not_to_become_party';

/** Statuses in the order a State moves through them (used for sorting and the legend). */
export const TREATY_STATUSES: readonly TreatyStatus[] = [
  'state_party',
  'deposited_awaiting_eif',
  'signatory',
  'declared_not_to_become_party',
  'not_signed',
];

export interface SourceInfo {
  dataset?: string;
  source: string;
  licence?: string;
  asAt?: string;
}

export interface Meta {
  sources: SourceInfo[];
  retrievedAt?: string;
  notices: string[];
}

export interface TreatyRecord {
  signatureDate: string | null;
  depositDate: string | null;
  actionType: string | null;
  entryIntoForceDate: string | null;
  provisionalApplicationDate: string | null;
  /** Date the depositary received the declaration; `true` if the API only says that one was made. */
  declaredNotToBecomeParty: string | true | null;
}

export interface StatusRow extends TreatyRecord {
  stateId: string;
  iso3: string;
  iso2: string | null;
  /** UN M49 / ISO 3166 numeric code as a zero-padded string ('004'), the id used by world-atlas. */
  m49: string | null;
  name: string;
  m49Region: string | null;
  unRegionalGroup: string | null;
  status: TreatyStatus | string;
}

export interface StatusCounts {
  signed: number;
  signatory: number;
  deposited: number;
  depositedAwaitingEif: number;
  stateParty: number;
  declaredNotToBecomeParty: number;
  notSigned: number;
  total: number;
}

export interface TreatyStatusResponse {
  rows: StatusRow[];
  asOf: string | null;
  counts: StatusCounts;
  meta: Meta;
}

export interface StateDetail {
  id: string;
  iso2: string | null;
  iso3: string;
  m49: string | null;
  name: string;
  kind: string | null;
  m49Region: string | null;
  m49Subregion: string | null;
  unRegionalGroup: string | null;
  aliases: string[];
  treaty: TreatyRecord | null;
  status: TreatyStatus | string;
  asOf: string | null;
}

export interface Obligation {
  iso3: string;
  kind: string;
  coveredYear: number | null;
  windowOpens: string | null;
  dueDate: string | null;
  graceEndsOn: string | null;
  deadlineTimeZone: string | null;
  status: string;
}
