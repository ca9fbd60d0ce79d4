/** The national file kinds and how a file's kind is recognised (content first, then the file name). */
import { splitCsvRecords } from '../csv-records.js';
import { looksLikeZip } from './xlsx.js';

export const NATIONAL_KINDS = [
  'fi-saferglobe',
  'eu-coarm-broker',
  'eu-coarm-mission',
  'eu-coarm-consult',
  'uk-ratings',
  'uk-refusal-criteria',
  'uk-footnotes-region',
] as const;
export type NationalKind = (typeof NATIONAL_KINDS)[number];

/** File names as the sources publish them. */
const BY_NAME: ReadonlyArray<[RegExp, NationalKind]> = [
  [/saferglobe.*\.xlsx$/i, 'fi-saferglobe'],
  [/(^|[/\\])broker\.csv$/i, 'eu-coarm-broker'],
  [/(^|[/\\])mission\.csv$/i, 'eu-coarm-mission'],
  [/(^|[/\\])consult\.csv$/i, 'eu-coarm-consult'],
  [/(^|[/\\])ratings\.csv$/i, 'uk-ratings'],
  [/(^|[/\\])refusal-criteria\.csv$/i, 'uk-refusal-criteria'],
  [/(^|[/\\])footnotes-region\.csv$/i, 'uk-footnotes-region'],
];

const UK_HEADERS: ReadonlyArray<[string, NationalKind]> = [
  ['rating,military,short_description,full_description', 'uk-ratings'],
  ['licence_cohort_id,criterion,description', 'uk-refusal-criteria'],
  ['name,text', 'uk-footnotes-region'],
];

/**
 * Recognises a national file: an XLSX workbook is SaferGlobe's (the only workbook kind; its parser names the sheets
 * it expects), a CSV by its header (UK tables) or by the shape of its first rows (CAAT's headerless EU tables), and
 * failing that by the file name. Undefined when nothing matches.
 */
export function detectNationalKind(fileName: string, bytes: Uint8Array): NationalKind | undefined {
  return byContent(bytes) ?? BY_NAME.find(([pattern]) => pattern.test(fileName))?.[1];
}

function byContent(bytes: Uint8Array): NationalKind | undefined {
  if (bytes.length === 0) return undefined;
  if (looksLikeZip(bytes))
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).includes('xl/workbook.xml')
      ? 'fi-saferglobe'
      : undefined;
  const text = new TextDecoder('utf-8').decode(bytes.subarray(0, 65_536)).replace(/^\uFEFF/, '');
  if (text.includes('\u0000')) return undefined;
  const records = splitCsvRecords(text).filter((record) =>
    record.fields.some((field) => field.trim() !== ''),
  );
  const first = records[0];
  if (!first) return undefined;
  const header = first.fields.map((field) => field.trim().toLowerCase()).join(',');
  const uk = UK_HEADERS.find(([expected]) => header === expected);
  if (uk) return uk[1];
  const votes = new Map<NationalKind, number>();
  for (const record of records.slice(0, 40)) {
    const kind = euShape(record.raw, record.fields);
    if (kind) votes.set(kind, (votes.get(kind) ?? 0) + 1);
  }
  const ranked = [...votes].sort((a, b) => b[1] - a[1]);
  return ranked[0] && ranked[0][1] > (ranked[1]?.[1] ?? 0) ? ranked[0][0] : undefined;
}

function euShape(raw: string, fields: readonly string[]): NationalKind | undefined {
  if (/^\s*\[\s*u?['"]/.test(raw)) return 'eu-coarm-broker';
  if (!/^\d{4}$/.test((fields[0] ?? '').trim())) return undefined;
  const iso2 = (value: string | undefined) => /^(?:[A-Z]{2})?$/.test((value ?? '').trim());
  if (/^(issued|refused)$/i.test((fields[3] ?? '').trim())) return 'eu-coarm-broker';
  if (
    fields.length === 8 &&
    iso2(fields[1]) &&
    iso2(fields[3]) &&
    fields.slice(5).every((field) => /^\d*$/.test(field.trim()))
  )
    return 'eu-coarm-consult';
  if (fields.length === 7 && iso2(fields[1]) && iso2(fields[3])) return 'eu-coarm-mission';
  return undefined;
}
