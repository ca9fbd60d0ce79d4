/**
 * ATT reports name States by ISO 3166-1 alpha-3 code (recommended by the template) or by name. The framework's
 * createStateLookup matches names and aliases only, so this adds every crosswalk id (which for a State is its ISO3
 * code) as an alias of itself. Kept here until framework.ts offers it (see the report to the lead).
 */
import { createStateLookup, type StateAliasEntry, type StateEntry, type StateLookup } from '../framework.js';
import { ATT_REPORT_SOURCE } from './format.js';

/** Source label of the id aliases: a crosswalk id always means itself. */
export const CROSSWALK_ID_SOURCE = 'crosswalk-id';

/** A StateLookup that resolves crosswalk ids / ISO3 codes, names and aliases (the `att-report` ones first). */
export function createAttReportStateLookup(
  aliases: readonly StateAliasEntry[],
  states: readonly StateEntry[],
): StateLookup {
  const idAliases: StateAliasEntry[] = states.map((state) => ({
    alias: state.id,
    stateId: state.id,
    source: CROSSWALK_ID_SOURCE,
  }));
  const inner = createStateLookup([...aliases, ...idAliases], states);
  return {
    resolve(name, source = ATT_REPORT_SOURCE) {
      const trimmed = name.trim();
      // An upper-case code is matched as a code first, so that a spelling can never shadow a State's own code.
      if (/^[A-Z]{3}$/.test(trimmed)) {
        const byCode = inner.resolve(trimmed, CROSSWALK_ID_SOURCE);
        if (byCode) return byCode;
      }
      return inner.resolve(trimmed, source);
    },
  };
}
