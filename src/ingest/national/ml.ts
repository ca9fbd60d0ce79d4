/**
 * EU Common Military List (ML1-ML22) codes as national files write them, and how they relate to the UN Register
 * (UNROCA) categories of ATT Art. 2(1).
 *
 * No ML category coincides with a UNROCA category: ML categories are defined by technology (calibre, vehicle,
 * aircraft ...) and include components, parts, training and technology, whereas UNROCA counts complete weapon
 * systems above thresholds. The table below is therefore documentation and an analysis aid ("may contain"), and the
 * parsers never set a UNROCA category from an ML code (a wrong mapping is worse than none). docs/national-sources.md
 * shows the same table.
 */

/** The highest ML category number (ML22, technology). */
export const ML_CATEGORY_MAX = 22;

export interface MlCode {
  /** ML1 ... ML22. */
  category: string;
  /** The whole normalised code (`ML13d1`), equal to `category` when no sub-item is given. */
  code: string;
}

/**
 * An ML code: "ML" (optionally followed by spaces), a category number 1-22, then sub-items as letters and digits
 * ("a", "d1", "c5a1"; at most two digits each, so that a glued "PL5017" is not read as a sub-item); dots and spaces between parts are ignored and letters are lower-cased ("ML 10.A" -> ML10a).
 */
const ML_CODE = /^ML(\d{1,2})((?:[a-z]\d{0,2})*)$/;

/** Normalises one ML token, or undefined when it is not an ML code of ML1-ML22. */
export function parseMlCode(token: string): MlCode | undefined {
  const compact = token.replace(/[\s.]+/g, '');
  const match = /^ml/i.test(compact) ? ML_CODE.exec(`ML${compact.slice(2).toLowerCase()}`) : null;
  if (!match) return undefined;
  const number = Number(match[1]);
  if (!Number.isInteger(number) || number < 1 || number > ML_CATEGORY_MAX || match[1]!.startsWith('0'))
    return undefined;
  return { category: `ML${number}`, code: `ML${number}${match[2] ?? ''}` };
}

export interface MlListResult {
  codes: MlCode[];
  /** Tokens that are not ML codes, as written. */
  invalid: string[];
}

/**
 * Reads a list of ML codes as SaferGlobe writes them: separated by commas or semicolons, later items may drop the
 * "ML" ("ML1a, 1d" -> ML1a, ML1d) or even the number ("ML13c,d" -> ML13c, ML13d). An item is only completed from the
 * item before it, never guessed otherwise.
 */
export function parseMlList(text: string): MlListResult {
  const codes: MlCode[] = [];
  const invalid: string[] = [];
  let previous: MlCode | undefined;
  for (const raw of text.split(/[,;]/)) {
    const token = raw.trim();
    if (token === '') continue;
    let code = parseMlCode(token);
    if (!code && previous && /^\d{1,2}(?:[a-z]\d*)*\.?$/i.test(token)) code = parseMlCode(`ML${token}`);
    if (!code && previous && /^[a-z](?:\d+[a-z]?)*\.?$/i.test(token))
      code = parseMlCode(`${previous.category}${token}`);
    if (code) {
      codes.push(code);
      previous = code;
    } else invalid.push(token);
  }
  return { codes, invalid };
}

export type UnrocaRelation = 'partial' | 'none';

export interface MlUnrocaRelation {
  ml: string;
  title: string;
  /** UNROCA categories whose weapons some items of the ML category can be (I-VII, VIII = SALW). */
  unroca: string[];
  relation: UnrocaRelation;
  caveat: string;
}

/**
 * How each ML category relates to the UNROCA categories. `partial`: some items of the ML category fall in the listed
 * UNROCA categories, many do not. `none`: no UNROCA category (ammunition is ATT Art. 3, parts and components Art. 4).
 */
export const ML_UNROCA_RELATIONS: readonly MlUnrocaRelation[] = Object.freeze([
  {
    ml: 'ML1',
    title: 'Smooth-bore weapons < 20 mm, other arms and automatic weapons <= 12.7 mm',
    unroca: ['VIII'],
    relation: 'partial',
    caveat:
      'small arms and some light weapons (heavy machine guns 12.7 mm); also sporting and hunting arms, accessories and components',
  },
  {
    ml: 'ML2',
    title: 'Smooth-bore weapons >= 20 mm, other weapons > 12.7 mm, projectors',
    unroca: ['III', 'VIII'],
    relation: 'partial',
    caveat:
      'artillery >= 75 mm is III; mortars < 75 mm, grenade launchers, recoilless rifles are VIII light weapons; also components, smoke and signal projectors',
  },
  {
    ml: 'ML3',
    title: 'Ammunition and fuze setting devices',
    unroca: [],
    relation: 'none',
    caveat: 'ammunition is covered by ATT Art. 3, not Art. 2(1)',
  },
  {
    ml: 'ML4',
    title: 'Bombs, torpedoes, rockets, missiles, other explosive devices',
    unroca: ['VII', 'VIII'],
    relation: 'partial',
    caveat:
      'missiles and launchers are VII (MANPADS VII(b)); portable anti-tank launchers are VIII; bombs, mines, grenades and components are not counted by UNROCA',
  },
  {
    ml: 'ML5',
    title: 'Fire control and related equipment',
    unroca: [],
    relation: 'none',
    caveat: 'equipment, not weapon systems',
  },
  {
    ml: 'ML6',
    title: 'Ground vehicles and components',
    unroca: ['I', 'II'],
    relation: 'partial',
    caveat:
      'battle tanks are I and armoured combat vehicles II; unarmed military vehicles and components are not counted',
  },
  {
    ml: 'ML7',
    title: 'Chemical or biological toxic agents, riot control agents, radioactive materials',
    unroca: [],
    relation: 'none',
    caveat: '',
  },
  { ml: 'ML8', title: 'Energetic materials', unroca: [], relation: 'none', caveat: '' },
  {
    ml: 'ML9',
    title: 'Vessels of war, special naval equipment',
    unroca: ['VI'],
    relation: 'partial',
    caveat: 'warships above the UNROCA thresholds are VI; other vessels and naval equipment are not counted',
  },
  {
    ml: 'ML10',
    title: 'Aircraft, lighter-than-air vehicles, UAVs, aero-engines',
    unroca: ['IV', 'V'],
    relation: 'partial',
    caveat:
      'combat aircraft (incl. armed UAVs) are IV and attack helicopters V; transport and training aircraft, engines and parts are not counted',
  },
  { ml: 'ML11', title: 'Electronic equipment, spacecraft', unroca: [], relation: 'none', caveat: '' },
  {
    ml: 'ML12',
    title: 'High velocity kinetic energy weapon systems',
    unroca: [],
    relation: 'none',
    caveat: 'no UNROCA category; judge case by case',
  },
  { ml: 'ML13', title: 'Armoured or protective equipment', unroca: [], relation: 'none', caveat: '' },
  {
    ml: 'ML14',
    title: 'Military training and simulation equipment',
    unroca: [],
    relation: 'none',
    caveat: '',
  },
  { ml: 'ML15', title: 'Imaging or countermeasure equipment', unroca: [], relation: 'none', caveat: '' },
  {
    ml: 'ML16',
    title: 'Forgings, castings and unfinished products',
    unroca: [],
    relation: 'none',
    caveat: '',
  },
  {
    ml: 'ML17',
    title: 'Miscellaneous equipment, materials and libraries',
    unroca: [],
    relation: 'none',
    caveat: '',
  },
  { ml: 'ML18', title: 'Production equipment', unroca: [], relation: 'none', caveat: '' },
  { ml: 'ML19', title: 'Directed energy weapon systems', unroca: [], relation: 'none', caveat: '' },
  { ml: 'ML20', title: 'Cryogenic and superconductive equipment', unroca: [], relation: 'none', caveat: '' },
  { ml: 'ML21', title: 'Software', unroca: [], relation: 'none', caveat: '' },
  { ml: 'ML22', title: 'Technology', unroca: [], relation: 'none', caveat: '' },
]);
