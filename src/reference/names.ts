/**
 * Folds a name for matching: Unicode NFKD without diacritics, lower case, straight quotes, single spaces.
 * "Türkiye" and "Turkiye", "Côte d’Ivoire" and "cote d'ivoire" fold to the same key.
 */
export function normaliseName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[\u2018\u2019\u02bc`]/g, "'")
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}
