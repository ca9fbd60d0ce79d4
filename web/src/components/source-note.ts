import type { Meta } from '../api/types.js';
import { formatDate, formatInstant, t } from '../i18n/index.js';
import { h } from './dom.js';

/** "Source: UN depositary …, as at 3 February 2026. Licence: …" from `meta.sources` of an API answer. */
export function sourceNote(meta: Meta | null): HTMLElement {
  const note = h('aside', { class: 'source-note', 'aria-label': t('source.label') });
  if (!meta || meta.sources.length === 0) {
    note.append(h('p', {}, t('source.none')));
    return note;
  }
  // Dated sources first: the "as at" date is what a reader needs to cite.
  const sorted = [...meta.sources].sort((a, b) => Number(Boolean(b.asAt)) - Number(Boolean(a.asAt)));
  const unique = new Map(
    sorted.map((source) => [`${source.source}|${source.asAt ?? ''}|${source.licence ?? ''}`, source]),
  );
  for (const source of unique.values()) {
    const asAt = source.asAt
      ? /^\d{4}-\d{2}-\d{2}$/.test(source.asAt)
        ? formatDate(source.asAt)
        : source.asAt
      : null;
    const text = asAt
      ? t('source.line', { source: source.source, asAt })
      : t('source.lineUndated', { source: source.source });
    const line = h('p', {}, h('strong', {}, `${t('source.label')}: `), linkify(text));
    if (source.licence) line.append(' ', linkify(t('source.licence', { licence: source.licence })));
    note.append(line);
  }
  if (meta.retrievedAt)
    note.append(h('p', { class: 'muted' }, t('source.retrieved', { date: formatInstant(meta.retrievedAt) })));
  return note;
}

/** Turns http(s) URLs inside a source text into links. */
function linkify(text: string): DocumentFragment {
  const fragment = document.createDocumentFragment();
  let last = 0;
  for (const match of text.matchAll(/https?:\/\/[^\s)]+[^\s).,;]/g)) {
    const index = match.index ?? 0;
    fragment.append(text.slice(last, index), h('a', { href: match[0], rel: 'noopener' }, match[0]));
    last = index + match[0].length;
  }
  fragment.append(text.slice(last));
  return fragment;
}
