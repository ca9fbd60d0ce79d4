import type { Meta } from '../api/types.js';
import { formatDate, t, textLang } from '../i18n/index.js';
import { csvDataUrl, csvFileName, toCsv, type Cell } from '../state/csv.js';
import { todayUtc } from '../state/dates.js';
import { h } from './dom.js';

/** The words SIPRI asks every user of its data to print (SIPRI Arms Transfers Database terms of use). */
export const SIPRI_CITATION = 'Information from the SIPRI Arms Transfers Database';

export interface DataActionsOptions {
  /** What the data is, for the citation and the file name ("Transfers to Chile"). */
  title: string;
  /** A `.csv` twin of the API (same filters as the view), or rows built in the browser (first row: headers). */
  csv: { href: string } | { rows: readonly (readonly Cell[])[] };
  /** Source lines to cite (from `meta.sources`), besides this site. */
  sources?: readonly string[];
  meta?: Meta | null;
  /** Add SIPRI's citation line (the data includes SIPRI rows). */
  sipri?: boolean;
  /** A note about the download (e.g. "the first 1,000 rows"). */
  note?: string | null;
}

/**
 * Under every chart, map and table: a CSV download of exactly what is shown and a citation with the page's URL, the
 * date and the data's own sources (SIPRI's wording when SIPRI rows are included).
 */
export function dataActions(options: DataActionsOptions): HTMLElement {
  const today = todayUtc();
  const fileName = csvFileName(options.title, today);
  const href = 'href' in options.csv ? options.csv.href : csvDataUrl(toCsv(options.csv.rows));
  const link = h(
    'a',
    {
      class: 'button-link csv-link',
      href,
      download: fileName,
      'data-csv': 'href' in options.csv ? 'api' : 'page',
    },
    h('span', { 'aria-hidden': 'true', class: 'icon' }, '⤓'),
    t('data.downloadCsv'),
    h('span', { class: 'visually-hidden' }, `: ${options.title}`),
  );
  const sources = new Set<string>(options.sources ?? []);
  for (const source of options.meta?.sources ?? []) {
    const cite = /cite "([^"]+)"/.exec(source.licence ?? '')?.[1];
    sources.add(cite ?? source.source);
  }
  const sipri = options.sipri || [...sources].some((s) => /SIPRI/.test(s));
  if (sipri) {
    for (const s of [...sources]) if (/SIPRI/.test(s) && s !== SIPRI_CITATION) sources.delete(s);
    sources.add(SIPRI_CITATION);
  }
  const citation = t('data.citation', {
    title: options.title,
    url: location.href,
    date: formatDate(today),
  });
  const cite = h(
    'p',
    { class: 'citation' },
    h('span', { class: 'citation-label' }, `${t('data.cite')}: `),
    h('span', { class: 'citation-text' }, citation),
  );
  const dataLine =
    sources.size > 0
      ? h(
          'p',
          { class: 'citation data-sources' },
          h('span', { class: 'citation-label' }, `${t('data.dataFrom')}: `),
          // Source names are the API's, in English.
          h('span', { lang: textLang() === 'en' ? null : 'en' }, [...sources].join('; ')),
        )
      : null;
  return h(
    'div',
    { class: 'data-actions' },
    h(
      'div',
      { class: 'data-buttons' },
      link,
      options.note ? h('span', { class: 'hint' }, options.note) : null,
    ),
    cite,
    dataLine,
  );
}
