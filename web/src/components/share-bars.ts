import { formatPercent, t } from '../i18n/index.js';
import { h, replaceChildren, type Child } from './dom.js';

export interface ShareItem {
  id: string;
  label: string;
  href?: string;
  sharePercent: number;
  /** The value in words ("57,971 TIV"). */
  valueText: string;
  /** Shown after the label (e.g. a treaty status badge). */
  extra?: Child;
}

export interface ShareRest {
  /** How many parties the rest holds, by kind: States and others (territories, non-State actors ...). */
  states: number;
  others: number;
  sharePercent: number;
  valueText: string;
  /** Loads the parties in the rest (the reader asked to see them); null when they cannot be listed. */
  load: (() => Promise<{ items: ShareItem[]; rest: ShareRest | null }>) | null;
}

/**
 * A bar chart of shares that never hides the rest: the top items, then "All others (n States)" as a bar of its own,
 * which a reader can expand to list them. Each bar is text first (name, share, value); the bar is decoration.
 */
export function shareBars(options: {
  label: string;
  items: readonly ShareItem[];
  rest: ShareRest | null;
}): HTMLElement {
  const list = h('ol', { class: 'share-bars', 'aria-label': options.label });
  for (const item of options.items) list.append(itemRow(item));
  if (options.rest) list.append(restRow(options.rest));
  return list;
}

function bar(percent: number): HTMLElement {
  const width = Math.max(0, Math.min(100, percent));
  return h(
    'span',
    { class: 'share-track', 'aria-hidden': 'true' },
    h('span', { class: 'share-fill', style: `width:${width.toFixed(2)}%` }),
  );
}

function itemRow(item: ShareItem): HTMLLIElement {
  return h(
    'li',
    { class: 'share-item', 'data-id': item.id },
    h(
      'span',
      { class: 'share-label' },
      item.href ? h('a', { href: item.href }, item.label) : item.label,
      item.extra ? ' ' : null,
      item.extra ?? null,
    ),
    h(
      'span',
      { class: 'share-value' },
      h('strong', {}, formatPercent(item.sharePercent, 1)),
      ' ',
      h('span', { class: 'muted' }, item.valueText),
    ),
    bar(item.sharePercent),
  );
}

export function restLabel(rest: Pick<ShareRest, 'states' | 'others'>): string {
  return rest.others > 0
    ? t('share.othersWithParties', { count: rest.states, others: rest.others })
    : t('share.others', { count: rest.states });
}

function restRow(rest: ShareRest): HTMLLIElement {
  const label = restLabel(rest);
  const inner = h('ol', { class: 'share-bars share-rest-list', hidden: true });
  const row = h(
    'li',
    { class: 'share-item share-rest', 'data-id': 'others' },
    h('span', { class: 'share-label' }, label),
    h(
      'span',
      { class: 'share-value' },
      h('strong', {}, formatPercent(rest.sharePercent, 1)),
      ' ',
      h('span', { class: 'muted' }, rest.valueText),
    ),
    bar(rest.sharePercent),
  );
  if (!rest.load) return row;
  const button = h(
    'button',
    { type: 'button', class: 'link-button', 'aria-expanded': 'false' },
    t('share.expand'),
  );
  let loaded = false;
  button.addEventListener('click', () => {
    const open = button.getAttribute('aria-expanded') === 'true';
    if (open) {
      button.setAttribute('aria-expanded', 'false');
      button.textContent = t('share.expand');
      inner.hidden = true;
      return;
    }
    button.setAttribute('aria-expanded', 'true');
    button.textContent = t('share.collapse');
    inner.hidden = false;
    if (loaded) return;
    loaded = true;
    replaceChildren(inner, h('li', { class: 'muted' }, t('loading')));
    rest.load!()
      .then(({ items, rest: more }) => {
        replaceChildren(inner, ...items.map(itemRow), more ? restRow({ ...more, load: null }) : null);
      })
      .catch(() => {
        loaded = false;
        replaceChildren(inner, h('li', { class: 'field-error' }, t('error.network')));
      });
  });
  row.append(h('span', { class: 'share-toggle' }, button), inner);
  return row;
}
