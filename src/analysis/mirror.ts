/**
 * Mirror analysis: for each exporter, importer, year and UNROCA category, what the exporter's ATT report says against
 * what the importer's says, and each against SIPRI's deliveries. Every result is typed and explains itself with the
 * rows behind it. Rules (tolerances, year shift, currencies, the SIPRI category mapping): docs/methods/mirror.md.
 *
 * The caller passes only rows the viewer may see: rows of private forms must not be compared in public results.
 */
import {
  ATT_REPORT_CATEGORIES,
  type AttReportCategoryCode,
  type AttReportFormName,
} from '../model/att-report.js';
import {
  MIRROR_COMPARISONS,
  MIRROR_RESULT_KINDS,
  type MeasureComparison,
  type MirrorComparison,
  type MirrorExclusion,
  type MirrorResult,
  type MirrorResultKind,
  type MirrorRowRef,
  type MirrorSide,
  type MirrorSideName,
  type OtherSideStatus,
  type RateUsed,
} from '../model/compliance.js';
import {
  absDecimal,
  addDecimals,
  compareDecimals,
  decimalToString,
  parseDecimal,
  subtractDecimals,
  type Decimal,
} from '../model/decimal.js';
import type { ReportRegistryEntry } from '../model/report-registry.js';
import type { Transfer } from '../model/transfer.js';
import {
  COMPARISON_CURRENCY,
  convertToUsd,
  unitsPerUsdText,
  type ExchangeRateTable,
  type RateConfidence,
} from './exchange-rates.js';

export type { MirrorResult, MirrorResultKind, MirrorComparison };

// ---------------------------------------------------------------------------------------------------------------
// SIPRI armament categories -> UNROCA categories

export interface SipriMapping {
  /** SIPRI's armament category, or null when the description alone decides (classic deal rows have none). */
  sipriCategory: string | null;
  /** SIPRI's weapon description, lower case. */
  description: string;
  /** The UNROCA category, or null where the mapping does not hold. */
  unroca: AttReportCategoryCode | null;
  confidence: 'high' | 'medium' | null;
  note: string;
}

const map = (
  sipriCategory: string | null,
  descriptions: readonly string[],
  unroca: AttReportCategoryCode | null,
  confidence: 'high' | 'medium' | null,
  note: string,
): SipriMapping[] =>
  descriptions.map((description) => ({ sipriCategory, description, unroca, confidence, note }));

/**
 * SIPRI weapon descriptions mapped to UNROCA categories (ATT Art. 2(1)(a)-(g)), only where the definitions line up.
 * SIPRI's armament category alone does not map ("Aircraft" holds fighters and transports alike); its description
 * does, for the types below. Everything else (sensors, engines, naval guns, air-defence systems, SAMs, air-to-air
 * missiles, transports, trainers, patrol craft, support vehicles) is left unmapped and never compared.
 */
export const SIPRI_UNROCA_MAPPING: readonly SipriMapping[] = [
  ...map(
    'Armoured vehicles',
    ['tank'],
    'I',
    'high',
    'SIPRI "tank" is a main battle tank; UNROCA I needs >= 16.5 t unladen and a >= 75 mm gun',
  ),
  ...map(
    'Armoured vehicles',
    ['infantry fighting vehicle'],
    'II',
    'high',
    'carries an infantry squad and a qualifying weapon',
  ),
  ...map(
    'Armoured vehicles',
    [
      'armoured personnel carrier',
      'armoured reconnaissance vehicle',
      'armoured car',
      'fire-support vehicle',
      'tank destroyer',
    ],
    'II',
    'medium',
    'UNROCA II needs room for 4 infantry or a weapon >= 12.5 mm (or a missile launcher); most qualify, some light or mine-protected vehicles may not, and States differ in what they report',
  ),
  ...map(
    'Armoured vehicles',
    ['light tank'],
    null,
    null,
    'I or II depending on weight and gun: does not map one-to-one',
  ),
  ...map(
    'Armoured vehicles',
    [
      'armoured recovery vehicle',
      'armoured bridgelayer',
      'armoured engineer vehicle',
      'armoured supply vehicle',
      'armoured engineer/recovery vehicle',
      'self-propelled gun chassis',
      'tank chassis',
      'training tank',
    ],
    null,
    null,
    'support vehicles and chassis are not UNROCA combat vehicles',
  ),
  ...map(
    'Artillery',
    ['towed gun', 'self-propelled gun', 'multiple rocket launcher', 'self-propelled mortar'],
    'III',
    'high',
    'SIPRI covers calibres >= 100 mm, UNROCA III >= 75 mm: SIPRI may count fewer, never more',
  ),
  ...map(
    'Artillery',
    ['mortar'],
    'III',
    'medium',
    'SIPRI lists heavy mortars only; lighter mortars of 75-99 mm are in UNROCA III but not in SIPRI',
  ),
  ...map(
    'Artillery',
    ['surface-to-surface missile launcher'],
    'VII',
    'medium',
    'UNROCA VII(a) counts launchers and missiles; States differ in which they count',
  ),
  ...map(
    'Artillery',
    ['coastal defence system', 'self-propelled gun turret', 'mortar turret'],
    null,
    null,
    'systems and turrets: counts do not correspond',
  ),
  ...map(
    'Aircraft',
    ['fga aircraft', 'fighter aircraft', 'ground-attack aircraft', 'bomber aircraft'],
    'IV',
    'high',
    'combat aircraft, UNROCA IV(a)',
  ),
  ...map(
    'Aircraft',
    ['trainer/combat aircraft', 'fga/electronic warfare aircraft'],
    'IV',
    'medium',
    'armed trainers and electronic-warfare versions are in UNROCA IV; some States report them elsewhere',
  ),
  ...map(
    'Aircraft',
    ['armed uav'],
    'IV',
    'medium',
    'UNROCA IV(b) unmanned combat aerial vehicles (2016 GGE split)',
  ),
  ...map('Aircraft', ['combat helicopter'], 'V', 'high', 'attack helicopters, UNROCA V(a)'),
  ...map(
    'Aircraft',
    ['anti-submarine helicopter', 'anti-ship helicopter'],
    'V',
    'medium',
    'UNROCA V includes air-to-subsurface weapons with integrated fire control; States differ in reporting naval helicopters',
  ),
  ...map(
    'Aircraft',
    [
      '(armed) trainer aircraft',
      '(armed) uav',
      'uav',
      'maritime patrol aircraft',
      'anti-submarine aircraft',
      'reconnaissance aircraft',
      'transport aircraft',
      'transport helicopter',
      'helicopter',
      'light helicopter',
      'trainer aircraft',
    ],
    null,
    null,
    'armable, unarmed or non-combat types: UNROCA IV/V only if designed or equipped for weapons, which the description does not say',
  ),
  ...map(
    'Ships',
    ['frigate', 'destroyer', 'submarine', 'nuclear submarine', 'aircraft carrier'],
    'VI',
    'high',
    'above 500 t standard displacement',
  ),
  ...map(
    'Ships',
    ['corvette', 'amphibious assault ship', 'missile boat'],
    'VI',
    'medium',
    'UNROCA VI: >= 500 t, or smaller with missiles or torpedoes of >= 25 km range; most qualify',
  ),
  ...map(
    'Ships',
    ['patrol ship', 'patrol boat', 'landing ship', 'landing craft', 'torpedo boat', 'mcm ship', 'minehunter'],
    null,
    null,
    'depends on displacement and armament, which the description does not give',
  ),
  ...map('Missiles', ['portable sam'], 'VII', 'high', 'MANPADS, UNROCA VII(b)'),
  ...map(
    'Missiles',
    [
      'anti-ship missile',
      'anti-ship/land-attack missile',
      'surface-to-surface missile',
      'land-attack missile',
      'submarine-launched ballistic missile',
    ],
    'VII',
    'medium',
    'UNROCA VII(a) (range >= 25 km); some States count launchers rather than missiles',
  ),
  ...map(
    'Missiles',
    [
      'sam',
      'long-range air-to-air missile',
      'short-range air-to-air missile',
      'anti-tank missile',
      'guided bomb',
      'air-to-surface missile',
      'anti-submarine torpedo',
      'guided rocket',
      'loitering munition',
    ],
    null,
    null,
    'excluded from VII (ground-to-air missiles), below 25 km, or reported inconsistently (air-to-air, air-to-surface missiles); anti-tank missile launchers belong to category VIII (LW5)',
  ),
];

const SIPRI_UNMAPPED_CATEGORIES = new Set([
  'Air-defence systems',
  'Engines',
  'Sensors',
  'Naval weapons',
  'Satellites',
  'Other',
]);

/**
 * Abbreviations of SIPRI's classic exports, spelled out as its delivery-row exports spell them. Seen: the 2025 classic
 * register writes "APC" where the delivery-row register of the same release writes "armoured personnel carrier"
 * (820 matched deals); "IFV" and "MRL" are the same convention in older exports.
 */
const SIPRI_ABBREVIATIONS: Readonly<Record<string, string>> = {
  apc: 'armoured personnel carrier',
  ifv: 'infantry fighting vehicle',
  mrl: 'multiple rocket launcher',
};

function normaliseDescription(text: string): string {
  const key = text.trim().toLowerCase().replace(/\s+/g, ' ');
  return SIPRI_ABBREVIATIONS[key] ?? key;
}

const MAPPING_INDEX = new Map(SIPRI_UNROCA_MAPPING.map((m) => [m.description, m]));

/** The UNROCA category of a SIPRI row, with the mapping used, or null with the reason it does not map. */
export function unrocaCategoryOfSipri(
  sipriCategory: string | null,
  description: string | null,
): { category: AttReportCategoryCode | null; mapping: SipriMapping | null; reason: string } {
  if (sipriCategory !== null && SIPRI_UNMAPPED_CATEGORIES.has(sipriCategory))
    return {
      category: null,
      mapping: null,
      reason: `SIPRI category "${sipriCategory}" has no UNROCA counterpart`,
    };
  const key = normaliseDescription(description ?? '');
  const mapping = MAPPING_INDEX.get(key);
  if (!mapping)
    return {
      category: null,
      mapping: null,
      reason: `SIPRI description "${description ?? ''}" is not in the mapping`,
    };
  if (sipriCategory !== null && mapping.sipriCategory !== null && mapping.sipriCategory !== sipriCategory)
    return {
      category: null,
      mapping: null,
      reason: `SIPRI description "${description}" under category "${sipriCategory}" is not the mapped "${mapping.sipriCategory}"`,
    };
  if (mapping.unroca === null)
    return {
      category: null,
      mapping,
      reason: `SIPRI "${mapping.description}" does not map: ${mapping.note}`,
    };
  return {
    category: mapping.unroca,
    mapping,
    reason: `SIPRI "${mapping.description}" -> UNROCA ${mapping.unroca} (${mapping.confidence}): ${mapping.note}`,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Rules

export interface MirrorOptions {
  /** Numbers of items match within this percent of the larger (rounded down)... (default 5) */
  countTolerancePercent?: number;
  /** ...or within this many items, whichever is more (default 0: exact below 20 items). */
  countToleranceItems?: number;
  /** Values, in one currency, match within this percent of the larger (default 10). */
  valueTolerancePercent?: number;
  /** Rates below this confidence are not used (default medium). */
  minRateConfidence?: RateConfidence;
  /** A one-sided cell pairs with the other side's cell this many years earlier or later (default 1). */
  yearShift?: number;
}

export interface MirrorRules {
  comparisonCurrency: string;
  countTolerancePercent: number;
  countToleranceItems: number;
  valueTolerancePercent: number;
  minRateConfidence: RateConfidence;
  yearShift: number;
  /** The rules in words, published with the results. */
  text: Record<string, string>;
}

export function mirrorRules(options: MirrorOptions = {}): MirrorRules {
  const rules = {
    comparisonCurrency: COMPARISON_CURRENCY,
    countTolerancePercent: options.countTolerancePercent ?? 5,
    countToleranceItems: options.countToleranceItems ?? 0,
    valueTolerancePercent: options.valueTolerancePercent ?? 10,
    minRateConfidence: options.minRateConfidence ?? 'medium',
    yearShift: options.yearShift ?? 1,
  };
  return {
    ...rules,
    text: {
      cell: "Rows are grouped by exporter, importer, year and UNROCA category (I-VIII; sub-categories are summed into their category). A side's number of items (value) is the sum over its rows, and unknown if any row lacks it.",
      count: `Numbers of items match when they differ by at most ${rules.countTolerancePercent} % of the larger (rounded down) or ${rules.countToleranceItems} items, whichever is more.`,
      value: `Values match when they differ by at most ${rules.valueTolerancePercent} % of the larger, compared in one currency: the same currency as reported, otherwise ${rules.comparisonCurrency} at the annual average rate of each row's year from data/reference/exchange-rates.csv (${rules.minRateConfidence} confidence or better). A missing rate makes the value not comparable; no rate is ever guessed.`,
      kind: 'match: every comparable measure within tolerance; quantity_mismatch: a comparable measure outside tolerance; value_only_vs_count_only: one side gives only a number, the other only a value; not_comparable: nothing can be compared (bases differ, no rate, no numbers).',
      yearShift: `A cell found on one side only is a year_shift when the other side has an unmatched cell for the same exporter, importer and category ${rules.yearShift} year(s) earlier or later whose quantities match.`,
      categoryMismatch:
        'A cell found on one side only is a category_mismatch when the other side has an unmatched cell for the same exporter, importer and year in another category whose quantities match.',
      oneSided:
        'Otherwise the cell is one_sided; otherSide says whether the other State reported that form that year (registry), so that "not reported" and "reported without it" stay apart.',
      basis:
        'An ATT report may give authorised (licences) or actual transfers; where a side has both in one cell its actual rows are used. Sides on different bases are not_comparable. SIPRI records deliveries, so only actual ATT rows are compared with it.',
      sipri:
        'SIPRI comparisons use numbers delivered only (TIV is a volume index, never money) and only SIPRI descriptions mapped to UNROCA categories (SIPRI_UNROCA_MAPPING, docs/methods/mirror.md). SIPRI deliveries are listed against an ATT State only in the years it reported the form (rows held, or a public nil report); SIPRI does not cover small arms and light weapons, so category VIII is never set against it.',
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Input, cells

/** A stored row with its id (the store's key) and the Transfer. */
export interface MirrorRow {
  id: string;
  transfer: Transfer;
}

export interface MirrorInput {
  rows: readonly MirrorRow[];
  rates: ExchangeRateTable;
  /** The report registry, to tell "not reported" from "reported without this transfer" for one-sided cells. */
  registry?: readonly ReportRegistryEntry[];
  options?: MirrorOptions;
}

export interface MirrorAnalysis {
  rules: MirrorRules;
  results: MirrorResult[];
  excluded: MirrorExclusion[];
  counts: Record<MirrorComparison, Record<MirrorResultKind, number>>;
  stats: {
    rowsRead: number;
    rowsCompared: number;
    rowsExcluded: number;
    /** SIPRI cells compared with neither ATT report (neither State reported the form that year). */
    sipriCellsWithoutAttReport: number;
  };
}

interface SideRow {
  row: MirrorRow;
  side: MirrorSideName;
  exporterId: string;
  importerId: string;
  year: number;
  category: AttReportCategoryCode;
  basis: string;
}

interface Cell {
  side: MirrorSideName;
  exporterId: string;
  importerId: string;
  year: number;
  category: AttReportCategoryCode;
  basis: string;
  rows: SideRow[];
  summary: MirrorSide;
  /** Value in the comparison currency, or why not. */
  comparison: { value: string | null; rates: RateUsed[]; problem: string | null };
}

const CATEGORY_CODES = new Set<string>(ATT_REPORT_CATEGORIES.map((c) => c.code));

function refOf(row: MirrorRow): MirrorRowRef {
  const p = row.transfer.provenance;
  return {
    id: row.id,
    source: row.transfer.source,
    sourceRecordId: row.transfer.sourceRecordId,
    fileName: p.fileName,
    sheet: p.sheet,
    row: p.row,
    importRunId: p.importRunId,
  };
}

function attForm(transfer: Transfer): AttReportFormName | null {
  const sheet = transfer.provenance.sheet?.toLowerCase();
  return sheet === 'exports' || sheet === 'imports' ? sheet : null;
}

/** Sorts rows into sides (exporter's report, importer's report, SIPRI), or excludes them with a reason. */
function classify(rows: readonly MirrorRow[], excluded: MirrorExclusion[]): SideRow[] {
  const out: SideRow[] = [];
  const exclude = (row: MirrorRow, code: string, reason: string) =>
    excluded.push({ row: refOf(row), code, reason });
  for (const row of rows) {
    const t = row.transfer;
    if (t.source === 'att-report') {
      const form = attForm(t);
      if (form === null) {
        exclude(
          row,
          'unknown_form',
          `the row's sheet "${t.provenance.sheet ?? ''}" does not say whether it is an export or an import`,
        );
        continue;
      }
      const partner = form === 'exports' ? t.importerId : t.exporterId;
      if (t.partnerAggregated || partner === null || partner === 'UNKNOWN') {
        exclude(
          row,
          'aggregated_partner',
          `the ${form} row totals several partner States: it cannot be set against one partner's report`,
        );
        continue;
      }
      if (t.categoryScheme !== 'unroca' || t.categoryCode === null || !CATEGORY_CODES.has(t.categoryCode)) {
        exclude(
          row,
          'unknown_category',
          `the row has no UNROCA category (${t.categoryScheme} ${t.categoryCode ?? 'none'})`,
        );
        continue;
      }
      if (t.year === null) {
        exclude(row, 'no_year', 'the row has no year');
        continue;
      }
      out.push({
        row,
        side: form === 'exports' ? 'exporter_report' : 'importer_report',
        exporterId: t.exporterId,
        importerId: t.importerId!,
        year: t.year,
        category: t.categoryCode as AttReportCategoryCode,
        basis: t.basis,
      });
    } else if (t.source === 'sipri') {
      if (t.year === null) {
        exclude(
          row,
          'no_delivery_year',
          'the SIPRI deal has no single delivery year (classic rows delivered over several years are not split)',
        );
        continue;
      }
      if (t.importerId === null) {
        exclude(row, 'no_importer', 'the SIPRI row names no recipient');
        continue;
      }
      const { category, reason } = unrocaCategoryOfSipri(t.categoryCode, t.description);
      if (category === null) {
        exclude(row, 'category_not_mapped', reason);
        continue;
      }
      out.push({
        row,
        side: 'sipri',
        exporterId: t.exporterId,
        importerId: t.importerId,
        year: t.year,
        category,
        basis: 'delivered',
      });
    } else {
      exclude(row, 'source_not_compared', `rows from ${t.source} are not part of the mirror analysis`);
    }
  }
  return out;
}

function cellKey(exporterId: string, importerId: string, year: number, category: string): string {
  return `${exporterId}|${importerId}|${year}|${category}`;
}

/** Groups one side's rows into cells; where a cell mixes bases, its actual rows are kept and the others excluded. */
function buildCells(
  rows: readonly SideRow[],
  rates: ExchangeRateTable,
  rules: MirrorRules,
  excluded: MirrorExclusion[],
): Map<string, Cell> {
  const groups = new Map<string, SideRow[]>();
  for (const r of rows) {
    const key = cellKey(r.exporterId, r.importerId, r.year, r.category);
    const list = groups.get(key);
    if (list) list.push(r);
    else groups.set(key, [r]);
  }
  const cells = new Map<string, Cell>();
  for (const [key, list] of groups) {
    let kept = list;
    const bases = new Set(list.map((r) => r.basis));
    if (bases.size > 1) {
      const preferred = bases.has('actual') ? 'actual' : [...bases].sort()[0]!;
      kept = list.filter((r) => r.basis === preferred);
      for (const r of list.filter((x) => x.basis !== preferred))
        excluded.push({
          row: refOf(r.row),
          code: 'other_basis_in_cell',
          reason: `the same report also gives ${preferred} figures for ${r.exporterId} -> ${r.importerId}, ${r.year}, category ${r.category}: those are compared, this ${r.basis} row is not`,
        });
    }
    const first = kept[0]!;
    const counts = kept.map((r) => r.row.transfer.numberOfItems);
    const numberOfItems = counts.every((c): c is number => c !== null)
      ? counts.reduce((a, b) => a + b, 0)
      : null;
    const values = kept.map((r) => r.row.transfer.value);
    const currencies = new Set(kept.map((r) => r.row.transfer.currency));
    const allValued = first.side !== 'sipri' && values.every((v): v is string => v !== null);
    const value = allValued && currencies.size === 1 ? decimalToString(sumText(values as string[])) : null;
    const currency = value !== null ? (kept[0]!.row.transfer.currency ?? null) : null;
    // The value in the comparison currency: every row converted at its own year's rate.
    let comparisonValue: string | null = null;
    const ratesUsed: RateUsed[] = [];
    let problem: string | null = null;
    if (first.side === 'sipri')
      problem = 'SIPRI gives no financial value (TIV is a volume index, never money)';
    else if (!allValued) problem = 'a row gives no value';
    else {
      let total: Decimal = { units: 0n, scale: 0 };
      for (const r of kept) {
        const t = r.row.transfer;
        if (t.currency === null) {
          problem = 'a row gives a value without a currency';
          break;
        }
        const converted = convertToUsd(t.value!, t.currency, r.year, rates, rules.minRateConfidence);
        if (converted.kind === 'not_convertible') {
          problem = converted.reason;
          break;
        }
        total = addDecimals(total, converted.amount);
        if (
          converted.rate &&
          !ratesUsed.some((u) => u.currency === converted.rate!.currency && u.year === converted.rate!.year)
        )
          ratesUsed.push({
            currency: converted.rate.currency,
            year: converted.rate.year,
            unitsPerUsd: unitsPerUsdText(converted.rate),
            source: converted.rate.source,
            confidence: converted.rate.confidence,
          });
      }
      if (problem === null) comparisonValue = decimalToString(total);
    }
    const summary: MirrorSide = {
      side: first.side,
      year: first.year,
      category: first.category,
      basis: first.basis,
      numberOfItems,
      value,
      currency,
      comparisonValue,
      uncertain: kept.some((r) => r.row.transfer.uncertain.length > 0),
      rows: kept.map((r) => refOf(r.row)),
    };
    cells.set(key, {
      side: first.side,
      exporterId: first.exporterId,
      importerId: first.importerId,
      year: first.year,
      category: first.category,
      basis: first.basis,
      rows: kept,
      summary,
      comparison: { value: comparisonValue, rates: ratesUsed, problem },
    });
  }
  return cells;
}

function sumText(values: readonly string[]): Decimal {
  return values.reduce<Decimal>((total, v) => addDecimals(total, v), { units: 0n, scale: 0 });
}

// ---------------------------------------------------------------------------------------------------------------
// Measures

function percentOf(value: Decimal, percent: number): Decimal {
  const p = parseDecimal(String(percent));
  return { units: value.units * p.units, scale: value.scale + p.scale + 2 };
}

const SIDE_LABEL: Record<MirrorSideName, string> = {
  exporter_report: "the exporter's report",
  importer_report: "the importer's report",
  sipri: 'SIPRI',
};

function countMeasure(left: Cell, right: Cell, rules: MirrorRules): MeasureComparison {
  const l = left.summary.numberOfItems;
  const r = right.summary.numberOfItems;
  if (l === null || r === null) {
    const missing = [
      l === null ? SIDE_LABEL[left.side] : null,
      r === null ? SIDE_LABEL[right.side] : null,
    ].filter(Boolean);
    return {
      measure: 'count',
      left: l === null ? null : String(l),
      right: r === null ? null : String(r),
      difference: null,
      tolerance: null,
      withinTolerance: null,
      currency: null,
      ratesUsed: [],
      note: `${missing.join(' and ')} give(s) no number of items for every row`,
    };
  }
  const tolerance = Math.max(
    rules.countToleranceItems,
    Math.floor((Math.max(l, r) * rules.countTolerancePercent) / 100 + 1e-9),
  );
  const uncertain = left.summary.uncertain || right.summary.uncertain ? 'some numbers are estimates' : null;
  return {
    measure: 'count',
    left: String(l),
    right: String(r),
    difference: String(l - r),
    tolerance: String(tolerance),
    withinTolerance: Math.abs(l - r) <= tolerance,
    currency: null,
    ratesUsed: [],
    note: uncertain,
  };
}

function valueMeasure(left: Cell, right: Cell, rules: MirrorRules): MeasureComparison {
  const empty = (note: string): MeasureComparison => ({
    measure: 'value',
    left: left.summary.value,
    right: right.summary.value,
    difference: null,
    tolerance: null,
    withinTolerance: null,
    currency: null,
    ratesUsed: [],
    note,
  });
  let l: string | null;
  let r: string | null;
  let currency: string;
  let ratesUsed: RateUsed[] = [];
  if (
    left.summary.value !== null &&
    right.summary.value !== null &&
    left.summary.currency === right.summary.currency
  ) {
    l = left.summary.value;
    r = right.summary.value;
    currency = left.summary.currency!;
  } else {
    if (left.comparison.value === null || right.comparison.value === null) {
      const problems = [
        left.comparison.problem ? `${SIDE_LABEL[left.side]}: ${left.comparison.problem}` : null,
        right.comparison.problem ? `${SIDE_LABEL[right.side]}: ${right.comparison.problem}` : null,
      ].filter(Boolean);
      return empty(problems.join('; '));
    }
    l = left.comparison.value;
    r = right.comparison.value;
    currency = rules.comparisonCurrency;
    ratesUsed = [...left.comparison.rates, ...right.comparison.rates];
  }
  const larger = compareDecimals(l, r) >= 0 ? l : r;
  const tolerance = percentOf(parseDecimal(larger), rules.valueTolerancePercent);
  const difference = subtractDecimals(l, r);
  return {
    measure: 'value',
    left: l,
    right: r,
    difference: decimalToString(difference),
    tolerance: decimalToString(tolerance),
    withinTolerance: compareDecimals(absDecimal(difference), tolerance) <= 0,
    currency,
    ratesUsed,
    note: null,
  };
}

function measuresOf(left: Cell, right: Cell, rules: MirrorRules, withValues: boolean): MeasureComparison[] {
  return withValues
    ? [countMeasure(left, right, rules), valueMeasure(left, right, rules)]
    : [countMeasure(left, right, rules)];
}

/** Do the cells' quantities agree (at least one comparable measure, all within tolerance)? */
function quantitiesAgree(measures: readonly MeasureComparison[]): boolean {
  const comparable = measures.filter((m) => m.withinTolerance !== null);
  return comparable.length > 0 && comparable.every((m) => m.withinTolerance === true);
}

const countOnly = (cell: Cell) =>
  cell.summary.numberOfItems !== null && cell.summary.value === null && cell.comparison.value === null;
const valueOnly = (cell: Cell) =>
  cell.summary.numberOfItems === null && (cell.summary.value !== null || cell.comparison.value !== null);

function describeMeasures(measures: readonly MeasureComparison[]): string {
  return measures
    .map((m) => {
      if (m.withinTolerance === null) return `${m.measure}: not comparable (${m.note ?? 'missing'})`;
      const unit = m.measure === 'count' ? 'items' : m.currency;
      return `${m.measure}: ${m.left} vs ${m.right} ${unit} (difference ${m.difference}, tolerance ${m.tolerance}) ${m.withinTolerance ? 'within' : 'outside'} tolerance`;
    })
    .join('; ');
}

// ---------------------------------------------------------------------------------------------------------------
// Comparison

interface Pairing {
  comparison: MirrorComparison;
  withValues: boolean;
  /** What the other State reported, for one-sided cells present on `present`'s side. */
  otherSide: (cell: Cell) => OtherSideStatus;
  /** Whether a cell left unpaired is reported as one_sided (SIPRI cells only where the ATT State reported). */
  reportUnpaired: (cell: Cell) => boolean;
}

function describeCell(cell: Cell): string {
  return `${cell.exporterId} -> ${cell.importerId}, ${cell.year}, category ${cell.category}`;
}

function pairedResult(
  kind: MirrorResultKind,
  pairing: Pairing,
  left: Cell,
  right: Cell,
  measures: MeasureComparison[],
  reason: string,
): MirrorResult {
  return {
    comparison: pairing.comparison,
    kind,
    exporterId: left.exporterId as MirrorResult['exporterId'],
    importerId: left.importerId as MirrorResult['importerId'],
    year: left.year,
    category: left.category,
    left: left.summary,
    right: right.summary,
    presentIn: null,
    otherSide: null,
    measures,
    reason,
  };
}

/** The result for two cells with the same key. */
function compareSameCell(pairing: Pairing, left: Cell, right: Cell, rules: MirrorRules): MirrorResult {
  const measures = measuresOf(left, right, rules, pairing.withValues);
  const what = `${describeCell(left)}: ${SIDE_LABEL[left.side]} and ${SIDE_LABEL[right.side]}`;
  if (right.side === 'sipri' && left.basis !== 'actual')
    return pairedResult(
      'not_comparable',
      pairing,
      left,
      right,
      measures,
      `${what}: the ATT report gives ${left.basis} transfers and SIPRI deliveries; an authorisation is not a delivery`,
    );
  if (right.side !== 'sipri' && left.basis !== right.basis)
    return pairedResult(
      'not_comparable',
      pairing,
      left,
      right,
      measures,
      `${what}: the exporter reports ${left.basis} transfers and the importer ${right.basis} ones, which need not agree (${describeMeasures(measures)})`,
    );
  const comparable = measures.filter((m) => m.withinTolerance !== null);
  if (comparable.length === 0) {
    if ((countOnly(left) && valueOnly(right)) || (valueOnly(left) && countOnly(right)))
      return pairedResult(
        'value_only_vs_count_only',
        pairing,
        left,
        right,
        measures,
        `${what}: one gives only a number of items, the other only a value`,
      );
    return pairedResult(
      'not_comparable',
      pairing,
      left,
      right,
      measures,
      `${what}: nothing can be compared (${describeMeasures(measures)})`,
    );
  }
  if (comparable.every((m) => m.withinTolerance === true))
    return pairedResult(
      'match',
      pairing,
      left,
      right,
      measures,
      `${what} agree: ${describeMeasures(measures)}`,
    );
  return pairedResult(
    'quantity_mismatch',
    pairing,
    left,
    right,
    measures,
    `${what} disagree: ${describeMeasures(measures)}`,
  );
}

function basesPair(left: Cell, right: Cell): boolean {
  return right.side === 'sipri' ? left.basis === 'actual' : left.basis === right.basis;
}

/** Compares one side's cells with the other's: same cells, then year shifts, category mismatches, one-sided. */
function compareSides(
  pairing: Pairing,
  leftCells: Map<string, Cell>,
  rightCells: Map<string, Cell>,
  rules: MirrorRules,
): MirrorResult[] {
  const results: MirrorResult[] = [];
  const order = (cells: Iterable<Cell>) =>
    [...cells].sort(
      (a, b) =>
        a.exporterId.localeCompare(b.exporterId) ||
        a.importerId.localeCompare(b.importerId) ||
        a.year - b.year ||
        a.category.localeCompare(b.category),
    );
  const leftOpen = new Set<Cell>();
  const rightOpen = new Set<Cell>(rightCells.values());
  for (const left of order(leftCells.values())) {
    const right = rightCells.get(cellKey(left.exporterId, left.importerId, left.year, left.category));
    if (right) {
      results.push(compareSameCell(pairing, left, right, rules));
      rightOpen.delete(right);
    } else leftOpen.add(left);
  }
  // Year shifts: same exporter, importer and category, a year or so apart, quantities agreeing.
  for (const left of order(leftOpen)) {
    for (const shift of [1, -1].flatMap((sign) =>
      Array.from({ length: rules.yearShift }, (_, i) => sign * (i + 1)),
    )) {
      const right = rightCells.get(
        cellKey(left.exporterId, left.importerId, left.year + shift, left.category),
      );
      if (!right || !rightOpen.has(right) || !basesPair(left, right)) continue;
      const measures = measuresOf(left, right, rules, pairing.withValues);
      if (!quantitiesAgree(measures)) continue;
      results.push(
        pairedResult(
          'year_shift',
          pairing,
          left,
          right,
          measures,
          `${describeCell(left)}: ${SIDE_LABEL[left.side]} gives ${left.year}, ${SIDE_LABEL[right.side]} ${right.year} (shift ${shift > 0 ? '+' : ''}${shift}); ${describeMeasures(measures)}`,
        ),
      );
      leftOpen.delete(left);
      rightOpen.delete(right);
      break;
    }
  }
  // Category mismatches: same exporter, importer and year, another category, quantities agreeing.
  // Open right cells indexed by exporter, importer and year (in the same order as before), so that each left cell
  // looks only at its own flow instead of every open cell.
  const rightByFlow = new Map<string, Cell[]>();
  for (const right of order(rightOpen)) {
    const key = `${right.exporterId}|${right.importerId}|${right.year}`;
    const list = rightByFlow.get(key);
    if (list) list.push(right);
    else rightByFlow.set(key, [right]);
  }
  for (const left of order(leftOpen)) {
    const candidates = (rightByFlow.get(`${left.exporterId}|${left.importerId}|${left.year}`) ?? []).filter(
      (right) => rightOpen.has(right) && right.category !== left.category && basesPair(left, right),
    );
    for (const right of candidates) {
      const measures = measuresOf(left, right, rules, pairing.withValues);
      if (!quantitiesAgree(measures)) continue;
      results.push(
        pairedResult(
          'category_mismatch',
          pairing,
          left,
          right,
          measures,
          `${left.exporterId} -> ${left.importerId}, ${left.year}: ${SIDE_LABEL[left.side]} gives category ${left.category}, ${SIDE_LABEL[right.side]} ${right.category}; ${describeMeasures(measures)}`,
        ),
      );
      leftOpen.delete(left);
      rightOpen.delete(right);
      break;
    }
  }
  const oneSided = (cell: Cell, present: 'left' | 'right'): MirrorResult => {
    const other = pairing.otherSide(cell);
    const otherName: MirrorSideName =
      pairing.comparison === 'exporter_vs_importer'
        ? present === 'left'
          ? 'importer_report'
          : 'exporter_report'
        : present === 'left'
          ? 'sipri'
          : pairing.comparison === 'exporter_vs_sipri'
            ? 'exporter_report'
            : 'importer_report';
    return {
      comparison: pairing.comparison,
      kind: 'one_sided',
      exporterId: cell.exporterId as MirrorResult['exporterId'],
      importerId: cell.importerId as MirrorResult['importerId'],
      year: cell.year,
      category: cell.category,
      left: present === 'left' ? cell.summary : null,
      right: present === 'right' ? cell.summary : null,
      presentIn: cell.side,
      otherSide: other,
      measures: [],
      reason: `${describeCell(cell)} is in ${SIDE_LABEL[cell.side]} only; ${OTHER_SIDE_TEXT[other](SIDE_LABEL[otherName])}`,
    };
  };
  for (const cell of order(leftOpen)) if (pairing.reportUnpaired(cell)) results.push(oneSided(cell, 'left'));
  for (const cell of order(rightOpen))
    if (pairing.reportUnpaired(cell)) results.push(oneSided(cell, 'right'));
  return results;
}

const OTHER_SIDE_TEXT: Record<OtherSideStatus, (other: string) => string> = {
  reported_without_this: (other) => `${other} for that year is held and does not list it`,
  nil_report: (other) => `${other} for that year is a nil report (nothing to report)`,
  private: (other) => `${other} for that year is private, so it cannot be compared`,
  form_not_included: (other) => `${other} for that year leaves that form out`,
  rows_not_held: (other) => `${other} for that year is public but its rows are not in the data compared`,
  no_report_held: (other) => `no ${other.replace(/^the /, '')} for that year is held`,
  unknown: () => 'whether the other State reported that year is unknown (no registry given)',
  not_applicable: () => 'SIPRI records no delivery in a mapped category',
};

// ---------------------------------------------------------------------------------------------------------------
// Coverage: which ATT forms were reported, by State and year

interface Coverage {
  rowsHeld: Set<string>;
  registry: Map<string, ReportRegistryEntry> | null;
}

function coverageKey(stateId: string, year: number, form: AttReportFormName): string {
  return `${stateId}|${year}|${form}`;
}

function buildCoverage(rows: readonly MirrorRow[], registry?: readonly ReportRegistryEntry[]): Coverage {
  const rowsHeld = new Set<string>();
  // A form counts as held when any of its rows is in the input, compared or not (an aggregated row is still a report).
  for (const { transfer: t } of rows) {
    if (t.source !== 'att-report' || t.year === null) continue;
    const form = attForm(t);
    if (form === 'exports') rowsHeld.add(coverageKey(t.exporterId, t.year, 'exports'));
    if (form === 'imports' && t.importerId !== null)
      rowsHeld.add(coverageKey(t.importerId, t.year, 'imports'));
  }
  if (!registry) return { rowsHeld, registry: null };
  // The latest version per State and year with its forms recorded.
  const latest = new Map<string, ReportRegistryEntry>();
  const order = (e: ReportRegistryEntry) => `${e.submittedOn ?? ''}|${e.recordedAt}`;
  for (const entry of registry) {
    if (entry.coveredYear === null || !entry.formsRecorded) continue;
    const key = `${entry.stateId}|${entry.coveredYear}`;
    const current = latest.get(key);
    if (!current || order(entry) > order(current)) latest.set(key, entry);
  }
  return { rowsHeld, registry: latest };
}

function formStatus(
  coverage: Coverage,
  stateId: string,
  year: number,
  form: AttReportFormName,
): OtherSideStatus {
  if (coverage.rowsHeld.has(coverageKey(stateId, year, form))) return 'reported_without_this';
  if (coverage.registry === null) return 'unknown';
  const entry = coverage.registry.get(`${stateId}|${year}`);
  if (!entry) return 'no_report_held';
  const status = entry[form];
  if (status === null) return 'form_not_included';
  if (status.visibility === 'private') return 'private';
  if (status.nil) return 'nil_report';
  return 'rows_not_held';
}

/** Did the ATT State report this form for this year in a way SIPRI can be set against (rows held, or a public nil)? */
function attFormReported(
  coverage: Coverage,
  stateId: string,
  year: number,
  form: AttReportFormName,
): boolean {
  const status = formStatus(coverage, stateId, year, form);
  return status === 'reported_without_this' || status === 'nil_report';
}

// ---------------------------------------------------------------------------------------------------------------

function emptyCounts(): Record<MirrorComparison, Record<MirrorResultKind, number>> {
  const counts = {} as Record<MirrorComparison, Record<MirrorResultKind, number>>;
  for (const c of MIRROR_COMPARISONS) {
    counts[c] = {} as Record<MirrorResultKind, number>;
    for (const k of MIRROR_RESULT_KINDS) counts[c][k] = 0;
  }
  return counts;
}

/**
 * Compares exporters' and importers' ATT reports with each other and with SIPRI deliveries. Pure: rows, rates and
 * the registry are passed in. Results are sorted by comparison, exporter, importer, year and category.
 */
export function mirrorAnalysis(input: MirrorInput): MirrorAnalysis {
  const rules = mirrorRules(input.options);
  const excluded: MirrorExclusion[] = [];
  const sideRows = classify(input.rows, excluded);
  const coverage = buildCoverage(input.rows, input.registry);
  const exporterCells = buildCells(
    sideRows.filter((r) => r.side === 'exporter_report'),
    input.rates,
    rules,
    excluded,
  );
  const importerCells = buildCells(
    sideRows.filter((r) => r.side === 'importer_report'),
    input.rates,
    rules,
    excluded,
  );
  const sipriCells = buildCells(
    sideRows.filter((r) => r.side === 'sipri'),
    input.rates,
    rules,
    excluded,
  );

  const results: MirrorResult[] = [];
  results.push(
    ...compareSides(
      {
        comparison: 'exporter_vs_importer',
        withValues: true,
        otherSide: (cell) =>
          cell.side === 'exporter_report'
            ? formStatus(coverage, cell.importerId, cell.year, 'imports')
            : formStatus(coverage, cell.exporterId, cell.year, 'exports'),
        reportUnpaired: () => true,
      },
      exporterCells,
      importerCells,
      rules,
    ),
  );
  for (const [comparison, attCells, form, stateOf] of [
    ['exporter_vs_sipri', exporterCells, 'exports', (c: Cell) => c.exporterId],
    ['importer_vs_sipri', importerCells, 'imports', (c: Cell) => c.importerId],
  ] as const) {
    results.push(
      ...compareSides(
        {
          comparison,
          withValues: false,
          otherSide: (cell) =>
            cell.side === 'sipri' ? formStatus(coverage, stateOf(cell), cell.year, form) : 'not_applicable',
          // SIPRI deliveries are listed against an ATT State only in the years it reported that form; they still
          // serve as year-shift and category partners for the years it did report.
          reportUnpaired: (cell) =>
            cell.side !== 'sipri' || attFormReported(coverage, stateOf(cell), cell.year, form),
        },
        // SIPRI does not cover small arms and light weapons: category VIII is never set against it.
        new Map([...attCells].filter(([, cell]) => cell.category !== 'VIII')),
        sipriCells,
        rules,
      ),
    );
  }
  const sipriCellsWithoutAttReport = [...sipriCells.values()].filter(
    (cell) =>
      !attFormReported(coverage, cell.exporterId, cell.year, 'exports') &&
      !attFormReported(coverage, cell.importerId, cell.year, 'imports'),
  ).length;
  const comparisonOrder = new Map(MIRROR_COMPARISONS.map((c, i) => [c, i]));
  results.sort(
    (a, b) =>
      comparisonOrder.get(a.comparison)! - comparisonOrder.get(b.comparison)! ||
      a.exporterId.localeCompare(b.exporterId) ||
      a.importerId.localeCompare(b.importerId) ||
      a.year - b.year ||
      a.category.localeCompare(b.category),
  );
  const counts = emptyCounts();
  for (const result of results) counts[result.comparison][result.kind] += 1;
  const excludedIds = new Set(excluded.map((e) => e.row.id));
  return {
    rules,
    results,
    excluded,
    counts,
    stats: {
      rowsRead: input.rows.length,
      rowsCompared: input.rows.length - excludedIds.size,
      rowsExcluded: excludedIds.size,
      sipriCellsWithoutAttReport,
    },
  };
}
