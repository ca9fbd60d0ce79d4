/**
 * Destinations, brokers and Member States as national files name them -> crosswalk ids or explicit aggregates.
 *
 * Names go through the shared StateLookup (data/reference/states.csv and state-aliases.csv); ISO 3166-1 alpha-2
 * codes (EU tables) through an Iso2Lookup built from states.csv. Labels that are not a State or any other party in the
 * crosswalk ("Worldwide", "Multiple countries", "N/A" ...) are listed in NATIONAL_AGGREGATES below, one line each with
 * what it means: such a party gets `aggregate` and never a State id. Anything else that does not resolve is an
 * `unknown_state` issue naming data/reference/state-aliases.csv, and its row is quarantined.
 */
import type { NationalParty } from '../../model/national.js';
import {
  createStateLookup,
  stateNameKey,
  unknownStateHint,
  type StateAliasEntry,
  type StateLookup,
} from '../framework.js';

/** Looks up a crosswalk id by ISO 3166-1 alpha-2 code. */
export interface Iso2Lookup {
  resolveIso2(code: string): { stateId: string } | undefined;
}

/**
 * EU documents write Greece "EL" and the United Kingdom "UK" (Interinstitutional Style Guide); these are read as the
 * ISO codes GR and GB. Nothing else is re-coded.
 */
export const EU_ISO2_EXCEPTIONS: Readonly<Record<string, string>> = Object.freeze({ EL: 'GR', UK: 'GB' });

/** Builds an Iso2Lookup from the crosswalk rows (data/reference/states.csv `id`, `iso2`). */
export function createIso2Lookup(
  states: readonly { id: string; iso2: string | null | undefined }[],
): Iso2Lookup {
  const byCode = new Map<string, string>();
  for (const state of states) if (state.iso2) byCode.set(state.iso2.toUpperCase(), state.id);
  return {
    resolveIso2(code) {
      const upper = code.trim().toUpperCase();
      const id = byCode.get(EU_ISO2_EXCEPTIONS[upper] ?? upper);
      return id === undefined ? undefined : { stateId: id };
    },
  };
}

/** An explicit aggregate: a label that stands for several, unspecified or no destination. */
export interface NationalAggregate {
  code: string;
  meaning: string;
}

/** Aggregate labels met in national files, by stateNameKey of the label (dashes and a final full stop folded). */
const AGGREGATE_LABELS: ReadonlyArray<[labels: string[], aggregate: NationalAggregate]> = [
  [['Worldwide'], { code: 'worldwide', meaning: 'any destination (a global licence)' }],
  [
    ['Worldwide excluding embargoed countries'],
    { code: 'worldwide-excluding-embargoed', meaning: 'any destination not under embargo' },
  ],
  [
    ['Multiple countries', 'Different Countries', 'Multiple countries of destination'],
    { code: 'multiple', meaning: 'several destinations, not listed' },
  ],
  [['Non Specific Country', 'N/A'], { code: 'unspecified', meaning: 'no destination given' }],
  [['Other', 'Others'], { code: 'other', meaning: 'destinations the source groups as "other"' }],
  [
    ['Nordic countries'],
    { code: 'nordic-countries', meaning: 'the Nordic countries, not listed one by one' },
  ],
  [['NATO+'], { code: 'nato-plus', meaning: 'NATO members and others, not listed one by one' }],
  [
    ['Not Applicable - licence issued for promotional activity only'],
    { code: 'promotion-only', meaning: 'no destination: a licence for promotional activity only' },
  ],
  [
    ['Vessel, Platform in International Waters'],
    { code: 'international-waters', meaning: 'a vessel or platform in international waters' },
  ],
  [
    ['Continental Shelf Danish Sector'],
    { code: 'continental-shelf-dnk', meaning: 'installations on the Danish sector of the continental shelf' },
  ],
  [
    ['Continental Shelf: United Kingdom sector'],
    { code: 'continental-shelf-gbr', meaning: 'installations on the UK sector of the continental shelf' },
  ],
  [
    ['French Overseas Territory'],
    { code: 'french-overseas-territories', meaning: 'French overseas territories, not listed one by one' },
  ],
  [
    ['Bonaire, Curacao, Saba, Sint Eustatius and Sint Maarten'],
    {
      code: 'bes-cuw-sxm',
      meaning: 'the Caribbean parts of the Kingdom of the Netherlands (BES, CUW, SXM) as one UK destination',
    },
  ],
];

/** The key an aggregate label is matched on: stateNameKey, dashes with spaces folded, a final full stop dropped. */
export function aggregateKey(label: string): string {
  return stateNameKey(label)
    .replace(/\s*[-\u2010-\u2015]\s*/g, ' - ')
    .replace(/\.$/, '');
}

const AGGREGATES = new Map<string, NationalAggregate>();
for (const [labels, aggregate] of AGGREGATE_LABELS)
  for (const label of labels) AGGREGATES.set(aggregateKey(label), aggregate);

/** Every aggregate, for documentation and tests. */
export const NATIONAL_AGGREGATES: ReadonlyArray<{ labels: string[]; code: string; meaning: string }> =
  AGGREGATE_LABELS.map(([labels, aggregate]) => ({ labels, ...aggregate }));

/** The aggregate a label stands for, or undefined. */
export function findAggregate(label: string): NationalAggregate | undefined {
  return AGGREGATES.get(aggregateKey(label));
}

export type PartyOutcome =
  | { ok: true; party: NationalParty }
  | { ok: false; code: 'unknown_state' | 'unknown_code'; message: string; hint: string };

/** Resolves names (and codes) of one source to parties. */
export class PartyResolver {
  constructor(
    private readonly lookup: StateLookup,
    /** The alias-table source of this file's spellings (`national:fin`, `eu-coarm`, `national:gbr`). */
    readonly source: string,
    private readonly iso2?: Iso2Lookup,
  ) {}

  /** A name: an aggregate label first (those are never States), then the crosswalk. */
  byName(name: string): PartyOutcome {
    const written = name.trim();
    const aggregate = findAggregate(written);
    if (aggregate)
      return { ok: true, party: { name: written, code: null, stateId: null, aggregate: aggregate.code } };
    const found = this.lookup.resolve(written, this.source);
    if (found)
      return {
        ok: true,
        party: {
          name: written,
          code: null,
          stateId: found.stateId as NationalParty['stateId'],
          aggregate: null,
        },
      };
    return {
      ok: false,
      code: 'unknown_state',
      message: `"${written}" is not a known State, party or aggregate`,
      hint: `${unknownStateHint(this.source)}; a label for several or no destinations belongs in NATIONAL_AGGREGATES (src/ingest/national/parties.ts)`,
    };
  }

  /** An ISO 3166-1 alpha-2 code with the name written beside it; the code decides. */
  byCode(code: string, name: string): PartyOutcome & { nameId?: string | undefined } {
    const found = this.iso2?.resolveIso2(code);
    if (!found) {
      return {
        ok: false,
        code: 'unknown_code',
        message: `"${code}" is not an ISO 3166-1 alpha-2 code in data/reference/states.csv`,
        hint: 'correct the code, or add the State or territory to data/reference/states.csv',
      };
    }
    const written = name.trim();
    const nameId = written === '' ? undefined : this.lookup.resolve(written, this.source)?.stateId;
    return {
      ok: true,
      party: {
        name: written,
        code: code.trim(),
        stateId: found.stateId as NationalParty['stateId'],
        aggregate: null,
      },
      nameId,
    };
  }
}

/** Both lookups the national parsers take, from crosswalk rows (states.csv: id, name, iso2) and alias rows. */
export function createNationalLookups(
  states: readonly { id: string; name: string; iso2: string | null | undefined }[],
  aliases: readonly StateAliasEntry[],
): { lookup: StateLookup; iso2: Iso2Lookup } {
  return {
    lookup: createStateLookup(
      aliases,
      states.map((state) => ({ id: state.id, name: state.name })),
    ),
    iso2: createIso2Lookup(states),
  };
}
