import type { StatusCounts } from '../api/types.js';
import { formatNumber, t, type MessageKey } from '../i18n/index.js';
import { h } from './dom.js';
import { termTip } from './term.js';

type CountKey = keyof Omit<StatusCounts, 'total' | 'notSigned'>;

const ITEMS: { key: CountKey; term: MessageKey; status?: string }[] = [
  { key: 'stateParty', term: 'term.stateParty', status: 'state_party' },
  { key: 'deposited', term: 'term.deposited' },
  { key: 'depositedAwaitingEif', term: 'term.awaitingEif', status: 'deposited_awaiting_eif' },
  { key: 'signatory', term: 'term.signatory', status: 'signatory' },
  { key: 'signed', term: 'term.signed' },
  { key: 'declaredNotToBecomeParty', term: 'term.declared', status: 'declared_not_to_become_party' },
];

export interface CountsView {
  element: HTMLElement;
  update(counts: StatusCounts | null): void;
}

/** The headline numbers, each with its definition one keypress away. */
export function countsView(): CountsView {
  const values = new Map<CountKey, HTMLElement>();
  const list = h('ul', { class: 'counts' });
  for (const item of ITEMS) {
    const label = t(`counts.${item.key}` as MessageKey);
    const value = h('span', { class: 'count-value' }, '…');
    values.set(item.key, value);
    list.append(
      h(
        'li',
        { class: 'count', 'data-count': item.key, 'data-status': item.status },
        value,
        termTip(label, item.term),
        h(
          'span',
          { class: 'count-label' },
          h('span', { class: 'count-name' }, label),
          h('span', { class: 'count-detail' }, t(`counts.${item.key}.detail` as MessageKey)),
        ),
      ),
    );
  }
  return {
    element: list,
    update(counts) {
      list.setAttribute('aria-busy', String(counts === null));
      for (const [key, value] of values) value.textContent = counts ? formatNumber(counts[key]) : '…';
    },
  };
}
