import type { TreatyRecord } from '../api/types.js';

/**
 * The treaty record as it stood on `date`: events after that day are hidden, so a table "as of 2015" does not show
 * a deposit made in 2022. An entry into force still to come is kept when the deposit has been made (it is then
 * known: ATT Art. 22(2)). With no date (today), the record is unchanged.
 */
export function recordAsOf<T extends TreatyRecord>(record: T, date: string | null): T {
  if (!date) return record;
  const upTo = (value: string | null) => (value !== null && value <= date ? value : null);
  const deposited = upTo(record.depositDate);
  const declared = record.declaredNotToBecomeParty;
  return {
    ...record,
    signatureDate: upTo(record.signatureDate),
    depositDate: deposited,
    actionType: deposited ? record.actionType : null,
    entryIntoForceDate: deposited ? record.entryIntoForceDate : null,
    provisionalApplicationDate: upTo(record.provisionalApplicationDate),
    declaredNotToBecomeParty: declared === true ? declared : upTo(declared),
  };
}
