import { nameOf, type Entity } from '../api/data.js';
import { formatDecimal, t, tMaybe } from '../i18n/index.js';

/** A TIV as sent: SIPRI's "0" means more than 0 and less than 0.5 million (never shown as zero). */
export function tivText(value: string | null): string | null {
  if (value === null) return null;
  const n = Number(value);
  if (!Number.isFinite(n)) return value;
  return n === 0 ? t('value.tivBelowHalf') : formatDecimal(n, 2);
}

/** "SIPRI Arms Transfers Database", "National data: Finland", or the source id as sent. */
export function sourceLabel(source: string, entities: Map<string, Entity> | null): string {
  if (source === 'sipri') return t('source.sipri');
  const national = /^national:([a-z]{3})$/.exec(source);
  if (national) return t('source.national', { state: nameOf(entities, national[1]!.toUpperCase()) });
  return tMaybe(`source.${source}`, source);
}

/** A TIV total for prose and share bars: one decimal below 100 million (37.5), whole millions above (15,231). */
export function tivAmount(value: number): string {
  return formatDecimal(value, Math.abs(value) < 100 ? 1 : 0);
}
