/**
 * The ATT annual report file format, stated once for the parser and the template writer: sheet (section) names, title
 * fields, table columns, lookups for categories and words, and limits. docs/att-report-format.md explains it to users.
 */
import {
  ATT_REPORT_CATEGORIES,
  ATT_REPORT_SUBCATEGORIES,
  type AttReportCategoryCode,
  type AttReportFormName,
  type AttReportSubcategoryCode,
} from '../../model/att-report.js';

export const ATT_REPORT_SOURCE = 'att-report';
export const ATT_REPORT_FORMAT_NAME = 'att-annual-report';
export const ATT_REPORT_FORMAT_VERSION = 1;
export const ATT_REPORT_TEMPLATE_VERSION =
  'ATT Observatory annual report template, format version 1 (after the provisional 2015 ATT template)';

export type AttReportFileFormat = 'xlsx' | 'csv' | 'json';

/** Limits, stated in docs/att-report-format.md. A value past a limit is an issue, never a crash. */
export interface AttReportLimits {
  /** Larger uploads are refused before anything is decoded. */
  maxFileBytes: number;
  /** Data rows per table (Exports, Imports); the largest published reports have a few thousand. */
  maxRowsPerTable: number;
  /** A longer cell quarantines its row (a longer title answer refuses the file). */
  maxCellChars: number;
  /** Columns read per sheet; a value further right refuses the file. */
  maxColumns: number;
  /** XLSX: entries in the ZIP. */
  maxZipEntries: number;
  /** XLSX: the sum of the uncompressed sizes of all entries (what exceljs would hold in memory as XML). */
  maxUncompressedBytes: number;
  /** XLSX: uncompressed / compressed size of one entry, checked for entries above `ratioCheckAboveBytes`. */
  maxCompressionRatio: number;
  ratioCheckAboveBytes: number;
}

export const DEFAULT_ATT_REPORT_LIMITS: Readonly<AttReportLimits> = Object.freeze({
  maxFileBytes: 20 * 1024 * 1024,
  maxRowsPerTable: 20_000,
  maxCellChars: 10_000,
  maxColumns: 64,
  maxZipEntries: 500,
  maxUncompressedBytes: 64 * 1024 * 1024,
  maxCompressionRatio: 200,
  ratioCheckAboveBytes: 1024 * 1024,
});

/** Sheet names in XLSX, section names in CSV (`[Exports]`), keys in JSON (`exports`). */
export const SHEETS = {
  title: 'Title',
  exports: 'Exports',
  imports: 'Imports',
  instructions: 'Instructions',
  lists: 'Lists',
} as const;
export const FORM_SHEETS: Record<AttReportFormName, string> = {
  exports: SHEETS.exports,
  imports: SHEETS.imports,
};

/** The Title sheet's header: the question, the State's answer, and a stable key (matched first). */
export const TITLE_COLUMNS = { question: 'Question', answer: 'Answer', key: 'Key' } as const;

export type TitleFieldKind =
  'text' | 'state' | 'year' | 'date' | 'yesno' | 'basis' | 'visibility' | 'currency';

export interface TitleFieldSpec {
  key: string;
  label: string;
  kind: TitleFieldKind;
  form?: AttReportFormName;
  /** Shown in the template's Instructions. */
  help: string;
}

const formFields = (form: AttReportFormName): TitleFieldSpec[] => {
  const Form = form === 'exports' ? 'Exports' : 'Imports';
  return [
    {
      key: `${form}Included`,
      label: `${Form} form included (yes / no)`,
      kind: 'yesno',
      form,
      help: `yes if the report includes the ${Form} form (a nil report counts); empty = yes when the ${Form} sheet has rows or the nil report box says yes`,
    },
    {
      key: `${form}NilReport`,
      label: `Nil report: no ${form} to report (yes / no)`,
      kind: 'yesno',
      form,
      help: `yes when there were no ${form} in the year; leave the ${Form} sheet empty then`,
    },
    {
      key: `${form}Basis`,
      label: `${Form} reported as (authorised / actual / authorised and actual)`,
      kind: 'basis',
      form,
      help: 'authorised (licences) or actual (transfers made); with both, fill the column "Authorised or actual" on every row',
    },
    {
      key: `${form}Visibility`,
      label: `${Form} form is (public / private)`,
      kind: 'visibility',
      form,
      help: 'public forms are published; private ones are kept for the Secretariat and States Parties only. Empty = private',
    },
    {
      key: `${form}WithheldCommerciallySensitive`,
      label: `${Form}: commercially sensitive information withheld (yes / no)`,
      kind: 'yesno',
      form,
      help: 'ATT Art. 13(3) allows it; empty = no',
    },
    {
      key: `${form}WithheldNationalSecurity`,
      label: `${Form}: national security information withheld (yes / no)`,
      kind: 'yesno',
      form,
      help: 'ATT Art. 13(3) allows it; empty = no',
    },
  ];
};

export const TITLE_FIELDS: readonly TitleFieldSpec[] = [
  {
    key: 'reportingState',
    label: 'Reporting State',
    kind: 'state',
    help: 'the name of the State, or its ISO 3166-1 alpha-3 code',
  },
  {
    key: 'reportingStateCode',
    label: 'Reporting State code (ISO 3166-1 alpha-3)',
    kind: 'state',
    help: 'e.g. FRA; wins over the name when both are given, and they must agree',
  },
  {
    key: 'coveredYear',
    label: 'Calendar year covered (1 January - 31 December)',
    kind: 'year',
    help: 'e.g. 2024 for the report due by 31 May 2025',
  },
  { key: 'submittedOn', label: 'Date of submission (YYYY-MM-DD)', kind: 'date', help: 'optional' },
  {
    key: 'nationalDefinitionExport',
    label: 'National definition of "export"',
    kind: 'text',
    help: 'optional: the definition your national law uses',
  },
  {
    key: 'nationalDefinitionImport',
    label: 'National definition of "import"',
    kind: 'text',
    help: 'optional',
  },
  ...formFields('exports'),
  ...formFields('imports'),
  {
    key: 'defaultCurrency',
    label: 'Currency of values unless a row says otherwise (ISO 4217, e.g. EUR)',
    kind: 'currency',
    help: 'optional; a row with a value and no currency of its own uses it',
  },
  {
    key: 'templateVersion',
    label: 'Template version',
    kind: 'text',
    help: 'filled in by the template; leave it as it is',
  },
];

export type ColumnKey =
  | 'category'
  | 'subcategory'
  | 'partner'
  | 'numberOfItems'
  | 'value'
  | 'currency'
  | 'description'
  | 'comments'
  | 'basis'
  | 'endUser'
  | 'endUse'
  | 'stateOfOrigin'
  | 'intermediateLocations';

export interface ColumnSpec {
  key: ColumnKey;
  /** Header written by the template, per form. */
  header: Record<AttReportFormName, string>;
  /** Other headers accepted (compared after `headerKey`); the JSON key is always accepted. */
  aliases: string[];
  required: boolean;
  help: string;
}

export const COLUMNS: readonly ColumnSpec[] = [
  {
    key: 'category',
    header: both('Category'),
    aliases: ['Category (I-VIII)', 'UNROCA category'],
    required: true,
    help: 'I to VIII (see the Lists sheet); may be left empty when the sub-category says it',
  },
  {
    key: 'subcategory',
    header: both('Sub-category'),
    aliases: ['Subcategory'],
    required: false,
    help: 'IV(a), IV(b), V(a), V(b), VII(a), VII(b), SA, SA1-SA6, LW, LW1-LW7, or empty',
  },
  {
    key: 'partner',
    header: { exports: 'Final importing State', imports: 'Exporting State' },
    aliases: ['Partner', 'Partner State', 'Importing State', 'Final importing State', 'Exporting State'],
    required: true,
    help: 'ISO 3166-1 alpha-3 code (recommended) or name; "aggregated" when the row totals several States',
  },
  {
    key: 'numberOfItems',
    header: both('Number of items'),
    aliases: ['Number', 'Quantity'],
    required: true,
    help: 'a whole number; empty, "withheld" or "aggregated" when not given',
  },
  {
    key: 'value',
    header: both('Value'),
    aliases: ['Financial value'],
    required: true,
    help: 'a number with a point for decimals; empty, "withheld" or "aggregated" when not given',
  },
  {
    key: 'currency',
    header: both('Currency'),
    aliases: ['Currency (ISO 4217)'],
    required: false,
    help: 'ISO 4217 code (EUR, USD ...); empty = the Title page currency',
  },
  {
    key: 'description',
    header: both('Description of items'),
    aliases: ['Description', 'Description of item'],
    required: false,
    help: 'free text',
  },
  {
    key: 'comments',
    header: both('Comments'),
    aliases: ['Comments on the transfer', 'Comment'],
    required: false,
    help: 'free text',
  },
  {
    key: 'basis',
    header: both('Authorised or actual'),
    aliases: ['Authorized or actual', 'Basis'],
    required: false,
    help: 'authorised or actual; needed when the Title page says both',
  },
  {
    key: 'endUser',
    header: both('End user'),
    aliases: ['End-user'],
    required: false,
    help: 'optional (ATT Art. 12(3))',
  },
  {
    key: 'endUse',
    header: both('End use'),
    aliases: ['End-use'],
    required: false,
    help: 'optional (ATT Art. 12(3))',
  },
  {
    key: 'stateOfOrigin',
    header: both('State of origin'),
    aliases: ['Origin'],
    required: false,
    help: 'optional: where the items were made, if not the exporting State (ISO3 or name)',
  },
  {
    key: 'intermediateLocations',
    header: both('Intermediate locations'),
    aliases: ['Intermediate location', 'Intermediate location(s)', 'Transit States'],
    required: false,
    help: 'optional: transit States, separated by ";" (ISO3 or names)',
  },
];

function both(header: string): Record<AttReportFormName, string> {
  return { exports: header, imports: header };
}

/** A header or title label as compared: case, spaces, punctuation and "(...)" parts ignored, so `numberOfItems` = "Number of items". */
export function headerKey(text: string): string {
  return wordKey(text.replace(/\([^)]*\)/g, ''));
}

/** A word in a cell as compared (categories, yes/no ...): case, spaces and punctuation ignored, brackets kept apart. */
export function wordKey(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/^\uFEFF/, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '');
}

/** Column lookup for one form: header key -> column spec. */
export function columnLookup(form: AttReportFormName): Map<string, ColumnSpec> {
  const map = new Map<string, ColumnSpec>();
  for (const spec of COLUMNS) {
    for (const name of [spec.key, spec.header[form], ...spec.aliases]) map.set(headerKey(name), spec);
  }
  // "Importing State" on the Imports sheet (or "Exporting State" on Exports) would name the reporting State itself.
  const wrongSide = form === 'exports' ? ['Exporting State'] : ['Importing State', 'Final importing State'];
  for (const name of wrongSide) map.delete(headerKey(name));
  return map;
}

/** Title lookup: key or label -> spec. */
export const TITLE_LOOKUP: ReadonlyMap<string, TitleFieldSpec> = new Map(
  TITLE_FIELDS.flatMap((spec) => [
    [headerKey(spec.key), spec],
    [headerKey(spec.label), spec],
  ]),
);

// ---------------------------------------------------------------------------------------------------------------
// Lookups for words (explicit tables: a word not listed is an issue, never a guess)

export type CategoryMatch = { category: AttReportCategoryCode; subcategory: AttReportSubcategoryCode | null };

/** "I", "i", "Category I", "I - Battle tanks", "Battle tanks", "VII(b)", "MANPADS", "SA4", "SA4 - Assault rifles" ... */
export const CATEGORY_LOOKUP: ReadonlyMap<string, CategoryMatch> = (() => {
  const map = new Map<string, CategoryMatch>();
  const arabic = ['1', '2', '3', '4', '5', '6', '7', '8'];
  ATT_REPORT_CATEGORIES.forEach((category, index) => {
    const match = { category: category.code, subcategory: null };
    for (const name of [
      category.code,
      `Category ${category.code}`,
      categoryLabel(category.code),
      category.name,
      arabic[index]!,
    ])
      map.set(wordKey(name), match);
  });
  map.set(wordKey('SALW'), { category: 'VIII', subcategory: null });
  for (const sub of ATT_REPORT_SUBCATEGORIES) {
    const match = { category: sub.category, subcategory: sub.code };
    for (const name of [sub.code, subcategoryLabel(sub.code)]) map.set(wordKey(name), match);
  }
  map.set(wordKey('MANPADS'), { category: 'VII', subcategory: 'VII(b)' });
  map.set(wordKey('Small arms'), { category: 'VIII', subcategory: 'SA' });
  map.set(wordKey('Light weapons'), { category: 'VIII', subcategory: 'LW' });
  // Unique sub-category names (the two "others" are not unique, so only their codes are accepted).
  for (const sub of ATT_REPORT_SUBCATEGORIES) {
    const key = wordKey(sub.name);
    if (!map.has(key)) map.set(key, { category: sub.category, subcategory: sub.code });
  }
  return map;
})();

/** "I - Battle tanks": what the template's drop-down lists show. */
export function categoryLabel(code: AttReportCategoryCode): string {
  return `${code} - ${ATT_REPORT_CATEGORIES.find((category) => category.code === code)!.name}`;
}

export function subcategoryLabel(code: AttReportSubcategoryCode): string {
  return `${code} - ${ATT_REPORT_SUBCATEGORIES.find((sub) => sub.code === code)!.name}`;
}

export const YES_WORDS = ['yes', 'y', 'true', 'x', '1', 'oui', 'si', 'sí'];
export const NO_WORDS = ['no', 'n', 'false', '0', 'non'];
export const AGGREGATED_PARTNER_WORDS = ['aggregated', 'aggregate'];
/** Words that mark a totals row, which the template does not want (totals are computed). */
export const TOTAL_WORDS = ['total', 'totals', 'grand total', 'sum'];

/** Words accepted instead of a number (an empty cell means not reported). */
export const MISSING_WORDS: ReadonlyMap<string, 'not_reported' | 'withheld' | 'aggregated'> = new Map([
  ['notreported', 'not_reported'],
  ['withheld', 'withheld'],
  ['aggregated', 'aggregated'],
]);
